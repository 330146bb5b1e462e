import { ApiProperty } from '@nestjs/swagger';
import { ENTRY_STATUSES, EntryStatus } from '@jrp/contracts';
import { REPAIR_APPLICATION_STATUSES } from '../repair-applications.repository';

/** A repair application (信用修复申请) and where it stands. */
export class RepairApplicationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ enum: REPAIR_APPLICATION_STATUSES }) status: string;
  @ApiProperty({ example: '待决定' }) statusLabel: string;
  @ApiProperty({ enum: ['counter', 'portal'] }) channel: string;
  @ApiProperty({ example: '信用网站申请' }) channelLabel: string;
  @ApiProperty({ format: 'date' }) filedOn: string;
  @ApiProperty({ format: 'date-time' }) filedAt: string;
  @ApiProperty({ description: 'organisation code of the office or portal that filed it' }) filedBy: string;
  @ApiProperty({ description: 'the department that decides (谁认定谁修复): the list type’s identifying organisation' })
  decidingOrganization: string;
  @ApiProperty({ format: 'date', description: 'the last working day to decide it' }) deadline: string;
  @ApiProperty({ type: Number, nullable: true, description: 'working days (工作日) left; null once decided' })
  workingDaysLeft: number | null;
  @ApiProperty({ description: 'pending past its deadline' }) overdue: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
}

/** A repair application in a deciding department's or the office's queue: with its evidence and commitment. */
export class RepairQueueItemResponse extends RepairApplicationResponse {
  @ApiProperty() evidence: string;
  @ApiProperty() commitment: string;
}

export class RepairQueueResponse {
  @ApiProperty({ type: [RepairQueueItemResponse], description: 'oldest first, at most 1,000' })
  items: RepairQueueItemResponse[];
}

export class RepairDecidedEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
}

export class RepairDecisionResponse extends RepairApplicationResponse {
  @ApiProperty({ type: RepairDecidedEntryResponse, description: 'the entry after the decision' })
  entry: RepairDecidedEntryResponse;
}

class RepairDocumentSection {
  @ApiProperty() heading: string;
  @ApiProperty() text: string;
}

/** 信用修复决定书 (JSON; `?format=html` or `Accept: text/html` for the printable page). */
export class RepairDocumentResponse {
  @ApiProperty({ example: '信用修复决定书' }) title: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ enum: REPAIR_APPLICATION_STATUSES }) status: string;
  @ApiProperty({ example: '准予信用修复' }) decision: string;
  @ApiProperty({ type: [RepairDocumentSection] }) sections: RepairDocumentSection[];
}
