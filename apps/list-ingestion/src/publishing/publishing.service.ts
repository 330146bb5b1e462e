import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { entryScopeOf, Principal } from '@jrp/auth';
import { PersonalData } from '@jrp/crypto';
import { todayInShanghai } from '@jrp/domain';
import { FieldValidationException, isRowDataError, rowDataErrorMessage } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { ListTypes } from '../catalogue-copy/list-types';
import { WorkingDays } from '../catalogue-copy/working-days';
import { Entry } from '../entries/entry';
import { EntryJournal } from '../entries/entry-journal';
import { KnownListType, ListEntriesRepository } from '../entries/list-entries.repository';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { PublishMode } from './dto/publish-batch.dto';
import { mayPublish, prepareEntry, validateEntryInput } from './prepare-entry';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';
import { decidePublish, decideRemovals, identityOf, listedChange, PublishItem, PublishResult } from './decide-publish';
import { Breather, pipelined } from './pipeline';
import { decideRemovalLimit, FullPushSafety, RemovalLimitVerdict } from './removal-limit';

export type { PublishResult, PublishStatus } from './decide-publish';

/** A push in progress (see `startPush`). */
export interface Push {
  principal: Principal;
  full: KnownListType | undefined;
  listTypes: Map<string, KnownListType | undefined>;
  /** Ids of the entries the push contains (created, updated or unchanged). */
  present: string[];
  protectedIdentities: Set<string>;
  /** Nothing is written: results and removals say what the push would do. */
  dryRun: boolean;
}

/** How a push is run: its mode, and for a full push its dry run and removal limit. */
export interface PushOptions extends FullPushSafety {
  mode?: PublishMode;
  listType?: string;
}

/** What a full push removed (or, dry run, would remove), and the limit that applied. */
export interface PushRemovals {
  removed: number;
  removals: { id: string; documentNo: string }[];
  limit?: { listed: number; limit: number; confirmed: boolean; allowed: boolean; refusal?: string };
  /** Set when the push is over its limit (dry run: it would be refused). */
  refused?: RemovalLimitExceeded;
}

/** A full push refused by its removal limit (409): nothing of the push was changed. */
export class RemovalLimitExceeded extends ConflictException {
  readonly detail: string;

  constructor(
    verdict: Extract<RemovalLimitVerdict, { allowed: false }>,
    readonly counts: { wouldRemove: number; listed: number },
  ) {
    super({
      code: 'conflict/removal-limit',
      detail: verdict.message,
      extensions: {
        reason: verdict.reason,
        wouldRemove: counts.wouldRemove,
        listed: counts.listed,
        limit: verdict.limit,
      },
    });
    this.detail = verdict.message;
  }
}

export const ABSENT_FROM_FULL_PUSH = '全量推送中不存在 (absent from full push)';
const CHUNK = 500;
/** Entries prepared between two turns of the event loop (see `prepareChunk`). */
const PREPARED_PER_TURN = 50;

/** A part of a push validated and prepared, not yet stored: the rejected entries' results, the accepted entries. */
export interface PreparedChunk {
  results: PublishResult[];
  accepted: PublishItem[];
}

/**
 * Publishing entries, one or many. The same (list type, subject, document number) is the same entry:
 * publishing it again updates it when something changed (new version, `updated`) and changes nothing
 * otherwise. A full push is the publisher's complete current list of one list type: its entries that
 * the push does not contain are removed, so stale punishments end. Batches are stored in chunks, each
 * in one transaction, with set-based SQL.
 */
@Injectable()
export class PublishingService {
  private readonly logger = new Logger('Publishing');

  constructor(
    private readonly personalData: PersonalData,
    private readonly uow: UnitOfWork,
    private readonly entries: ListEntriesRepository,
    private readonly journal: EntryJournal,
    private readonly workingDays: WorkingDays,
    private readonly listTypes: ListTypes,
  ) {}

  /**
   * One entry, as `POST /lists/entries` answers it: field errors 400, scope 403 (a list type it does not
   * identify; for a city office a region outside its city or a level above city, with the field), a
   * stored entry outside a city office's city 404 (at a level it may not decide 403), a removed entry 409.
   */
  async publishOne(dto: PublishEntryDto, principal: Principal): Promise<PublishResult> {
    const listType = await this.listTypes.get(dto.listType);
    const prepared = prepareEntry(dto, listType, principal, this.personalData, await this.workingDays.calendar());
    if ('kind' in prepared) {
      if (prepared.kind === 'forbidden')
        throw new ForbiddenException({
          detail: prepared.message,
          ...(prepared.field ? { errors: [{ field: prepared.field, message: prepared.message }] } : {}),
        });
      throw new FieldValidationException(prepared.errors);
    }
    const { results, refused } = await this.storeOne(
      { index: 0, entry: prepared.entry, ownValidity: dto.validUntil !== undefined },
      principal,
    ).catch((error: unknown) => {
      // a value the checks missed and the database refused: the request's fault (400), not the server's
      if (isRowDataError(error))
        throw new FieldValidationException([{ field: '', message: rowDataErrorMessage(error) }]);
      throw error;
    });
    const [result] = results;
    if (refused.get(0) === 'not-found') throw new NotFoundException('no such list entry in the caller’s city');
    if (refused.get(0) === 'forbidden')
      throw new ForbiddenException({ detail: result.errors![0].message, errors: result.errors });
    if (result.status === 'rejected')
      throw new ConflictException(result.errors?.[0]?.message ?? 'the entry cannot be published again');
    return result;
  }

  /**
   * Many entries, each accepted or rejected on its own; `full` also removes what the push lacks. A full
   * push (not a dry run) is first run as a dry run: when it would remove more than its limit allows
   * (`decideRemovalLimit`) it is refused (409) before anything is written.
   */
  async publishMany(
    raw: unknown[],
    principal: Principal,
    options: PushOptions = {},
  ): Promise<{ results: PublishResult[] } & PushRemovals> {
    if (options.mode === 'full' && !options.dryRun) {
      const preview = await this.runPush(raw, principal, { ...options, dryRun: true });
      if (preview.refused) throw preview.refused;
    }
    return this.runPush(raw, principal, options);
  }

  private async runPush(
    raw: unknown[],
    principal: Principal,
    options: PushOptions,
  ): Promise<{ results: PublishResult[] } & PushRemovals> {
    const push = await this.startPush(principal, options);
    const results: PublishResult[] = [];
    const chunks: { index: number; raw: unknown }[][] = [];
    for (let i = 0; i < raw.length; i += CHUNK)
      chunks.push(raw.slice(i, i + CHUNK).map((entry, k) => ({ index: i + k, raw: entry })));
    // each chunk is validated and prepared while the one before is stored
    await pipelined(
      chunks,
      (items) => this.prepareChunk(push, items),
      async (prepared) => {
        results.push(...(await this.storeChunk(push, prepared)));
      },
    );
    return { results, ...(await this.finishPush(push, options)) };
  }

  /** Refuses (409, with the counts) a full push that would remove more than its limit allows. */
  checkRemovalLimit(options: PushOptions, wouldRemove: number, listed: number, refuse: boolean): RemovalLimitVerdict {
    const verdict = decideRemovalLimit({
      wouldRemove,
      listed,
      maxRemovals: options.maxRemovals,
      maxRemovalShare: options.maxRemovalShare,
      confirmRemovals: options.confirmRemovals,
    });
    if (!verdict.allowed && refuse) throw new RemovalLimitExceeded(verdict, { wouldRemove, listed });
    return verdict;
  }

  /**
   * A push in parts (a batch, an import streamed from a file): `startPush`, then for each part
   * `prepareChunk` and `storeChunk` (each part stored in its own transaction, in the parts' order; the
   * next part may be prepared meanwhile, see `pipelined`), then `finishPush`, which for a full push
   * removes the publisher's entries of the list type that no part contained. A dry run writes nothing.
   */
  async startPush(principal: Principal, options: PushOptions = {}): Promise<Push> {
    const full = options.mode === 'full' ? await this.entries.listType(options.listType ?? '') : undefined;
    if (options.mode === 'full' && !full)
      throw new FieldValidationException([{ field: 'listType', message: `unknown list type ${options.listType}` }]);
    if (full && !mayPublish(principal, full))
      throw new ForbiddenException(`${principal.organization.code} does not identify ${full.code} entries`);
    return {
      principal,
      full,
      listTypes: new Map(),
      present: [],
      protectedIdentities: new Set(),
      dryRun: options.dryRun === true,
    };
  }

  /**
   * The first half of a part of a push, without writing anything: each raw entry validated and prepared
   * (normalised, keyed, its ID numbers encrypted), or rejected with its errors. It gives the event loop
   * a turn every few entries, so that a part being stored meanwhile (`pipelined`) goes on.
   */
  async prepareChunk(push: Push, items: { index: number; raw: unknown }[]): Promise<PreparedChunk> {
    const results: PublishResult[] = [];
    const accepted: PublishItem[] = [];
    const calendar = await this.workingDays.calendar();
    const today = todayInShanghai();
    const breather = new Breather(PREPARED_PER_TURN);
    for (const { index, raw } of items) {
      await breather.pause();
      const checked = await validateEntryInput(raw);
      if ('errors' in checked) {
        results.push({ index, status: 'rejected', errors: checked.errors });
        continue;
      }
      const code = checked.dto.listType;
      if (!push.listTypes.has(code)) push.listTypes.set(code, await this.entries.listType(code));
      const listType = push.listTypes.get(code);
      if (push.full && listType?.code !== push.full.code) {
        results.push({
          index,
          status: 'rejected',
          errors: [
            { field: 'listType', message: `a full push of ${push.full.code} holds only ${push.full.code} entries` },
          ],
        });
        continue;
      }
      const prepared = prepareEntry(checked.dto, listType, push.principal, this.personalData, calendar, today);
      if ('kind' in prepared) {
        results.push({
          index,
          status: 'rejected',
          errors:
            prepared.kind === 'forbidden'
              ? [{ field: prepared.field ?? 'listType', message: prepared.message }]
              : prepared.errors,
        });
        const identity = this.identityOf(checked.dto, listType?.code ?? code);
        if (identity) push.protectedIdentities.add(identity);
        continue;
      }
      accepted.push({ index, entry: prepared.entry, ownValidity: checked.dto.validUntil !== undefined });
    }
    return { results, accepted };
  }

  /** The second half: stores what `prepareChunk` accepted (one transaction); every entry's result, in order. */
  async storeChunk(push: Push, prepared: PreparedChunk): Promise<PublishResult[]> {
    const results = [...prepared.results];
    if (prepared.accepted.length > 0) {
      const stored = await this.storeRows(prepared.accepted, push);
      for (const r of stored) if (r.id && r.status !== 'rejected') push.present.push(r.id);
      results.push(...stored);
    }
    return results.sort((a, b) => a.index - b.index);
  }

  /**
   * Stores a chunk in one transaction; when the database refuses it for a row's data (a value the
   * checks before missed: the last line of defence), the chunk is stored again row by row, each in its
   * own transaction, and the refused rows become rejected results with the reason. Failures of the
   * database itself (unreachable, shutting down) are not a row's fault: they propagate.
   */
  private async storeRows(accepted: PublishItem[], push: Push): Promise<PublishResult[]> {
    try {
      return (await this.store(accepted, push.principal, push.dryRun)).results;
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      if (accepted.length === 1) {
        this.logger.warn(`row ${accepted[0].index} refused by the database: ${rowDataErrorMessage(error)}`);
        const identity = identityOf(accepted[0].entry);
        push.protectedIdentities.add(identity); // a row that could not be stored never removes its entry
        return [
          {
            index: accepted[0].index,
            status: 'rejected',
            errors: [{ field: '', message: rowDataErrorMessage(error) }],
          },
        ];
      }
      const results: PublishResult[] = [];
      for (const item of accepted) results.push(...(await this.storeRows([item], push)));
      return results;
    }
  }

  /**
   * Ends a push: a full push removes (dry run: lists) the publisher's entries of the list type that no
   * part contained, unless that is more than its limit allows (409; see `checkRemovalLimit`). Without
   * `options`, no limit is checked here (the caller checked it before the push).
   */
  async finishPush(push: Push, options?: PushOptions): Promise<PushRemovals> {
    if (!push.full) return { removed: 0, removals: [] };
    return this.removeAbsent(push, options);
  }

  /** The identity of a rejected row when it can be computed, so a full push never removes its entry. */
  private identityOf(dto: PublishEntryDto, listTypeCode: string): string | null {
    const identifier = dto.subject.kind === 'legal' ? dto.subject.uscc : dto.subject.idNumber;
    if (!identifier) return null;
    return `${listTypeCode}|${this.personalData.subjectKey(dto.subject.kind, identifier.trim().toUpperCase())}|${dto.documentNo.trim()}`;
  }

  private sameRepresentativeId(a: Entry, b: Entry): boolean {
    const plain = (e: Entry) =>
      e.legalRepIdNumberEncrypted
        ? this.personalData.decrypt(e.legalRepIdNumberEncrypted, ID_NUMBER_CONTEXT.legalRepresentative)
        : null;
    return a.legalRepIdType === b.legalRepIdType && plain(a) === plain(b);
  }

  /**
   * Stores one prepared entry. A new identity, the common case, is decided as such (nothing stored) and
   * inserted with its history, event and audit record in one statement (`EntryJournal.insertListed`);
   * when the identity is taken (stored before, or meanwhile) nothing was written and the entry is
   * decided under the stored one's lock like any other (`store`): unchanged, updated, refused.
   */
  private async storeOne(
    item: PublishItem,
    principal: Principal,
  ): Promise<{ results: PublishResult[]; refused: Map<number, 'not-found' | 'forbidden'> }> {
    const decision = decidePublish([item], [], () => true, new Date(), entryScopeOf(principal));
    const [fresh] = decision.fresh;
    if (fresh && (await this.journal.insertListed(listedChange(fresh.entry), principal)))
      return { results: decision.results, refused: decision.refused };
    return this.store([item], principal);
  }

  /**
   * Stores prepared entries in one transaction: locks those already stored, decides (pure) which are
   * created, updated, unchanged or refused (also those out of the caller's reach), writes that with
   * set-based statements, and announces it.
   */
  private store(
    items: PublishItem[],
    principal: Principal,
    dryRun = false,
  ): Promise<{ results: PublishResult[]; refused: Map<number, 'not-found' | 'forbidden'> }> {
    return this.uow.run(async () => {
      const existing = await this.entries.lockByIdentity(items.map((i) => i.entry));
      const now = new Date();
      const scope = entryScopeOf(principal);
      const { results, updates, fresh, refused } = decidePublish(
        items,
        existing,
        (a, b) => this.sameRepresentativeId(a, b),
        now,
        scope,
      );
      if (dryRun) {
        // nothing is written: a new entry has no id yet
        for (const r of results) if (r.status === 'created') delete r.id;
        return { results, refused };
      }
      for (const change of updates) await this.entries.update(change.entry, false);
      const inserted = await this.entries.insertMany(fresh.map((f) => f.entry));
      const changes = [...updates];
      for (const f of fresh) {
        if (!inserted.has(f.entry.id)) {
          // published concurrently by another request: report the winner
          const [winner] = await this.entries.lockByIdentity([f.entry]);
          const at = results.findIndex((x) => x.index === f.index);
          const late = decidePublish([f], [winner], () => true, now, scope);
          if (late.refused.has(f.index)) {
            // out of the caller's reach (another city's, a level it may not decide): refused as decided above
            results[at] = late.results[0];
            refused.set(f.index, late.refused.get(f.index)!);
            continue;
          }
          Object.assign(results[at], {
            status: 'unchanged',
            id: winner.id,
            version: winner.version,
            entryStatus: winner.status,
          });
          continue;
        }
        changes.push(listedChange(f.entry));
      }
      await this.journal.record(changes, principal);
      return { results, refused };
    });
  }

  private removeAbsent(push: Push, options?: PushOptions): Promise<PushRemovals> {
    const listType = push.full!;
    const principal = push.principal;
    return this.uow.run(async () => {
      // a city office's full push removes only the entries it may still decide: in its city, at the city level
      const scope = entryScopeOf(principal);
      const reach = { city: scope.city ?? null, levels: scope.levels };
      const listed = await this.entries.countInFullPush(listType.code, principal.organization.code, reach);
      const absent = await this.entries.lockAbsentFromFullPush(
        listType.code,
        principal.organization.code,
        push.present,
        reach,
        !push.dryRun,
      );
      const changes = decideRemovals(absent, push.protectedIdentities, ABSENT_FROM_FULL_PUSH, new Date());
      // checked again under the locks: what changed since the caller's check may not slip through
      const verdict = options ? this.checkRemovalLimit(options, changes.length, listed, !push.dryRun) : undefined;
      const removals = changes.map((c) => ({ id: c.entry.id, documentNo: c.entry.documentNo }));
      const limit = {
        listed,
        limit: verdict?.limit ?? 0,
        confirmed: verdict?.allowed ? verdict.confirmed : false,
        allowed: verdict?.allowed ?? true,
        ...(verdict && !verdict.allowed ? { refusal: verdict.message } : {}),
      };
      const refused =
        verdict && !verdict.allowed
          ? new RemovalLimitExceeded(verdict, { wouldRemove: changes.length, listed })
          : undefined;
      if (push.dryRun) return { removed: changes.length, removals, limit, refused };
      for (const c of changes) await this.entries.update(c.entry, true);
      await this.journal.record(changes, principal);
      return { removed: changes.length, removals, limit };
    });
  }
}
