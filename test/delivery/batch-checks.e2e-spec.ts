import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import type { Response } from 'superagent';
import { makeIdNumber, makeUscc, personalDataOf, uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, MARKET, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const TAX = 'AH-TAX'; // identifies RL-TAX-GRADE-A (纳税信用A级) and implements its rewards M07-02…M07-07
const FINANCE = 'AH-FINANCE'; // implements M01-10…12 (the company only, not its legal representative)
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Row = Record<string, unknown> & { row: number; checked: boolean };

/** superagent: a binary body as a Buffer. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * Batch comparison (批量比对) on a real broker and database: rows answered in order, bad rows explained,
 * every checked row recorded as a check with one audit record for the batch, a task linked once per
 * business; rewards for a red-list subject, withheld facilitations for a black-list one, a person found as
 * legal representative.
 */
describe('batch comparison (批量比对)', () => {
  const topics = uniquePrefix('batchcheck').replace(/_/g, '-');
  const suite = useStandalone('batchcheck', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  const DEBTOR = 301; // a 失信被执行人 company; its legal representative makeIdNumber(301)
  const REWARDED = 302; // a 纳税信用A级 company
  let debtorEntry: string;
  let rewardedEntry: string;

  async function publish(body: object, by: string): Promise<string> {
    const res = await (await suite.api.as(by)).post('/api/v1/lists/entries', body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const taskOf = (entryId: string, organization: string) =>
    waitFor(
      `${organization}'s task for ${entryId}`,
      async () =>
        (
          await suite.measures.query<{ id: string }>(
            `SELECT id FROM tasks WHERE entry_id = $1 AND organization = $2 AND status = 'open'`,
            [entryId, organization],
          )
        )[0],
      30000,
    );

  const checkedOf = (taskId: string) =>
    suite.measures.count(`SELECT * FROM task_changes WHERE type = 'checked' AND task_id = $1`, [taskId]);

  const upload = (token: string, file: Buffer, name: string, reference: string, query = '') =>
    suite.api
      .http()
      .post(`/api/v1/checks/batch${query}`)
      .set('Authorization', `Bearer ${token}`)
      .field('businessType', '政府采购')
      .field('reference', reference)
      .attach('file', file, name);

  beforeAll(async () => {
    debtorEntry = await publish(courtEntry(DEBTOR), COURT);
    rewardedEntry = await publish(
      {
        ...courtEntry(REWARDED),
        listType: 'RL-TAX-GRADE-A',
        subject: { kind: 'legal', name: '安徽守信科技有限公司', uscc: makeUscc(REWARDED) },
        reason: '2025年度纳税信用评价为A级',
        decidedBy: '国家税务总局安徽省税务局',
        documentNo: '皖税A-302',
      },
      TAX,
    );
    await taskOf(debtorEntry, RAILWAY);
    await taskOf(debtorEntry, FINANCE);
    await taskOf(rewardedEntry, TAX);
  }, 60000);

  it('answers 1,000 subjects (JSON) row by row, in order, explains the bad rows, records each row and audits the batch once', async () => {
    const task = await taskOf(debtorEntry, RAILWAY);
    const subjects: object[] = Array.from({ length: 1000 }, (_, i) => ({ uscc: makeUscc(100_000 + i) }));
    subjects[0] = { uscc: makeUscc(DEBTOR), name: '失信公司' };
    subjects[1] = { idNumber: makeIdNumber(DEBTOR) }; // the company's legal representative
    subjects[2] = { uscc: '91340100MA0000000X' };
    subjects[3] = {};
    subjects[4] = { uscc: makeUscc(1), idNumber: makeIdNumber(5) };
    subjects[5] = { idType: 'driving-licence', idNumber: makeIdNumber(6) };
    subjects[6] = { idNumber: '340102198001010000' };
    subjects[999] = { uscc: makeUscc(DEBTOR) }; // the same company again: its task linked once
    const audits = await suite.measures.count(`SELECT * FROM audit_trail WHERE action = 'subject.check-batch'`);

    const res = await (
      await suite.api.as(RAILWAY)
    ).post('/api/v1/checks/batch', {
      subjects,
      businessType: '政府采购',
      reference: 'ZB-2026-0001',
    });
    expect(res.status).toBe(200);
    const results: Row[] = res.body.results;
    expect(results.map((r) => r.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(res.body).toMatchObject({ total: 1000, checked: 995, unchecked: 5, listed: 3 });

    expect(results[0]).toMatchObject({
      checked: true,
      name: '失信公司',
      subject: makeUscc(DEBTOR),
      listed: true,
      entries: [{ entryId: debtorEntry, foundAs: 'subject', colour: 'black' }],
      measures: [{ id: 'M01-01', kind: 'punishment' }],
      withheldFacilitations: [{ code: 'notify-commit' }, { code: 'tolerance-acceptance' }],
      taskIds: [task.id],
    });
    // the legal representative: found in that role, M01-01 (both) follows the person
    expect(results[1]).toMatchObject({
      checked: true,
      listed: true,
      entries: [{ entryId: debtorEntry, foundAs: 'legal-representative' }],
      measures: [{ id: 'M01-01' }],
    });
    expect(results[1].subject).not.toBe(makeIdNumber(DEBTOR));
    expect(JSON.stringify(res.body)).not.toContain(makeIdNumber(DEBTOR));
    expect(results.slice(2, 7).map((r) => [r.checked, r.field, r.reason])).toEqual([
      [false, 'uscc', expect.stringContaining('统一社会信用代码校验未通过')],
      [false, 'subject', expect.stringContaining('未填写')],
      [false, 'uscc', expect.stringContaining('只能填写一种')],
      [false, 'idType', expect.stringContaining('证件类型无法识别')],
      [false, 'idNumber', expect.stringContaining('证件号码校验未通过')],
    ]);
    expect(results[500]).toMatchObject({ checked: true, listed: false, entries: [], measures: [], taskIds: [] });
    expect(results[999]).toMatchObject({ listed: true, taskIds: [task.id] });

    // each checked row recorded as a check, by its keyed hash only
    const stored = await suite.measures.query<{ subject_key: string; listed: boolean }>(
      `SELECT subject_key, listed FROM checks WHERE reference = 'ZB-2026-0001' AND organization = $1`,
      [RAILWAY],
    );
    expect(stored).toHaveLength(995);
    expect(stored.filter((c) => c.listed)).toHaveLength(3);
    expect(stored.map((c) => c.subject_key)).toContain(
      personalDataOf(suite.env).subjectKey('natural', makeIdNumber(DEBTOR)),
    );
    expect(await suite.measures.count(`SELECT * FROM audit_trail WHERE action = 'subject.check-batch'`)).toBe(
      audits + 1,
    );
    // one `checked` change for the business, however many rows found the task
    await waitFor('the checked change', async () => (await checkedOf(task.id)) === 1 || undefined);

    // the same business again: recorded, no second change; another department's task never linked
    const again = await (
      await suite.api.as(RAILWAY)
    ).post('/api/v1/checks/batch', {
      subjects: [{ uscc: makeUscc(DEBTOR) }],
      businessType: '政府采购',
      reference: 'ZB-2026-0001',
    });
    expect(again.body.results[0]).toMatchObject({ listed: true, taskIds: [task.id] });
    expect(await checkedOf(task.id)).toBe(1);
    expect(await checkedOf((await taskOf(debtorEntry, FINANCE)).id)).toBe(0);
  });

  it('does not link the company’s task of a department whose measures do not follow the legal representative', async () => {
    const financeTask = await taskOf(debtorEntry, FINANCE);
    const res = await (
      await suite.api.as(FINANCE)
    ).post('/api/v1/checks/batch', {
      subjects: [{ idNumber: makeIdNumber(DEBTOR) }, { uscc: makeUscc(DEBTOR) }],
      businessType: '贷款',
      reference: 'DK-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({
      listed: true,
      entries: [{ foundAs: 'legal-representative' }],
      measures: [],
      taskIds: [],
    });
    expect(res.body.results[1]).toMatchObject({ taskIds: [financeTask.id] });
    expect(res.body.results[1].measures.map((m: { id: string }) => m.id)).toEqual(['M01-10', 'M01-11', 'M01-12']);
    // the market regulator implements nothing for the list: listed, no measures, no task
    const market = await (
      await suite.api.as(MARKET)
    ).post('/api/v1/checks/batch', {
      subjects: [{ uscc: makeUscc(DEBTOR) }],
      businessType: '登记',
      reference: 'DJ-1',
    });
    expect(market.body.results[0]).toMatchObject({ listed: true, measures: [], taskIds: [] });
  });

  it('reads a CSV in GB18030 and an XLSX with Chinese headers, and answers as an XLSX download', async () => {
    const lines = [
      '主体名称,统一社会信用代码,证件类型,证件号码',
      `失信公司,${makeUscc(DEBTOR)},,`,
      `张三,,居民身份证,${makeIdNumber(DEBTOR)}`,
      '无代码公司,,,',
      ...Array.from({ length: 997 }, (_, i) => `投标人${i},${makeUscc(200_000 + i)},,`),
    ];
    const csv = iconv.encode(lines.join('\r\n'), 'gb18030');
    const res = await upload(await suite.api.tokenOf(RAILWAY), csv, '投标人.csv', 'ZB-2026-CSV');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1000, checked: 999, unchecked: 1, listed: 2 });
    expect(res.body.results.slice(0, 3)).toMatchObject([
      { row: 1, name: '失信公司', listed: true, entries: [{ foundAs: 'subject' }] },
      { row: 2, name: '张三', listed: true, entries: [{ foundAs: 'legal-representative' }] },
      { row: 3, name: '无代码公司', checked: false, reason: expect.stringContaining('未填写') },
    ]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['投标人名单']);
    sheet.addRow(['主体名称', '统一社会信用代码', '证件类型', '证件号码']);
    sheet.addRow(['=HYPERLINK("http://x")', makeUscc(REWARDED), '', '']);
    sheet.addRow(['坏代码公司', 'NOT-A-USCC', '', '']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const answered = await upload(await suite.api.tokenOf(TAX), xlsx, '投标人.xlsx', 'ZB-2026-XLSX', '?format=xlsx')
      .buffer(true)
      .parse(binary);
    expect(answered.status).toBe(200);
    expect(answered.headers['content-type']).toContain(XLSX);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(answered.body as never);
    const rows = (read.worksheets[0].getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows[0]).toEqual([
      '序号',
      '主体名称',
      '统一社会信用代码/证件号码',
      '比对结果',
      '名单',
      '本部门应实施的措施',
      '不适用的便利措施',
      '无法比对的原因',
    ]);
    expect(rows[1].slice(0, 4)).toEqual([1, `'=HYPERLINK("http://x")`, makeUscc(REWARDED), '在列']);
    expect(String(rows[1][5])).toContain('M07-02');
    expect(rows[2][3]).toBe('无法比对');
    expect(String(rows[2][7])).toContain('统一社会信用代码校验未通过');
  });

  it('names a red-list subject’s rewards the caller implements, with their basis, and withholds nothing', async () => {
    const res = await (
      await suite.api.as(TAX)
    ).post('/api/v1/checks', {
      subject: { uscc: makeUscc(REWARDED) },
      businessType: '办税',
      reference: 'BS-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.listed).toBe(true);
    expect(res.body.entries).toMatchObject([{ entryId: rewardedEntry, colour: 'red', foundAs: 'subject' }]);
    expect(res.body.rewards.map((m: { id: string }) => m.id)).toEqual([
      'M07-02',
      'M07-03',
      'M07-04',
      'M07-05',
      'M07-06',
      'M07-07',
    ]);
    for (const m of res.body.rewards)
      expect(m).toMatchObject({
        kind: 'reward',
        legalBasis: expect.any(Array),
        basis: [expect.objectContaining({ kind: 'memorandum', number: '发改财金〔2016〕1467号' })],
        basisPending: false,
      });
    expect(res.body.withheldFacilitations).toEqual([]);
  });

  it('finds a person by ID number as legal representative in a single check too', async () => {
    const res = await (
      await suite.api.as(RAILWAY)
    ).post('/api/v1/checks', {
      subject: { idNumber: makeIdNumber(DEBTOR) },
      businessType: '购票',
      reference: 'GP-1',
    });
    expect(res.body).toMatchObject({
      listed: true,
      entries: [{ entryId: debtorEntry, foundAs: 'legal-representative' }],
      measures: [{ id: 'M01-01' }],
    });
    const [row] = await suite.measures.query<{ representative_key: string }>(
      `SELECT representative_key FROM entry_states WHERE entry_id = $1`,
      [debtorEntry],
    );
    expect(row.representative_key).toBe(personalDataOf(suite.env).subjectKey('natural', makeIdNumber(DEBTOR)));
  });

  it('refuses more than 10,000 subjects (413) and a batch without subjects (400)', async () => {
    const railway = await suite.api.as(RAILWAY);
    const big = await railway.post('/api/v1/checks/batch', {
      subjects: Array.from({ length: 10_001 }, () => ({})),
      businessType: '政府采购',
      reference: 'ZB-BIG',
    });
    expect(big.status).toBe(413);
    expect(big.body.detail).toContain('一次最多比对');
    const none = await railway.post('/api/v1/checks/batch', { businessType: '政府采购', reference: 'ZB-NONE' });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([{ field: 'subjects', message: expect.any(String) }]);
    expect(await suite.measures.count(`SELECT * FROM checks WHERE reference IN ('ZB-BIG', 'ZB-NONE')`)).toBe(0);
  });

  it('bounds each organisation to one batch at a time: a second one meanwhile is refused with 429, nothing recorded', async () => {
    const railway = await suite.api.as(RAILWAY);
    const subjects = Array.from({ length: 10_000 }, (_, i) => ({ uscc: makeUscc(400_000 + i) }));
    const [a, b, tax] = await Promise.all([
      ...['ZB-PAR-A', 'ZB-PAR-B'].map((reference) =>
        railway.post('/api/v1/checks/batch', { subjects, businessType: '政府采购', reference }),
      ),
      // another organisation is not held up by the railway's batch
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (await suite.api.as(TAX)).post('/api/v1/checks/batch', {
          subjects: [{ uscc: makeUscc(REWARDED) }],
          businessType: '办税',
          reference: 'BS-PAR',
        });
      })(),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
    const refused = a.status === 429 ? a : b;
    expect(refused.body.detail).toContain('批量比对正在进行');
    expect(await suite.measures.count(`SELECT * FROM checks WHERE reference IN ('ZB-PAR-A', 'ZB-PAR-B')`)).toBe(10_000);
    expect(tax.status).toBe(200);
  });
});
