import { performance } from 'node:perf_hooks';
import { makeUscc, personalDataOf, SchemaProbe, ServiceProcess, waitFor } from '@jrp/testing';
import { currentRssMb, Results } from './support';
import { targetOf, targetText } from './targets';

const RAILWAY = 'AH-RAILWAY';
/** The subjects this part lists: makeUscc(FIRST …), clear of the other parts' (the unlisted checks use 9,000,000 …). */
const FIRST = 10_000_000;
const ROWS_PER_STATEMENT = 100_000;
/** How long measures may take to have its index complete after it answers /health. */
const REBUILD_TIMEOUT_MS = 10 * 60 * 1000;

/** measures' /metrics as name → value (the samples without labels, and each labelled one under its full name). */
async function metricsOf(measures: ServiceProcess): Promise<Map<string, number>> {
  const res = await fetch(`${measures.url}/metrics`);
  const metrics = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const at = line.lastIndexOf(' ');
    metrics.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return metrics;
}

/** The check index's own metrics (any metric whose name speaks of it), e.g. its keys, bytes and completeness. */
const indexMetrics = (metrics: Map<string, number>) => [...metrics].filter(([name]) => /check_index/.test(name));
/** Whether the index says it is complete; undefined when measures exposes no such metric. */
function indexComplete(metrics: Map<string, number>): boolean | undefined {
  const found = indexMetrics(metrics).find(([name]) => /complete|ready/.test(name));
  return found ? found[1] === 1 : undefined;
}

/**
 * The check index's memory (issue 21): measures with `subjects` subjects in force, written straight
 * into its entry_states as the checks-batch part does (set-based, no tasks; legal subjects, each with a
 * legal representative of its own, so the index holds two keys a subject), as many as are missing
 * beside what earlier parts listed. measures restarts and rebuilds its index from them: the seconds
 * until it answers /health and until its index says it is complete (when /metrics shows it), then
 * after `idleSeconds` idle its resident memory (VmRSS). Two checks after the rebuild, one subject of
 * this part and one on no list, must answer listed and not listed.
 */
export async function benchCheckIndex(
  measures: ServiceProcess,
  stop: (service: ServiceProcess) => Promise<void>,
  adminToken: string,
  probe: SchemaProbe,
  env: NodeJS.ProcessEnv,
  options: { subjects: number; idleSeconds: number },
  results: Results,
): Promise<void> {
  const inForce = async () =>
    Number(
      (
        await probe.query<{ n: string }>(
          `SELECT count(DISTINCT subject_key) AS n FROM entry_states WHERE status IN ('active', 'watch')`,
        )
      )[0].n,
    );
  const before = await inForce();
  const added = Math.max(0, options.subjects - before);
  const writeStarted = performance.now();
  // keys shaped as measures' keyed hashes (64 hex characters, uniform), made by PostgreSQL itself: computing
  // two million HMAC-SM3 keys here would take minutes, and the index holds keys, not identifiers. The
  // last subject's key is computed as measures computes it, for the check after the restart.
  for (let from = 0; from < added; from += ROWS_PER_STATEMENT) {
    await probe.query(
      `INSERT INTO entry_states (entry_id, version, status, list_type, subject_key, representative_key, region, listed_at, subject, has_legal_representative, disputed)
       SELECT gen_random_uuid(), 1, 'active', 'BL-COURT-DEBTOR',
              encode(sha256(convert_to('bench-subject-' || n, 'UTF8')), 'hex'),
              encode(sha256(convert_to('bench-representative-' || n, 'UTF8')), 'hex'),
              '340100', DATE '2026-11-02', jsonb_build_object('kind', 'legal', 'name', '检查索引测试公司'), true, false
       FROM generate_series($1::bigint, $2::bigint) AS n`,
      [FIRST + from, FIRST + Math.min(from + ROWS_PER_STATEMENT, added) - 1],
    );
  }
  const lastSubject = makeUscc(FIRST + added - 1);
  if (added > 0)
    await probe.query(
      `UPDATE entry_states SET subject_key = $1 WHERE subject_key = encode(sha256(convert_to($2, 'UTF8')), 'hex')`,
      [personalDataOf(env).subjectKey('legal', lastSubject), `bench-subject-${FIRST + added - 1}`],
    );
  await probe.query(`ANALYZE entry_states`);
  const writeSeconds = Math.round((performance.now() - writeStarted) / 100) / 10;
  const subjects = await inForce();
  const [{ keys }] = await probe.query<{ keys: string }>(
    `SELECT count(*) AS keys FROM (
       SELECT subject_key FROM entry_states WHERE status IN ('active', 'watch')
       UNION SELECT representative_key FROM entry_states WHERE status IN ('active', 'watch') AND representative_key IS NOT NULL) k`,
  );
  results.say(
    `check-index: ${added.toLocaleString('en-US')} subjects written in ${writeSeconds} s beside ${before.toLocaleString('en-US')} in force; measures restarts on ${subjects.toLocaleString('en-US')} subjects (${Number(keys).toLocaleString('en-US')} keys)`,
  );

  await stop(measures);
  const started = performance.now();
  await measures.start();
  const healthySeconds = Math.round((performance.now() - started) / 100) / 10;
  // the index may be rebuilt after the process answers /health (checks read the database meanwhile)
  const exposed = indexComplete(await metricsOf(measures)) !== undefined;
  if (exposed)
    await waitFor(
      'the check index complete',
      async () => indexComplete(await metricsOf(measures)),
      REBUILD_TIMEOUT_MS,
      100,
    );
  const rebuildSeconds = Math.round((performance.now() - started) / 100) / 10;

  // the index answers for the subjects of this part, and not for others
  const issued = await fetch(`${measures.url}/api/v1/admin/organizations/${RAILWAY}/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ label: 'bench check-index' }),
  });
  if (issued.status !== 201) throw new Error(`check-index token: ${issued.status}`);
  const { token } = (await issued.json()) as { token: string };
  const check = async (uscc: string, reference: string) => {
    const res = await fetch(`${measures.url}/api/v1/checks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: { uscc }, businessType: '行政许可', reference }),
    });
    if (res.status !== 200) throw new Error(`check-index: check ${res.status} ${(await res.text()).slice(0, 300)}`);
    return ((await res.json()) as { listed: boolean }).listed;
  };
  if (added > 0 && !(await check(lastSubject, 'BENCH-INDEX-LISTED')))
    throw new Error('check-index: a subject of the part is not listed after the restart');
  if (await check(makeUscc(FIRST - 1), 'BENCH-INDEX-UNLISTED'))
    throw new Error('check-index: a subject on no list is listed after the restart');

  await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
  const idleRssMb = currentRssMb(measures.pid!);
  const metrics = await metricsOf(measures);
  const heapUsed = metrics.get('nodejs_heap_size_used_bytes');
  const heapUsedMb = heapUsed === undefined ? null : Math.round(heapUsed / 2 ** 20);
  const index = Object.fromEntries(indexMetrics(metrics));
  const label = `${subjects.toLocaleString('en-US')} subjects in force (${Number(keys).toLocaleString('en-US')} keys)`;
  results.add(
    {
      name: `check-index: measures resident when idle with ${label}`,
      value: idleRssMb,
      unit: 'MB',
      target: targetText(targetOf('measuresIdleMbWithCheckIndex')),
      note: `after a restart and ${options.idleSeconds} s idle${heapUsedMb === null ? '' : `; heap used ${heapUsedMb} MB`}; ${
        exposed
          ? `index: ${Object.entries(index)
              .map(([name, value]) => `${name} ${value}`)
              .join(', ')}`
          : 'measures exposes no check index metric'
      }`,
    },
    {
      name: `check-index: measures restart until ${exposed ? 'its check index is complete' : 'it answers /health (no index metric)'}`,
      value: rebuildSeconds,
      unit: 's',
      note: `answered /health after ${healthySeconds} s; the ${added.toLocaleString('en-US')} subjects written in ${writeSeconds} s before it`,
    },
  );
  results.summary.checkIndex = {
    subjects,
    keys: Number(keys),
    added,
    writeSeconds,
    healthySeconds,
    rebuildSeconds,
    indexExposed: exposed,
    index,
    idleRssMb,
    heapUsedMb,
  };
}
