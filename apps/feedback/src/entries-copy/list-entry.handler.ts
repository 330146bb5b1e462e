import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, ListEntryChangedData, ListEntryEvents, wasListed } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { cityOf } from '../statistics/regions';
import { ENTRY_ROLLUP, EntryRollupRow, RollupsRepository } from '../statistics/rollups.repository';
import { EntriesCopyRepository, KnownEntryRow } from './entries-copy.repository';

/**
 * What the assessment indicators need of list entries, and nothing more (no names, no identifiers):
 * list type, subject kind, whether identified at national level (国家层面认定), city, listing date, and
 * whether a credit commitment (信用承诺) and repair training (信用修复培训) were recorded. Counted in
 * entry_rollup by listing date, city, list type, subject kind and level, in the consumer's transaction.
 */
@Controller()
export class ListEntryHandler {
  constructor(
    private readonly entries: EntriesCopyRepository,
    private readonly rollups: RollupsRepository,
  ) {}

  @ConsumesEvents(Object.values(ListEntryEvents), ConsumerGroups.Feedback)
  async onEntryChanged(@Payload() e: ListEntryChangedData): Promise<void> {
    const stored = await this.entries.lock(e.entryId);
    if (stored && stored.version >= e.version) return;
    // 拟列入 (noticed) and 已撤回 (withdrawn) entries were never listed: not counted. A noticed entry is kept
    // out of the copy until its decision lists it; then it is counted on its listing date like any other.
    if (!stored && !wasListed(e.status)) return;
    const after = entryOf(e, stored);
    await this.entries.save(after);
    await this.rollups.add(ENTRY_ROLLUP.add(entryDeltas(stored, after)));
  }
}

/** The stored entry after a change: a commitment or training once recorded stays recorded. */
export function entryOf(e: ListEntryChangedData, stored: KnownEntryRow | undefined): KnownEntryRow {
  return {
    id: e.entryId,
    version: e.version,
    day: e.listedAt,
    city: cityOf(e.region),
    listType: e.listType,
    subjectKind: e.subject.kind,
    national: e.identificationLevel === 'national',
    commitment: e.commitmentRecorded === true || (stored?.commitment ?? false),
    training: e.trainingRecorded === true || (stored?.training ?? false),
  };
}

/** What a change adds to entry_rollup: the stored entry taken out, the new one counted (the same key: summed). */
function entryDeltas(stored: KnownEntryRow | undefined, after: KnownEntryRow): EntryRollupRow[] {
  return [...(stored ? [{ facts: stored, sign: -1 }] : []), { facts: after, sign: 1 }].map(({ facts, sign }) => ({
    day: facts.day,
    city: facts.city,
    listType: facts.listType,
    subjectKind: facts.subjectKind,
    national: facts.national,
    entries: sign,
    committed: facts.commitment ? sign : 0,
    trained: facts.training ? sign : 0,
  }));
}
