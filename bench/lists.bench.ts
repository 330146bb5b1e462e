import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { makeIdNumber, makeUscc, ServiceProcess, waitFor } from '@jrp/testing';
import { publishCourtDebtors, Results } from './support';

const HEADER =
  '名单类型,主体类别,主体名称,统一社会信用代码,证件类型,证件号码,法定代表人,法定代表人证件号码,列入事由,认定部门,认定级别,认定文号,列入日期,有效期至,行政区划\r\n';

/** A CSV of `rows` court-debtor entries (legal subjects with a legal representative), written as a stream. */
async function writeCsv(path: string, rows: number, offset: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER);
  for (let i = 0; i < rows; i++) {
    const n = offset + i;
    const line = `失信被执行人名单,法人,基准测试公司${n},${makeUscc(n)},,,法定代表人${n % 1000},${makeIdNumber(n)},有履行能力而拒不履行,合肥市中级人民法院,省级,（2026）皖01执${n}号,2026-11-01,,340100\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Import rate of a `rows`-row file (upload → done), then the batch API's rate on 5 batches of 10,000 entries. */
export async function benchLists(
  listIngestion: ServiceProcess,
  token: string,
  dir: string,
  rows: number,
  results: Results,
): Promise<void> {
  const auth = { Authorization: `Bearer ${token}` };
  const file = join(dir, 'import.csv');
  await writeCsv(file, rows, 1_000_000);
  const form = new FormData();
  form.append('file', new Blob([await import('node:fs').then((fs) => fs.readFileSync(file))]), 'import.csv');
  const started = Date.now();
  const upload = await fetch(`${listIngestion.url}/api/v1/lists/imports`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  if (upload.status !== 202) throw new Error(`import refused: ${upload.status} ${await upload.text()}`);
  const { id } = (await upload.json()) as { id: string };
  const job = await waitFor(
    'import done',
    async () => {
      const res = await fetch(`${listIngestion.url}/api/v1/lists/imports/${id}`, { headers: auth });
      const body = (await res.json()) as { status: string; accepted: number; rejected: number };
      return body.status === 'done' || body.status === 'failed' ? body : undefined;
    },
    30 * 60 * 1000,
    500,
  );
  const importSeconds = (Date.now() - started) / 1000;
  if (job.status !== 'done' || job.accepted !== rows) throw new Error(`import ended ${JSON.stringify(job)}`);
  results.add({
    name: `import: ${rows.toLocaleString('en-US')}-row CSV (upload → done)`,
    value: Math.round(rows / importSeconds),
    unit: 'entries/s',
    note: `${importSeconds.toFixed(1)} s`,
  });

  const batches = 5;
  const batchSize = 10000;
  const batchStarted = Date.now();
  await publishCourtDebtors(listIngestion, token, 2_000_000, batches * batchSize);
  const batchSeconds = (Date.now() - batchStarted) / 1000;
  results.add({
    name: 'batch API: 5 × 10,000 entries',
    value: Math.round((batches * batchSize) / batchSeconds),
    unit: 'entries/s',
    note: `${batchSeconds.toFixed(1)} s`,
  });
  results.summary.lists = {
    importRows: rows,
    importEntriesPerSecond: Math.round(rows / importSeconds),
    batchEntriesPerSecond: Math.round((batches * batchSize) / batchSeconds),
  };
}
