import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { eventIdOf, TaskChangedData, TaskEvents, Topics } from '@jrp/contracts';
import { endOfDayShanghai, overridesFromLibrary, todayInShanghai, WorkingDayCalendar } from '@jrp/domain';
import { EventBus } from '@jrp/messaging';
import { makeIdNumber, makeUscc, rawBody, uniquePrefix, waitFor } from '@jrp/testing';
import { Clock } from '../../apps/feedback/src/clock';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';
import { FINANCE, HEFEI_OFFICE, OFFICE, WUHU_OFFICE, publish, taskOf } from './support';

const TAX = 'AH-TAX';
const WATER = 'AH-WATER'; // implements nothing for these lists: its tasks here are the injected ones
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The office's reports on a real broker: the assessment indicators of a known scenario, exact, in JSON,
 * CSV and XLSX; rates and timeliness across the Spring Festival holiday; the overdue list; cases and
 * their public, masked form; a city office's scope.
 */
describe('reports, cases and assessment indicators', () => {
  const topics = uniquePrefix('rep').replace(/_/g, '-');
  const suite = useStandalone('rep', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  const today = todayInShanghai();
  const hefei: string[] = [];

  const get = async (org: string, path: string) => (await suite.api.as(org)).get(path);
  const download = async (org: string, path: string, accept?: string) => {
    const req = suite.api
      .http()
      .get(path)
      .set('Authorization', `Bearer ${await suite.api.tokenOf(org)}`);
    if (accept) req.set('Accept', accept);
    return req.buffer(true).parse(rawBody);
  };
  const step = async (id: string, body: object) =>
    (await suite.api.as(TAX)).post(`/api/v1/lists/entries/${id}/transitions`, { reason: '依据', at: today, ...body });
  const taxEntry = (n: number, extra: object = {}) => ({
    ...courtEntry(n),
    listType: 'BL-TAX-MAJOR-CASE',
    decidedBy: '国家税务总局安徽省税务局',
    documentNo: `皖税稽罚〔2026〕${n}号`,
    ...extra,
  });

  beforeAll(async () => {
    // 合肥: 10 national-level 失信被执行人 companies, and 2 tax black-list companies on their way out (repair)
    for (let n = 0; n < 10; n++) hefei.push(await publish(suite, 7200 + n, { identificationLevel: 'national' }));
    const repaired: string[] = [];
    for (const n of [7210, 7211]) {
      const res = await (await suite.api.as(TAX)).post('/api/v1/lists/entries', taxEntry(n));
      expect(res.status).toBe(201);
      repaired.push(res.body.id);
    }
    for (const id of repaired) {
      expect((await step(id, { action: 'move-to-watch' })).status).toBe(200);
      expect((await step(id, { action: 'record-commitment', text: '本企业承诺依法诚信纳税' })).status).toBe(200);
    }
    expect((await step(repaired[1], { action: 'record-training', provider: '安徽省信用协会', hours: 8 })).status).toBe(
      200,
    );
    // 芜湖: 4 national-level 失信被执行人 people (not companies), 1 national-level red-list company
    for (let n = 0; n < 4; n++) {
      await publish(suite, 7220 + n, {
        region: '340200',
        identificationLevel: 'national',
        subject: { kind: 'natural', name: `李四${n}`, idNumber: makeIdNumber(7220 + n) },
      });
    }
    const red = await (
      await suite.api.as(TAX)
    ).post('/api/v1/lists/entries', {
      ...courtEntry(7230),
      listType: 'RL-TAX-GRADE-A',
      region: '340200',
      identificationLevel: 'national',
      reason: '纳税信用A级',
      decidedBy: '国家税务总局安徽省税务局',
      documentNo: '皖税A〔2026〕1号',
    });
    expect(red.status).toBe(201);
    await waitFor(
      'feedback knows every entry',
      async () =>
        (await suite.feedback.count('SELECT * FROM known_entries')) === 17 &&
        (await suite.feedback.count('SELECT * FROM known_entries WHERE training')) === 1,
    );
    // and every task change measures made of them
    const versions = async (probe: typeof suite.feedback, table: string) =>
      Number((await probe.query<{ n: string }>(`SELECT coalesce(sum(version), 0) AS n FROM ${table}`))[0].n);
    await waitFor(
      'measures matched every entry version',
      async () => (await versions(suite.lists, 'list_entries')) === (await versions(suite.measures, 'entry_states')),
    );
    await waitFor('feedback knows every task change', async () => {
      const [m, f] = [await versions(suite.measures, 'tasks'), await versions(suite.feedback, 'known_tasks')];
      return m > 0 && m === f;
    });
  });

  it('records a case on its own task only, and checks its fields', async () => {
    const task = await taskOf(suite, hefei[0], FINANCE);
    const body = {
      taskId: task.id,
      measureIds: ['M01-10'],
      title: '某公司被限制参与政府采购后主动履行',
      occurredAt: today,
      region: '340102',
      description: '法定代表人张三（身份证号11010519491231002X，电话13812345678）在限制期间主动履行全部义务。',
      effect: '促使履行欠款120万元',
      publishable: true,
    };
    expect((await (await suite.api.as(RAILWAY)).post('/api/v1/feedback/cases', body)).status).toBe(404);
    const bad = await (
      await suite.api.as(FINANCE)
    ).post('/api/v1/feedback/cases', { ...body, measureIds: ['M01-01'], region: '999999', occurredAt: '2099-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['region']);
    const bad2 = await (
      await suite.api.as(FINANCE)
    ).post('/api/v1/feedback/cases', { ...body, measureIds: ['M01-01'], occurredAt: '2099-01-01' });
    expect(bad2.body.errors).toEqual([
      { field: 'measureIds.0', message: 'M01-01 is not a measure of this task' },
      { field: 'occurredAt', message: 'is in the future' },
    ]);
    const res = await (await suite.api.as(FINANCE)).post('/api/v1/feedback/cases', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      organization: FINANCE,
      city: '340100',
      memoranda: ['M01'],
      publishable: true,
      status: 'draft',
      statusLabel: '待审核',
      publishedAt: null,
    });
    expect(JSON.stringify(res.body)).not.toContain('11010519491231002X'); // feedback never holds an ID number
    const hidden = await (
      await suite.api.as(FINANCE)
    ).post('/api/v1/feedback/cases', { ...body, title: '内部案例', publishable: false, region: '340100' });
    expect(hidden.status).toBe(201);
  });

  it('lists cases for the office and their organisation, drafts until the office publishes them', async () => {
    expect((await get(OFFICE, '/api/v1/feedback/cases')).body.items).toHaveLength(2);
    expect((await get(HEFEI_OFFICE, '/api/v1/feedback/cases')).body.items).toHaveLength(2);
    expect((await get(WUHU_OFFICE, '/api/v1/feedback/cases')).body.items).toHaveLength(0);
    expect((await get(FINANCE, '/api/v1/feedback/cases')).body.items).toHaveLength(2);
    expect((await get(RAILWAY, '/api/v1/feedback/cases')).body.items).toHaveLength(0);
    const drafts = (await get(HEFEI_OFFICE, '/api/v1/feedback/cases?status=draft')).body.items as {
      id: string;
      title: string;
    }[];
    expect(drafts.map((c) => c.title)).toEqual(['某公司被限制参与政府采购后主动履行', '内部案例']);
    expect((await get(HEFEI_OFFICE, '/api/v1/feedback/cases?status=published')).body.items).toEqual([]);
    expect((await get(OFFICE, '/api/v1/feedback/cases?status=open')).status).toBe(400);
    expect((await suite.api.http().get('/api/v1/feedback/cases/public')).body.items).toEqual([]); // none published yet
  });

  it('publishes a case after the office’s review, masked, and only a publishable draft of its reach', async () => {
    const [publishable, internal] = (await get(OFFICE, '/api/v1/feedback/cases?status=draft')).body.items as {
      id: string;
    }[];
    const publication = (id: string) => `/api/v1/feedback/cases/${id}/publication`;
    expect((await (await suite.api.as(WUHU_OFFICE)).post(publication(publishable.id))).status).toBe(404);
    expect((await (await suite.api.as(FINANCE)).post(publication(publishable.id))).status).toBe(403);
    expect((await (await suite.api.as(HEFEI_OFFICE)).post(publication(randomUUID()))).status).toBe(404);
    const refused = await (await suite.api.as(HEFEI_OFFICE)).post(publication(internal.id));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('报送单位未同意公示');

    const published = await (await suite.api.as(HEFEI_OFFICE)).post(publication(publishable.id));
    expect(published.status).toBe(200);
    // the legal representative the entry names (张三) is masked too
    const masked = '法定代表人张*（身份证号110105************，电话138****5678）在限制期间主动履行全部义务。';
    expect(published.body).toMatchObject({ id: publishable.id, description: masked, effect: '促使履行欠款120万元' });
    expect((await (await suite.api.as(HEFEI_OFFICE)).post(publication(publishable.id))).status).toBe(409);

    const open = await suite.api.http().get('/api/v1/feedback/cases/public');
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    expect(open.body.items[0]).toMatchObject({ id: publishable.id, description: masked });
    expect(open.body.items[0]).not.toHaveProperty('taskId');
    const [stored] = await suite.feedback.query<{ status: string; published_by: string; description: string }>(
      `SELECT status, published_by, description FROM cases WHERE id = $1`,
      [publishable.id],
    );
    expect(stored).toMatchObject({ status: 'published', published_by: HEFEI_OFFICE });
    expect(stored.description).toContain('张三'); // the office and the organisation read the case as recorded
    const audited = await waitFor('the publication audited', async () => {
      const [row] = await suite.measures.query<{ organization: string }>(
        `SELECT organization FROM audit_trail WHERE action = 'case.publish' AND object_id = $1`,
        [publishable.id],
      );
      return row;
    });
    expect(audited.organization).toBe(HEFEI_OFFICE);
    expect(
      (await get(OFFICE, '/api/v1/feedback/cases?status=published')).body.items.map((c: { id: string }) => c.id),
    ).toEqual([publishable.id]);
  });

  const ASSESSMENT_HEFEI = {
    region: '340100',
    regionName: '合肥市',
    cases: 2,
    nationalEntries: 10,
    caseRatio: 0.2,
    caseMet: '达标',
    blackEntities: 12,
    committed: 2,
    commitmentRate: 0.1667,
    commitmentMet: '未达标',
    trained: 1,
    trainingCoverage: 0.0833,
    trainingMet: '未达标',
  };
  const ASSESSMENT_WUHU = {
    region: '340200',
    regionName: '芜湖市',
    cases: 0,
    nationalEntries: 5,
    caseRatio: 0,
    caseMet: '未达标',
    blackEntities: 0,
    committed: 0,
    commitmentRate: null,
    commitmentMet: '—',
    trained: 0,
    trainingCoverage: null,
    trainingMet: '—',
  };

  it('computes the assessment indicators of the scenario exactly, per city and for the province', async () => {
    const res = await get(OFFICE, '/api/v1/reports/assessment');
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('全省联合奖惩考核指标');
    expect(res.body.targets).toEqual({ caseRatio: 0.1, commitmentRate: 0.3, trainingCoverage: 1, feedbackRate: 1 });
    const byRegion = Object.fromEntries(res.body.items.map((r: { region: string }) => [r.region, r]));
    expect(Object.keys(byRegion)).toHaveLength(17);
    expect(byRegion['340100']).toMatchObject(ASSESSMENT_HEFEI);
    expect(byRegion['340200']).toMatchObject(ASSESSMENT_WUHU);
    expect(byRegion['340300']).toMatchObject({ cases: 0, nationalEntries: 0, caseRatio: null, caseMet: '—' });
    expect(res.body.totals).toMatchObject({
      cases: 2,
      nationalEntries: 15,
      caseRatio: 0.1333,
      blackEntities: 12,
      committed: 2,
      trained: 1,
    });
    // the feedback rate of a city: its due tasks, fed back or not (recounted from the tasks)
    const [hefeiTasks] = await suite.feedback.query<{ due: number }>(
      `SELECT count(*)::int AS due FROM known_tasks WHERE city = '340100' AND (revoked_at IS NULL OR revoked_at >= due_at)`,
    );
    expect(byRegion['340100']).toMatchObject({
      due: hefeiTasks.due,
      fedBack: 0,
      feedbackRate: 0,
      feedbackMet: '未达标',
    });
  });

  it('gives a city office its own city only', async () => {
    const res = await get(HEFEI_OFFICE, '/api/v1/reports/assessment');
    expect(res.body.title).toBe('合肥市联合奖惩考核指标');
    expect(res.body.items).toEqual([expect.objectContaining(ASSESSMENT_HEFEI)]);
    expect(res.body.totals).toBeUndefined();
    const wuhu = await get(WUHU_OFFICE, '/api/v1/reports/completion?groupBy=region');
    expect(wuhu.body.items.map((r: { region: string }) => r.region)).toEqual(['340200']);
    const cities = await get(OFFICE, '/api/v1/reports/completion?groupBy=region');
    expect(cities.body.items.map((r: { region: string }) => r.region)).toEqual(['340100', '340200']);
  });

  it('writes the assessment as XLSX: title, period, generation time, Chinese headers, numbers and percentages', async () => {
    const res = await download(OFFICE, '/api/v1/reports/assessment?format=xlsx&from=2026-01-01&to=2026-12-31');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('联合奖惩考核指标'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('全省联合奖惩考核指标');
    expect(sheet.getCell('A2').value).toBe('统计期间：2026-01-01 至 2026-12-31');
    expect(sheet.getCell('A3').text).toMatch(/^生成时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const headers = (sheet.getRow(4).values as unknown[]).slice(1);
    expect(headers.slice(0, 5)).toEqual([
      '地区',
      '案例数',
      '国家层面认定红黑名单数',
      '案例占比（目标≥10%）',
      '案例达标',
    ]);
    const hefeiRow = sheet.getRow(5);
    expect(hefeiRow.getCell(1).value).toBe('合肥市');
    expect(hefeiRow.getCell(2).value).toBe(2);
    expect(hefeiRow.getCell(3).value).toBe(10);
    expect(hefeiRow.getCell(4).value).toBe(0.2);
    expect(hefeiRow.getCell(4).numFmt).toBe('0.00%');
    expect(hefeiRow.getCell(8).value).toBe(0.1667);
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(3).value).toBe(15);
  });

  it('writes the assessment as CSV, UTF-8 with a BOM, when the Accept header asks for it', async () => {
    const res = await download(OFFICE, '/api/v1/reports/assessment', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('全省联合奖惩考核指标');
    expect(lines[1]).toBe('统计期间：全部');
    expect(lines[2]).toMatch(/^生成时间：/);
    expect(lines[3].split(',').slice(0, 4)).toEqual([
      '地区',
      '案例数',
      '国家层面认定红黑名单数',
      '案例占比（目标≥10%）',
    ]);
    expect(lines[4].split(',').slice(0, 13)).toEqual([
      '合肥市',
      '2',
      '10',
      '20.00%',
      '达标',
      '12',
      '2',
      '16.67%',
      '未达标',
      '1',
      '8.33%',
      '未达标',
      expect.any(String),
    ]);
    expect(lines[5].split(',').slice(0, 9)).toEqual(['芜湖市', '0', '5', '0.00%', '未达标', '0', '0', '', '—']);
  });

  it('refuses a backwards period and an unknown format', async () => {
    const backwards = await get(OFFICE, '/api/v1/reports/completion?from=2026-12-01&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: 'to', message: 'is before from' }]);
    expect((await get(OFFICE, '/api/v1/reports/completion?format=pdf')).body.errors).toContainEqual(
      expect.objectContaining({ field: 'format' }),
    );
    expect((await get(OFFICE, '/api/v1/reports/completion?groupBy=colour')).body.errors).toContainEqual(
      expect.objectContaining({ field: 'groupBy' }),
    );
  });

  describe('rates and timeliness across the Spring Festival holiday', () => {
    // dispatched Friday 2026-02-13; five working days: Sat 14 (a make-up workday), then 24–27 after the holiday (15–23)
    const { overrides, years } = overridesFromLibrary([2026]);
    const calendar = new WorkingDayCalendar(overrides, years);
    const dueAt = endOfDayShanghai(calendar.addWorkingDays('2026-02-13', 5));
    const tasks = { onTime: randomUUID(), late: randomUUID(), missing: randomUUID(), revoked: randomUUID() };
    const at = (iso: string) => new Date(iso);
    let clock: jest.SpyInstance;

    const taskEvent = (
      taskId: string,
      version: number,
      status: 'open' | 'revoked',
      changedAt: string,
      measures: string[],
    ) => {
      const data: TaskChangedData = {
        taskId,
        version,
        entryId: taskId,
        entryVersion: version,
        organization: WATER,
        organizationName: '安徽省水利厅',
        listType: 'BL-COURT-DEBTOR',
        listTypeName: '失信被执行人名单',
        region: '340300',
        subject: { kind: 'legal', name: '蚌埠某公司', uscc: makeUscc(7300) },
        measures: measures.map((id) => ({ id, text: id })),
        status,
        dueAt: dueAt.toISOString(),
        changedAt,
      };
      const type = status === 'revoked' ? TaskEvents.Revoked : TaskEvents.Dispatched;
      const envelope = {
        specversion: '1.0',
        id: eventIdOf('task', taskId, version, type),
        source: '/test',
        type,
        time: changedAt,
        datacontenttype: 'application/json',
        partitionkey: taskId,
        data,
      };
      return { topic: Topics.Task, key: taskId, value: JSON.stringify(envelope) };
    };

    beforeAll(async () => {
      expect(dueAt.toISOString()).toBe('2026-02-27T15:59:59.999Z'); // not 2026-02-20: the holiday does not count
      const dispatched = '2026-02-13T02:00:00.000Z';
      await suite.app
        .get(EventBus)
        .publish([
          taskEvent(tasks.onTime, 1, 'open', dispatched, ['M01-05', 'M02-01']),
          taskEvent(tasks.late, 1, 'open', dispatched, ['M01-05']),
          taskEvent(tasks.missing, 1, 'open', dispatched, ['M01-05']),
          taskEvent(tasks.revoked, 1, 'open', dispatched, ['M01-05']),
          taskEvent(tasks.revoked, 2, 'revoked', '2026-02-16T02:00:00.000Z', ['M01-05']),
        ]);
      await waitFor(
        'feedback knows the injected tasks',
        async () =>
          (await suite.feedback.count(`SELECT * FROM known_tasks WHERE organization = $1`, [WATER])) === 4 &&
          (await suite.feedback.count(`SELECT * FROM known_tasks WHERE status = 'revoked' AND organization = $1`, [
            WATER,
          ])) === 1,
      );
      clock = jest.spyOn(suite.app.get(Clock), 'now');
      const feed = async (taskId: string, when: string, items: object[]) => {
        clock.mockReturnValue(at(when));
        const res = await (await suite.api.as(WATER)).post('/api/v1/feedback', { taskId, items });
        expect(res.status).toBe(201);
      };
      // during the holiday's last days and after it: 12 calendar days after dispatch, yet on time
      await feed(tasks.onTime, '2026-02-25T10:00:00+08:00', [
        { measureId: 'M01-05', outcome: 'implemented', implementedAt: '2026-02-24' },
        { measureId: 'M02-01', outcome: 'no-business' },
      ]);
      await feed(tasks.late, '2026-02-28T10:00:00+08:00', [{ measureId: 'M01-05', outcome: 'not-applicable' }]);
      clock.mockReturnValue(at('2026-03-02T09:00:00+08:00'));
    });

    afterAll(() => clock?.mockRestore());

    it('counts due, fed back, on time and overdue by the working-day due date', async () => {
      const res = await get(OFFICE, '/api/v1/reports/completion?from=2026-02-01&to=2026-02-28');
      expect(res.body.items).toEqual([
        {
          organization: WATER,
          name: '安徽省水利厅',
          dispatched: 4,
          acknowledged: 0,
          due: 3,
          fedBack: 2,
          onTime: 1,
          overdue: 1,
          feedbackRate: 0.6667,
          timelinessRate: 0.3333,
          implementedShare: 0.3333,
          cases: 0,
        },
      ]);
      expect(res.body.period).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    });

    it('counts measure items when grouped by memorandum', async () => {
      const res = await get(OFFICE, '/api/v1/reports/completion?groupBy=memorandum&from=2026-02-01&to=2026-02-28');
      expect(
        res.body.items.map((r: Record<string, unknown>) => [
          r.memorandum,
          r.dispatched,
          r.due,
          r.fedBack,
          r.onTime,
          r.overdue,
        ]),
      ).toEqual([
        ['M01', 4, 3, 2, 1, 1],
        ['M02', 1, 1, 1, 1, 0],
      ]);
      expect(res.body.items[0].name).toBe('关于对失信被执行人实施联合惩戒的合作备忘录');
      expect(res.body.totals).toMatchObject({ dispatched: 5, due: 4, fedBack: 3, onTime: 2, overdue: 1 });
    });

    it('lists the overdue task for 督办, oldest first, in JSON and XLSX', async () => {
      const res = await get(OFFICE, '/api/v1/reports/overdue?from=2026-02-01&to=2026-02-28');
      expect(res.body.items).toEqual([
        expect.objectContaining({
          organization: WATER,
          taskId: tasks.missing,
          dueAt: dueAt.toISOString(),
          overdueDays: 3,
          regionName: '蚌埠市',
          acknowledgedLabel: '未签收',
          openItems: 1,
        }),
      ]);
      expect(res.body.byOrganization).toEqual([
        { organization: WATER, organizationName: '安徽省水利厅', overdue: 1, oldestDueAt: dueAt.toISOString() },
      ]);
      const xlsx = await download(OFFICE, '/api/v1/reports/overdue?from=2026-02-01&to=2026-02-28', XLSX);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as never);
      const row = book.worksheets[0].getRow(5);
      expect(row.getCell(2).value).toBe(tasks.missing);
      expect(row.getCell(7).value).toBe(3);
      expect(Math.abs((row.getCell(6).value as Date).getTime() - dueAt.getTime())).toBeLessThan(1000);
      expect(row.getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm');
      expect((await get(HEFEI_OFFICE, '/api/v1/reports/overdue?from=2026-02-01&to=2026-02-28')).body.items).toEqual([]);
    });
  });

  it('lists the cases of a period as a report', async () => {
    const res = await get(OFFICE, `/api/v1/reports/cases?from=${today}&to=${today}`);
    expect(
      res.body.items.map((c: { title: string; regionName: string; publishable: string }) => [
        c.title,
        c.regionName,
        c.publishable,
      ]),
    ).toEqual([
      ['某公司被限制参与政府采购后主动履行', '合肥市', '是'],
      ['内部案例', '合肥市', '否'],
    ]);
    expect(res.body.total).toBe(2);
    const csv = await download(OFFICE, `/api/v1/reports/cases?format=csv`);
    expect((csv.body as Buffer).toString('utf8')).toContain(
      '案例标题,实施部门,名单类型,涉及措施,发生日期,地区,可公示,实施效果,报送时间',
    );
  });

  it("reports completion by organisation, each count matching the organisation's tasks", async () => {
    const res = await get(OFFICE, '/api/v1/reports/completion');
    const finance = res.body.items.find((r: { organization: string }) => r.organization === FINANCE);
    const [raw] = await suite.feedback.query<{ dispatched: number; due: number }>(
      `SELECT count(*)::int AS dispatched, count(*) FILTER (WHERE revoked_at IS NULL OR revoked_at >= due_at)::int AS due FROM known_tasks WHERE organization = $1`,
      [FINANCE],
    );
    expect(raw.dispatched).toBeGreaterThanOrEqual(10);
    expect(finance).toMatchObject({
      name: '安徽省财政厅',
      dispatched: raw.dispatched,
      due: raw.due,
      fedBack: 0,
      feedbackRate: 0,
      cases: 2,
    });
    expect((await get(COURT, '/api/v1/reports/completion')).status).toBe(403);
  });
});
