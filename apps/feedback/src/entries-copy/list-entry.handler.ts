import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, ListEntryChangedData, ListEntryEvents } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';
import { cityOf } from '../statistics/regions';
import { upsertSums } from '../statistics/task-statistics';

interface EntryFacts {
  day: string;
  city: string;
  listType: string;
  subjectKind: string;
  national: boolean;
  commitment: boolean;
  training: boolean;
}

/**
 * What the assessment indicators need of list entries, and nothing more (no names, no identifiers):
 * list type, subject kind, whether identified at national level (国家层面认定), city, listing date, and
 * whether a credit commitment (信用承诺) and repair training (信用修复培训) were recorded. Counted in
 * entry_rollup by listing date, city, list type, subject kind and level.
 */
@Controller()
export class ListEntryHandler {
  @ConsumesEvents(Object.values(ListEntryEvents), ConsumerGroups.Feedback)
  async onEntryChanged(@Payload() e: ListEntryChangedData, @Ctx() { manager: m }: ConsumerContext): Promise<void> {
    const [stored] = await m.query<(EntryFacts & { version: number })[]>(
      `SELECT version, to_char(listed_on, 'YYYY-MM-DD') AS day, city, list_type AS "listType", subject_kind AS "subjectKind", national, commitment, training
       FROM known_entries WHERE id = $1 FOR UPDATE`,
      [e.entryId],
    );
    if (stored && stored.version >= e.version) return;
    const after: EntryFacts = {
      day: e.listedAt,
      city: cityOf(e.region),
      listType: e.listType,
      subjectKind: e.subject.kind,
      national: e.identificationLevel === 'national',
      commitment: e.commitmentRecorded === true || (stored?.commitment ?? false),
      training: e.trainingRecorded === true || (stored?.training ?? false),
    };
    await m.query(
      `INSERT INTO known_entries (id, version, list_type, subject_kind, national, city, listed_on, commitment, training) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET version = $2, list_type = $3, subject_kind = $4, national = $5, city = $6, listed_on = $7, commitment = $8, training = $9`,
      [
        e.entryId,
        e.version,
        after.listType,
        after.subjectKind,
        after.national,
        after.city,
        after.day,
        after.commitment,
        after.training,
      ],
    );
    const rows = [...(stored ? [{ facts: stored as EntryFacts, sign: -1 }] : []), { facts: after, sign: 1 }].map(
      ({ facts, sign }) => ({
        key: [facts.day, facts.city, facts.listType, facts.subjectKind, facts.national],
        values: [sign, facts.commitment ? sign : 0, facts.training ? sign : 0],
      }),
    );
    // the same key before and after: one row with the summed difference
    const merged =
      rows.length === 2 && JSON.stringify(rows[0].key) === JSON.stringify(rows[1].key)
        ? [{ key: rows[0].key, values: rows[0].values.map((v, i) => v + rows[1].values[i]) }]
        : rows;
    await upsertSums(
      m,
      'entry_rollup',
      ['day', 'city', 'list_type', 'subject_kind', 'national'],
      ['entries', 'committed', 'trained'],
      merged,
    );
  }
}
