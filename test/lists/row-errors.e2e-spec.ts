import { makeIdNumber, makeUscc, rawBody, waitFor } from '@jrp/testing';
import { useStandalone } from '../support/standalone';

const HEADERS = [
  '名单类型',
  '主体类别',
  '主体名称',
  '统一社会信用代码',
  '证件类型',
  '证件号码',
  '法定代表人',
  '法定代表人证件号码',
  '列入事由',
  '认定部门',
  '认定级别',
  '认定文号',
  '列入日期',
  '有效期至',
  '行政区划',
];

const csv = (data: string[][]) =>
  [HEADERS, ...data]
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\r\n') + '\r\n';

/** A good row of 失信被执行人名单 for a company (columns as HEADERS). */
const good = (tag: string, n: number): string[] => [
  '失信被执行人名单',
  '法人',
  `行错误测试公司${tag}${n}`,
  makeUscc(20000 + n),
  '',
  '',
  '张三',
  makeIdNumber(200 + n),
  '拒不履行',
  '合肥中院',
  '省级',
  `${tag}-${n}`,
  '2026-11-01',
  '',
  '340100',
];
const col = (header: string) => HEADERS.indexOf(header);
const withCell = (row: string[], header: string, value: string) => row.map((c, i) => (i === col(header) ? value : c));

/** Every bad value is a row error, never a job failure (issue 20, part 1). */
describe('row errors in imports and batches', () => {
  const suite = useStandalone('rowerr');

  async function upload(file: Buffer, name: string, fields: Record<string, string> = {}, code = 'AH-COURT') {
    const token = await suite.api.tokenOf(code);
    const req = suite.api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', file, name);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req;
  }

  async function finished(id: string, code = 'AH-COURT') {
    const token = await suite.api.tokenOf(code);
    return waitFor(
      `import ${id} finished`,
      async () => {
        const res = await suite.api.http().get(`/api/v1/lists/imports/${id}`).set('Authorization', `Bearer ${token}`);
        return ['done', 'failed'].includes(res.body.status) ? res.body : undefined;
      },
      30000,
    );
  }

  async function errorLines(id: string): Promise<string[]> {
    const token = await suite.api.tokenOf('AH-COURT');
    const res = await suite.api
      .http()
      .get(`/api/v1/lists/imports/${id}/errors`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(rawBody);
    return (res.body as Buffer).subarray(3).toString('utf8').trim().split(/\r?\n/).slice(1);
  }

  it('an import with an impossible date (month 13) imports the other rows and rejects that one', async () => {
    const rows = [good('d', 1), withCell(good('d', 2), '列入日期', '2026-13-01'), good('d', 3)];
    const res = await upload(Buffer.from(csv(rows), 'utf8'), 'month13.csv');
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ status: 'done', total: 3, created: 2, rejected: 1 });
    const lines = await errorLines(res.body.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^3,/);
    expect(lines[0]).toContain('列入日期');
  });
});
