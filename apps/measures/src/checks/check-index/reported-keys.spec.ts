import { parseReportedKeys, parseSnapshot, visibleIn } from './reported-keys';

describe('reported-keys notifications', () => {
  it.each<[string, string, ReturnType<typeof parseReportedKeys>]>([
    [
      'changes of two prefixes',
      'measures_x|7781|5c1e|00000000000000ff:1,ffffffff00000000:-2',
      {
        schema: 'measures_x',
        xid: 7781n,
        deltas: [
          { hi: 0, lo: 255, delta: 1 },
          { hi: 0xffffffff, lo: 0, delta: -2 },
        ],
      },
    ],
    ['no prefix', 'm|1|n|', { schema: 'm', xid: 1n, deltas: [] }],
    ['a prefix too short', 'm|1|n|00ff:1', null],
    ['a delta that is no number', 'm|1|n|00000000000000ff:x', null],
    ['a transaction id that is no number', 'm|x|n|00000000000000ff:1', null],
    ['too few parts', 'm|1|00000000000000ff:1', null],
  ])('reads %s', (_, payload, expected) => {
    expect(parseReportedKeys(payload)).toEqual(expected);
  });
});

describe('visibleIn (pg_visible_in_snapshot)', () => {
  const snapshot = parseSnapshot('100:110:102,105');
  it.each<[bigint, boolean]>([
    [99n, true], // ended before the oldest running one
    [100n, true], // xmin itself is not running: committed before the snapshot
    [102n, false], // running when the snapshot was taken
    [104n, true],
    [105n, false],
    [109n, true],
    [110n, false], // at or past xmax: began after the snapshot
    [250n, false],
  ])('transaction %s: %s', (xid, visible) => {
    expect(visibleIn(xid, snapshot)).toBe(visible);
  });

  it('reads a snapshot with nothing running', () => {
    expect(parseSnapshot('731:731:')).toEqual({ xmin: 731n, xmax: 731n, inProgress: new Set() });
    expect(() => parseSnapshot('731')).toThrow('not a snapshot');
  });
});
