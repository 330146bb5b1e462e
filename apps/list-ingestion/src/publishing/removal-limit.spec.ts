import { decideRemovalLimit, RemovalLimitInput } from './removal-limit';

describe('decideRemovalLimit', () => {
  const cases: [
    string,
    RemovalLimitInput,
    { allowed: boolean; limit: number; reason?: string; confirmed?: boolean },
  ][] = [
    ['nothing to remove', { wouldRemove: 0, listed: 0 }, { allowed: true, limit: 1, confirmed: false }],
    ['default 10 %: 10 of 100', { wouldRemove: 10, listed: 100 }, { allowed: true, limit: 10 }],
    [
      'default 10 %: 11 of 100 refused',
      { wouldRemove: 11, listed: 100 },
      { allowed: false, limit: 10, reason: 'over-limit' },
    ],
    [
      'default rounds down: 19 entries allow 1',
      { wouldRemove: 2, listed: 19 },
      { allowed: false, limit: 1, reason: 'over-limit' },
    ],
    ['a tiny list may lose one', { wouldRemove: 1, listed: 3 }, { allowed: true, limit: 1 }],
    [
      'an empty push of a whole tiny list refused',
      { wouldRemove: 3, listed: 3 },
      { allowed: false, limit: 1, reason: 'over-limit' },
    ],
    [
      'an empty push of a list of 1000 refused',
      { wouldRemove: 1000, listed: 1000 },
      { allowed: false, limit: 100, reason: 'over-limit' },
    ],
    [
      'confirmed with the right number',
      { wouldRemove: 1000, listed: 1000, confirmRemovals: 1000 },
      { allowed: true, limit: 100, confirmed: true },
    ],
    [
      'confirmed with another number',
      { wouldRemove: 1000, listed: 1000, confirmRemovals: 999 },
      { allowed: false, limit: 100, reason: 'confirmation-mismatch' },
    ],
    [
      'a wrong confirmation refuses even under the limit',
      { wouldRemove: 1, listed: 100, confirmRemovals: 2 },
      { allowed: false, limit: 10, reason: 'confirmation-mismatch' },
    ],
    [
      'confirming zero removals',
      { wouldRemove: 0, listed: 100, confirmRemovals: 0 },
      { allowed: true, limit: 10, confirmed: true },
    ],
    [
      'maxRemovals 0 refuses any removal',
      { wouldRemove: 1, listed: 100, maxRemovals: 0 },
      { allowed: false, limit: 0, reason: 'over-limit' },
    ],
    ['maxRemovals above the default', { wouldRemove: 50, listed: 100, maxRemovals: 50 }, { allowed: true, limit: 50 }],
    [
      'maxRemovals wins over the share',
      { wouldRemove: 5, listed: 100, maxRemovals: 5, maxRemovalShare: 0 },
      { allowed: true, limit: 5 },
    ],
    [
      'maxRemovalShare 0.25 of 10 → 2',
      { wouldRemove: 3, listed: 10, maxRemovalShare: 0.25 },
      { allowed: false, limit: 2, reason: 'over-limit' },
    ],
    ['maxRemovalShare 1 allows all', { wouldRemove: 10, listed: 10, maxRemovalShare: 1 }, { allowed: true, limit: 10 }],
    [
      'maxRemovalShare 0.3 of 10 is 3 despite floating point',
      { wouldRemove: 3, listed: 10, maxRemovalShare: 0.3 },
      { allowed: true, limit: 3 },
    ],
    [
      'an explicit share has no minimum',
      { wouldRemove: 1, listed: 5, maxRemovalShare: 0.1 },
      { allowed: false, limit: 0, reason: 'over-limit' },
    ],
  ];
  it.each(cases)('%s', (_, input, expected) => {
    const verdict = decideRemovalLimit(input);
    expect(verdict).toMatchObject(expected);
    if (!verdict.allowed) expect(verdict.message).toContain(String(input.wouldRemove));
  });
});
