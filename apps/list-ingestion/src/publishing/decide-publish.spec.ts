import { EntryScope } from '@jrp/auth';
import { ListEntryEvents } from '@jrp/contracts';
import { Entry } from '../entries/entry';
import { decidePublish, decideRemovals, identityOf, listedChange, PublishStatus } from './decide-publish';

const entry = (over: Partial<Entry> = {}): Entry => ({
  id: 'new-id',
  version: 1,
  listType: 'L1',
  status: 'active',
  disputed: false,
  subjectKey: 'K1',
  subjectKind: 'legal',
  subjectName: '某公司',
  subjectUscc: '91110000000000000X',
  subjectIdType: null,
  subjectIdNumberEncrypted: null,
  subjectIdNumberMasked: null,
  legalRepName: '张三',
  legalRepIdType: 'resident-id',
  legalRepIdNumberEncrypted: 'cipher-new',
  legalRepIdNumberMasked: '1101**********0011',
  reason: 'reason',
  decidedBy: 'court',
  identificationLevel: 'provincial',
  documentNo: 'D1',
  listedAt: '2026-01-05',
  validUntil: null,
  amount: null,
  region: '110000',
  publishedBy: 'ORG',
  commitment: null,
  training: null,
  grade: null,
  publicUntil: null,
  repairableFrom: null,
  notice: null,
  statementDeadline: null,
  statement: null,
  decision: null,
  ...over,
});
const stored = (over: Partial<Entry> = {}) =>
  entry({ id: 'old-id', version: 3, legalRepIdNumberEncrypted: 'cipher-old', ...over });
const now = new Date('2026-02-01T00:00:00Z');
const sameRep = () => true;

describe('decidePublish', () => {
  it.each<[string, Entry[], Partial<Entry>, boolean, PublishStatus, number | undefined, string[] | null]>([
    ['a new identity is created', [], {}, true, 'created', 1, null],
    ['the same entry again is unchanged', [stored()], {}, true, 'unchanged', 3, null],
    [
      'changed fields update it',
      [stored()],
      { reason: 'other', amount: '10.00' },
      true,
      'updated',
      4,
      ['reason', 'amount'],
    ],
    ['another representative ID updates it', [stored()], {}, false, 'updated', 4, ['legalRepIdNumber']],
    ['a watch entry keeps its status', [stored({ status: 'watch' })], {}, true, 'unchanged', 3, null],
    ['a removed entry refuses', [stored({ status: 'removed' })], {}, true, 'rejected', undefined, null],
    ['an expired entry refuses', [stored({ status: 'expired' })], {}, true, 'rejected', undefined, null],
  ])('%s', (_name, existing, over, same, status, version, fields) => {
    const decision = decidePublish([{ index: 7, entry: entry(over) }], existing, () => same, now);
    expect(decision.results).toHaveLength(1);
    expect(decision.results[0]).toMatchObject({ index: 7, status, ...(version === undefined ? {} : { version }) });
    expect(decision.fresh.map((f) => f.index)).toEqual(status === 'created' ? [7] : []);
    expect(decision.updates.map((u) => u.details?.fields)).toEqual(fields ? [fields] : []);
    if (status === 'rejected') expect(decision.results[0].errors?.[0].field).toBe('documentNo');
  });

  it('an update keeps the stored identity and representative ciphertext when the ID number is the same', () => {
    const { updates, results } = decidePublish(
      [{ index: 0, entry: entry({ reason: 'new' }) }],
      [stored()],
      sameRep,
      now,
    );
    expect(updates).toEqual([expect.objectContaining({ type: ListEntryEvents.Updated, action: 'republish', at: now })]);
    expect(updates[0].entry).toMatchObject({
      id: 'old-id',
      version: 4,
      reason: 'new',
      legalRepIdNumberEncrypted: 'cipher-old',
    });
    expect(results[0]).toMatchObject({ id: 'old-id', entryStatus: 'active' });
  });

  it('the same identity twice in a chunk: the first counts, the second is unchanged (or refused with it)', () => {
    const twice = [
      { index: 0, entry: entry() },
      { index: 1, entry: entry({ id: 'other-id', reason: 'different' }) },
    ];
    const created = decidePublish(twice, [], sameRep, now);
    expect(created.results.map((r) => [r.index, r.status, r.id])).toEqual([
      [0, 'created', 'new-id'],
      [1, 'unchanged', 'new-id'],
    ]);
    expect(created.fresh).toHaveLength(1);
    const refused = decidePublish(twice, [stored({ status: 'removed' })], sameRep, now);
    expect(refused.results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  describe('a city office (芜湖, 340200: city-level entries of its city only)', () => {
    const wuhu: EntryScope = { city: '340200', levels: ['city'] };
    it.each<
      [string, Entry[], PublishStatus, 'not-found' | 'forbidden' | undefined, string | undefined, string | undefined]
    >([
      ['a new identity in its city is created', [], 'created', undefined, undefined, 'new-id'],
      [
        'its own city-level entry again with changes is updated',
        [stored({ region: '340202', identificationLevel: 'city', reason: 'before' })],
        'updated',
        undefined,
        undefined,
        'old-id',
      ],
      [
        'an entry stored in 合肥 is refused as not found, its id not given',
        [stored({ region: '340100', identificationLevel: 'city' })],
        'rejected',
        'not-found',
        'documentNo',
        undefined,
      ],
      [
        'a provincial entry of its city is refused as forbidden',
        [stored({ region: '340200', identificationLevel: 'provincial' })],
        'rejected',
        'forbidden',
        'identificationLevel',
        'old-id',
      ],
      [
        'a removed entry outside its city is not found either (not "removed")',
        [stored({ region: '340100', status: 'removed' })],
        'rejected',
        'not-found',
        'documentNo',
        undefined,
      ],
    ])('%s', (_name, existing, status, refusal, field, id) => {
      const published = entry({ region: '340200', identificationLevel: 'city' });
      const decision = decidePublish([{ index: 3, entry: published }], existing, sameRep, now, wuhu);
      expect(decision.results[0]).toMatchObject({ index: 3, status });
      expect(decision.results[0].id).toBe(id);
      expect(decision.refused.get(3)).toBe(refusal);
      expect(decision.results[0].errors?.[0]?.field).toBe(field);
      if (refusal) expect([decision.updates, decision.fresh]).toEqual([[], []]);
    });

    it('refuses the twin of a refused item the same way', () => {
      const twice = [
        { index: 0, entry: entry({ region: '340200', identificationLevel: 'city' }) },
        { index: 1, entry: entry({ region: '340200', identificationLevel: 'city', reason: 'x' }) },
      ];
      const decision = decidePublish(twice, [stored({ region: '340100' })], sameRep, now, wuhu);
      expect([...decision.refused]).toEqual([
        [0, 'not-found'],
        [1, 'not-found'],
      ]);
    });

    it('without a scope, the province: the 合肥 entry is updated as before', () => {
      const decision = decidePublish(
        [{ index: 0, entry: entry({ reason: 'new' }) }],
        [stored({ region: '340100' })],
        sameRep,
        now,
      );
      expect(decision.results[0].status).toBe('updated');
      expect(decision.refused.size).toBe(0);
    });
  });
});

describe('listedChange and decideRemovals', () => {
  it('a new entry is listed on its decision day in Asia/Shanghai', () => {
    expect(listedChange(entry())).toMatchObject({
      type: ListEntryEvents.Listed,
      action: 'listed',
      at: new Date('2026-01-04T16:00:00Z'),
    });
  });

  it('removes what a full push lacks, except the identities of its rejected rows', () => {
    const kept = stored({ id: 'kept', documentNo: 'D2' });
    const changes = decideRemovals([stored(), kept], new Set([identityOf(kept)]), 'absent', now);
    expect(changes.map((c) => [c.entry.id, c.entry.status, c.entry.version, c.action])).toEqual([
      ['old-id', 'removed', 4, 'remove'],
    ]);
  });

  describe('graded entries (信用修复管理办法 2025)', () => {
    const graded = { grade: 'general' as const, publicUntil: '2027-01-05', repairableFrom: '2026-04-07' };
    it('keeps the dates fixed at listing when the grade, listing date and validity are the same', () => {
      // the rule set changed since: the same decision published again computes other dates
      const again = entry({ ...graded, publicUntil: '2026-07-05', repairableFrom: '2026-02-06' });
      const { results, updates } = decidePublish([{ index: 0, entry: again }], [stored(graded)], sameRep, now);
      expect(results[0].status).toBe('unchanged');
      expect(updates).toEqual([]);
    });

    it('keeps them too when the validity only follows publication (no validity of its own)', () => {
      const listed = { ...graded, validUntil: graded.publicUntil };
      const again = entry({ ...graded, publicUntil: '2027-07-05', validUntil: '2027-07-05' });
      const { results } = decidePublish([{ index: 0, entry: again }], [stored(listed)], sameRep, now);
      expect(results[0].status).toBe('unchanged');
      // an own validity that differs is a change
      const own = entry({ ...graded, validUntil: '2026-12-31', publicUntil: '2026-12-31' });
      const changed = decidePublish([{ index: 0, entry: own, ownValidity: true }], [stored(listed)], sameRep, now);
      expect(changed.results[0].status).toBe('updated');
    });

    it('takes the new dates when the grade changes, and names the fields', () => {
      const serious = { grade: 'serious' as const, publicUntil: '2029-01-05', repairableFrom: '2027-01-06' };
      const { results, updates } = decidePublish([{ index: 0, entry: entry(serious) }], [stored(graded)], sameRep, now);
      expect(results[0]).toMatchObject({ status: 'updated', version: 4 });
      expect(updates[0].entry).toMatchObject(serious);
      expect(updates[0].details).toEqual({ fields: ['grade', 'publicUntil', 'repairableFrom'] });
    });

    it('takes the new dates when the listing date changes', () => {
      const moved = { ...graded, listedAt: '2026-01-10', publicUntil: '2027-01-10', repairableFrom: '2026-04-13' };
      const { updates } = decidePublish([{ index: 0, entry: entry(moved) }], [stored(graded)], sameRep, now);
      expect(updates[0].entry).toMatchObject(moved);
    });
  });
});
