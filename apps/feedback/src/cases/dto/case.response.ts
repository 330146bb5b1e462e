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
  @ApiProperty({ enum: ['draft', 'published'], description: 'draft until the office publishes it (案例公示)' })
  status: 'draft' | 'published';
  @ApiProperty({ example: '待审核' }) statusLabel: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
}

/** A published case as the public sees it (案例公示): personal data masked, no internal references. */
export class PublicCaseResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) occurredAt: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: String, nullable: true }) organizationName: string | null;
  @ApiProperty({ type: String, nullable: true }) listTypeName: string | null;
  @ApiProperty() description: string;
  @ApiProperty() effect: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
}
