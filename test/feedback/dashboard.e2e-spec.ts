import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { TaskEvents, Topics } from '@jrp/contracts';
import { EventBus } from '@jrp/messaging';
import { uniquePrefix, waitFor } from '@jrp/testing';
import { RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';
import { OFFICE, publish, taskOf } from './support';

/** Debian's Chromium (npm test installs it as root: scripts/test-tools.js); the screenshot goes to the git-ignored test-artifacts/. */
const CHROMIUM = process.env.JRP_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
/** The page's files in the sources, and where `npm run build` copies them (npm start and the image serve those). */
const ASSETS = join(__dirname, '..', '..', 'apps', 'feedback', 'src', 'dashboard', 'assets');
const BUILT_ASSETS = join(__dirname, '..', '..', 'dist', 'apps', 'feedback', 'src', 'dashboard', 'assets');

type Series = { name: string; data: (number | null)[]; markLine?: { data: { yAxis: number }[] } };

/**
 * The office's dashboard in headless Chromium: signed in with the office token (kept in
 * sessionStorage), the views drawn by the locally served ECharts and the tables from the reports' data.
 */
describe('the dashboard in Chromium', () => {
  const topics = uniquePrefix('dash').replace(/_/g, '-');
  const suite = useStandalone('dash', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  let browser: Browser;
  let base: string;
  let overdueTask: string;
  let revokedEntry: string;

  beforeAll(async () => {
    const entries = [await publish(suite, 7401), await publish(suite, 7402, { region: '340200' })];
    const railway = await suite.api.as(RAILWAY);
    const task = await taskOf(suite, entries[0], RAILWAY);
    await taskOf(suite, entries[1], RAILWAY);
    expect(
      (
        await railway.post('/api/v1/feedback', {
          taskId: task.id,
          items: [{ measureId: 'M01-01', outcome: 'no-business' }],
        })
      ).status,
    ).toBe(201);
    // a task long overdue, as measures would have announced it
    const overdue = randomUUID();
    const data = {
      taskId: overdue,
      version: 1,
      entryId: overdue,
      entryVersion: 1,
      organization: 'AH-WATER',
      organizationName: '安徽省水利厅',
      listType: 'BL-COURT-DEBTOR',
      listTypeName: '失信被执行人名单',
      region: '340300',
      subject: { kind: 'legal', name: '蚌埠某公司' },
      measures: [{ id: 'M01-05', text: 'M01-05' }],
      status: 'open',
      dueAt: '2026-02-27T15:59:59.999Z',
      changedAt: '2026-02-13T02:00:00.000Z',
    };
    const envelope = {
      specversion: '1.0',
      id: `dash-${overdue}`,
      source: '/test',
      type: TaskEvents.Dispatched,
      time: data.changedAt,
      datacontenttype: 'application/json',
      partitionkey: overdue,
      data,
    };
    // and a task revoked by its entry's removal long ago, its lifting never confirmed
    const revoked = randomUUID();
    const revocation = {
      ...data,
      taskId: revoked,
      entryId: revoked,
      organization: 'AH-FINANCE',
      organizationName: '安徽省财政厅',
      version: 2,
      status: 'revoked',
      // revoked before it was due: never due, so not overdue
      dueAt: '2026-03-16T15:59:59.999Z',
      changedAt: '2026-03-02T02:00:00.000Z',
      revocation: { reason: 'removal', revokedAt: '2026-03-02T02:00:00.000Z', liftBy: '2026-03-09T15:59:59.999Z' },
    };
    const revokedEnvelope = {
      ...envelope,
      id: `dash-${revoked}`,
      type: TaskEvents.Revoked,
      time: revocation.changedAt,
      partitionkey: revoked,
      data: revocation,
    };
    await suite.app.get(EventBus).publish([
      { topic: Topics.Task, key: overdue, value: JSON.stringify(envelope) },
      { topic: Topics.Task, key: revoked, value: JSON.stringify(revokedEnvelope) },
    ]);
    overdueTask = overdue;
    revokedEntry = revoked;
    await waitFor(
      'feedback knows the overdue and the revoked task',
      async () =>
        (await suite.feedback.count('SELECT * FROM known_tasks WHERE id = ANY($1)', [[overdue, revoked]])) === 2,
    );
    await suite.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(suite.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('serves the page and ECharts itself, under its security headers', async () => {
    const page = await suite.api.http().get('/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script src="/dashboard/echarts.min.js" defer></script>');
    const echarts = await suite.api.http().get('/dashboard/echarts.min.js');
    expect(echarts.status).toBe(200);
    expect(echarts.text.length).toBeGreaterThan(500_000);
    expect((await suite.api.http().get('/dashboard/nothing.js')).status).toBe(404);
  });

  it('serves its page, script and style from its files, with their types, uncached', async () => {
    const files = readdirSync(ASSETS).sort();
    expect(files).toEqual(['dashboard.css', 'dashboard.js', 'index.html']);
    const types: Record<string, string> = {
      'index.html': 'text/html; charset=utf-8',
      'dashboard.js': 'text/javascript; charset=utf-8',
      'dashboard.css': 'text/css; charset=utf-8',
    };
    for (const file of files) {
      const res = await suite.api.http().get(`/dashboard/${file}`);
      expect([file, res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([
        file,
        200,
        types[file],
        'no-cache',
      ]);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).toBe(readFileSync(join(ASSETS, file), 'utf8'));
    }
    expect((await suite.api.http().get('/dashboard/echarts.min.js')).headers['cache-control']).toBe(
      'public, max-age=86400',
    );
  });

  it('has its files in the build output, as the sources have them (npm run build copies them)', () => {
    for (const file of readdirSync(ASSETS)) {
      expect([file, readFileSync(join(BUILT_ASSETS, file), 'utf8')]).toEqual([
        file,
        readFileSync(join(ASSETS, file), 'utf8'),
      ]);
    }
  });

  it('signs in with the office token and draws its views (charts, the overdue list and the lifting table) from the reports', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const failed: string[] = [];
    page.on('pageerror', (e) => failed.push(e.message));
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    await page.goto(`${base}/dashboard`);
    expect(await page.locator('body').getAttribute('data-state')).toBe('signed-out');

    // a department's token is not the office's: the reports refuse it and the page says so
    await page.fill('#token', await suite.api.tokenOf(RAILWAY));
    await page.click('#sign-in-form button');
    await page.waitForFunction("document.getElementById('sign-in-error').textContent !== ''");
    expect(await page.textContent('#sign-in-error')).toBe('令牌无效或不是信用办令牌');

    const office = await suite.api.tokenOf(OFFICE);
    await page.fill('#token', office);
    await page.click('#sign-in-form button');
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    expect(await page.evaluate("sessionStorage.getItem('jrp.officeToken')")).toBe(office);

    const completion = (await (await suite.api.as(OFFICE)).get('/api/v1/reports/completion')).body;
    const option = async (id: string) =>
      page.evaluate<{ categories: string[]; series: Series[] }>(
        `(() => { const o = window.jrpDashboard.charts['${id}'].getOption(); return { categories: o.xAxis[0].data, series: o.series }; })()`,
      );
    const organizations = await option('chart-organizations');
    expect(organizations.categories).toEqual(completion.items.map((r: { name: string }) => r.name));
    expect(organizations.series.map((s) => s.name)).toEqual(['应反馈', '已反馈', '逾期未反馈']);
    const railwayAt = organizations.categories.indexOf(
      completion.items.find((r: { organization: string }) => r.organization === RAILWAY).name,
    );
    expect(railwayAt).toBeGreaterThanOrEqual(0);
    expect(organizations.series[1].data[railwayAt]).toBe(1);
    expect(organizations.series[0].data[railwayAt]).toBe(2);

    const weekly = await option('chart-weekly');
    const weeks = (await (await suite.api.as(OFFICE)).get('/api/v1/reports/completion?groupBy=week')).body.items;
    expect(weekly.categories).toEqual(weeks.map((w: { week: string }) => w.week));
    expect(weekly.series[0].data).toEqual(weeks.map((w: { dispatched: number }) => w.dispatched));

    const assessment = await option('chart-assessment');
    expect(assessment.categories).toHaveLength(17);
    expect(assessment.categories[0]).toBe('合肥市');
    expect(assessment.series.map((s) => [s.name, s.markLine!.data[0].yAxis])).toEqual([
      ['案例占比', 10],
      ['信用承诺率', 30],
      ['修复培训覆盖率', 100],
      ['反馈率', 100],
    ]);
    // every chart drew on its canvas
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    const overdueRows = await page.locator('#overdue tbody tr').allTextContents();
    expect(overdueRows).toHaveLength(1);
    expect(overdueRows[0]).toContain(overdueTask);
    expect(overdueRows[0]).toContain('安徽省水利厅');
    expect(overdueRows[0]).toContain('蚌埠市');
    const liftingRows = await page.locator('#lifting tbody tr').allTextContents();
    expect(liftingRows).toHaveLength(1);
    expect(liftingRows[0]).toContain(revokedEntry);
    expect(liftingRows[0]).toContain('安徽省财政厅');
    expect(liftingRows[0]).toContain('移出');
    expect(liftingRows[0]).toContain('逾期未确认');
    expect(await page.textContent('#lifting-summary')).toBe('（1 条名单条目：已确认 0，待确认 0，逾期未确认 1）');
    expect(failed).toEqual([]);

    // a reload keeps the session; the screenshot is the run's artifact
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.click('#sign-out');
    expect(await page.evaluate("sessionStorage.getItem('jrp.officeToken')")).toBeNull();
    await waitFor('signed out', async () => (await page.locator('body').getAttribute('data-state')) === 'signed-out');
    await page.close();
  });
});
