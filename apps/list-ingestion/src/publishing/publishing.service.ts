import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '@jrp/auth';
import { ListEntryEvents } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import { FieldError, FieldValidationException } from '@jrp/http';
import { OutboxService, UnitOfWork } from '@jrp/messaging';
import { changedFields, Entry } from '../entries/entry';
import { EntryChange, EntryJournal } from '../entries/entry-journal';
import { KnownListType, ListEntriesRepository } from '../entries/list-entries.repository';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { PublishMode } from './dto/publish-batch.dto';
import { mayPublish, prepareEntry, validateEntryInput } from './prepare-entry';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';

export type PublishStatus = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface PublishResult {
  index: number;
  status: PublishStatus;
  id?: string;
  version?: number;
  /** The entry's status after publishing (active, or watch for an entry already on the watch list). */
  entryStatus?: string;
  errors?: FieldError[];
}

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
  ) {}

  /** One entry, as `POST /lists/entries` answers it: field errors 400, scope 403, a removed entry 409. */
  async publishOne(dto: PublishEntryDto, principal: Principal): Promise<PublishResult> {
    const listType = await this.entries.listType(this.uow.dataSource, dto.listType);
    const prepared = prepareEntry(dto, listType, principal, this.personalData);
    if ('kind' in prepared) {
      if (prepared.kind === 'forbidden') throw new ForbiddenException(prepared.message);
      throw new FieldValidationException(prepared.errors);
    }
    const [result] = await this.uow.run((m, outbox) =>
      this.store(m, outbox, [{ index: 0, entry: prepared.entry }], principal),
    );
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
    const full =
      options.mode === 'full' ? await this.entries.listType(this.uow.dataSource, options.listType ?? '') : undefined;
    if (options.mode === 'full' && !full)
      throw new FieldValidationException([{ field: 'listType', message: `unknown list type ${options.listType}` }]);
    if (full && !mayPublish(principal, full))
      throw new ForbiddenException(`${principal.organization.code} does not identify ${full.code} entries`);
    return { principal, full, listTypes: new Map(), present: [], protectedIdentities: new Set() };
  }

  async pushChunk(push: Push, items: { index: number; raw: unknown }[]): Promise<PublishResult[]> {
    const results: PublishResult[] = [];
    const accepted: { index: number; entry: Entry }[] = [];
    for (const { index, raw } of items) {
      const checked = await validateEntryInput(raw);
      if ('errors' in checked) {
        results.push({ index, status: 'rejected', errors: checked.errors });
        continue;
      }
      const code = checked.dto.listType;
      if (!push.listTypes.has(code)) push.listTypes.set(code, await this.entries.listType(this.uow.dataSource, code));
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
      const prepared = prepareEntry(checked.dto, listType, push.principal, this.personalData);
      if ('kind' in prepared) {
        results.push({
          index,
          status: 'rejected',
          errors: prepared.kind === 'forbidden' ? [{ field: 'listType', message: prepared.message }] : prepared.errors,
        });
        const identity = this.identityOf(checked.dto, listType?.code ?? code);
        if (identity) push.protectedIdentities.add(identity);
        continue;
      }
      accepted.push({ index, entry: prepared.entry });
    }
    if (accepted.length > 0) {
      const stored = await this.uow.run((m, outbox) => this.store(m, outbox, accepted, push.principal));
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

  /** Stores prepared entries: new ones inserted, changed ones updated, unchanged ones left alone. */
  private async store(
    m: EntityManager,
    outbox: OutboxService,
    items: { index: number; entry: Entry }[],
    principal: Principal,
  ): Promise<PublishResult[]> {
    const identity = (e: Entry) => `${e.listType}|${e.subjectKey}|${e.documentNo}`;
    const existing = new Map(
      (
        await this.entries.lockByIdentity(
          m,
          items.map((i) => i.entry),
        )
      ).map((e) => [identity(e), e]),
    );
    const results: PublishResult[] = [];
    const changes: EntryChange[] = [];
    const fresh: { index: number; entry: Entry }[] = [];
    const seen = new Map<string, PublishResult>();
    const now = new Date();
    for (const { index, entry } of items) {
      const key = identity(entry);
      const twin = seen.get(key);
      if (twin) {
        // the same entry twice in one batch: the first one counts
        results.push({ ...twin, index, status: twin.status === 'rejected' ? 'rejected' : 'unchanged' });
        continue;
      }
      const current = existing.get(key);
      let result: PublishResult;
      if (!current) {
        fresh.push({ index, entry });
        result = { index, status: 'created', id: entry.id, version: 1, entryStatus: 'active' };
      } else if (current.status === 'removed' || current.status === 'expired') {
        result = {
          index,
          status: 'rejected',
          id: current.id,
          errors: [
            {
              field: 'documentNo',
              message: `this entry was ${current.status}; publish a new decision under its own document number`,
            },
          ],
        };
      } else {
        const next: Entry = { ...current, ...pickCorrectable(entry), version: current.version + 1 };
        const sameRep = this.sameRepresentativeId(current, entry);
        if (sameRep)
          Object.assign(next, {
            legalRepIdNumberEncrypted: current.legalRepIdNumberEncrypted,
            legalRepIdNumberMasked: current.legalRepIdNumberMasked,
          });
        const changed: string[] = [...changedFields(current, next), ...(sameRep ? [] : ['legalRepIdNumber'])];
        if (changed.length === 0) {
          result = {
            index,
            status: 'unchanged',
            id: current.id,
            version: current.version,
            entryStatus: current.status,
          };
        } else {
          await this.entries.update(m, next, false);
          changes.push({
            entry: next,
            type: ListEntryEvents.Updated,
            action: 'republish',
            reason: 'published again with changes',
            at: now,
            details: { fields: changed },
          });
          result = { index, status: 'updated', id: current.id, version: next.version, entryStatus: next.status };
        }
      }
      seen.set(key, result);
      results.push(result);
    }
    const inserted = await this.entries.insertMany(
      m,
      fresh.map((f) => f.entry),
    );
    for (const f of fresh) {
      if (!inserted.has(f.entry.id)) {
        // published concurrently by another request: report the winner
        const [winner] = await this.entries.lockByIdentity(m, [f.entry]);
        const r = results.find((x) => x.index === f.index)!;
        Object.assign(r, { status: 'unchanged', id: winner.id, version: winner.version, entryStatus: winner.status });
        continue;
      }
      changes.push({
        entry: f.entry,
        type: ListEntryEvents.Listed,
        action: 'listed',
        reason: f.entry.reason,
        at: new Date(`${f.entry.listedAt}T00:00:00+08:00`),
      });
    }
    await this.journal.record(m, outbox, changes, principal);
    return results;
  }

  private async removeAbsent(
    listType: KnownListType,
    principal: Principal,
    present: string[],
    protectedIdentities: Set<string>,
  ): Promise<number> {
    return this.uow.run(async (m, outbox) => {
      const absent = (
        await this.entries.lockAbsentFromFullPush(m, listType.code, principal.organization.code, present)
      ).filter((e) => !protectedIdentities.has(`${e.listType}|${e.subjectKey}|${e.documentNo}`));
      const now = new Date();
      const changes: EntryChange[] = [];
      for (const e of absent) {
        const next: Entry = { ...e, status: 'removed', version: e.version + 1 };
        await this.entries.update(m, next, true);
        changes.push({
          entry: next,
          type: ListEntryEvents.Removed,
          action: 'remove',
          reason: ABSENT_FROM_FULL_PUSH,
          at: now,
        });
      }
      await this.journal.record(m, outbox, changes, principal);
      return absent.length;
    });
  }
}

function pickCorrectable(e: Entry): Partial<Entry> {
  return {
    subjectName: e.subjectName,
    legalRepName: e.legalRepName,
    legalRepIdType: e.legalRepIdType,
    legalRepIdNumberEncrypted: e.legalRepIdNumberEncrypted,
    legalRepIdNumberMasked: e.legalRepIdNumberMasked,
    reason: e.reason,
    decidedBy: e.decidedBy,
    identificationLevel: e.identificationLevel,
    listedAt: e.listedAt,
    validUntil: e.validUntil,
    amount: e.amount,
    region: e.region,
  };
}
