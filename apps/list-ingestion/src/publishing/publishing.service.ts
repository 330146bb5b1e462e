import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { entryScopeOf, Principal } from '@jrp/auth';
import { PersonalData } from '@jrp/crypto';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { WorkingDays } from '../catalogue-copy/working-days';
import { Entry } from '../entries/entry';
import { EntryJournal } from '../entries/entry-journal';
import { KnownListType, ListEntriesRepository } from '../entries/list-entries.repository';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { PublishMode } from './dto/publish-batch.dto';
import { mayPublish, prepareEntry, validateEntryInput } from './prepare-entry';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';
import { decidePublish, decideRemovals, listedChange, PublishItem, PublishResult } from './decide-publish';

export type { PublishResult, PublishStatus } from './decide-publish';

/** A push in progress (see `startPush`). */
export interface Push {
  principal: Principal;
  full: KnownListType | undefined;
  listTypes: Map<string, KnownListType | undefined>;
  /** Ids of the entries the push contains (created, updated or unchanged). */
  present: string[];
  protectedIdentities: Set<string>;
}

export const ABSENT_FROM_FULL_PUSH = '全量推送中不存在 (absent from full push)';
const CHUNK = 500;

/**
 * Publishing entries, one or many. The same (list type, subject, document number) is the same entry:
 * publishing it again updates it when something changed (new version, `updated`) and changes nothing
 * otherwise. A full push is the publisher's complete current list of one list type: its entries that
 * the push does not contain are removed, so stale punishments end. Batches are stored in chunks, each
 * in one transaction, with set-based SQL.
 */
@Injectable()
export class PublishingService {
  constructor(
    private readonly personalData: PersonalData,
    private readonly uow: UnitOfWork,
    private readonly entries: ListEntriesRepository,
    private readonly journal: EntryJournal,
    private readonly workingDays: WorkingDays,
  ) {}

  /**
   * One entry, as `POST /lists/entries` answers it: field errors 400, scope 403 (a list type it does not
   * identify; for a city office a region outside its city or a level above city, with the field), a
   * stored entry outside a city office's city 404 (at a level it may not decide 403), a removed entry 409.
   */
  async publishOne(dto: PublishEntryDto, principal: Principal): Promise<PublishResult> {
    const listType = await this.entries.listType(dto.listType);
    const prepared = prepareEntry(dto, listType, principal, this.personalData, await this.workingDays.calendar());
    if ('kind' in prepared) {
      if (prepared.kind === 'forbidden')
        throw new ForbiddenException({
          detail: prepared.message,
          ...(prepared.field ? { errors: [{ field: prepared.field, message: prepared.message }] } : {}),
        });
      throw new FieldValidationException(prepared.errors);
    }
    const { results, refused } = await this.store(
      [{ index: 0, entry: prepared.entry, ownValidity: dto.validUntil !== undefined }],
      principal,
    );
    const [result] = results;
    if (refused.get(0) === 'not-found') throw new NotFoundException('no such list entry in the caller’s city');
    if (refused.get(0) === 'forbidden')
      throw new ForbiddenException({ detail: result.errors![0].message, errors: result.errors });
    if (result.status === 'rejected')
      throw new ConflictException(result.errors?.[0]?.message ?? 'the entry cannot be published again');
    return result;
  }

  /** Many entries, each accepted or rejected on its own; `full` also removes what the push lacks. */
  async publishMany(
    raw: unknown[],
    principal: Principal,
    options: { mode?: PublishMode; listType?: string } = {},
  ): Promise<{ results: PublishResult[]; removed: number }> {
    const push = await this.startPush(principal, options);
    const results: PublishResult[] = [];
    for (let i = 0; i < raw.length; i += CHUNK) {
      results.push(
        ...(await this.pushChunk(
          push,
          raw.slice(i, i + CHUNK).map((entry, k) => ({ index: i + k, raw: entry })),
        )),
      );
    }
    return { results, removed: await this.finishPush(push) };
  }

  /**
   * A push in parts (a batch, an import streamed from a file): `startPush`, then `pushChunk` for each
   * part (each stored in its own transaction), then `finishPush`, which for a full push removes the
   * publisher's entries of the list type that no part contained.
   */
  async startPush(principal: Principal, options: { mode?: PublishMode; listType?: string } = {}): Promise<Push> {
    const full = options.mode === 'full' ? await this.entries.listType(options.listType ?? '') : undefined;
    if (options.mode === 'full' && !full)
      throw new FieldValidationException([{ field: 'listType', message: `unknown list type ${options.listType}` }]);
    if (full && !mayPublish(principal, full))
      throw new ForbiddenException(`${principal.organization.code} does not identify ${full.code} entries`);
    return { principal, full, listTypes: new Map(), present: [], protectedIdentities: new Set() };
  }

  async pushChunk(push: Push, items: { index: number; raw: unknown }[]): Promise<PublishResult[]> {
    const results: PublishResult[] = [];
    const accepted: PublishItem[] = [];
    for (const { index, raw } of items) {
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
      const prepared = prepareEntry(
        checked.dto,
        listType,
        push.principal,
        this.personalData,
        await this.workingDays.calendar(),
      );
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
    if (accepted.length > 0) {
      const { results: stored } = await this.store(accepted, push.principal);
      for (const r of stored) if (r.id && r.status !== 'rejected') push.present.push(r.id);
      results.push(...stored);
    }
    return results.sort((a, b) => a.index - b.index);
  }

  async finishPush(push: Push): Promise<number> {
    return push.full ? this.removeAbsent(push.full, push.principal, push.present, push.protectedIdentities) : 0;
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
   * Stores prepared entries in one transaction: locks those already stored, decides (pure) which are
   * created, updated, unchanged or refused (also those out of the caller's reach), writes that with
   * set-based statements, and announces it.
   */
  private store(
    items: PublishItem[],
    principal: Principal,
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

  private removeAbsent(
    listType: KnownListType,
    principal: Principal,
    present: string[],
    protectedIdentities: Set<string>,
  ): Promise<number> {
    return this.uow.run(async () => {
      // a city office's full push removes only the entries it may still decide: in its city, at the city level
      const scope = entryScopeOf(principal);
      const absent = await this.entries.lockAbsentFromFullPush(listType.code, principal.organization.code, present, {
        city: scope.city ?? null,
        levels: scope.levels,
      });
      const changes = decideRemovals(absent, protectedIdentities, ABSENT_FROM_FULL_PUSH, new Date());
      for (const c of changes) await this.entries.update(c.entry, true);
      await this.journal.record(changes, principal);
      return changes.length;
    });
  }
}
