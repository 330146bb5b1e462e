import { ApiProperty } from '@nestjs/swagger';
import {
  CatalogueListTypeResponse,
  CatalogueMeasureDocResponse,
  CatalogueMemorandumResponse,
} from './catalogue.response';

/** A whole catalogue (联合奖惩措施清单) as one document: a published version or the draft. */
export class CatalogueDocumentResponse {
  @ApiProperty({ type: [CatalogueMemorandumResponse] }) memoranda: CatalogueMemorandumResponse[];
  @ApiProperty({ type: [CatalogueListTypeResponse] }) listTypes: CatalogueListTypeResponse[];
  @ApiProperty({ type: [CatalogueMeasureDocResponse] }) measures: CatalogueMeasureDocResponse[];
}

/** Something that stops the draft's publication. */
export class CatalogueProblemResponse {
  @ApiProperty({ example: 'measures.12.implementingOrganizations' }) path: string;
  @ApiProperty({ example: 'unknown organisation AH-XYZ' }) message: string;
}

/** The draft (草稿) the office edits. */
export class CatalogueDraftResponse {
  @ApiProperty({ description: 'the published version it started from' }) baseVersion: number;
  @ApiProperty({ type: CatalogueDocumentResponse }) document: CatalogueDocumentResponse;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'organisation code of the last editor' }) updatedBy: string;
  @ApiProperty({ type: [CatalogueProblemResponse], description: 'empty when the draft can be published' })
  problems: CatalogueProblemResponse[];
}

export class CatalogueChangeCountResponse {
  @ApiProperty() added: number;
  @ApiProperty() removed: number;
  @ApiProperty() changed: number;
}

export class CatalogueChangeSummaryResponse {
  @ApiProperty({ type: CatalogueChangeCountResponse }) memoranda: CatalogueChangeCountResponse;
  @ApiProperty({ type: CatalogueChangeCountResponse }) listTypes: CatalogueChangeCountResponse;
  @ApiProperty({ type: CatalogueChangeCountResponse }) measures: CatalogueChangeCountResponse;
}

/** A version just published: re-matching of the active entries runs behind it. */
export class PublishedCatalogueVersionResponse {
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ type: CatalogueChangeSummaryResponse, description: 'what changed from the previous version, counted' })
  changes: CatalogueChangeSummaryResponse;
}

export class CatalogueVersionResponse {
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ description: 'organisation code of the publishing office (seed for the first)' }) publishedBy: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ description: 'how many measures it holds' }) measures: number;
  @ApiProperty({ description: 'how many list types it holds' }) listTypes: number;
}

export class CatalogueVersionListResponse {
  @ApiProperty({ type: [CatalogueVersionResponse], description: 'oldest first' }) items: CatalogueVersionResponse[];
}

export class CatalogueMemorandumChangeResponse {
  @ApiProperty() code: string;
  @ApiProperty({ type: [String], description: 'the fields that differ' }) fields: string[];
  @ApiProperty({ type: CatalogueMemorandumResponse }) before: CatalogueMemorandumResponse;
  @ApiProperty({ type: CatalogueMemorandumResponse }) after: CatalogueMemorandumResponse;
}

export class CatalogueListTypeChangeResponse {
  @ApiProperty() code: string;
  @ApiProperty({ type: [String], description: 'the fields that differ' }) fields: string[];
  @ApiProperty({ type: CatalogueListTypeResponse }) before: CatalogueListTypeResponse;
  @ApiProperty({ type: CatalogueListTypeResponse }) after: CatalogueListTypeResponse;
}

export class CatalogueMeasureChangeResponse {
  @ApiProperty() code: string;
  @ApiProperty({ type: [String], description: 'the fields that differ' }) fields: string[];
  @ApiProperty({ type: CatalogueMeasureDocResponse }) before: CatalogueMeasureDocResponse;
  @ApiProperty({ type: CatalogueMeasureDocResponse }) after: CatalogueMeasureDocResponse;
}

export class CatalogueMemorandaDiffResponse {
  @ApiProperty({ type: [CatalogueMemorandumResponse] }) added: CatalogueMemorandumResponse[];
  @ApiProperty({ type: [CatalogueMemorandumResponse] }) removed: CatalogueMemorandumResponse[];
  @ApiProperty({ type: [CatalogueMemorandumChangeResponse] }) changed: CatalogueMemorandumChangeResponse[];
}

export class CatalogueListTypesDiffResponse {
  @ApiProperty({ type: [CatalogueListTypeResponse] }) added: CatalogueListTypeResponse[];
  @ApiProperty({ type: [CatalogueListTypeResponse] }) removed: CatalogueListTypeResponse[];
  @ApiProperty({ type: [CatalogueListTypeChangeResponse] }) changed: CatalogueListTypeChangeResponse[];
}

export class CatalogueMeasuresDiffResponse {
  @ApiProperty({ type: [CatalogueMeasureDocResponse] }) added: CatalogueMeasureDocResponse[];
  @ApiProperty({ type: [CatalogueMeasureDocResponse] }) removed: CatalogueMeasureDocResponse[];
  @ApiProperty({ type: [CatalogueMeasureChangeResponse] }) changed: CatalogueMeasureChangeResponse[];
}

/** What changed from version `from` to version `to`, by code. */
export class CatalogueDiffResponse {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty({ type: CatalogueMemorandaDiffResponse }) memoranda: CatalogueMemorandaDiffResponse;
  @ApiProperty({ type: CatalogueListTypesDiffResponse }) listTypes: CatalogueListTypesDiffResponse;
  @ApiProperty({ type: CatalogueMeasuresDiffResponse }) measures: CatalogueMeasuresDiffResponse;
}

/** Re-matching (重新匹配) of the active entries after a version: resumable, in the background. */
export class RematchProgressResponse {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['running', 'done'] }) status: 'running' | 'done';
  @ApiProperty({ description: 'active entries to re-match' }) total: number;
  @ApiProperty() processed: number;
  @ApiProperty({ description: 'tasks newly dispatched' }) dispatched: number;
  @ApiProperty({ description: 'tasks updated' }) updated: number;
  @ApiProperty({ description: 'tasks revoked' }) revoked: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}
