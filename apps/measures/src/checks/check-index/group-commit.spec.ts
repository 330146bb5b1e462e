import { GroupCommit } from './group-commit';

/** A commit the test finishes by hand: the batches it was given, and how to end each. */
function manualCommits() {
  const batches: { items: number[]; finish: (error?: Error) => void }[] = [];
  const commit = (items: number[]) =>
    new Promise<void>((resolve, reject) =>
      batches.push({ items, finish: (error) => (error ? reject(error) : resolve()) }),
    );
  return { batches, commit };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('commits the items of one turn together, and those that gather meanwhile in the next commit', async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit(commit, { maxItems: 100, maxInFlight: 1 });
    const done: number[] = [];
    const add = (n: number) => void group.add(n).then(() => done.push(n));
    add(1);
    add(2);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    add(3);
    add(4);
    await turn();
    expect(batches).toHaveLength(1); // the only slot is busy: 3 and 4 wait
    expect(done).toEqual([]); // nothing resolves before its commit
    batches[0].finish();
    await turn();
    expect(done).toEqual([1, 2]);
    expect(batches.map((b) => b.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    batches[1].finish();
    await turn();
    expect(done).toEqual([1, 2, 3, 4]);
    expect(group.pending).toBe(0);
  });

  it.each<[string, number, number, number, number[][]]>([
    ['splits by maxItems', 5, 2, 3, [[0, 1], [2, 3], [4]]],
    ['uses every free slot', 4, 10, 2, [[0, 1, 2, 3]]],
  ])('%s', async (_, items, maxItems, maxInFlight, expected) => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit(commit, { maxItems, maxInFlight });
    const all = Array.from({ length: items }, (__, i) => group.add(i));
    let finished = 0;
    for (let i = 0; i < 10 && finished < expected.length; i++) {
      await turn();
      while (finished < batches.length) batches[finished++].finish();
    }
    await Promise.all(all);
    expect(batches.map((b) => b.items)).toEqual(expected);
  });

  it('fails every item of a failed commit with its error, and commits later items again', async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit(commit, { maxItems: 10, maxInFlight: 1 });
    const first = [group.add(1), group.add(2)].map((p) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    await turn();
    batches[0].finish(new Error('database down'));
    expect(await Promise.all(first)).toEqual(['database down', 'database down']);
    const later = group.add(3);
    await turn();
    batches[1].finish();
    await expect(later).resolves.toBeUndefined();
  });

  it('fails the items when the commit throws at once', async () => {
    const group = new GroupCommit<number>(
      () => {
        throw new Error('no connection');
      },
      { maxItems: 10, maxInFlight: 1 },
    );
    await expect(group.add(1)).rejects.toThrow('no connection');
  });

  it('drains: resolves once nothing waits or is in flight', async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit(commit, { maxItems: 10, maxInFlight: 1 });
    await group.drained();
    const item = group.add(1);
    let drained = false;
    void group.drained().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    batches[0].finish();
    await item;
    await turn();
    expect(drained).toBe(true);
  });
});
