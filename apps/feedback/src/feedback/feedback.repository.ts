import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FeedbackOutcome, FINAL_OUTCOMES } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import { FeedbackItemDto } from './dto/record-feedback.dto';
import { FEEDBACK_STATUS_LABELS, FeedbackStatus, OUTCOME_LABELS } from './feedback-labels';
import { combined, NamedCtes, StatementPart } from '../statistics/rollups.repository';
import { KnownTaskRow } from '../task-copy/task-copy.repository';

/** What feedback checks of a task. */
export type KnownTask = Pick<KnownTaskRow, 'id' | 'organization' | 'city' | 'measureIds' | 'status' | 'revokedAt'>;

/** A feedback record: its current version, and its cancellation when cancelled. */
export interface StoredFeedback {
  id: string;
  version: number;
  taskId: string;
  organization: string;
  recordedAt: Date;
  updatedAt: Date;
  recordedByToken: string;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

/** `feedback`: one row per feedback record. */
export const feedbackRecords = new Table<StoredFeedback>('feedback', {
  id: 'id',
  version: 'version',
  taskId: 'task_id',
  organization: 'organization',
  recordedAt: 'recorded_at',
  updatedAt: 'updated_at',
  recordedByToken: 'recorded_by_token',
  cancelledAt: 'cancelled_at',
  cancelReason: 'cancel_reason',
});

export interface FeedbackVersionRow {
  feedbackId: string;
  version: number;
  kind: 'recorded' | 'corrected' | 'cancelled';
  reason: string | null;
  recordedAt: Date;
  recordedByToken: string;
}

/** `feedback_versions`: one row per version of a record (recorded, corrected, cancelled). */
export const feedbackVersions = new Table<FeedbackVersionRow>('feedback_versions', {
  feedbackId: 'feedback_id',
  version: 'version',
  kind: 'kind',
  reason: 'reason',
  recordedAt: 'recorded_at',
  recordedByToken: 'recorded_by_token',
});

export interface FeedbackItemRow {
  feedbackId: string;
  version: number;
  measureId: string;
  outcome: FeedbackOutcome;
  implementedAt: string | null;
  businessType: string | null;
  amount: string | null;
  explanation: string | null;
  finalSince: Date | null;
}

/** `feedback_items`: the items of each version. */
export const feedbackItems = new Table<FeedbackItemRow>('feedback_items', {
  feedbackId: 'feedback_id',
  version: 'version',
  measureId: 'measure_id',
  outcome: 'outcome',
  implementedAt: { column: 'implemented_at', read: "to_char($, 'YYYY-MM-DD')" },
  businessType: 'business_type',
  amount: { column: 'amount', read: '$::text' },
  explanation: 'explanation',
  finalSince: 'final_since',
});

export interface FeedbackItemView {
  measureId: string;
  outcome: FeedbackOutcome;
  outcomeLabel: string;
  implementedAt: string | null;
  businessType: string | null;
  amount: string | null;
  explanation: string | null;
}

export interface FeedbackView {
  id: string;
  taskId: string;
  organization: string;
  version: number;
  status: FeedbackStatus;
  statusLabel: string;
  recordedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  items: FeedbackItemView[];
  versions: {
    version: number;
    kind: 'recorded' | 'corrected' | 'cancelled';
    reason: string | null;
    recordedAt: string;
    items: FeedbackItemView[];
  }[];
}

/**
 * Inserts the items of version $p+1 of feedback $p ($p+2: the items as JSON, $p+3: the task, $p+4: the
 * final outcomes, $p+5: now), `p` the first parameter's number. A final item keeps the time its measure
 * became final when the task's current item for that measure already was final (a correction of the
 * amount does not make a task late); otherwise it is final from $p+5. Set-based: the items of a version in
 * one statement.
 */
const itemsInsert = (p: number) => `INSERT INTO feedback_items (${feedbackItems.columnList()})
  SELECT $${p}, $${p + 1}, x.measure_id, x.outcome, x.implemented_at::date, x.business_type, x.amount::numeric, x.explanation,
         CASE WHEN x.outcome = ANY($${p + 4}::text[]) THEN coalesce(ti.final_at, $${p + 5}::timestamptz) END
  FROM jsonb_to_recordset($${p + 2}::jsonb) AS x(measure_id text, outcome text, implemented_at text, business_type text, amount text, explanation text)
  LEFT JOIN task_items ti ON ti.task_id = $${p + 3} AND ti.measure_id = x.measure_id`;

/** One row of `table` (its `columns`, or all) inserted, as a part of a combined statement. */
const rowInsert =
  <Row extends object>(table: Table<Row>, row: Row, columns?: (keyof Row & string)[]): StatementPart =>
  (params) =>
    `INSERT INTO ${table.name} (${table.columnList(columns)}) VALUES (${table.bind(row, params, columns)})`;

/** `itemsInsert` as a part of a combined statement. */
const itemsPart =
  (feedbackId: string, version: number, taskId: string, items: FeedbackItemDto[], at: Date): StatementPart =>
  (params) => {
    const first = params.length + 1;
    params.push(feedbackId, version, itemsJson(items), taskId, FINAL_OUTCOMES, at);
    return itemsInsert(first);
  };

const itemsJson = (items: FeedbackItemDto[]) =>
  JSON.stringify(
    items.map((i) => ({
      measure_id: i.measureId,
      outcome: i.outcome,
      implemented_at: i.implementedAt ?? null,
      business_type: i.businessType ?? null,
      amount: i.amount ?? null,
      explanation: i.explanation ?? null,
    })),
  );

/** What a new record writes (a new record is not cancelled). */
const RECORD_COLUMNS: (keyof StoredFeedback)[] = [
  'id',
  'version',
  'taskId',
  'organization',
  'recordedAt',
  'updatedAt',
  'recordedByToken',
];

/** A feedback record with its versions and their items, as the view's statement returns it. */
interface ViewRow {
  id: string;
  taskId: string;
  organization: string;
  version: number;
  recordedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  versions: FeedbackView['versions'];
}

/** Feedback records, their versions and items. */
@Injectable()
export class FeedbackRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  /** A feedback record; with `lock`, its row locked for the rest of the transaction. */
  async feedback(id: string, lock = false): Promise<StoredFeedback | undefined> {
    const [row] = await this.query<StoredFeedback[]>(
      `SELECT ${feedbackRecords.selectList()} FROM feedback WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /**
   * A new feedback: the record, its first version and its items, with `parts` (what the feedback changes
   * elsewhere) and `events` (the outbox append announcing it), in one statement. Returns its view, built
   * from what was written.
   */
  async insert(
    f: { id: string; taskId: string; organization: string; tokenId: string; at: Date; items: FeedbackItemDto[] },
    parts: StatementPart[],
    events: NamedCtes,
  ): Promise<FeedbackView> {
    const record: StoredFeedback = {
      id: f.id,
      version: 1,
      taskId: f.taskId,
      organization: f.organization,
      recordedAt: f.at,
      updatedAt: f.at,
      recordedByToken: f.tokenId,
      cancelledAt: null,
      cancelReason: null,
    };
    const version: FeedbackVersionRow = {
      feedbackId: f.id,
      version: 1,
      kind: 'recorded',
      reason: null,
      recordedAt: f.at,
      recordedByToken: f.tokenId,
    };
    const params: unknown[] = [];
    const sql = combined(
      [
        rowInsert(feedbackRecords, record, RECORD_COLUMNS),
        rowInsert(feedbackVersions, version),
        itemsPart(f.id, 1, f.taskId, f.items, f.at),
        ...parts,
      ],
      params,
      [events],
    );
    await this.query(sql!, params);
    return viewOf(record, [
      { version: 1, kind: 'recorded', reason: null, recordedAt: f.at.toISOString(), items: f.items.map(itemView) },
    ]);
  }

  /** The record's new current version; a cancellation (with its reason) or, without one, a standing version. */
  async newVersion(id: string, version: number, at: Date, cancelReason?: string): Promise<void> {
    await this.query(
      `UPDATE feedback SET version = $2, updated_at = $3::timestamptz, cancelled_at = CASE WHEN $4::text IS NULL THEN NULL ELSE $3::timestamptz END, cancel_reason = $4 WHERE id = $1`,
      [id, version, at, cancelReason ?? null],
    );
  }

  async addVersion(v: FeedbackVersionRow): Promise<void> {
    await this.insertRows(feedbackVersions, [v]);
  }

  /** The items of one version (see itemsInsert). */
  async insertItems(feedbackId: string, version: number, taskId: string, items: FeedbackItemDto[], at: Date) {
    const params: unknown[] = [];
    await this.query(itemsPart(feedbackId, version, taskId, items, at)(params)!, params);
  }

  /** The record with every version and the items of each (a cancellation shows the items it cancelled). */
  async view(id: string): Promise<FeedbackView | undefined> {
    const [row] = await this.query<ViewRow[]>(
      `SELECT f.id, f.task_id AS "taskId", f.organization, f.version, f.recorded_at AS "recordedAt", f.updated_at AS "updatedAt",
              f.cancelled_at AS "cancelledAt", f.cancel_reason AS "cancelReason",
              (SELECT json_agg(json_build_object('version', v.version, 'kind', v.kind, 'reason', v.reason, 'recordedAt', v.recorded_at,
                        'items', (SELECT coalesce(json_agg(json_build_object('measureId', i.measure_id, 'outcome', i.outcome,
                                    'implementedAt', to_char(i.implemented_at, 'YYYY-MM-DD'), 'businessType', i.business_type, 'amount', i.amount::text,
                                    'explanation', i.explanation) ORDER BY i.measure_id), '[]')
                                  FROM feedback_items i WHERE i.feedback_id = f.id AND i.version = (
                                    SELECT max(i2.version) FROM feedback_items i2 WHERE i2.feedback_id = f.id AND i2.version <= v.version)))
                        ORDER BY v.version)
               FROM feedback_versions v WHERE v.feedback_id = f.id) AS versions
       FROM feedback f WHERE f.id = $1`,
      [id],
    );
    if (!row) return undefined;
    const versions = row.versions.map((v) => ({
      ...v,
      recordedAt: new Date(v.recordedAt).toISOString(),
      items: v.items.map(labelled),
    }));
    return viewOf(row, versions);
  }
}

/** An item as the view shows it: with its outcome's label. */
const labelled = (item: Omit<FeedbackItemView, 'outcomeLabel'>): FeedbackItemView => ({
  ...item,
  outcomeLabel: OUTCOME_LABELS[item.outcome],
});

/** A written item as the view shows it, as `view` would read it back (the amount with its two decimals). */
const itemView = (i: FeedbackItemDto): FeedbackItemView =>
  labelled({
    measureId: i.measureId,
    outcome: i.outcome,
    implementedAt: i.implementedAt ?? null,
    businessType: i.businessType ?? null,
    amount: i.amount === undefined ? null : asStored(i.amount),
    explanation: i.explanation ?? null,
  });

/** A valid amount (see FeedbackItemDto) as `numeric(18, 2)` gives it back: '120000.5' is '120000.50', '3' is '3.00'. */
export function asStored(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** The view of a record and its versions (in version order, their items in measure order). */
function viewOf(
  row: Pick<
    StoredFeedback,
    'id' | 'taskId' | 'organization' | 'version' | 'recordedAt' | 'updatedAt' | 'cancelledAt' | 'cancelReason'
  >,
  versions: FeedbackView['versions'],
): FeedbackView {
  const status: FeedbackStatus = row.cancelledAt ? 'cancelled' : row.version > 1 ? 'corrected' : 'recorded';
  return {
    id: row.id,
    taskId: row.taskId,
    organization: row.organization,
    version: row.version,
    status,
    statusLabel: FEEDBACK_STATUS_LABELS[status],
    recordedAt: new Date(row.recordedAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    cancelledAt: row.cancelledAt ? new Date(row.cancelledAt).toISOString() : null,
    cancelReason: row.cancelReason,
    items: versions[versions.length - 1].items,
    versions,
  };
}
