import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FeedbackOutcome, FINAL_OUTCOMES } from '@jrp/contracts';
import { FeedbackItemDto } from './dto/record-feedback.dto';
import { FEEDBACK_STATUS_LABELS, FeedbackStatus, OUTCOME_LABELS } from './feedback-labels';

export interface KnownTask {
  id: string;
  organization: string;
  city: string;
  measureIds: string[];
  status: string;
  revokedAt: Date | null;
}

export interface StoredFeedback {
  id: string;
  taskId: string;
  organization: string;
  version: number;
  cancelledAt: Date | null;
}

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
 * Inserts the items of version $2 of feedback $1 ($3: the items as JSON, $4: the task, $5: the final
 * outcomes, $6: now). A final item keeps the time its measure became final when the task's current item
 * for that measure already was final (a correction of the amount does not make a task late); otherwise
 * it is final from $6.
 */
const ITEMS = `INSERT INTO feedback_items (feedback_id, version, measure_id, outcome, implemented_at, business_type, amount, explanation, final_since)
  SELECT $1, $2, x.measure_id, x.outcome, x.implemented_at::date, x.business_type, x.amount::numeric, x.explanation,
         CASE WHEN x.outcome = ANY($5::text[]) THEN coalesce(ti.final_at, $6::timestamptz) END
  FROM jsonb_to_recordset($3::jsonb) AS x(measure_id text, outcome text, implemented_at text, business_type text, amount text, explanation text)
  LEFT JOIN task_items ti ON ti.task_id = $4 AND ti.measure_id = x.measure_id`;

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

/** Feedback records, their versions and items (SQL). */
@Injectable()
export class FeedbackRepository {
  async task(m: EntityManager, id: string): Promise<KnownTask | undefined> {
    const [row] = await m.query<KnownTask[]>(
      `SELECT id, organization, city, measure_ids AS "measureIds", status, revoked_at AS "revokedAt" FROM known_tasks WHERE id = $1`,
      [id],
    );
    return row;
  }

  async feedback(m: EntityManager, id: string, lock = false): Promise<StoredFeedback | undefined> {
    const [row] = await m.query<StoredFeedback[]>(
      `SELECT id, task_id AS "taskId", organization, version, cancelled_at AS "cancelledAt" FROM feedback WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /** A new feedback: the record, its first version and its items, in one statement. */
  async insert(
    m: EntityManager,
    f: { id: string; taskId: string; organization: string; tokenId: string; at: Date; items: FeedbackItemDto[] },
  ): Promise<void> {
    await m.query(
      `WITH record AS (
         INSERT INTO feedback (id, version, task_id, organization, recorded_at, updated_at, recorded_by_token) VALUES ($1, 1, $4, $7, $6, $6, $8)),
       version AS (
         INSERT INTO feedback_versions (feedback_id, version, kind, reason, recorded_at, recorded_by_token) VALUES ($1, 1, 'recorded', NULL, $6, $8))
       ${ITEMS}`,
      [f.id, 1, itemsJson(f.items), f.taskId, FINAL_OUTCOMES, f.at, f.organization, f.tokenId],
    );
  }

  async newVersion(m: EntityManager, id: string, version: number, at: Date, cancelReason?: string): Promise<void> {
    await m.query(
      `UPDATE feedback SET version = $2, updated_at = $3::timestamptz, cancelled_at = CASE WHEN $4::text IS NULL THEN NULL ELSE $3::timestamptz END, cancel_reason = $4 WHERE id = $1`,
      [id, version, at, cancelReason ?? null],
    );
  }

  async addVersion(
    m: EntityManager,
    v: {
      id: string;
      version: number;
      kind: 'recorded' | 'corrected' | 'cancelled';
      reason: string | null;
      at: Date;
      tokenId: string;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO feedback_versions (feedback_id, version, kind, reason, recorded_at, recorded_by_token) VALUES ($1, $2, $3, $4, $5, $6)`,
      [v.id, v.version, v.kind, v.reason, v.at, v.tokenId],
    );
  }

  /** The items of one version (see ITEMS). */
  async insertItems(
    m: EntityManager,
    feedbackId: string,
    version: number,
    taskId: string,
    items: FeedbackItemDto[],
    at: Date,
  ): Promise<void> {
    await m.query(ITEMS, [feedbackId, version, itemsJson(items), taskId, FINAL_OUTCOMES, at]);
  }

  async view(m: EntityManager, id: string): Promise<FeedbackView | undefined> {
    const [row] = await m.query<ViewRow[]>(
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
    const label = (items: Omit<FeedbackItemView, 'outcomeLabel'>[]) =>
      items.map((i) => ({ ...i, outcomeLabel: OUTCOME_LABELS[i.outcome] }));
    const versions = row.versions.map((v) => ({
      ...v,
      recordedAt: new Date(v.recordedAt).toISOString(),
      items: label(v.items),
    }));
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
}
