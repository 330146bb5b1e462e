import { entryAccess, EntryScope } from '@jrp/auth';
import { IDENTIFICATION_LEVELS, ListEntryEvents } from '@jrp/contracts';
import { FieldError } from '@jrp/http';
import { changedFields, Entry } from '../entries/entry';
import { EntryChange } from '../entries/entry-journal';

/** A prepared entry to publish; `ownValidity`: the publisher gave its `validUntil` (not a default). */
export interface PublishItem {
  index: number;
  entry: Entry;
  ownValidity?: boolean;
}

export type PublishStatus = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface PublishResult {
  index: number;
  status: PublishStatus;
  id?: string;
  version?: number;
  /** The entry's status after publishing (active; noticed on a notice-first list type; watch for an entry already on the watch list). */
  entryStatus?: string;
  errors?: FieldError[];
}

/** What publishing a chunk does, decided before anything is written. */
export interface PublishDecision {
  /** One result per item, in the items' order (a created one may still lose a race when inserted). */
  results: PublishResult[];
  /** Existing entries to rewrite, with the change each announces, in the items' order. */
  updates: EntryChange[];
  /** New entries to insert. */
  fresh: { index: number; entry: Entry }[];
  /**
   * The items refused because the stored entry is out of the caller's reach: `not-found` outside its
   * city (a single publish answers 404), `forbidden` at a level it may not decide (403).
   */
  refused: Map<number, 'not-found' | 'forbidden'>;
}

const PROVINCE_WIDE: EntryScope = { levels: IDENTIFICATION_LEVELS };

/** An entry's identity: the same list type, subject and document number is the same entry. */
export const identityOf = (e: Pick<Entry, 'listType' | 'subjectKey' | 'documentNo'>) =>
  `${e.listType}|${e.subjectKey}|${e.documentNo}`;

/**
 * Decides what publishing prepared entries does, given the entries already stored with the same
 * identities: a new identity is created; a removed or expired entry refuses a re-publish; an entry
 * published again with changes gets a new version (`updated`), without changes stays as it is. The
 * same identity twice in one chunk: the first one counts. `sameRepresentativeId` compares the legal
 * representatives' ID numbers (ciphertexts differ each time). A stored entry outside the caller's
 * `scope` is refused: outside its city as if it did not exist (no id given), at a level it may not
 * decide as forbidden. Pure: no I/O.
 */
export function decidePublish(
  items: PublishItem[],
  existing: Entry[],
  sameRepresentativeId: (current: Entry, published: Entry) => boolean,
  now: Date,
  scope: EntryScope = PROVINCE_WIDE,
): PublishDecision {
  const stored = new Map(existing.map((e) => [identityOf(e), e]));
  const results: PublishResult[] = [];
  const updates: EntryChange[] = [];
  const fresh: { index: number; entry: Entry }[] = [];
  const seen = new Map<string, PublishResult>();
  const refused = new Map<number, 'not-found' | 'forbidden'>();
  for (const { index, entry, ownValidity } of items) {
    const key = identityOf(entry);
    const twin = seen.get(key);
    if (twin) {
      results.push({ ...twin, index, status: twin.status === 'rejected' ? 'rejected' : 'unchanged' });
      const twinRefused = refused.get(twin.index);
      if (twinRefused) refused.set(index, twinRefused);
      continue;
    }
    const current = stored.get(key);
    const access = current ? entryAccess(scope, current, 'decide') : 'allowed';
    let result: PublishResult;
    if (current && access === 'not-found') {
      refused.set(index, access);
      result = {
        index,
        status: 'rejected',
        errors: [
          {
            field: 'documentNo',
            message:
              'no such entry in the caller’s city: this list type, subject and document number are taken outside it',
          },
        ],
      };
    } else if (current && access === 'forbidden') {
      refused.set(index, access);
      result = {
        index,
        status: 'rejected',
        id: current.id,
        errors: [
          {
            field: 'identificationLevel',
            message: `the caller may not decide ${current.identificationLevel}-level entries (only ${scope.levels.join(', ')})`,
          },
        ],
      };
    } else if (!current) {
      fresh.push({ index, entry });
      result = { index, status: 'created', id: entry.id, version: 1, entryStatus: entry.status };
    } else if (current.status === 'removed' || current.status === 'expired' || current.status === 'withdrawn') {
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
      // the publication dates were fixed at listing: a re-publish with the same grade, listing date and
      // validity keeps them (a catalogue version since changes the rules for new decisions, not old ones)
      if (
        entry.grade === current.grade &&
        entry.listedAt === current.listedAt &&
        (entry.validUntil === current.validUntil || (!ownValidity && validityFollowsPublication(current)))
      )
        Object.assign(next, {
          validUntil: current.validUntil,
          publicUntil: current.publicUntil,
          repairableFrom: current.repairableFrom,
        });
      const sameRep = sameRepresentativeId(current, entry);
      if (sameRep)
        Object.assign(next, {
          legalRepIdNumberEncrypted: current.legalRepIdNumberEncrypted,
          legalRepIdNumberMasked: current.legalRepIdNumberMasked,
        });
      const changed: string[] = [...changedFields(current, next), ...(sameRep ? [] : ['legalRepIdNumber'])];
      if (changed.length === 0) {
        result = { index, status: 'unchanged', id: current.id, version: current.version, entryStatus: current.status };
      } else {
        updates.push({
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
  return { results, updates, fresh, refused };
}

/** A graded entry without a validity of its own: valid while published (`validUntil` = `publicUntil`). */
export const validityFollowsPublication = (e: Entry) => e.grade !== null && e.validUntil === e.publicUntil;

/**
 * The change a new entry announces: listed on the day of its decision (Asia/Shanghai); a notice-first
 * entry not yet decided announces its notice (拟列入) as of the day the notice was served.
 */
export function listedChange(entry: Entry): EntryChange {
  if (entry.status === 'noticed')
    return {
      entry,
      type: ListEntryEvents.Noticed,
      action: 'notice',
      reason: entry.reason,
      at: new Date(`${entry.notice!.servedOn}T00:00:00+08:00`),
      details: {
        servedOn: entry.notice!.servedOn,
        statementDeadline: entry.statementDeadline,
        ...(entry.notice!.documentNo ? { noticeNo: entry.notice!.documentNo } : {}),
      },
    };
  return {
    entry,
    type: ListEntryEvents.Listed,
    action: 'listed',
    reason: entry.reason,
    at: new Date(`${entry.listedAt}T00:00:00+08:00`),
    // listed directly after a notice served outside jrp whose statement period has passed
    ...(entry.notice
      ? {
          details: {
            servedOn: entry.notice.servedOn,
            statementDeadline: entry.statementDeadline,
            ...(entry.notice.documentNo ? { noticeNo: entry.notice.documentNo } : {}),
          },
        }
      : {}),
  };
}

/** The entries of a full push's list type that the push lacks, removed (those of its rejected rows kept). */
export function decideRemovals(
  absent: Entry[],
  protectedIdentities: ReadonlySet<string>,
  reason: string,
  now: Date,
): EntryChange[] {
  return absent
    .filter((e) => !protectedIdentities.has(identityOf(e)))
    .map((e) => ({
      entry: { ...e, status: 'removed', version: e.version + 1 },
      type: ListEntryEvents.Removed,
      action: 'remove',
      reason,
      at: now,
    }));
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
    grade: e.grade,
    publicUntil: e.publicUntil,
    repairableFrom: e.repairableFrom,
  };
}
