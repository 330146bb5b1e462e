import { BusMessage } from '@jrp/messaging';
import { ApiClient, makeIdNumber, makeUscc, SchemaProbe, waitFor } from '@jrp/testing';
import { Topics } from '@jrp/contracts';
import { endOfDayShanghai, overridesFromLibrary, todayInShanghai, WorkingDayCalendar } from '@jrp/domain';

/** What the loop scenario needs from a deployment, whatever its shape (one process or three, any bus). */
export interface LoopWorld {
  api: ApiClient;
  lists: SchemaProbe;
  measures: SchemaProbe;
  feedback: SchemaProbe;
  /** The keyed hash that orders a subject's events (the message key). */
  subjectKey: (kind: 'legal' | 'natural', identifier: string) => string;
  /** Puts raw messages on the bus, as an outside producer would. */
  deliver: (messages: BusMessage[]) => Promise<void>;
  /** The ids of the events measures has set aside. */
  deadLetterIds: () => Promise<string[]>;
}

export const COURT = 'AH-COURT'; // identifies 失信被执行人
export const RAILWAY = 'AH-RAILWAY'; // implements M01-01 (rail tickets)
export const MARKET = 'AH-SAMR'; // implements nothing for 失信被执行人
export const OFFICE = 'AH-CREDIT-OFFICE';

export const courtEntry = (n: number, extra: object = {}) => ({
  listType: 'BL-COURT-DEBTOR',
  subject: {
    kind: 'legal',
    name: `安徽测试建设有限公司${n}`,
    uscc: makeUscc(n),
    legalRepresentative: { name: '张三', idNumber: makeIdNumber(n) },
  },
  reason: '有履行能力而拒不履行生效法律文书确定义务',
  decidedBy: '合肥市中级人民法院',
  documentNo: `（2026）皖01执${n}号`,
  listedAt: '2026-11-02',
  region: '340100',
  ...extra,
});

type FeedItem = {
  cursor: string;
  type: string;
  task: { id: string; entryId: string; measures: { id: string }[]; subject: Record<string, string>; dueAt: string };
};

/**
 * The end-to-end scenario of the core loop: publish → task in the implementer's feed (and no one
 * else's) → feedback → report → removal → revoked; bad input; authorisation; duplicates; poison.
 * Registered by each deployment's spec, so one scenario runs on every bus.
 */
export function loopScenario(world: () => LoopWorld): void {
  async function feedOf(code: string, after?: string): Promise<{ items: FeedItem[]; next: string }> {
    const client = await world().api.as(code);
    const res = await client.get(`/api/v1/tasks/feed${after ? `?after=${after}` : ''}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('seeds the catalogue: red and black list types, measures by existing organisations', async () => {
    const client = await world().api.as(MARKET);
    const types = (await client.get('/api/v1/catalogue/list-types')).body.items as { code: string; colour: string }[];
    expect(types.filter((t) => t.colour === 'black').length).toBeGreaterThanOrEqual(2);
    expect(types.filter((t) => t.colour === 'red').length).toBeGreaterThanOrEqual(1);
    const measuresRes = await client.get('/api/v1/catalogue/measures?listType=BL-COURT-DEBTOR');
    expect(measuresRes.body.items.length).toBeGreaterThanOrEqual(12);
    const orgs = new Set(
      (await client.get('/api/v1/catalogue/organizations')).body.items.map((o: { code: string }) => o.code),
    );
    for (const m of measuresRes.body.items) for (const o of m.implementingOrganizations) expect(orgs.has(o)).toBe(true);
  });

  it('runs the loop: publish, dispatch, feedback, report, removal, revocation', async () => {
    const { api } = world();
    const court = await api.as(COURT);
    const published = await court.post('/api/v1/lists/entries', courtEntry(1));
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version: 1, status: 'active' });
    const entryId = published.body.id;

    // The task reaches the railway's feed…
    const dispatched = await waitFor('railway task', async () =>
      (await feedOf(RAILWAY)).items.find((i) => i.task.entryId === entryId),
    );
    expect(dispatched.type).toBe('dispatched');
    expect(dispatched.task.measures.map((m) => m.id)).toContain('M01-01');
    expect(dispatched.task.subject.uscc).toBe(makeUscc(1));
    // due at the end of the n-th working day after today, n the earliest of the railway's measures
    const catalogue = (await (await api.as(RAILWAY)).get('/api/v1/catalogue/measures?listType=BL-COURT-DEBTOR')).body
      .items as {
      implementingOrganizations: string[];
      feedbackDueWorkingDays: number;
    }[];
    const days = Math.min(
      ...catalogue.filter((x) => x.implementingOrganizations.includes(RAILWAY)).map((x) => x.feedbackDueWorkingDays),
    );
    const today = todayInShanghai();
    const { overrides, years } = overridesFromLibrary([Number(today.slice(0, 4)), Number(today.slice(0, 4)) + 1]);
    expect(dispatched.task.dueAt).toBe(
      endOfDayShanghai(new WorkingDayCalendar(overrides, years).addWorkingDays(today, days)).toISOString(),
    );
    expect(JSON.stringify(dispatched.task)).not.toContain(makeIdNumber(1)); // ID numbers never leave unmasked
    // …and no other organisation's.
    expect((await feedOf(MARKET)).items.find((i) => i.task.entryId === entryId)).toBeUndefined();
    const railway = await api.as(RAILWAY);
    expect((await railway.get(`/api/v1/tasks/${dispatched.task.id}`)).status).toBe(200);
    expect((await (await api.as(MARKET)).get(`/api/v1/tasks/${dispatched.task.id}`)).status).toBe(404);

    // The office sees it dispatched once feedback has learned of it.
    const office = await api.as(OFFICE);
    const rowOf = async () =>
      (
        (await office.get('/api/v1/reports/completion')).body.items as {
          organization: string;
          dispatched: number;
          fedBack: number;
          feedbackRate: number;
        }[]
      ).find((r) => r.organization === RAILWAY);
    await waitFor('railway in the report', async () => (await rowOf())?.dispatched === 1);

    // Feedback: another organisation cannot report on the railway's task; a foreign measure is refused.
    const good = {
      taskId: dispatched.task.id,
      items: [
        {
          measureId: 'M01-01',
          outcome: 'implemented',
          implementedAt: '2026-11-05',
          explanation: '已限制购买软卧及高铁一等座',
        },
      ],
    };
    expect((await (await api.as(MARKET)).post('/api/v1/feedback', good)).status).toBe(404);
    const foreign = await railway.post('/api/v1/feedback', {
      ...good,
      items: [{ measureId: 'M02-01', outcome: 'not-applicable' }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([
      { field: 'items.0.measureId', message: 'M02-01 is not a measure of this task' },
    ]);
    expect((await railway.post('/api/v1/feedback', good)).status).toBe(201);
    expect(await rowOf()).toMatchObject({ dispatched: 1, due: 1, fedBack: 1, feedbackRate: 1 });

    // Removal revokes the entry's open tasks.
    const removed = await court.post(`/api/v1/lists/entries/${entryId}/transitions`, {
      action: 'remove',
      reason: '已履行全部义务',
      at: '2026-11-20',
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ version: 2, status: 'removed' });
    const revoked = await waitFor('revocation in the feed', async () =>
      (await feedOf(RAILWAY, dispatched.cursor)).items.find(
        (i) => i.task.id === dispatched.task.id && i.type === 'revoked',
      ),
    );
    expect(revoked.task.id).toBe(dispatched.task.id);
    expect((await railway.get(`/api/v1/tasks/${dispatched.task.id}`)).body.status).toBe('revoked');
    const again = await court.post(`/api/v1/lists/entries/${entryId}/transitions`, {
      action: 'remove',
      reason: '重复',
      at: '2026-11-21',
    });
    expect(again.status).toBe(409);
  });

  it('refuses bad input field by field and stores nothing', async () => {
    const { api, lists } = world();
    const court = await api.as(COURT);
    const before = await lists.count('SELECT * FROM list_entries');
    const cases: [object, string][] = [
      [courtEntry(2, { subject: { kind: 'legal', name: '某公司', uscc: '91350100M000100Y44' } }), 'subject.uscc'],
      [
        courtEntry(3, { subject: { kind: 'natural', name: '李四', idNumber: '110105194912310021' } }),
        'subject.idNumber',
      ],
      [courtEntry(4, { listType: 'BL-NO-SUCH-LIST' }), 'listType'],
      [{ ...courtEntry(5), reason: undefined }, 'reason'],
      [{ ...courtEntry(6), unexpected: true }, 'unexpected'],
    ];
    for (const [body, field] of cases) {
      const res = await court.post('/api/v1/lists/entries', body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await lists.count('SELECT * FROM list_entries')).toBe(before);
    expect(await lists.count(`SELECT * FROM outbox WHERE type = 'jrp.list-entry.listed'`)).toBe(before);
  });

  it('authenticates and authorises every call of the loop', async () => {
    const { api } = world();
    expect((await api.http().get('/api/v1/tasks/feed')).status).toBe(401);
    expect((await api.http().get('/api/v1/tasks/feed').set('Authorization', 'Bearer jrp1.forged.token')).status).toBe(
      401,
    );
    const market = await api.as(MARKET); // publisher of other list types, not of 失信被执行人
    expect((await market.post('/api/v1/lists/entries', courtEntry(7))).status).toBe(403);
    expect((await market.get('/api/v1/reports/completion')).status).toBe(403);
    expect(
      (
        await (
          await api.as(COURT)
        ).post('/api/v1/admin/organizations', { code: 'X-1', name: 'x', level: 'city', region: '340100', roles: [] })
      ).status,
    ).toBe(403);
    expect((await (await api.as('AH-C340100')).get('/api/v1/tasks/feed')).status).toBe(403); // a city office implements nothing
  });

  it('lets the admin create an organisation and issue its token', async () => {
    const { api, measures } = world();
    const admin = () => api.http().post('/api/v1/admin/organizations').set('Authorization', `Bearer ${api.adminToken}`);
    const created = await admin().send({
      code: 'AH-C340100-TAX',
      name: '国家税务总局合肥市税务局',
      level: 'city',
      region: '340100',
      roles: ['implementer'],
    });
    expect(created.status).toBe(201);
    const token = await api.tokenOf('AH-C340100-TAX');
    const feed = await api.http().get('/api/v1/tasks/feed').set('Authorization', `Bearer ${token}`);
    expect(feed.status).toBe(200);
    expect(feed.body.items).toEqual([]);
    expect(
      (await admin().send({ code: 'AH-C340100-TAX', name: 'x', level: 'city', region: '340100', roles: [] })).status,
    ).toBe(409);
    const stored = await measures.query<{ digest: string }>(
      `SELECT digest FROM tokens WHERE organization_code = 'AH-C340100-TAX'`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].digest).not.toContain(token);
  });

  /** Publishes entry n and waits until measures has matched it. */
  async function publishAndMatch(n: number): Promise<string> {
    const { api, measures } = world();
    const res = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(n));
    expect(res.status).toBe(201);
    await waitFor(
      `tasks of entry ${n}`,
      async () => (await measures.count('SELECT * FROM tasks WHERE entry_id = $1', [res.body.id])) > 0,
    );
    return res.body.id;
  }

  it('processes an event delivered twice once', async () => {
    const { lists, measures, deliver } = world();
    const entryId = await publishAndMatch(8);
    const tasks = () => measures.count('SELECT * FROM tasks WHERE entry_id = $1', [entryId]);
    const changes = () =>
      measures.count('SELECT * FROM task_changes c JOIN tasks t ON t.id = c.task_id WHERE t.entry_id = $1', [entryId]);
    const [tasksBefore, changesBefore] = [await tasks(), await changes()];
    const [row] = await lists.query<{ topic: string; key: string; envelope: object }>(
      `SELECT topic, key, envelope FROM outbox WHERE envelope->'data'->>'entryId' = $1`,
      [entryId],
    );
    await deliver([{ topic: row.topic, key: row.key, value: JSON.stringify(row.envelope) }]);
    // A later event on the same key is consumed after the duplicate: once it is matched, the duplicate was seen.
    const later = await (
      await world().api.as(COURT)
    ).post('/api/v1/lists/entries', courtEntry(8, { documentNo: '（2026）皖01执8号之一' }));
    await waitFor(
      'the later entry matched',
      async () => (await measures.count('SELECT * FROM tasks WHERE entry_id = $1', [later.body.id])) > 0,
    );
    expect(await tasks()).toBe(tasksBefore);
    expect(await changes()).toBe(changesBefore);
  });

  it('sets a poison event aside and processes the next one on the same key', async () => {
    const { measures, deliver, subjectKey, deadLetterIds } = world();
    const key = subjectKey('legal', makeUscc(9));
    const poison = {
      specversion: '1.0',
      id: `poison-${Date.now()}`,
      source: '/test',
      type: 'jrp.list-entry.listed',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      partitionkey: key,
      data: { entryId: 'not-a-uuid' },
    };
    await deliver([{ topic: Topics.ListEntry, key, value: JSON.stringify(poison) }]);
    const next = await publishAndMatch(9);
    expect(await measures.count('SELECT * FROM tasks WHERE entry_id = $1', [next])).toBeGreaterThan(0);
    expect(await waitFor('the poison set aside', async () => (await deadLetterIds()).includes(poison.id))).toBe(true);
  });
}
