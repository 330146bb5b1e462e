import { ApiProperty } from '@nestjs/swagger';

/** A case as its organisation and the office see it. */
export class CaseResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() organization: string;
  @ApiProperty({ type: String, nullable: true }) organizationName: string | null;
  @ApiProperty() listType: string;
  @ApiProperty({ type: String, nullable: true }) listTypeName: string | null;
  @ApiProperty({ type: [String] }) measureIds: string[];
  @ApiProperty({ type: [String] }) memoranda: string[];
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) occurredAt: string;
  @ApiProperty() region: string;
  @ApiProperty() city: string;
  @ApiProperty() description: string;
  @ApiProperty() effect: string;
  @ApiProperty() publishable: boolean;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

/** A publishable case as the public sees it (案例公示): personal data masked, no internal references. */
export class PublicCaseResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) occurredAt: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: String, nullable: true }) organizationName: string | null;
  @ApiProperty({ type: String, nullable: true }) listTypeName: string | null;
  @ApiProperty() description: string;
  @ApiProperty() effect: string;
}
