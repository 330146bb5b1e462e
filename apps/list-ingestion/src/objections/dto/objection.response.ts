import { ApiProperty } from '@nestjs/swagger';
import { ENTRY_STATUSES, EntryStatus } from '@jrp/contracts';
import { OBJECTION_STATUSES } from './objection.dto';

/** A filed objection (异议): pending until the office decides, by the deadline. */
export class FiledObjectionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ enum: ['pending'] }) status: string;
  @ApiProperty({ format: 'date', description: 'answer due by this date (10 working days)' }) deadline: string;
}

/** The entry after a decision. */
export class DecidedEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty() disputed: boolean;
}

export class ObjectionDecisionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ enum: ['upheld', 'rejected'] }) status: string;
  @ApiProperty({ example: 'upheld: the entry is corrected', description: 'what the decision did to the entry' })
  outcome: string;
  @ApiProperty({ type: DecidedEntryResponse }) entry: DecidedEntryResponse;
}

/** An objection in the office's queue. */
export class ObjectionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ description: 'what the subject objects to' }) statement: string;
  @ApiProperty({ description: 'how to reach the objector' }) contact: string;
  @ApiProperty({ enum: OBJECTION_STATUSES }) status: string;
  @ApiProperty({ example: '待处理' }) statusLabel: string;
  @ApiProperty({ format: 'date-time' }) filedAt: string;
  @ApiProperty({ description: 'organisation code of the office that filed it' }) filedBy: string;
  @ApiProperty({ format: 'date' }) deadline: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'working days (工作日) until the deadline; null once decided',
  })
  workingDaysLeft: number | null;
  @ApiProperty({ description: 'pending past its deadline' }) overdue: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
}

export class ObjectionQueueResponse {
  @ApiProperty({ type: [ObjectionResponse], description: 'oldest first, at most 1,000' }) items: ObjectionResponse[];
}
