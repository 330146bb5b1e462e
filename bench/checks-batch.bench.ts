import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { makeUscc, personalDataOf, SchemaProbe, ServiceProcess } from '@jrp/testing';
import { currentRssMb, peakRssMb, Results } from './support';

const RAILWAY = 'AH-RAILWAY'; // implements M01-01 on every 失信被执行人 entry
const TARGET_MS = 2000; // issue 19: 10,000 subjects against 100,000 listed ones in ≤ 2 s
const FIRST = 5_000_000; // the listed subjects: makeUscc(FIRST …); clear of the other parts' subjects

/** One Prometheus gauge of measures' /metrics, in MB, or null when it does not expose it. */
async function gaugeMb(measures: ServiceProcess, adminToken: string, name: string): Promise<number | null> {
  try {
    const res = await fetch(`${measures.url}/metrics`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Math.round(Number(line.split(' ').pop()) / 1024 / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Batch comparison (批量比对, issue 19): `listed` listed subjects written straight into measures'
 * entry_states (set-based, 10,000 a statement, as the other parts seed data), then one batch of
 * `batchSize` subjects, `listedShare` of them listed, timed end to end over HTTP, with measures' memory.
 */
export async function benchChecksBatch(
  measures: ServiceProcess,
  adminToken: string,
  probe: SchemaProbe,
  env: NodeJS.ProcessEnv,
  results: Results,
  listed = 100_000,
  batchSize = 10_000,
  listedShare = 0.1,
): Promise<void> {
  const personalData = personalDataOf(env);
  const keyOf = (n: number) => personalData.subjectKey('legal', makeUscc(n));
  for (let from = 0; from < listed; from += 10_000) {
    const ns = Array.from({ length: Math.min(10_000, listed - from) }, (_, i) => FIRST + from + i);
    await probe.query(
      `INSERT INTO entry_states (entry_id, version, status, list_type, subject_key, region, listed_at, subject, has_legal_representative, disputed)
       SELECT id, 1, 'active', 'BL-COURT-DEBTOR', key, '340100', DATE '2026-11-02',
              jsonb_build_object('kind', 'legal', 'name', '批量比对测试公司'), false, false
       FROM unnest($1::uuid[], $2::text[]) AS s(id, key)`,
      [ns.map(() => randomUUID()), ns.map(keyOf)],
    );
  }
  await probe.query(`ANALYZE entry_states`);
  const issued = await fetch(`${measures.url}/api/v1/admin/organizations/${RAILWAY}/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ label: 'bench-batch' }),
  });
  if (issued.status !== 201) throw new Error(`batch token: ${issued.status}`);
  const { token } = (await issued.json()) as { token: string };
  const listedRows = Math.round(batchSize * listedShare);
  const subjects = Array.from({ length: batchSize }, (_, i) =>
    // every tenth row listed, spread over the whole range; the rest on no list
    i % Math.round(1 / listedShare) === 0 && i / Math.round(1 / listedShare) < listedRows
      ? { uscc: makeUscc(FIRST + ((i * 7919) % listed)) }
      : { uscc: makeUscc(9_000_000 + i) },
  );
  const batch = async (reference: string) => {
    const started = performance.now();
    const res = await fetch(`${measures.url}/api/v1/checks/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ subjects, businessType: '政府采购', reference }),
    });
    const body = (await res.json()) as { listed?: number; checked?: number };
    const ms = Math.round(performance.now() - started);
    if (res.status !== 200 || body.checked !== batchSize)
      throw new Error(`batch: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return { ms, listed: body.listed! };
  };
  await batch('BENCH-WARM-UP'); // JIT, connection pool, the catalogue's first read
  const rssBefore = currentRssMb(measures.pid!);
  const run = await batch('BENCH-BATCH');
  const rssAfter = currentRssMb(measures.pid!);
  const heap = await gaugeMb(measures, adminToken, 'nodejs_heap_size_used_bytes');
  results.add(
    {
      name: `checks-batch: one batch of ${batchSize.toLocaleString('en-US')} subjects against ${listed.toLocaleString('en-US')} listed`,
      value: run.ms,
      unit: 'ms',
      target: `≤ ${TARGET_MS} ms`,
      note: `${run.listed} rows listed; JSON over HTTP, every row recorded as a check; second batch (after a warm-up one)`,
    },
    {
      name: 'checks-batch: measures resident memory after the batch',
      value: rssAfter,
      unit: 'MB',
      note: `${rssBefore} MB before it; peak so far ${peakRssMb(measures.pid!)} MB${heap === null ? '' : `; heap used ${heap} MB`}`,
    },
  );
  results.summary.checksBatch = {
    ms: run.ms,
    listed: run.listed,
    rssBeforeMb: rssBefore,
    rssAfterMb: rssAfter,
    heapUsedMb: heap,
  };
}
