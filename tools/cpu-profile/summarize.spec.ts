import { CpuProfile, moduleOf, summarize } from './summarize';

describe('moduleOf', () => {
  it.each([
    ['file:///w/node_modules/pg/lib/client.js', 'query', 'pg'],
    ['file:///w/node_modules/@nestjs/core/router/x.js', 'f', '@nestjs/core'],
    ['file:///w/node_modules/a/node_modules/b/index.js', 'f', 'b'],
    ['node:internal/streams/writable', 'write', 'node:streams'],
    ['node:net', 'write', 'node:net'],
    ['file:///w/dist/libs/http/src/idempotency/x.js', 'f', 'libs/http'],
    ['file:///w/dist/apps/measures/src/tasks/task-writer.js', 'f', 'apps/measures/tasks'],
    ['', '(garbage collector)', '(garbage collector)'],
    ['', 'writev', '(native)'],
  ])('%s %s → %s', (url, fn, module) => expect(moduleOf(url, fn)).toBe(module));
});

describe('summarize', () => {
  // root → a (pg) → b (own code); idle apart
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
      { id: 2, callFrame: { functionName: 'a', url: 'file:///w/node_modules/pg/x.js', lineNumber: 0 }, children: [3] },
      { id: 3, callFrame: { functionName: 'b', url: 'file:///w/dist/libs/http/src/y.js', lineNumber: 9 } },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    ],
    startTime: 0,
    endTime: 3_000_000,
    // a sample lasts until the next one: a 1 ms, b 2 ms, idle 1 ms, a 1 ms (second 1), the last has no length
    samples: [2, 3, 4, 2, 3],
    timeDeltas: [0, 1000, 2000, 1000, 996_000],
  };

  it('sums self time by function and module, idle apart, and inclusive time of named functions', () => {
    const s = summarize(profile, { inclusive: ['a'] });
    expect(s.busyMs).toBe(999);
    expect(s.idleMs).toBe(1);
    expect(s.functions[0]).toEqual({ name: 'a (pg/x.js:1)', ms: 997, share: 99.8 });
    expect(s.functions[1]).toEqual({ name: 'b (libs/http/src/y.js:10)', ms: 2, share: 0.2 });
    expect(s.modules.map((m) => m.name)).toEqual(['pg', 'libs/http']);
    expect(s.inclusive).toEqual([{ name: 'a', ms: 999, share: 100 }]);
    expect(s.perSecond).toEqual([999]);
  });

  it('keeps to the window', () => {
    const s = summarize(profile, { from: 0, to: 0.0025 });
    expect(s.busyMs).toBe(3);
    expect(s.functions.map((f) => [f.name, f.ms])).toEqual([
      ['b (libs/http/src/y.js:10)', 2],
      ['a (pg/x.js:1)', 1],
    ]);
  });
});
