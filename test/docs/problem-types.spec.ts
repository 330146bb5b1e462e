// The problem types page (docs/problems.md) lists exactly the codes jrp can answer: those of
// libs/http/src/problem-types.ts, with their statuses and Chinese summaries, and every code the code base
// names in an exception body is one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROBLEM_TYPES } from '../../libs/http/src/problem-types';

const ROOT = resolve(__dirname, '../..');

function sources(folder: string, into: string[] = []): string[] {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) sources(path, into);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) into.push(path);
  }
  return into;
}

describe('docs/problems.md', () => {
  const page = readFileSync(join(ROOT, 'docs/problems.md'), 'utf8');
  const rows = [...page.matchAll(/^\| `([a-z/-]+)` \| (\d{3}) \| ([^|]+) \|/gm)].map((m) => ({
    code: m[1],
    status: Number(m[2]),
    zh: m[3].trim(),
  }));

  it('lists every problem type with its status and Chinese summary, and nothing else', () => {
    expect(rows).toEqual(
      Object.entries(PROBLEM_TYPES).map(([code, kind]) => ({ code, status: kind.status, zh: kind.zh })),
    );
  });

  it('knows every code the code base names in an error answer', () => {
    const named = new Set<string>();
    for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
      if (file.includes(join('libs', 'api-client'))) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z]+(?:[/-][a-z]+)*)',\s*\n?\s*detail:/g))
        named.add(m[1]);
    }
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((code) => !(code in PROBLEM_TYPES))).toEqual([]);
  });
});
