import { createHash, randomUUID } from 'node:crypto';
import { ANHUI_CITIES, todayInShanghai } from '@jrp/domain';
import { makeIdNumber, makeUscc } from '@jrp/testing';
import { Answer, GaveUp, RetryingClient } from './client';

/** What the client believes about one entry it published: the state the checks expect list-ingestion to hold. */
export interface EntryModel {
  id: string;
  listType: string;
  kind: 'legal' | 'natural';
  hasRep: boolean;
  name: string;
  region: string;
  status: 'active' | 'watch' | 'removed' | 'expired';
  /** Published with a validity that has already ended: the system expires it by itself. */
  expiring: boolean;
  busy: boolean;
}

/** Feedback the client had accepted: the feedback id the service answered, on which task. */
export interface SentFeedback {
  id: string;
  taskId: string;
  organization: string;
}

export interface LoadPlan {
  listings: number;
  corrections: number;
  removals: number;
  /** Share of the tasks dispatched to the feedback organisations that get feedback. */
  feedbackShare: number;
}

export interface LoadResult {
  listChanges: number;
  feedback: number;
  requests: number;
  retries: number;
  seconds: number;
}

/**
 * The list types published, weighted. Each listing dispatches one task per implementing department: 1 for
 * safety production, 2-3 for the red lists, 4-22 for the others. Most listings take the small ones, so
 * that every department's copy keeps up within the time of a scenario; every type is published.
 * `repairable`: takes the 2018 repair steps (its rule set's repair path is `watch-list-2018`); the seed's
 * other black lists are repaired on application (2025) and leave here by removal.
 * `noticeFirst`: the seed lists them after a notice (告知, 国办发〔2020〕49号); the load serves that notice
 * 30 days before `listedAt` (outside jrp), so each is listed directly and dispatches its tasks at once.
 */
const LIST_TYPES = [
  { code: 'BL-SAFETY-PRODUCTION', natural: true, repairable: false, noticeFirst: true, weight: 60 },
  { code: 'RL-TAX-GRADE-A', natural: false, repairable: false, weight: 20 },
  { code: 'RL-CUSTOMS-AEO', natural: false, repairable: false, weight: 6 },
  { code: 'BL-FOOD-DRUG', natural: true, repairable: false, noticeFirst: true, weight: 4 },
  { code: 'BL-STATISTICS', natural: true, repairable: false, noticeFirst: true, weight: 4 },
  { code: 'BL-COURT-DEBTOR', natural: true, repairable: false, weight: 2 },
  { code: 'BL-WAGE-ARREARS', natural: true, repairable: false, noticeFirst: true, weight: 2 },
  { code: 'BL-LISTED-COMPANY', natural: true, repairable: false, noticeFirst: true, weight: 1 },
  { code: 'BL-TAX-MAJOR-CASE', natural: true, repairable: true, weight: 1 },
] as const;
const WEIGHTED = LIST_TYPES.flatMap((t) => Array.from({ length: t.weight }, () => t));
const CITIES = Object.keys(ANHUI_CITIES).filter((c) => c !== '340000');
const BATCH = 20;
const WORKERS = 4;

/** The organisations whose feeds the load reads and on whose tasks it reports feedback (every list type has one of them). */
export const FEEDBACK_ORGANIZATIONS = ['AH-EMERGENCY', 'AH-TAX', 'AH-FINANCE', 'AH-PBC'];
export const PUBLISHER = 'AH-CREDIT-OFFICE';

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A stable coin per task, so the same task is chosen whatever the order the feed shows it in. */
const chosen = (taskId: string, share: number) =>
  createHash('sha256').update(taskId).digest().readUInt16BE(0) / 65536 < share;

/**
 * The world the load writes to: every entry published so far (across scenarios) and every feedback
 * accepted. Identifiers are numbered from one counter, so no two listings collide.
 */
export class LoadWorld {
  readonly entries = new Map<string, EntryModel>();
  readonly feedback: SentFeedback[] = [];
  /** Tasks that got feedback (or are getting it): once per task. */
  readonly fedBack = new Set<string>();
  readonly cursors = new Map<string, string | undefined>();
  next = 1;

  constructor(
    readonly client: RetryingClient,
    readonly tokens: Map<string, string>,
  ) {}
}

/**
 * A steady load through the HTTP API: listings in small batches, corrections (PATCH), removals and
 * moves to the watch list (transitions), from several workers; and the departments' side: each
 * feedback organisation reads its feed and reports on a share of its dispatched tasks. `onProgress` is
 * called with the share of the list changes made, so a fault can be started mid-load.
 */
export class LoadGenerator {
  private done = { listings: 0, corrections: 0, removals: 0 };
  private listChanges = 0;
  private feedbackSent = 0;
  private finished = false;
  private readonly failures: Error[] = [];
  /** Listings handed to a worker and not answered yet. */
  private pendingListings = 0;
  /** Departments that have read their feed to the end after the list changes finished. */
  private readonly feedsDone = new Set<string>();

  constructor(
    private readonly world: LoadWorld,
    private readonly plan: LoadPlan,
  ) {}

  private token(code: string): string {
    const token = this.world.tokens.get(code);
    if (!token) throw new Error(`no token for ${code}`);
    return token;
  }

  get progress(): number {
    const total = this.plan.listings + this.plan.corrections + this.plan.removals;
    return (this.done.listings + this.done.corrections + this.done.removals) / total;
  }

  async run(onProgress: (share: number) => void = () => undefined): Promise<LoadResult> {
    const started = Date.now();
    const before = { ...this.world.client.stats };
    const feeds = FEEDBACK_ORGANIZATIONS.map((org) => this.readFeed(org).catch((e) => this.fail(e)));
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (;;) {
          const step = this.nextStep();
          if (step === 'done') return;
          if (step === 'wait') {
            await sleep(50);
            continue;
          }
          await step().catch((e) => this.fail(e));
          if (this.failures.length > 0) return;
          onProgress(this.progress);
        }
      }),
    );
    this.finished = true;
    await Promise.all(feeds);
    if (this.failures.length > 0) throw this.failures[0];
    return {
      listChanges: this.listChanges,
      feedback: this.feedbackSent,
      requests: this.world.client.stats.requests - before.requests,
      retries: this.world.client.stats.retries - before.retries,
      seconds: (Date.now() - started) / 1000,
    };
  }

  private fail(error: unknown): void {
    this.failures.push(error instanceof Error ? error : new Error(String(error)));
  }

  /** The next request to make, chosen in proportion to what is left of each kind. */
  private nextStep(): (() => Promise<void>) | 'wait' | 'done' {
    const left = {
      listings: this.plan.listings - this.done.listings,
      corrections: this.plan.corrections - this.done.corrections,
      removals: this.plan.removals - this.done.removals,
    };
    const pending = this.pendingListings;
    if (left.listings - pending + left.corrections + left.removals <= 0) return 'done';
    const weights = [(left.listings - pending) / BATCH, left.corrections, left.removals];
    const r = Math.random() * weights.reduce((a, b) => a + b, 0);
    const kind = r < weights[0] ? 0 : r - weights[0] < weights[1] ? 1 : 2;
    if (kind === 0) {
      const n = Math.min(BATCH, left.listings - pending);
      this.pendingListings += n;
      return () => this.publishBatch(n).finally(() => (this.pendingListings -= n));
    }
    const candidates = [...this.world.entries.values()].filter(
      (e) => !e.busy && !e.expiring && (e.status === 'active' || e.status === 'watch'),
    );
    const entry = candidates.length > 0 ? pick(candidates) : undefined;
    if (!entry) return left.listings - pending > 0 ? 'wait' : 'done';
    entry.busy = true;
    this.done[kind === 1 ? 'corrections' : 'removals']++;
    const work = kind === 1 ? () => this.correct(entry) : () => this.remove(entry);
    return () => work().finally(() => (entry.busy = false));
  }

  private async publishBatch(size: number): Promise<void> {
    const batch = Array.from({ length: size }, () => this.newListing());
    const answer = await this.world.client.send('POST', '/api/v1/lists/entries/batch', this.token(PUBLISHER), {
      entries: batch.map((b) => b.body),
    });
    if (answer.status !== 200)
      throw new Error(`batch publish answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const results = answer.body.results as { index: number; status: string; id: string; errors?: unknown }[];
    for (const r of results) {
      // a first attempt creates; a retried one finds what an earlier attempt stored (200, unchanged)
      const ok = r.status === 'created' || (r.status === 'unchanged' && answer.attempts > 1);
      if (!ok)
        throw new Error(
          `listing ${r.index} of a batch: ${r.status} on attempt ${answer.attempts} ${JSON.stringify(r.errors ?? '')}`,
        );
      const { model } = batch[r.index];
      this.world.entries.set(r.id, { ...model, id: r.id });
    }
    this.done.listings += size;
    this.listChanges += size;
  }

  private newListing(): { body: object; model: Omit<EntryModel, 'id'> } {
    const n = this.world.next++;
    const type = pick(WEIGHTED);
    const kind = type.natural && Math.random() < 0.3 ? 'natural' : 'legal';
    const hasRep = kind === 'legal' && Math.random() < 0.5;
    const region = pick(CITIES);
    const expiring = Math.random() < 0.03;
    const listedAt = `2026-${String(1 + (n % 10)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
    const name = kind === 'legal' ? `安徽故障测试有限公司${n}` : `故障测试人${n}`;
    const subject =
      kind === 'legal'
        ? {
            kind,
            name,
            uscc: makeUscc(100_000 + n),
            ...(hasRep ? { legalRepresentative: { name: '李四', idNumber: makeIdNumber(n) } } : {}),
          }
        : { kind, name, idNumber: makeIdNumber(n) };
    return {
      body: {
        listType: type.code,
        subject,
        reason: '故障注入测试',
        decidedBy: '安徽省信用办',
        documentNo: `（2026）皖故${n}号`,
        listedAt,
        ...('noticeFirst' in type
          ? {
              notice: {
                servedOn: new Date(Date.parse(`${listedAt}T00:00:00Z`) - 30 * 86400000).toISOString().slice(0, 10),
                documentNo: `皖故告〔2026〕${n}号`,
              },
            }
          : {}),
        ...(expiring ? { validUntil: '2026-11-01' } : {}),
        region,
      },
      model: { listType: type.code, kind, hasRep, name, region, status: 'active', expiring, busy: false },
    };
  }

  /** A correction: another city, another name, or (a legal subject) a legal representative. */
  private async correct(entry: EntryModel): Promise<void> {
    const choice = Math.random();
    const body: Record<string, unknown> = { correctionReason: '故障测试更正' };
    const next = { ...entry };
    if (choice < 0.4) {
      next.region = pick(CITIES.filter((c) => c !== entry.region));
      body.region = next.region;
    } else if (choice < 0.7 || entry.kind === 'natural') {
      next.name = `${entry.name}更正${this.world.next++}`;
      body.subjectName = next.name;
    } else {
      next.hasRep = true;
      body.legalRepresentative = { name: '王五', idNumber: makeIdNumber(this.world.next++) };
    }
    const answer = await this.world.client.send(
      'PATCH',
      `/api/v1/lists/entries/${entry.id}`,
      this.token(PUBLISHER),
      body,
    );
    // a retried correction that an earlier attempt applied changes nothing: 409
    if (!(answer.status === 200 || (answer.status === 409 && answer.attempts > 1)))
      unexpected('correction', entry.id, answer);
    Object.assign(entry, { region: next.region, name: next.name, hasRep: next.hasRep });
    this.listChanges++;
  }

  /** A removal, or for a repairable black list sometimes a move to the watch list (measures stop either way). */
  private async remove(entry: EntryModel): Promise<void> {
    const repairable = LIST_TYPES.find((t) => t.code === entry.listType)!.repairable;
    const action = repairable && entry.status === 'active' && Math.random() < 0.3 ? 'move-to-watch' : 'remove';
    const answer = await this.world.client.send(
      'POST',
      `/api/v1/lists/entries/${entry.id}/transitions`,
      this.token(PUBLISHER),
      {
        action,
        reason: '故障测试移出',
        at: todayInShanghai(),
      },
    );
    // a retried transition that an earlier attempt made is refused (409): it is done
    if (!(answer.status === 200 || (answer.status === 409 && answer.attempts > 1)))
      unexpected(action, entry.id, answer);
    entry.status = action === 'remove' ? 'removed' : 'watch';
    this.listChanges++;
  }

  /** One department: reads its feed from where it stopped and reports on a share of its dispatched tasks, a few at a time. */
  private async readFeed(org: string): Promise<void> {
    const queue: (() => Promise<void>)[] = [];
    const reporters = Array.from({ length: 3 }, async () => {
      for (;;) {
        const next = queue.shift();
        if (next) await next().catch((e) => this.fail(e));
        else if ((this.finished && this.feedsDone.has(org)) || this.failures.length > 0) return;
        else await sleep(100);
      }
    });
    for (let idle = 0; ;) {
      const after = this.world.cursors.get(org);
      const answer = await this.world.client.send(
        'GET',
        `/api/v1/tasks/feed?limit=200${after ? `&after=${after}` : ''}`,
        this.token(org),
      );
      if (answer.status !== 200) unexpected('feed', org, answer);
      const items = answer.body.items as {
        type: string;
        task: { id: string; status: string; measures: { id: string }[] };
      }[];
      for (const item of items) {
        const task = item.task;
        if (item.type !== 'dispatched' || this.world.fedBack.has(task.id) || !chosen(task.id, this.plan.feedbackShare))
          continue;
        this.world.fedBack.add(task.id);
        queue.push(() =>
          this.report(
            org,
            task.id,
            task.measures.map((m) => m.id),
          ),
        );
      }
      if (items.length > 0) this.world.cursors.set(org, answer.body.next);
      if (this.finished && items.length === 0 && ++idle >= 2) break;
      if (this.failures.length > 0) break;
      if (items.length === 0) await sleep(500);
    }
    this.feedsDone.add(org);
    await Promise.all(reporters);
  }

  /** Feedback with an Idempotency-Key: a retry after a lost answer gets the first result again. */
  private async report(org: string, taskId: string, measureIds: string[]): Promise<void> {
    const key = randomUUID();
    const today = todayInShanghai();
    const answer = await this.world.client.send(
      'POST',
      '/api/v1/feedback',
      this.token(org),
      {
        taskId,
        items: measureIds.map((measureId) => ({
          measureId,
          outcome: 'implemented',
          implementedAt: today,
          explanation: '故障测试反馈',
        })),
      },
      {
        idempotencyKey: key,
        patienceMs: 600_000,
        // feedback learns of the task from the bus, maybe later than the feed shows it; a key whose first
        // request is still running answers 409 until it finishes
        retryWhile: (a: Answer) =>
          a.status === 404 || (a.status === 409 && /still being processed/.test(JSON.stringify(a.body))),
      },
    );
    if (answer.status !== 201) unexpected('feedback', taskId, answer);
    this.world.feedback.push({ id: answer.body.id, taskId, organization: org });
    this.feedbackSent++;
  }
}

function unexpected(what: string, id: string, answer: Answer): never {
  throw new GaveUp(
    `${what} ${id}: ${answer.status} on attempt ${answer.attempts}: ${JSON.stringify(answer.body).slice(0, 500)}`,
  );
}
