import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inTransaction } from '@jrp/database';
import { makeUscc, waitFor } from '@jrp/testing';
import { ImportsRepository } from '../../apps/list-ingestion/src/imports/imports.repository';
import { useStandalone } from '../support/standalone';

const MiB = 1024 * 1024;
const HEADERS = '名单类型,主体类别,主体名称,统一社会信用代码,列入事由,认定部门,认定级别,认定文号,列入日期,行政区划';

/** A CSV of `count` valid legal-person rows of `listType`: each row publishes an entry, so a big one runs for a while. */
function csv(listType: string, tag: string, base: number, count: number): Buffer {
  const lines = [HEADERS];
  for (let i = 0; i < count; i++)
    lines.push(
      `${listType},法人,排队测试公司${tag}${i},${makeUscc(base + i)},拒不履行,认定部门,省级,${tag}-${i},2026-11-01,340100`,
    );
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Big enough to run for seconds (each row an entry, its events and tasks), small enough for the quota below. */
const BIG_ROWS = 8000;

interface Job {
  id: string;
  status: string;
  error: string | null;
  total: number;
  created: number;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * Imports queue per organisation (JRP_IMPORTS_PER_ORGANIZATION=1 here), within a quota of upload bytes
 * per organisation (4 MiB here); a job whose file is gone ends failed with a reason in Chinese.
 */
describe('import queue', () => {
  const suite = useStandalone('impq', {
    JRP_IMPORTS_PER_ORGANIZATION: '1',
    JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION: String(4 * MiB),
  });
  const uploads = () => join(suite.env.JRP_DATA_DIR!, 'imports');

  async function upload(file: Buffer, code: string) {
    const token = await suite.api.tokenOf(code);
    return suite.api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', file, 'list.csv');
  }

  async function job(id: string, code: string): Promise<Job> {
    const token = await suite.api.tokenOf(code);
    const res = await suite.api.http().get(`/api/v1/lists/imports/${id}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as Job;
  }

  const finished = (id: string, code: string) =>
    waitFor(
      `import ${id} finished`,
      async () => {
        const j = await job(id, code);
        return ['done', 'failed'].includes(j.status) ? j : undefined;
      },
      120000,
    );

  const at = (iso: string | null) => Date.parse(iso!);

  it('runs one job of an organisation at a time, the next once it ends; another organisation is not held behind', async () => {
    const first = await upload(csv('BL-COURT-DEBTOR', 'qa', 200000, BIG_ROWS), 'AH-COURT');
    const second = await upload(csv('BL-COURT-DEBTOR', 'qb', 210000, 3), 'AH-COURT');
    const other = await upload(csv('BL-TAX-MAJOR-CASE', 'qc', 220000, 3), 'AH-TAX');
    expect([first.status, second.status, other.status]).toEqual([202, 202, 202]);
    expect(second.body.status).toBe('queued');

    // while the first runs, the second waits
    const seen = await waitFor('the first running', async () => {
      const [a, b] = [await job(first.body.id, 'AH-COURT'), await job(second.body.id, 'AH-COURT')];
      return a.status === 'running' ? { a, b } : undefined;
    });
    expect(seen.b.status).toBe('queued');
    expect(seen.b.startedAt).toBeNull();

    const [a, b, c] = [
      await finished(first.body.id, 'AH-COURT'),
      await finished(second.body.id, 'AH-COURT'),
      await finished(other.body.id, 'AH-TAX'),
    ];
    expect([a.status, a.total, a.created]).toEqual(['done', BIG_ROWS, BIG_ROWS]);
    expect([b.status, b.created, c.status, c.created]).toEqual(['done', 3, 'done', 3]);
    expect(at(b.startedAt)).toBeGreaterThanOrEqual(at(a.finishedAt)); // the second started once the first ended
    expect(at(c.startedAt)).toBeLessThan(at(a.finishedAt)); // the tax office's ran beside the court's first
    expect(at(c.finishedAt)).toBeLessThan(at(a.finishedAt));
  });

  it('refuses an upload beyond the quota (413 alone, 429 with the jobs pending) and stores nothing; counts other replicas’ jobs', async () => {
    const template = await upload(csv('BL-COURT-DEBTOR', 'qt', 229000, 1), 'AH-COURT');
    await finished(template.body.id, 'AH-COURT');
    const filesBefore = readdirSync(uploads()).sort();
    const jobsBefore = await suite.lists.count(`SELECT * FROM imports`);

    // alone larger than the quota
    const huge = Buffer.concat([csv('BL-COURT-DEBTOR', 'qd', 230000, 1), Buffer.alloc(4 * MiB, '\n')]);
    const tooLarge = await upload(huge, 'AH-COURT');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.errors).toEqual([
      { field: 'file', message: expect.stringContaining('超过本单位的导入配额（4.0 MB）') },
    ]);
    expect(tooLarge.body.detail).toContain("larger than the organisation's import quota");

    // another replica (another upload folder) is running a 3.5 MiB import of the court: 1 MiB more does not fit
    const elsewhere = '00000000-0000-4000-8000-000000000001';
    await suite.lists.query(
      `INSERT INTO imports (id, organization, principal, request_id, source_address, original_name, format, file_path,
                            mode, status, file_bytes, folder, started_at, progress_at)
       SELECT $2, 'AH-COURT', principal, request_id, source_address, 'elsewhere.csv', 'csv', '/elsewhere/file',
              'incremental', 'running', $3, 'another-replica', now(), now() FROM imports WHERE id = $1`,
      [template.body.id, elsewhere, 3.5 * MiB],
    );
    const mebibyte = Buffer.concat([csv('BL-COURT-DEBTOR', 'qe', 240000, 1), Buffer.alloc(MiB, '\n')]);
    const busy = await upload(mebibyte, 'AH-COURT');
    expect(busy.status).toBe(429);
    expect(busy.body.errors[0]).toEqual({
      field: 'file',
      message: expect.stringContaining('本单位排队中和导入中的文件已占用 3.5 MB'),
    });
    expect(readdirSync(uploads()).sort()).toEqual(filesBefore);
    expect(await suite.lists.count(`SELECT * FROM imports`)).toBe(jobsBefore + 1); // the other replica's only

    // a small one fits, and waits: the court's one slot is the other replica's
    const small = await upload(csv('BL-COURT-DEBTOR', 'qf', 250000, 2), 'AH-COURT');
    expect(small.status).toBe(202);
    // the tax office's upload, after it, runs: the queue has looked at the court's since, and left it waiting
    const tax = await upload(csv('BL-TAX-MAJOR-CASE', 'qk', 260000, 1), 'AH-TAX');
    expect(await finished(tax.body.id, 'AH-TAX')).toMatchObject({ status: 'done', created: 1 });
    expect(await job(small.body.id, 'AH-COURT')).toMatchObject({ status: 'queued', startedAt: null });

    // the other replica finishes: the slot frees, this replica picks the job up (it looks every few seconds)
    await suite.lists.query(`UPDATE imports SET status = 'done', finished_at = now() WHERE id = $1`, [elsewhere]);
    expect(await finished(small.body.id, 'AH-COURT')).toMatchObject({ status: 'done', created: 2 });
    expect((await upload(mebibyte, 'AH-COURT')).status).toBe(202); // within the quota again
  });

  it('fails a queued job whose file was deleted before the service restarts, with the reason; the running one resumes', async () => {
    const first = await upload(csv('BL-COURT-DEBTOR', 'qg', 300000, BIG_ROWS), 'AH-COURT');
    const second = await upload(csv('BL-COURT-DEBTOR', 'qh', 310000, 3), 'AH-COURT');
    await waitFor('the first running, the second queued', async () => {
      const [a, b] = [await job(first.body.id, 'AH-COURT'), await job(second.body.id, 'AH-COURT')];
      return a.status === 'running' && b.status === 'queued' ? true : undefined;
    });
    const [{ path }] = await suite.lists.query<{ path: string }>(
      `SELECT file_path AS path FROM imports WHERE id = $1`,
      [second.body.id],
    );
    rmSync(path);

    await suite.restart();

    const b = await finished(second.body.id, 'AH-COURT');
    expect(b).toMatchObject({ status: 'failed', error: '导入文件已丢失，请重新上传' });
    expect(b.startedAt).toBeNull(); // failed where it waited, never started
    const a = await finished(first.body.id, 'AH-COURT');
    expect([a.status, a.total, a.created + (a as Job & { unchanged: number }).unchanged]).toEqual([
      'done',
      BIG_ROWS,
      BIG_ROWS,
    ]);
    const [{ path: firstPath }] = await suite.lists.query<{ path: string }>(
      `SELECT file_path AS path FROM imports WHERE id = $1`,
      [first.body.id],
    );
    expect(existsSync(firstPath)).toBe(false);
  });

  it('never fills one slot twice: of 12 concurrent claims (as from 12 replicas) of one organisation, as many succeed as it has slots', async () => {
    const repository = suite.app.get(ImportsRepository);
    const dataSource = suite.app.get<DataSource>(getDataSourceToken('list-ingestion'));
    const ids = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`);
    // queued jobs of the statistics bureau in another replica's folder: this replica's queue leaves them alone
    for (const id of ids)
      await suite.lists.query(
        `INSERT INTO imports (id, organization, principal, request_id, source_address, original_name, format, file_path,
                              mode, status, file_bytes, folder)
         VALUES ($1, 'AH-STATS', '{}', '', '', 'x.csv', 'csv', '/elsewhere/x', 'incremental', 'queued', 1, 'another-replica')`,
        [id],
      );
    const claims = await Promise.all(
      ids.map((id) =>
        inTransaction(dataSource, async () => {
          await repository.lockOrganization('AH-STATS');
          return repository.claim(id, 'AH-STATS', 2);
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(2);
    expect(
      await suite.lists.count(`SELECT * FROM imports WHERE organization = 'AH-STATS' AND status = 'running'`),
    ).toBe(2);
    // a slot frees: exactly one more
    await suite.lists.query(`UPDATE imports SET status = 'done' WHERE id = $1`, [claims.find(Boolean)!.id]);
    const again = await Promise.all(
      ids.map((id) =>
        inTransaction(dataSource, async () => {
          await repository.lockOrganization('AH-STATS');
          return repository.claim(id, 'AH-STATS', 2);
        }),
      ),
    );
    expect(again.filter(Boolean)).toHaveLength(1);
    await suite.lists.query(`UPDATE imports SET status = 'done' WHERE organization = 'AH-STATS'`);
  });
});
