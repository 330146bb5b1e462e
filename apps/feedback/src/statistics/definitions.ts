import { FINAL_OUTCOMES } from '@jrp/contracts';

/**
 * The definitions every report uses (docs/reports.md), in one place:
 * - a measure item is *final* when its outcome is anything but in-progress;
 * - a task is *fed back* (已反馈) when every measure item has a final outcome; its final-outcome time is
 *   when the last item became final;
 * - a task is *due* (应反馈) when it was dispatched and not revoked before its due date;
 * - *feedback rate* (反馈率) = fed back ÷ due (fed back counts due tasks only);
 * - *on time* (按时) = fed back, the final outcome at or before the due date; timeliness rate = on time ÷ due;
 * - *overdue* (逾期) = due, not fed back, the due date passed (depends on the clock: counted when asked); a
 *   task held by a pending objection (暂停实施 `on-hold`) has no due date meanwhile, so it is never overdue;
 * - *implemented share* (已实施占比) = items implemented ÷ items with a final outcome, over due tasks;
 * - grouped by memorandum, the same counts are of measure items, since one task can span memoranda.
 */
export const isFinal = (outcome: string | null | undefined): boolean =>
  outcome !== null && outcome !== undefined && (FINAL_OUTCOMES as readonly string[]).includes(outcome);

export interface ItemFacts {
  memorandum: string;
  /** When the item's current outcome became final; null while it has none (or only in-progress). */
  finalAt: Date | null;
  implemented: boolean;
}

/** What the counters of one task depend on. */
export interface TaskFacts {
  organization: string;
  listType: string;
  city: string;
  /** The dispatch date (Asia/Shanghai), YYYY-MM-DD: the period a task belongs to. */
  day: string;
  dueAt: Date | null;
  revokedAt: Date | null;
  acknowledgedAt: Date | null;
  items: ItemFacts[];
}

export interface Counters {
  dispatched: number;
  acknowledged: number;
  due: number;
  fedBack: number;
  onTime: number;
  itemsFinal: number;
  itemsImplemented: number;
}

export const COUNTERS: (keyof Counters)[] = [
  'dispatched',
  'acknowledged',
  'due',
  'fedBack',
  'onTime',
  'itemsFinal',
  'itemsImplemented',
];
export const zeroCounters = (): Counters => ({
  dispatched: 0,
  acknowledged: 0,
  due: 0,
  fedBack: 0,
  onTime: 0,
  itemsFinal: 0,
  itemsImplemented: 0,
});

/** Dispatched and not revoked before the due date (a revoked task without a due date is not due). */
export function isDue(t: Pick<TaskFacts, 'dueAt' | 'revokedAt'>): boolean {
  if (!t.revokedAt) return true;
  return t.dueAt !== null && t.revokedAt.getTime() >= t.dueAt.getTime();
}

/** The final-outcome time of a task: when its last item became final, once every item is; else null. */
export function fedBackAt(items: Pick<ItemFacts, 'finalAt'>[]): Date | null {
  if (items.length === 0 || items.some((i) => !i.finalAt)) return null;
  return new Date(Math.max(...items.map((i) => i.finalAt!.getTime())));
}

/** At or before the due date (no due date: never late). */
export const isOnTime = (finalAt: Date, dueAt: Date | null): boolean =>
  dueAt === null || finalAt.getTime() <= dueAt.getTime();

/** Due, not fed back, and the due date has passed at `now`. */
export function isOverdue(t: Pick<TaskFacts, 'dueAt' | 'revokedAt' | 'items'>, now: Date): boolean {
  return isDue(t) && fedBackAt(t.items) === null && t.dueAt !== null && t.dueAt.getTime() < now.getTime();
}

/** The task counters of one task (grouped by organisation, list type, city, period). */
export function taskCounters(t: TaskFacts): Counters {
  const due = isDue(t);
  const done = fedBackAt(t.items);
  const final = t.items.filter((i) => i.finalAt);
  return {
    dispatched: 1,
    acknowledged: t.acknowledgedAt ? 1 : 0,
    due: due ? 1 : 0,
    fedBack: due && done ? 1 : 0,
    onTime: due && done && isOnTime(done, t.dueAt) ? 1 : 0,
    itemsFinal: due ? final.length : 0,
    itemsImplemented: due ? final.filter((i) => i.implemented).length : 0,
  };
}

/** The item counters of one task per memorandum (grouping by memorandum counts measure items). */
export function itemCounters(t: TaskFacts): Map<string, Counters> {
  const due = isDue(t);
  const byMemorandum = new Map<string, Counters>();
  for (const item of t.items) {
    const c = byMemorandum.get(item.memorandum) ?? zeroCounters();
    c.dispatched += 1;
    if (t.acknowledgedAt) c.acknowledged += 1;
    if (due) {
      c.due += 1;
      if (item.finalAt) {
        c.fedBack += 1;
        c.itemsFinal += 1;
        if (isOnTime(item.finalAt, t.dueAt)) c.onTime += 1;
        if (item.implemented) c.itemsImplemented += 1;
      }
    }
    byMemorandum.set(item.memorandum, c);
  }
  return byMemorandum;
}

const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null;

/** 反馈率 = fed back ÷ due; null when nothing is due. */
export const feedbackRate = (fedBack: number, due: number) => ratio(fedBack, due);
/** 及时率 = on time ÷ due. */
export const timelinessRate = (onTime: number, due: number) => ratio(onTime, due);
/** 已实施占比 = implemented ÷ items with a final outcome. */
export const implementedShare = (implemented: number, final: number) => ratio(implemented, final);
/** Any other ratio of the reports (assessment indicators), rounded like the rates. */
export const share = ratio;

/** SQL forms of the same definitions, for the queries that read tasks (overdue), over `known_tasks t`. */
export const SQL = {
  due: `(t.revoked_at IS NULL OR t.revoked_at >= t.due_at)`,
  /** Matches the partial index known_tasks_open: due and not fed back. */
  open: `t.fed_back_at IS NULL AND (t.revoked_at IS NULL OR t.revoked_at >= t.due_at)`,
} as const;
