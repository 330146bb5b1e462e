import {
  ConsumerObservation,
  earliestStuck,
  judgeConsumer,
  PartitionOffsets,
  Stuck,
  trackStuck,
} from './consumer-watchdog';

const STALL = 60_000;
const T = 1_000_000; // the consumer's start
const s = (seconds: number) => T + seconds * 1000;

/** A consumer started at T that fetched a second ago, the broker answering all along, at T + 200 s. */
function seen(change: Partial<ConsumerObservation>): ConsumerObservation {
  return {
    now: s(200),
    startedAt: T,
    crashedForGood: false,
    brokerAnswersSince: T,
    lastFetchAt: s(199),
    ...change,
  };
}

describe('judgeConsumer', () => {
  it.each<[string, Partial<ConsumerObservation>, string, string]>([
    ['fetching, nothing stuck', {}, 'keep', 'healthy'],
    ['fetching, a partition with lag whose offset moved 10 s ago', { stuckSince: s(190) }, 'keep', 'healthy'],
    ['fetching, a partition stuck for 59 s', { stuckSince: s(141) }, 'keep', 'healthy'],
    ['fetching, a partition stuck for 60 s', { stuckSince: s(140) }, 'replace', 'no-progress'],
    [
      'stuck long, but the broker is back only since 30 s',
      { stuckSince: s(10), brokerAnswersSince: s(170) },
      'keep',
      'healthy',
    ],
    ['stuck long, but the last batch ended 30 s ago', { stuckSince: s(10), lastBusyAt: s(170) }, 'keep', 'healthy'],
    ['stuck long, but the consumer is 30 s old', { stuckSince: s(10), startedAt: s(170) }, 'keep', 'healthy'],
    ['no fetch for 59 s', { lastFetchAt: s(141) }, 'keep', 'healthy'],
    ['no fetch for 60 s', { lastFetchAt: s(140) }, 'replace', 'no-fetch'],
    ['never fetched, 60 s old', { lastFetchAt: undefined, startedAt: s(140) }, 'replace', 'no-fetch'],
    ['never fetched, 30 s old', { lastFetchAt: undefined, startedAt: s(170) }, 'keep', 'healthy'],
    [
      'no fetch for 3 min, the broker back since 30 s (kafkajs restarts it meanwhile)',
      { lastFetchAt: s(20), brokerAnswersSince: s(170) },
      'keep',
      'healthy',
    ],
    [
      'no fetch for 3 min, the broker back since 60 s',
      { lastFetchAt: s(20), brokerAnswersSince: s(140) },
      'replace',
      'no-fetch',
    ],
    [
      'the broker does not answer, no fetch for 3 min',
      { lastFetchAt: s(20), brokerAnswersSince: undefined },
      'keep',
      'broker-unreachable',
    ],
    [
      'the broker does not answer, crashed for good',
      { crashedForGood: true, brokerAnswersSince: undefined },
      'keep',
      'broker-unreachable',
    ],
    ['crashed for good, the broker answers', { crashedForGood: true }, 'replace', 'crashed'],
    ['crashed for good, a second old', { crashedForGood: true, startedAt: s(199) }, 'replace', 'crashed'],
    [
      'a batch in hand for 3 min (its database away), no fetch meanwhile',
      { busySince: s(20), lastFetchAt: s(19), stuckSince: s(10) },
      'keep',
      'busy',
    ],
    ['the last batch ended 59 s ago, no fetch since', { lastFetchAt: s(20), lastBusyAt: s(141) }, 'keep', 'healthy'],
    [
      'the last batch ended 60 s ago, no fetch since',
      { lastFetchAt: s(20), lastBusyAt: s(140) },
      'replace',
      'no-fetch',
    ],
  ])('%s: %s (%s)', (_case, change, action, reason) => {
    expect(judgeConsumer(seen(change), STALL)).toEqual({ action, reason });
  });
});

describe('trackStuck', () => {
  const p = (key: string, committed: number, high: number): PartitionOffsets => ({
    key,
    committed: BigInt(committed),
    high: BigInt(high),
  });
  const stuck = (committed: number, since: number): Stuck => ({ committed: BigInt(committed), since });

  it.each<[string, [string, Stuck][], PartitionOffsets[], [string, Stuck][]]>([
    ['no lag: nothing stuck', [], [p('t/0', 5, 5)], []],
    ['lag seen the first time: stuck from now', [], [p('t/0', 5, 9)], [['t/0', stuck(5, 100)]]],
    ['same offset, still lag: keeps its moment', [['t/0', stuck(5, 40)]], [p('t/0', 5, 12)], [['t/0', stuck(5, 40)]]],
    [
      'the offset moved, still lag: stuck from now',
      [['t/0', stuck(5, 40)]],
      [p('t/0', 7, 12)],
      [['t/0', stuck(7, 100)]],
    ],
    ['caught up: no longer stuck', [['t/0', stuck(5, 40)]], [p('t/0', 12, 12)], []],
    ['no longer assigned: forgotten', [['t/0', stuck(5, 40)]], [p('t/1', 3, 3)], []],
    [
      'partitions apart',
      [
        ['t/0', stuck(5, 40)],
        ['t/1', stuck(2, 50)],
      ],
      [p('t/0', 5, 6), p('t/1', 4, 6), p('u/0', 0, 1)],
      [
        ['t/0', stuck(5, 40)],
        ['t/1', stuck(4, 100)],
        ['u/0', stuck(0, 100)],
      ],
    ],
  ])('%s', (_case, before, partitions, after) => {
    expect([...trackStuck(new Map(before), partitions, 100)]).toEqual(after);
  });

  it('earliestStuck: the oldest moment, undefined when none', () => {
    expect(earliestStuck(new Map())).toBeUndefined();
    expect(
      earliestStuck(
        new Map([
          ['a', stuck(1, 70)],
          ['b', stuck(1, 30)],
          ['c', stuck(1, 50)],
        ]),
      ),
    ).toBe(30);
  });
});
