import { ApiProperty } from '@nestjs/swagger';
import { ENTRY_STATUSES, EntryStatus, GRADES, REPAIR_PATHS } from '@jrp/contracts';

class PortalBasisResponse {
  @ApiProperty() document: string;
  @ApiProperty() article: string;
}

class PortalPendingApplication {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) filedOn: string;
  @ApiProperty({ format: 'date' }) deadline: string;
}

class PortalPendingObjection {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) deadline: string;
}

/** An entry as the portal may see it: no name, identifier or reason beyond what the caller gave. */
export class PortalEntryResponse {
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() listType: string;
  @ApiProperty({ example: '统计领域严重失信企业名单' }) listTypeName: string;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty({ example: '列入' }) statusLabel: string;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ format: 'date' }) listedAt: string;
  @ApiProperty({ enum: GRADES, nullable: true }) grade: string | null;
  @ApiProperty({ type: String, nullable: true }) gradeLabel: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) publicUntil: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) repairableFrom: string | null;
  @ApiProperty({ enum: REPAIR_PATHS, nullable: true }) repairPath: string | null;
  @ApiProperty({ type: PortalBasisResponse, nullable: true, description: '认定标准' })
  basis: PortalBasisResponse | null;
  @ApiProperty({ type: String, nullable: true, description: '移出条件' }) removalConditions: string | null;
  @ApiProperty({ type: String, nullable: true, description: '救济途径' }) remedies: string | null;
  @ApiProperty({ type: PortalPendingApplication, nullable: true })
  pendingRepairApplication: PortalPendingApplication | null;
  @ApiProperty({ type: PortalPendingObjection, nullable: true }) pendingObjection: PortalPendingObjection | null;
}

export class PortalLookupResponse {
  @ApiProperty({ type: [PortalEntryResponse] }) items: PortalEntryResponse[];
}
