import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const CHECKER = join(__dirname, 'check-seed.js');
const SEED = join(__dirname, 'catalogue.seed.json');

interface SeedMeasure {
  code: string;
  basis: { kind: string; document: string; number: string | null; article: string | null }[];
  basisPending: boolean;
  basisPendingReason: string | null;
}

/** Runs the seed checker on a seed, changed by `edit` (none: the seed as it is). */
function check(edit?: (measures: SeedMeasure[]) => void): { status: number | null; output: string } {
  let file = SEED;
  if (edit) {
    const seed = JSON.parse(readFileSync(SEED, 'utf8')) as { measures: SeedMeasure[] };
    edit(seed.measures);
    file = join(mkdtempSync(join(tmpdir(), 'seed-')), 'seed.json');
    writeFileSync(file, JSON.stringify(seed));
  }
  const run = spawnSync(process.execPath, [CHECKER, file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
const measure = (measures: SeedMeasure[], code: string) => measures.find((m) => m.code === code)!;

describe('check-seed.js: the seed’s bases (issue 19)', () => {
  it('passes the seed as it is', () => {
    const result = check();
    expect(result.status).toBe(0);
    expect(result.output).toContain('catalogue seed OK');
  });

  it.each<[string, (ms: SeedMeasure[]) => void, RegExp]>([
    [
      'an invented article',
      (ms) => (measure(ms, 'M05-01').basis[0].article = '第九十八条'),
      /M05-01 basis\[0\]: 药品管理法 第九十八条 is not among the memorandum's citations/,
    ],
    [
      'a law the memorandum does not cite',
      (ms) => measure(ms, 'M01-02').basis.unshift({ kind: 'law', document: '民事诉讼法', number: null, article: null }),
      /M01-02 basis\[0\]: 民事诉讼法 is not among/,
    ],
    [
      'a punishment neither based on law nor pending',
      (ms) => Object.assign(measure(ms, 'M01-02'), { basisPending: false, basisPendingReason: null }),
      /M01-02: a punishment without a legal basis item must be basisPending/,
    ],
    [
      'pending without a reason',
      (ms) => (measure(ms, 'M01-02').basisPendingReason = null),
      /M01-02: basisPendingReason must be a non-empty string exactly when basisPending/,
    ],
    [
      'a measure without its memorandum',
      (ms) => (measure(ms, 'M07-01').basis = []),
      /M07-01: basis must name its memorandum M07/,
    ],
    [
      'an unknown kind',
      (ms) => (measure(ms, 'M07-01').basis[0].kind = 'rule'),
      /M07-01 basis\[0\]: kind must be one of/,
    ],
  ])('fails on %s', (_name, edit, message) => {
    const result = check(edit);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(message);
  });
});
