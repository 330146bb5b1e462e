import ExcelJS from 'exceljs';
import { existsSync } from 'node:fs';
import iconv from 'iconv-lite';
import { makeIdNumber, makeUscc, rawBody, waitFor, IMPORT_HEADERS } from '@jrp/testing';
import { ImportErrorsRetentionJob } from '../../apps/list-ingestion/src/imports/import-errors-retention.job';
import { useStandalone } from '../support/standalone';

const HEADERS = IMPORT_HEADERS;

/** Rows 2–7 of every fixture: four good, two bad (a wrong USCC check character; a region outside Anhui). */
const rows = (tag: string, base: number): string[][] => [
  [
    '失信被执行人名单',
    '法人',
    `导入测试公司${tag}1`,
    makeUscc(base + 1),
    '',
    '',
    '张三',
    makeIdNumber(base + 1),
    '拒不履行',
    '合肥中院',
    '省级',
    `${tag}-1`,
    '2026-11-01',
    '',
    '340100',
  ],
  [
    'BL-COURT-DEBTOR',
    '自然人',
    `导入测试人${tag}2`,
    '',
    '居民身份证',
    makeIdNumber(base + 2),
    '',
    '',
    '拒不履行, 有能力',
    '合肥中院',
    '国家级',
    `${tag}-2`,
    '2026/11/2',
    '2029-11-01',
    '340104',
  ],
  [
    '失信被执行人名单',
    '法人',
    `导入测试公司${tag}3`,
    '91350100M000100Y44',
    '',
    '',
    '',
    '',
    '拒不履行',
    '合肥中院',
    '省级',
    `${tag}-3`,
    '2026-11-01',
    '',
    '340100',
  ],
  [
    '失信被执行人名单',
    '法人',
    `导入测试公司${tag}4`,
    makeUscc(base + 4),
    '',
    '',
    '',
    '',
    '拒不履行',
    '合肥中院',
    '市级',
    `${tag}-4`,
    '2026-11-01',
    '',
    '340100',
  ],
  [
    '失信被执行人名单',
    '自然人',
    `导入测试人${tag}5`,
    '',
    '护照',
    'E1234567',
    '',
    '',
    '拒不履行',
    '合肥中院',
    '省级',
    `${tag}-5`,
    '2026-11-01',
    '',
    '320100',
  ],
  [
    '失信被执行人名单',
    '法人',
    `导入测试公司${tag}6`,
    makeUscc(base + 6),
    '',
    '',
    '',
    '',
    '拒不履行',
    '合肥中院',
    '省级',
    `${tag}-6`,
    '2026-11-01',
    '',
    '341800',
  ],
];

const csv = (data: string[][]) =>
  [HEADERS, ...data]
    .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\r\n') + '\r\n';

async function xlsx(data: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单数据');
  ws.addRow(HEADERS);
  for (const r of data) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** File imports: CSV in UTF-8 and GB18030, XLSX, the template, the error file, full imports. */
describe('list imports', () => {
  const suite = useStandalone('imp');
  const { lists } = suite;
  const api = { tokenOf: (code: string) => suite.api.tokenOf(code), http: () => suite.api.http() };

  async function upload(file: Buffer, name: string, fields: Record<string, string> = {}, code = 'AH-COURT') {
    const token = await api.tokenOf(code);
    const req = api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', file, name);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req;
  }

  async function finished(id: string, code = 'AH-COURT') {
    const token = await api.tokenOf(code);
    return waitFor(
      `import ${id} finished`,
      async () => {
        const res = await api.http().get(`/api/v1/lists/imports/${id}`).set('Authorization', `Bearer ${token}`);
        return ['done', 'failed'].includes(res.body.status) ? res.body : undefined;
      },
      30000,
    );
  }

  it.each([
    ['UTF-8 CSV', 'u', 10000, (d: string[][]) => Promise.resolve(Buffer.from(csv(d), 'utf8')), 'names.csv'],
    [
      'UTF-8 CSV with a BOM',
      'b',
      10100,
      (d: string[][]) => Promise.resolve(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(d), 'utf8')])),
      'bom.csv',
    ],
    ['GB18030 CSV', 'g', 10200, (d: string[][]) => Promise.resolve(iconv.encode(csv(d), 'gb18030')), 'gbk.csv'],
    ['XLSX', 'x', 10300, xlsx, 'names.xlsx'],
  ] as const)('imports a %s with mixed rows: exact counts and exact error rows', async (_, tag, base, make, name) => {
    const res = await upload(await make(rows(tag, base)), name);
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job).toMatchObject({
      status: 'done',
      statusLabel: '已完成',
      total: 6,
      accepted: 4,
      created: 4,
      rejected: 2,
    });
    const [{ path }] = await lists.query<{ path: string }>(`SELECT file_path AS path FROM imports WHERE id = $1`, [
      res.body.id,
    ]);
    expect(existsSync(path)).toBe(false); // the upload is gone once its rows are stored
    const names = await lists.query<{ subject_name: string }>(
      `SELECT subject_name FROM list_entries WHERE document_no LIKE $1 ORDER BY document_no`,
      [`${tag}-%`],
    );
    expect(names.map((n) => n.subject_name)).toEqual([
      `导入测试公司${tag}1`,
      `导入测试人${tag}2`,
      `导入测试公司${tag}4`,
      `导入测试公司${tag}6`,
    ]);
    const [second] = await lists.query<{ listed_at: string; level: string; reason: string }>(
      `SELECT to_char(listed_at, 'YYYY-MM-DD') AS listed_at, identification_level AS level, reason FROM list_entries WHERE document_no = $1`,
      [`${tag}-2`],
    );
    expect(second).toEqual({ listed_at: '2026-11-02', level: 'national', reason: '拒不履行, 有能力' });

    const token = await api.tokenOf('AH-COURT');
    const errors = await api
      .http()
      .get(`/api/v1/lists/imports/${res.body.id}/errors`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(rawBody);
    const body = errors.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = body.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0].startsWith('行号,名单类型')).toBe(true);
    expect(lines[0].endsWith('错误原因')).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^4,/);
    expect(lines[1]).toContain('统一社会信用代码：校验位不正确');
    expect(lines[2]).toMatch(/^6,/);
    expect(lines[2]).toContain('行政区划：不是安徽省的行政区划代码');
  });

  it('refuses a file with a missing required column, as a failed job with the reason in Chinese', async () => {
    const bad = Buffer.from('名单类型,主体名称\r\n失信被执行人名单,某公司\r\n', 'utf8');
    const res = await upload(bad, 'missing.csv');
    const job = await finished(res.body.id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('主体类别');
  });

  it('refuses what is neither CSV nor XLSX, and a request without a file', async () => {
    expect((await upload(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]), 'scan.pdf')).status).toBe(400);
    const token = await api.tokenOf('AH-COURT');
    const none = await api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .field('mode', 'incremental');
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('file');
  });

  it('serves the template, which the import reads back', async () => {
    const token = await api.tokenOf('AH-COURT');
    const res = await api
      .http()
      .get('/api/v1/lists/imports/template')
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(rawBody);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const header = (wb.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(header).toEqual([...HEADERS, '告知书送达日期', '告知书文号']); // the notice columns are optional
    expect(wb.worksheets.map((w) => w.name)).toContain('填写说明');
  });

  it('removes the entries absent from a full import', async () => {
    const first = await upload(await xlsx(rows('f', 10400)), 'first.xlsx', {}, 'AH-COURT');
    await finished(first.body.id);
    const before = await lists.count(
      `SELECT * FROM list_entries WHERE published_by = 'AH-COURT' AND status = 'active'`,
    );
    const onlyTwo = rows('f', 10400).filter((_, i) => i === 0 || i === 3);
    const full = await upload(Buffer.from(csv(onlyTwo), 'utf8'), 'full.csv', {
      mode: 'full',
      listType: 'BL-COURT-DEBTOR',
      confirmRemovals: String(before - 2), // more than the default limit (10 %): confirmed
    });
    const job = await finished(full.body.id);
    expect(job).toMatchObject({ status: 'done', total: 2, unchanged: 2, removed: before - 2 });
    expect(await lists.count(`SELECT * FROM list_entries WHERE published_by = 'AH-COURT' AND status = 'active'`)).toBe(
      2,
    );
  });

  it('keeps rejected rows with identity numbers masked, audits their download, purges them after the retention', async () => {
    const id = makeIdNumber(10601);
    const grouped = `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8, 12)} ${id.slice(12, 16)} ${id.slice(16)}`;
    const masked = `${id.slice(0, 6)}************`;
    const [good] = rows('m', 10600);
    const rejected = [
      // a natural person outside Anhui: rejected with the ID number in the ID column
      [...good.slice(0, 1), '自然人', '导入测试人m1', '', '居民身份证', id, '', '', ...good.slice(8, 14), '320100'],
      // a legal rep's ID number written in groups, a wrong USCC, an ID number in the reason
      [
        ...good.slice(0, 3),
        '91350100M000100Y44',
        '',
        '',
        '张三',
        grouped,
        `法定代表人证件号${id}`,
        ...good.slice(9, 11),
        'm-2',
        ...good.slice(12),
      ],
      // an 18-character value that is no valid ID number, in the name column
      [...good.slice(0, 2), '3401-0219-8001-0199-99', ...good.slice(3, 11), 'm-3', '2026-11-01', '', '320100'],
    ];
    const res = await upload(Buffer.from(csv(rejected), 'utf8'), 'rejected.csv');
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ error: null, status: 'done', total: 3, rejected: 3 });
    const stored = await lists.query<{ values: Record<string, string>; reasons: string[] }>(
      `SELECT "values", reasons FROM import_errors WHERE import_id = $1 ORDER BY row`,
      [res.body.id],
    );
    expect(stored.map((r) => [r.values.idNumber, r.values.legalRepresentativeIdNumber, r.values.subjectName])).toEqual([
      [masked, undefined, '导入测试人m1'],
      [undefined, masked, good[2]],
      [undefined, masked, '340102************'], // the good row's legal representative, and a name like an ID
    ]);
    expect(stored[1].values.reason).toBe(`法定代表人证件号${masked}`);
    expect(stored[1].values.uscc).toBe('91350100M000100Y44'); // a USCC is not personal data
    expect(JSON.stringify(stored)).not.toContain(id.slice(6));

    const token = await api.tokenOf('AH-COURT');
    const download = await api
      .http()
      .get(`/api/v1/lists/imports/${res.body.id}/errors`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(rawBody);
    expect(download.status).toBe(200);
    const text = (download.body as Buffer).toString('utf8');
    expect(text).toContain(masked);
    expect(text).not.toContain(id.slice(6));
    expect(text.trim().split(/\r?\n/)).toHaveLength(4);
    const audited = await waitFor('the download in the audit trail', async () => {
      const [row] = await suite.measures.query<{ organization: string; service: string }>(
        `SELECT organization, service FROM audit_trail WHERE action = 'import.errors.read' AND object_type = 'import' AND object_id = $1`,
        [res.body.id],
      );
      return row;
    });
    expect(audited).toEqual({ organization: 'AH-COURT', service: 'list-ingestion' });

    // 90 days (the default) after the import finished, its rejected rows go; the import and its counts stay
    const retention = suite.app.get(ImportErrorsRetentionJob);
    expect(await retention.runOnce()).toBe(0);
    await lists.query(`UPDATE imports SET finished_at = now() - interval '91 days' WHERE id = $1`, [res.body.id]);
    expect(await retention.runOnce()).toBe(3);
    expect(await lists.count(`SELECT * FROM import_errors WHERE import_id = $1`, [res.body.id])).toBe(0);
    expect(await finished(res.body.id)).toMatchObject({ total: 3, rejected: 3 });
    const after = await api
      .http()
      .get(`/api/v1/lists/imports/${res.body.id}/errors`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(rawBody);
    expect((after.body as Buffer).toString('utf8').trim().split(/\r?\n/)).toHaveLength(1); // the header alone
  });

  it('keeps imports to their organisation', async () => {
    const res = await upload(Buffer.from(csv(rows('o', 10500).slice(0, 1)), 'utf8'), 'own.csv');
    const tax = await api.tokenOf('AH-TAX');
    expect(
      (await api.http().get(`/api/v1/lists/imports/${res.body.id}`).set('Authorization', `Bearer ${tax}`)).status,
    ).toBe(404);
    expect(
      (await api.http().get(`/api/v1/lists/imports/${res.body.id}/errors`).set('Authorization', `Bearer ${tax}`))
        .status,
    ).toBe(404);
    const office = await api.tokenOf('AH-CREDIT-OFFICE');
    expect(
      (await api.http().get(`/api/v1/lists/imports/${res.body.id}`).set('Authorization', `Bearer ${office}`)).status,
    ).toBe(200);
    const foreignFull = await upload(
      Buffer.from(csv([]), 'utf8'),
      'x.csv',
      { mode: 'full', listType: 'BL-COURT-DEBTOR' },
      'AH-TAX',
    );
    expect(foreignFull.status).toBe(403);
  });
});
