import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_OUTCOMES } from '@jrp/contracts';

/** One audit record (审计记录): who did what to which object, when, from where. */
export class AuditRecordResponse {
  @ApiProperty({ description: 'opaque; read on with `after=<cursor>`' }) cursor: string;
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ example: 'list-ingestion', description: 'the service that recorded it' }) service: string;
  @ApiProperty({ example: 'list-entry.read' }) action: string;
  @ApiProperty({ example: 'list-entry' }) objectType: string;
  @ApiProperty() objectId: string;
  @ApiProperty({ description: 'organisation code of the actor (anonymous without a caller)' }) organization: string;
  @ApiProperty({ description: 'the id of the token used; empty without a caller' }) tokenId: string;
  @ApiProperty({ type: String, nullable: true }) tokenLabel: string | null;
  @ApiProperty({ description: 'the X-Request-Id of the request (empty for jrp’s own jobs)' }) requestId: string;
  @ApiProperty({ example: '10.0.0.8' }) sourceAddress: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome: string;
}
