import { ApiProperty } from '@nestjs/swagger';
import { PUBLISH_MODES, PublishMode } from '../../publishing/dto/publish-batch.dto';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

/** An upload accepted as a job (202): follow it at `GET /lists/imports/{id}`. */
export class ImportAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued'] }) status: string;
}

/** An import job: where it stands and what it did with the rows. */
export class ImportJobResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'the uploading organisation' }) organization: string;
  @ApiProperty({ example: '失信名单-2026-11.xlsx' }) fileName: string;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: 'csv' | 'xlsx';
  @ApiProperty({ enum: PUBLISH_MODES }) mode: PublishMode;
  @ApiProperty({ type: String, nullable: true, description: 'the list type of a full import' }) listType: string | null;
  @ApiProperty({ enum: IMPORT_STATUSES }) status: (typeof IMPORT_STATUSES)[number];
  @ApiProperty({ example: '已完成' }) statusLabel: string;
  @ApiProperty({ description: 'rows read so far' }) total: number;
  @ApiProperty({ description: 'created + updated + unchanged' }) accepted: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ description: 'rows refused: see `GET /lists/imports/{id}/errors`' }) rejected: number;
  @ApiProperty({ description: 'entries a full import removed (dry run: would remove)' }) removed: number;
  @ApiProperty({
    description: 'true: a dry run, nothing was changed; the counts and the errors say what the import would do',
  })
  dryRun: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why a failed job failed (Chinese)' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}
