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

export class RemovalLimitResponse {
  @ApiProperty({ description: 'the publisher’s entries of the list type in reach before the push (active or watch)' })
  listed: number;
  @ApiProperty({ description: 'the most removals allowed without confirmation' }) limit: number;
  @ApiProperty({ description: 'the removals were confirmed with confirmRemovals' }) confirmed: boolean;
  @ApiProperty({ description: 'false: the push would be refused (409) as it stands (dry run)' }) allowed: boolean;
  @ApiPropertyOptional({ description: 'why it would be refused (dry run), in Chinese and English' }) refusal?: string;
}

export class PublishCountsResponse {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: 'entries a full push removed (absent from it)' }) removed: number;
}

/** An entry a full push removed, or would remove (dry run). */
export class RemovedEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '认定文号' }) documentNo: string;
}

export class BatchPublishResponse {
  @ApiProperty({ enum: PUBLISH_MODES }) mode: PublishMode;
  @ApiProperty({ description: 'true: nothing was changed; the counts and results say what the push would do' })
  dryRun: boolean;
  @ApiProperty({ type: PublishCountsResponse }) counts: PublishCountsResponse;
  @ApiProperty({ type: [PublishResultResponse], description: 'in the order of `entries`' })
  results: PublishResultResponse[];
  @ApiPropertyOptional({
    type: [RemovedEntryResponse],
    description: 'full pushes: the entries removed (or, dry run, that would be removed)',
  })
  removals?: RemovedEntryResponse[];
  @ApiPropertyOptional({
    description:
      'full pushes: the publisher’s entries of the list type before the push and the removal limit that applied',
  })
  removalLimit?: RemovalLimitResponse;
}
