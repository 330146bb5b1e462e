import type { DataSource } from 'typeorm';
import type { KnownListType, ListEntriesRepository } from '../entries/list-entries.repository';
import { LIST_TYPE_TTL_MS, ListTypes } from './list-types';

const courtDebtor = { code: 'BL-COURT-DEBTOR', name: '失信被执行人' } as KnownListType;

/** The cache over a copy whose reads are counted (and, when asked, held until released). */
function cacheOver(copy: Map<string, KnownListType>) {
  const reads: string[] = [];
  let hold: Promise<void> | undefined;
  const entries = {
    listType: async (code: string) => {
      reads.push(code);
      if (hold) await hold;
      return copy.get(code);
    },
  } as unknown as ListEntriesRepository;
  // outside a transaction of this data source, `dropAfterCommit` drops at once
  const listTypes = new ListTypes(entries, {} as DataSource);
  return {
    listTypes,
    reads,
    holdReads: () => {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

describe('ListTypes', () => {
  afterEach(() => jest.useRealTimers());

  it('reads a list type once, then again after its time or once a new catalogue is stored', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const copy = new Map([[courtDebtor.code, courtDebtor]]);
    const { listTypes, reads } = cacheOver(copy);
    expect(await listTypes.get(courtDebtor.code)).toBe(courtDebtor);
    expect(await listTypes.get(courtDebtor.code)).toBe(courtDebtor);
    expect(reads).toHaveLength(1);
    jest.setSystemTime(1_000_000 + LIST_TYPE_TTL_MS + 1);
    await listTypes.get(courtDebtor.code);
    expect(reads).toHaveLength(2);
    const renamed = { ...courtDebtor, name: '失信被执行人（新）' };
    copy.set(courtDebtor.code, renamed);
    listTypes.dropAfterCommit();
    expect(await listTypes.get(courtDebtor.code)).toBe(renamed);
    expect(reads).toHaveLength(3);
  });

  it('does not keep a code the copy does not know (the catalogue may arrive at any moment)', async () => {
    const copy = new Map<string, KnownListType>();
    const { listTypes, reads } = cacheOver(copy);
    expect(await listTypes.get(courtDebtor.code)).toBeUndefined();
    copy.set(courtDebtor.code, courtDebtor);
    expect(await listTypes.get(courtDebtor.code)).toBe(courtDebtor);
    expect(reads).toHaveLength(2);
  });

  it('does not keep what a read begun before a drop returned', async () => {
    const copy = new Map([[courtDebtor.code, courtDebtor]]);
    const { listTypes, reads, holdReads } = cacheOver(copy);
    const release = holdReads();
    const stale = listTypes.get(courtDebtor.code);
    listTypes.dropAfterCommit(); // a new catalogue committed while the read was under way
    release();
    expect(await stale).toBe(courtDebtor);
    await listTypes.get(courtDebtor.code);
    expect(reads).toHaveLength(2);
  });
});
