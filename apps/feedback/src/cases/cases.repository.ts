import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** A case is recorded as a draft; the office publishes it (案例公示). */
export type CaseStatus = 'draft' | 'published';

/** One stored case (联合奖惩案例); its text already has ID numbers masked. */
export interface CaseRow {
  /** The order cases were recorded in (the cursor of the lists), given by the database. */
  seq: string;
  id: string;
  taskId: string;
  organization: string;
  listType: string;
  measureIds: string[];
  memoranda: string[];
  title: string;
  /** The date it occurred, YYYY-MM-DD. */
  occurredAt: string;
  region: string;
  city: string;
  description: string;
  effect: string;
  publishable: boolean;
  recordedAt: Date;
  recordedByToken: string;
  status: CaseStatus;
  publishedAt: Date | null;
  /** The office that published it. */
  publishedBy: string | null;
  publishedByToken: string | null;
  /** The text as published: masked (`maskPersonalData`) when the office published it; null for a draft. */
  publicTitle: string | null;
  publicDescription: string | null;
  publicEffect: string | null;
}

/** What publishing a case writes. */
export type CasePublication = Pick<
  CaseRow,
  'publishedAt' | 'publishedBy' | 'publishedByToken' | 'publicTitle' | 'publicDescription' | 'publicEffect'
>;

/** `cases`. */
export const cases = new Table<CaseRow>('cases', {
  seq: { column: 'seq', generated: true },
  id: 'id',
  taskId: 'task_id',
  organization: 'organization',
  listType: 'list_type',
  measureIds: 'measure_ids',
  memoranda: 'memoranda',
  title: 'title',
  occurredAt: { column: 'occurred_on', read: "to_char($, 'YYYY-MM-DD')" },
  region: 'region',
  city: 'city',
  description: 'description',
  effect: 'effect',
  publishable: 'publishable',
  recordedAt: 'recorded_at',
  recordedByToken: 'recorded_by_token',
  status: 'status',
  publishedAt: 'published_at',
  publishedBy: 'published_by',
  publishedByToken: 'published_by_token',
  publicTitle: 'public_title',
  publicDescription: 'public_description',
  publicEffect: 'public_effect',
});

/** The columns a new case is written with (the publication's are set when the office publishes it). */
const RECORDED = [
  'id',
  'taskId',
  'organization',
  'listType',
  'measureIds',
  'memoranda',
  'title',
  'occurredAt',
  'region',
  'city',
  'description',
  'effect',
  'publishable',
  'recordedAt',
  'recordedByToken',
  'status',
] as const satisfies readonly (keyof CaseRow)[];

/** A case with the names of its organisation and list type (null when the catalogue does not know them). */
export type CaseWithNames = CaseRow & { organizationName: string | null; listTypeName: string | null };

const WITH_NAMES = `SELECT ${cases.selectList('c')}, o.name AS "organizationName", lt.name AS "listTypeName"
  FROM cases c LEFT JOIN known_organizations o ON o.code = c.organization LEFT JOIN known_list_types lt ON lt.code = c.list_type`;

/** Which cases a list shows: every condition given must hold. */
export interface CaseFilter {
  /** Cases recorded after this one (its seq). */
  after: string;
  /** Each of these organisations (none: any). */
  organizations: string[];
  /** Each of these cities (none: any). */
  cities: string[];
  from?: string;
  to?: string;
  publishable?: boolean;
  status?: CaseStatus;
  limit: number;
}

/** Cases and the memoranda their measures come from. */
@Injectable()
export class CasesRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  /** The memoranda the measures come from, each once, in order ('' for a measure the catalogue does not place). */
  async memorandaOf(measureIds: string[]): Promise<string[]> {
    const rows = await this.query<{ memorandum: string }[]>(
      `SELECT DISTINCT coalesce(km.memorandum, '') AS memorandum FROM unnest($1::text[]) x LEFT JOIN known_measures km ON km.code = x ORDER BY 1`,
      [measureIds],
    );
    return rows.map((r) => r.memorandum);
  }

  async insert(row: Pick<CaseRow, (typeof RECORDED)[number]>): Promise<void> {
    await this.insertRows(cases, [row as CaseRow], { columns: RECORDED });
  }

  /** The case, locked until the transaction ends (a publication decides on it), without names. */
  async lock(id: string): Promise<CaseRow | undefined> {
    const [row] = await this.query<CaseRow[]>(`SELECT ${cases.selectList()} FROM cases WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  /** Publishes a draft with its published text; false when it is no longer a draft. */
  async publish(id: string, publication: CasePublication): Promise<boolean> {
    const [, updated] = await this.query<[unknown[], number]>(
      `UPDATE cases SET status = 'published', published_at = $2, published_by = $3, published_by_token = $4,
         public_title = $5, public_description = $6, public_effect = $7
       WHERE id = $1 AND status = 'draft' AND publishable`,
      [
        id,
        publication.publishedAt,
        publication.publishedBy,
        publication.publishedByToken,
        publication.publicTitle,
        publication.publicDescription,
        publication.publicEffect,
      ],
    );
    return updated === 1;
  }

  async find(id: string): Promise<CaseWithNames | undefined> {
    const [row] = await this.query<CaseWithNames[]>(`${WITH_NAMES} WHERE c.id = $1`, [id]);
    return row;
  }

  /** Cases in the order they were recorded. */
  list(f: CaseFilter): Promise<CaseWithNames[]> {
    const values: unknown[] = [f.after];
    const param = (v: unknown) => `$${values.push(v)}`;
    const where = ['c.seq > $1'];
    for (const organization of f.organizations) where.push(`c.organization = ${param(organization)}`);
    for (const city of f.cities) where.push(`c.city = ${param(city)}`);
    if (f.from) where.push(`c.occurred_on >= ${param(f.from)}`);
    if (f.to) where.push(`c.occurred_on <= ${param(f.to)}`);
    if (f.publishable !== undefined) where.push(`c.publishable = ${param(f.publishable)}`);
    if (f.status) where.push(`c.status = ${param(f.status)}`);
    return this.query<CaseWithNames[]>(
      `${WITH_NAMES} WHERE ${where.join(' AND ')} ORDER BY c.seq LIMIT ${param(f.limit)}`,
      values,
    );
  }

  /** Published cases in the order they were recorded, of one city or all. */
  published(after: string, city: string | null, limit: number): Promise<CaseWithNames[]> {
    return this.query<CaseWithNames[]>(
      `${WITH_NAMES} WHERE c.status = 'published' AND c.publishable AND c.seq > $1 AND ($2::text IS NULL OR c.city = $2)
       ORDER BY c.seq LIMIT $3`,
      [after, city, limit],
    );
  }
}
