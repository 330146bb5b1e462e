import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENTRY_STATUSES } from '@jrp/contracts';
import { FieldErrorResponse } from '@jrp/http';
import { PUBLISH_MODES, PublishMode } from './publish-batch.dto';

/** One published entry: 201 created, 200 when it existed (updated, or unchanged). */
export class PublishedEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({
    enum: ENTRY_STATUSES,
    description:
      'the entry’s status: active; noticed (拟列入) on a notice-first list type; watch for an entry already on the watch list',
  })
  status: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] }) outcome: 'created' | 'updated' | 'unchanged';
}

/** One entry of a batch, accepted or rejected on its own. */
export class PublishResultResponse {
  @ApiProperty({ description: 'its position in `entries` (from 0)' }) index: number;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'rejected'] }) status:
    'created' | 'updated' | 'unchanged' | 'rejected';
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the entry (also for a rejected re-publish of a removed or expired entry)',
  })
  id?: string;
  @ApiPropertyOptional() version?: number;
  @ApiPropertyOptional({ enum: ENTRY_STATUSES, description: 'the entry’s status after publishing' })
  entryStatus?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'why it was rejected' })
  errors?: FieldErrorResponse[];
}

export class PublishCountsResponse {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: 'entries a full push removed (absent from it)' }) removed: number;
}

export class BatchPublishResponse {
  @ApiProperty({ enum: PUBLISH_MODES }) mode: PublishMode;
  @ApiProperty({ type: PublishCountsResponse }) counts: PublishCountsResponse;
  @ApiProperty({ type: [PublishResultResponse], description: 'in the order of `entries`' })
  results: PublishResultResponse[];
}
