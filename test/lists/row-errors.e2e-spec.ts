import { makeIdNumber, makeUscc, rawBody, waitFor, IMPORT_HEADERS } from '@jrp/testing';
import { courtEntry, COURT } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const HEADERS = IMPORT_HEADERS;

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

  it('an import with one bad cell of each kind imports the good rows and lists the bad ones with Chinese reasons', async () => {
    const bad: [string, string, string, RegExp][] = [
      ['列入日期', '2026-13-01', '列入日期', /不是有效的日期/],
      ['有效期至', '2027-02-30', '有效期至', /不是有效的日期/],
      ['列入日期', '2026年11月', '列入日期', /日期格式应为YYYY-MM-DD/],
      ['主体名称', '长'.repeat(201), '主体名称', /内容过长/],
      ['列入事由', '事'.repeat(1001), '列入事由', /内容过长/],
      ['主体类别', '公司', '主体类别', /应为"法人"或"自然人"/],
      ['认定级别', '县级', '认定级别', /应为"国家级"、"省级"或"市级"/],
      ['统一社会信用代码', '91350100M000100Y44', '统一社会信用代码', /校验位不正确/],
      ['法定代表人证件号码', '340102198001012001', '法定代表人证件号码', /校验位不正确/],
      ['行政区划', '999999', '行政区划', /不是安徽省的行政区划代码/],
      ['名单类型', '不存在的名单', '名单类型', /名单类型不存在/],
      ['主体名称', '某\u0000公司', '主体名称', /含有空字符/],
      ['列入事由', '拒不履行\u0007', '列入事由', /含有控制字符/],
      ['认定部门', '\u001B[31m合肥中院', '认定部门', /含有控制字符/],
    ];
    const rows: string[][] = [good('k', 100)];
    bad.forEach(([header, value], i) => rows.push(withCell(good('k', i + 1), header, value)));
    rows.push(good('k', 101));
    const res = await upload(Buffer.from(csv(rows), 'utf8'), 'every-kind.csv');
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ status: 'done', error: null, total: bad.length + 2, created: 2, rejected: bad.length });
    const lines = await errorLines(res.body.id);
    expect(lines).toHaveLength(bad.length);
    const stored = await suite.lists.query<{ row: number; reasons: string[] }>(
      `SELECT row, reasons FROM import_errors WHERE import_id = $1 ORDER BY row`,
      [res.body.id],
    );
    bad.forEach(([, , column, reason], i) => {
      const row = i + 3; // row 1 is the header, row 2 the first good one
      expect(lines.some((l) => l.startsWith(`${row},`))).toBe(true);
      const reasons = stored.find((r) => r.row === row)!.reasons.join('；');
      expect(reasons).toContain(`${column}：`);
      expect(reasons).toMatch(reason);
    });
    // the rejected NUL is kept as U+FFFD, with its row
    const [nul] = await suite.lists.query<{ values: Record<string, string> }>(
      `SELECT "values" FROM import_errors WHERE import_id = $1 AND row = $2`,
      [res.body.id, 3 + 11],
    );
    expect(nul.values.subjectName).toBe('某\uFFFD公司');
    expect(await suite.lists.count(`SELECT * FROM list_entries WHERE document_no LIKE 'k-%'`)).toBe(2);
  });

  it('a batch rejects each bad entry on its own with its field; the others are stored', async () => {
    const bad: [object, string][] = [
      [courtEntry(9101, { listedAt: '2026-13-01' }), 'listedAt'],
      [courtEntry(9102, { validUntil: '2026-02-29' }), 'validUntil'],
      [courtEntry(9103, { amount: '12345678901234567.00' }), 'amount'],
      [courtEntry(9104, { amount: '-1' }), 'amount'],
      [courtEntry(9105, { reason: '理由\u0000' }), 'reason'],
      [courtEntry(9106, { documentNo: '（2026）\uD800号' }), 'documentNo'],
      [courtEntry(9107, { decidedBy: '合肥\u0085中院' }), 'decidedBy'],
      [courtEntry(9108, { subject: { ...courtEntry(9108).subject, name: 'x'.repeat(201) } }), 'subject.name'],
      [courtEntry(9109, { region: '340199' }), 'region'],
      [courtEntry(9110, { grade: 'extreme' }), 'grade'],
      [courtEntry(9111, { identificationLevel: 'county' }), 'identificationLevel'],
      [{ ...courtEntry(9112), ['x\u0000']: 1 }, 'x\uFFFD'],
    ];
    const entries = [courtEntry(9100), ...bad.map(([e]) => e), courtEntry(9199)];
    const before = await suite.lists.count(`SELECT * FROM list_entries`);
    const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries/batch', { entries });
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ created: 2, rejected: bad.length });
    bad.forEach(([, field], i) => {
      const result = res.body.results[i + 1];
      expect(result.status).toBe('rejected');
      expect(result.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
    expect(await suite.lists.count(`SELECT * FROM list_entries`)).toBe(before + 2);
  });

  it('a single publish or correction with a bad text or date answers 400 with the field, nothing stored', async () => {
    const token = await suite.api.tokenOf(COURT);
    const before = await suite.lists.count(`SELECT * FROM list_entries`);
    for (const [body, field] of [
      [courtEntry(9201, { reason: 'a\u0000b' }), 'reason'],
      [courtEntry(9202, { subject: { ...courtEntry(9202).subject, name: '\uDC00' } }), 'subject.name'],
      [courtEntry(9203, { listedAt: '2026-02-30' }), 'listedAt'],
    ] as [object, string][]) {
      const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await suite.lists.count(`SELECT * FROM list_entries`)).toBe(before);
    const entry = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(9204));
    expect(entry.status).toBe(201);
    for (const [body, field] of [
      [{ correctionReason: '更正', reason: '\u0000' }, 'reason'],
      [{ correctionReason: '更正\u0007' }, 'correctionReason'],
      [{ correctionReason: '更正', validUntil: '2027-04-31' }, 'validUntil'],
      [{ correctionReason: '更正', listedAt: '2026-00-10' }, 'listedAt'],
    ] as [object, string][]) {
      const res = await suite.api
        .http()
        .patch(`/api/v1/lists/entries/${entry.body.id}`)
        .set('Authorization', `Bearer ${token}`)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const [{ version }] = await suite.lists.query<{ version: number }>(
      `SELECT version FROM list_entries WHERE id = $1`,
      [entry.body.id],
    );
    expect(version).toBe(1);
  });

  it('a row the database refuses (a constraint the checks do not know) is that row’s error; the rest go on', async () => {
    // the last line of defence: a constraint added here stands for any value the application missed
    await suite.lists.query(
      `ALTER TABLE list_entries ADD CONSTRAINT row_errors_test CHECK (subject_name <> '数据库拒绝的名称')`,
    );
    try {
      const refused = (n: number) => courtEntry(n, { subject: { ...courtEntry(n).subject, name: '数据库拒绝的名称' } });
      const res = await (
        await suite.api.as(COURT)
      ).post('/api/v1/lists/entries/batch', {
        entries: [courtEntry(9300), refused(9301), courtEntry(9302)],
      });
      expect(res.status).toBe(200);
      expect(res.body.counts).toMatchObject({ created: 2, rejected: 1 });
      expect(res.body.results[1]).toMatchObject({
        status: 'rejected',
        errors: [{ message: expect.stringMatching(/SQLSTATE 23514/) }],
      });

      const rows = [good('db', 1), withCell(good('db', 2), '主体名称', '数据库拒绝的名称'), good('db', 3)];
      const upload1 = await upload(Buffer.from(csv(rows), 'utf8'), 'db.csv');
      const job = await finished(upload1.body.id);
      expect(job).toMatchObject({ status: 'done', total: 3, created: 2, rejected: 1 });
      const lines = await errorLines(upload1.body.id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^3,/);
      expect(lines[0]).toContain('数据库拒绝保存该行');

      // a single publish: 400, never 500
      const single = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', refused(9303));
      expect(single.status).toBe(400);
    } finally {
      await suite.lists.query(`ALTER TABLE list_entries DROP CONSTRAINT row_errors_test`);
    }
  });
});
