import { makeIdNumber, makeUscc, personalDataOf, uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, MARKET, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { NOT_LISTED_ANSWER } from '../support/checks';
import { useStandalone } from '../support/standalone';
import { taskEvents } from '../support/task-events';

const FINANCE = 'AH-FINANCE'; // implements M01-10, M01-11, M01-12 for 失信被执行人 legal subjects
const TAX = 'AH-TAX'; // identifies 重大税收违法案件当事人 (a repairable list)
const CITY_OFFICE = 'AH-C340100'; // a city credit office: implements nothing

type FeedItem = {
  cursor: string;
  type: string;
  task: { id: string; version: number; check?: { checkId: string; businessType: string; reference: string } };
};

/**
 * Counter checks (嵌入式联合奖惩) on a real broker: the answer from measures' own tables, the caller's
 * measures only, the check linked to the caller's task as a `checked` change, once per business.
 */
describe('counter checks (嵌入式联合奖惩)', () => {
  const topics = uniquePrefix('checks').replace(/_/g, '-');
  const suite = useStandalone('checks', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  let serial = 8000;
  let reference = 0;

  async function publish(body: object, by = COURT): Promise<string> {
    const res = await (await suite.api.as(by)).post('/api/v1/lists/entries', body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** The organisation's task for the entry once measures has dispatched it. */
  const taskOf = (entryId: string, organization: string) =>
    waitFor(
      `${organization}'s task for ${entryId}`,
      async () => {
        const [row] = await suite.measures.query<{ id: string; version: number }>(
          `SELECT id, version FROM tasks WHERE entry_id = $1 AND organization = $2 AND status = 'open'`,
          [entryId, organization],
        );
        return row;
      },
      30000,
    );

  const check = async (by: string, subject: object, ref = `XK-2026-${++reference}`) =>
    (await suite.api.as(by)).post('/api/v1/checks', { subject, businessType: '行政许可', reference: ref });

  async function feedOf(organization: string): Promise<FeedItem[]> {
    const res = await (await suite.api.as(organization)).get('/api/v1/tasks/feed?limit=1000');
    expect(res.status).toBe(200);
    return res.body.items;
  }

  const checkedChanges = () => suite.measures.count(`SELECT * FROM task_changes WHERE type = 'checked'`);

  it('finds a listed legal person by USCC: its entry, only the caller’s measures, and a `checked` change linked to the caller’s task', async () => {
    const n = serial++;
    const entryId = await publish(courtEntry(n));
    const task = await taskOf(entryId, RAILWAY);

    const res = await check(RAILWAY, { uscc: makeUscc(n) }, 'XK-2026-RAIL-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      checkId: expect.any(String),
      listed: true,
      entries: [
        {
          entryId,
          listType: 'BL-COURT-DEBTOR',
          listTypeName: '失信被执行人名单',
          colour: 'black',
          status: 'active',
          statusLabel: '列入',
          disputed: false,
          listedAt: '2026-11-02',
          validUntil: null,
          foundAs: 'subject',
        },
      ],
      measures: [
        {
          id: 'M01-01',
          text: expect.any(String),
          kind: 'punishment',
          listType: 'BL-COURT-DEBTOR',
          legalBasis: [expect.any(String)],
          // the memorandum is its policy basis; the catalogue has not confirmed a legal article (依据待核对)
          basis: [expect.objectContaining({ kind: 'memorandum', number: '发改财金〔2016〕141号' })],
          basisPending: true,
          entryIds: [entryId],
        },
      ],
      rewards: [],
      // a black-list entry in force: the facilitations a counter must not grant
      withheldFacilitations: [
        {
          code: 'notify-commit',
          label: '不适用告知承诺制',
          basis: expect.stringContaining('国办发'),
          entryIds: [entryId],
        },
        { code: 'tolerance-acceptance', label: '不适用容缺受理', basis: expect.any(String), entryIds: [entryId] },
      ],
      taskIds: [task.id],
      checkedAt: expect.any(String),
    });

    // the railway's feed shows the check on its task, as a new version
    const item = await waitFor('the checked change in the feed', async () =>
      (await feedOf(RAILWAY)).find((i) => i.type === 'checked' && i.task.id === task.id),
    );
    expect(item.task.version).toBe(task.version + 1);
    expect(item.task.check).toEqual({
      checkId: res.body.checkId,
      businessType: '行政许可',
      reference: 'XK-2026-RAIL-1',
      checkedAt: res.body.checkedAt,
    });
    const [event] = await taskEvents(suite.measures, `task->'check'->>'checkId' = $1`, [res.body.checkId]);
    expect(event.type).toBe('jrp.task.checked');

    // recorded with the subject's keyed hash, never the code typed at the counter
    const [stored] = await suite.measures.query<Record<string, unknown>>(`SELECT * FROM checks WHERE id = $1`, [
      res.body.checkId,
    ]);
    expect(stored).toMatchObject({
      organization: RAILWAY,
      subject_kind: 'legal',
      id_type: null,
      subject_key: personalDataOf(suite.env).subjectKey('legal', makeUscc(n)),
      business_type: '行政许可',
      reference: 'XK-2026-RAIL-1',
      listed: true,
      entry_ids: [entryId],
      task_ids: [task.id],
    });
    // and audited: who checked, in which request
    const audit = await waitFor(
      'the audit record',
      async () =>
        (
          await suite.measures.query<{ action: string; organization: string }>(
            `SELECT action, organization FROM audit_trail WHERE object_type = 'check' AND object_id = $1`,
            [res.body.checkId],
          )
        )[0],
    );
    expect(audit).toEqual({ action: 'subject.check', organization: RAILWAY });
  });

  it('links one business once: the same reference again is recorded but makes no second `checked` change; another reference does', async () => {
    const n = serial++;
    const entryId = await publish(courtEntry(n));
    const task = await taskOf(entryId, RAILWAY);
    const first = await check(RAILWAY, { uscc: makeUscc(n) }, 'XK-2026-SAME');
    const again = await check(RAILWAY, { uscc: makeUscc(n) }, 'XK-2026-SAME');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ listed: true, taskIds: [task.id] });
    expect(again.body.checkId).not.toBe(first.body.checkId);
    const changes = () =>
      suite.measures.query<{ type: string; task_version: number }>(
        `SELECT type, task_version FROM task_changes WHERE task_id = $1 ORDER BY seq`,
        [task.id],
      );
    expect(await changes()).toEqual([
      { type: 'dispatched', task_version: 1 },
      { type: 'checked', task_version: 2 },
    ]);
    expect(await suite.measures.count(`SELECT * FROM checks WHERE reference = 'XK-2026-SAME'`)).toBe(2);

    // two identical checks at once: still one link
    await Promise.all([
      check(RAILWAY, { uscc: makeUscc(n) }, 'XK-2026-BOTH'),
      check(RAILWAY, { uscc: makeUscc(n) }, 'XK-2026-BOTH'),
    ]);
    await check(RAILWAY, { uscc: makeUscc(n) }, 'XK-2026-OTHER');
    expect((await changes()).map((c) => c.type)).toEqual(['dispatched', 'checked', 'checked', 'checked']);
  });

  it('links each of the caller’s tasks when the subject is on two entries, and names each measure once', async () => {
    const n = serial++;
    const first = await publish(courtEntry(n));
    const second = await publish(courtEntry(n, { documentNo: `（2026）皖01执${n}号之二` }));
    const tasks = [await taskOf(first, RAILWAY), await taskOf(second, RAILWAY)];
    const res = await check(RAILWAY, { uscc: makeUscc(n) });
    expect(res.body.entries.map((e: { entryId: string }) => e.entryId).sort()).toEqual([first, second].sort());
    expect(res.body.measures).toEqual([
      expect.objectContaining({ id: 'M01-01', entryIds: expect.arrayContaining([first, second]) }),
    ]);
    expect(res.body.taskIds.sort()).toEqual(tasks.map((t) => t.id).sort());
    const checked = await suite.measures.query<{ task_id: string }>(
      `SELECT task_id FROM task_changes WHERE type = 'checked' AND task->'check'->>'checkId' = $1`,
      [res.body.checkId],
    );
    expect(checked.map((c) => c.task_id).sort()).toEqual(tasks.map((t) => t.id).sort());
  });

  it('gives another department its own measures and links only its own task', async () => {
    const n = serial++;
    const entryId = await publish(courtEntry(n));
    const railwayTask = await taskOf(entryId, RAILWAY);
    const financeTask = await taskOf(entryId, FINANCE);

    const res = await check(FINANCE, { uscc: makeUscc(n) });
    expect(res.status).toBe(200);
    expect(res.body.listed).toBe(true);
    expect(res.body.measures.map((m: { id: string }) => m.id)).toEqual(['M01-10', 'M01-11', 'M01-12']);
    expect(res.body.taskIds).toEqual([financeTask.id]);
    const railwayChanges = await suite.measures.query<{ type: string }>(
      `SELECT type FROM task_changes WHERE task_id = $1`,
      [railwayTask.id],
    );
    expect(railwayChanges.map((c) => c.type)).toEqual(['dispatched']);
    expect((await feedOf(FINANCE)).filter((i) => i.type === 'checked').map((i) => i.task.id)).toEqual([financeTask.id]);
    expect((await feedOf(RAILWAY)).some((i) => i.type === 'checked' && i.task.id === financeTask.id)).toBe(false);

    // a department with no measure for the list learns the subject is listed, and nothing of others' measures or tasks
    const market = await check(MARKET, { uscc: makeUscc(n) });
    expect(market.body).toMatchObject({ listed: true, measures: [], taskIds: [] });
    expect(market.body.entries.map((e: { entryId: string }) => e.entryId)).toEqual([entryId]);
  });

  it('finds a natural person by ID number, typed as the counter has it; the number is never stored', async () => {
    const n = serial++;
    const idNumber = makeIdNumber(n);
    const entryId = await publish({ ...courtEntry(n), subject: { kind: 'natural', name: `测试自然人${n}`, idNumber } });
    const task = await taskOf(entryId, RAILWAY);

    const res = await check(RAILWAY, { idType: 'resident-id', idNumber: idNumber.toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ listed: true, taskIds: [task.id] });
    expect(res.body.entries.map((e: { entryId: string }) => e.entryId)).toEqual([entryId]);
    expect(res.body.measures.map((m: { id: string }) => m.id)).toEqual(['M01-01']);
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
    const byDefaultType = await check(RAILWAY, { idNumber });
    expect(byDefaultType.body.listed).toBe(true);

    const [stored] = await suite.measures.query<Record<string, unknown>>(
      `SELECT subject_kind, id_type, subject_key FROM checks WHERE id = $1`,
      [res.body.checkId],
    );
    expect(stored).toEqual({
      subject_kind: 'natural',
      id_type: 'resident-id',
      subject_key: personalDataOf(suite.env).subjectKey('natural', idNumber),
    });
    // no table of measures holds the number, in any case
    const tables = await suite.measures.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    const holding = [];
    for (const { table_name } of tables) {
      if (
        (await suite.measures.count(`SELECT 1 FROM "${table_name}" t WHERE upper(t::text) LIKE $1`, [
          `%${idNumber}%`,
        ])) > 0
      )
        holding.push(table_name);
    }
    expect(holding).toEqual([]);
  });

  it('answers an unlisted subject: listed false, recorded, no task change', async () => {
    const before = await checkedChanges();
    const res = await (
      await suite.api.as(RAILWAY)
    )
      .post('/api/v1/checks', {
        subject: { uscc: makeUscc(99_999) },
        businessType: '行政许可',
        reference: 'XK-2026-UNLISTED',
      })
      .set('X-Request-Id', 'req-check-unlisted-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(NOT_LISTED_ANSWER);
    const [stored] = await suite.measures.query<Record<string, unknown>>(
      `SELECT listed, entry_ids, task_ids FROM checks WHERE id = $1`,
      [res.body.checkId],
    );
    expect(stored).toEqual({ listed: false, entry_ids: [], task_ids: [] });
    expect(await checkedChanges()).toBe(before);
    // audited with the record, not after it: who checked, from which request
    expect(
      await suite.measures.query(
        `SELECT service, action, organization, request_id FROM audit_trail WHERE object_type = 'check' AND object_id = $1`,
        [res.body.checkId],
      ),
    ).toEqual([
      { service: 'measures', action: 'subject.check', organization: RAILWAY, request_id: 'req-check-unlisted-1' },
    ]);
  });

  it('does not count a removed entry, and shows a watch-list entry without its measures', async () => {
    const n = serial++;
    const court = await suite.api.as(COURT);
    const removedId = await publish(courtEntry(n));
    const task = await taskOf(removedId, RAILWAY);
    expect(
      (
        await court.post(`/api/v1/lists/entries/${removedId}/transitions`, {
          action: 'remove',
          reason: '已履行',
          at: '2026-11-20',
        })
      ).status,
    ).toBe(200);
    await waitFor(
      'the task revoked',
      async () =>
        (await suite.measures.count(`SELECT * FROM tasks WHERE id = $1 AND status = 'revoked'`, [task.id])) === 1,
    );
    const before = await checkedChanges();
    const removed = await check(RAILWAY, { uscc: makeUscc(n) });
    expect(removed.body).toMatchObject({ listed: false, entries: [], measures: [], taskIds: [] });

    // the same subject on a repairable list, moved to the watch list (重点关注): shown, not listed
    const taxEntry = {
      ...courtEntry(n),
      listType: 'BL-TAX-MAJOR-CASE',
      decidedBy: '国家税务总局安徽省税务局',
      documentNo: `皖税稽罚〔2026〕${n}号`,
    };
    const watchId = await publish(taxEntry, TAX);
    await taskOf(watchId, TAX);
    expect(
      (
        await (
          await suite.api.as(TAX)
        ).post(`/api/v1/lists/entries/${watchId}/transitions`, {
          action: 'move-to-watch',
          reason: '已整改',
          at: '2026-11-21',
        })
      ).status,
    ).toBe(200);
    await waitFor(
      'the entry on the watch list',
      async () =>
        (await suite.measures.count(`SELECT * FROM entry_states WHERE entry_id = $1 AND status = 'watch'`, [
          watchId,
        ])) === 1,
    );
    const watched = await check(TAX, { uscc: makeUscc(n) });
    expect(watched.body).toMatchObject({ listed: false, measures: [], taskIds: [] });
    expect(watched.body.entries).toEqual([
      expect.objectContaining({ entryId: watchId, status: 'watch', statusLabel: '重点关注' }),
    ]);
    expect(await checkedChanges()).toBe(before);
    // each recorded with the entries it showed
    const stored = (id: string) => suite.measures.query(`SELECT listed, entry_ids FROM checks WHERE id = $1`, [id]);
    expect(await stored(removed.body.checkId)).toEqual([{ listed: false, entry_ids: [] }]);
    expect(await stored(watched.body.checkId)).toEqual([{ listed: false, entry_ids: [watchId] }]);
  });

  it('does not count an entry whose validity is over, before list-ingestion marks it expired', async () => {
    const n = serial++;
    const entryId = await publish(courtEntry(n));
    const task = await taskOf(entryId, RAILWAY);
    const before = await checkedChanges();
    // what measures holds between the last valid day and list-ingestion's expiry job: still active, validUntil passed
    await suite.measures.query(`UPDATE entry_states SET valid_until = current_date - 2 WHERE entry_id = $1`, [entryId]);
    const res = await check(RAILWAY, { uscc: makeUscc(n) });
    expect(res.body).toMatchObject({ listed: false, entries: [], measures: [], taskIds: [] });
    expect(
      await suite.measures.query(`SELECT listed, entry_ids, task_ids FROM checks WHERE id = $1`, [res.body.checkId]),
    ).toEqual([{ listed: false, entry_ids: [], task_ids: [] }]);
    expect(
      await suite.measures.count(`SELECT * FROM audit_trail WHERE object_type = 'check' AND object_id = $1`, [
        res.body.checkId,
      ]),
    ).toBe(1);
    expect(await checkedChanges()).toBe(before);
    // its last day still counts
    await suite.measures.query(
      `UPDATE entry_states SET valid_until = (now() AT TIME ZONE 'Asia/Shanghai')::date WHERE entry_id = $1`,
      [entryId],
    );
    const lastDay = await check(RAILWAY, { uscc: makeUscc(n) });
    expect(lastDay.body).toMatchObject({
      listed: true,
      entries: [expect.objectContaining({ entryId })],
      taskIds: [task.id],
    });
    expect(
      await suite.measures.query(`SELECT listed, task_ids FROM checks WHERE id = $1`, [lastDay.body.checkId]),
    ).toEqual([{ listed: true, task_ids: [task.id] }]);
    expect(await checkedChanges()).toBe(before + 1);
  });

  it('refuses bad input field by field and records nothing', async () => {
    const before = await suite.measures.count('SELECT * FROM checks');
    const railway = await suite.api.as(RAILWAY);
    const cases: [object, string][] = [
      [{ subject: { uscc: '91350100M000100Y44' }, businessType: '行政许可', reference: 'r' }, 'subject.uscc'],
      [{ subject: { idNumber: '110105194912310021' }, businessType: '行政许可', reference: 'r' }, 'subject.idNumber'],
      [
        { subject: { idType: 'hk-macao-permit', idNumber: 'X1234' }, businessType: '行政许可', reference: 'r' },
        'subject.idNumber',
      ],
      [
        { subject: { uscc: makeUscc(1), idNumber: makeIdNumber(1) }, businessType: '行政许可', reference: 'r' },
        'subject.uscc',
      ],
      [{ subject: {}, businessType: '行政许可', reference: 'r' }, 'subject.uscc'],
      [{ subject: { uscc: makeUscc(1) }, reference: 'r' }, 'businessType'],
      [{ subject: { uscc: makeUscc(1) }, businessType: '行政许可', reference: 'r', name: 'x' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await railway.post('/api/v1/checks', body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(JSON.stringify(res.body)).not.toContain('110105194912310021');
    }
    expect(await suite.measures.count('SELECT * FROM checks')).toBe(before);
  });

  it('answers the facilitations withheld from the list type’s rule set: a catalogue version adds one, another withholds none', async () => {
    const n = serial++;
    const entryId = await publish(courtEntry(n));
    await taskOf(entryId, RAILWAY); // measures holds the entry
    const codes = async () => {
      const res = await check(RAILWAY, { uscc: makeUscc(n) });
      expect(res.status).toBe(200);
      return (res.body.withheldFacilitations as { code: string; entryIds: string[] }[]).map((f) => [
        f.code,
        f.entryIds,
      ]);
    };
    expect(await codes()).toEqual([
      ['notify-commit', [entryId]],
      ['tolerance-acceptance', [entryId]],
    ]);

    const office = await suite.api.as(OFFICE);
    const token = await suite.api.tokenOf(OFFICE);
    const putDraft = (document: object) =>
      suite.api.http().put('/api/v1/catalogue/draft').set('Authorization', `Bearer ${token}`).send(document);
    type ListTypeBody = { code: string; withheldFacilitations: object[] } & Record<string, unknown>;
    const draftOf = async () =>
      (await office.get('/api/v1/catalogue/draft')).body.document as { listTypes: ListTypeBody[] };
    const courtAt = (draft: { listTypes: ListTypeBody[] }) =>
      draft.listTypes.findIndex((l) => l.code === 'BL-COURT-DEBTOR');
    const priority = { code: 'priority', label: '不适用优先办理', basis: '安徽省优化营商环境条例' };

    // malformed: 400 per field, the draft unchanged
    const before = await draftOf();
    const at = courtAt(before);
    const malformed = structuredClone(before);
    malformed.listTypes[at].withheldFacilitations = [{ code: 'Priority Lane', label: '', basis: 'x' }];
    const refused = await putDraft(malformed);
    expect(refused.status).toBe(400);
    expect((refused.body.errors as { field: string }[]).map((e) => e.field)).toEqual(
      expect.arrayContaining([
        `listTypes.${at}.withheldFacilitations.0.code`,
        `listTypes.${at}.withheldFacilitations.0.label`,
      ]),
    );
    expect(await draftOf()).toEqual(before);

    // a third facilitation for 失信被执行人
    const third = structuredClone(before);
    third.listTypes[at].withheldFacilitations = [...before.listTypes[at].withheldFacilitations, priority];
    expect([(await putDraft(third)).status]).toEqual([200]);
    const published = await office.post('/api/v1/catalogue/versions', { note: '失信被执行人不适用优先办理' });
    expect(published.status).toBe(201);
    const version = published.body.version as number;
    const diff = (await office.get(`/api/v1/catalogue/versions/${version - 1}/diff/${version}`)).body;
    expect((diff.listTypes.changed as { code: string; fields: string[] }[]).map((c) => [c.code, c.fields])).toEqual([
      ['BL-COURT-DEBTOR', ['withheldFacilitations']],
    ]);
    const listTypes = (await office.get('/api/v1/catalogue/list-types?limit=100')).body.items as ListTypeBody[];
    expect(listTypes.find((l) => l.code === 'BL-COURT-DEBTOR')!.withheldFacilitations).toContainEqual(priority);
    expect(listTypes.find((l) => l.code === 'RL-TAX-GRADE-A')!.withheldFacilitations).toEqual([]);
    expect(await codes()).toEqual([
      ['notify-commit', [entryId]],
      ['priority', [entryId]],
      ['tolerance-acceptance', [entryId]],
    ]);
    const [answer] = (await check(RAILWAY, { uscc: makeUscc(n) })).body.withheldFacilitations.filter(
      (f: { code: string }) => f.code === 'priority',
    );
    expect(answer).toEqual({ ...priority, entryIds: [entryId] });

    // none: the counter grants every facilitation again
    const none = await draftOf();
    none.listTypes[courtAt(none)].withheldFacilitations = [];
    expect((await putDraft(none)).status).toBe(200);
    expect((await office.post('/api/v1/catalogue/versions', { note: '失信被执行人不限制便利措施' })).status).toBe(201);
    expect(await codes()).toEqual([]);
    const listed = await check(RAILWAY, { uscc: makeUscc(n) });
    expect(listed.body).toMatchObject({ listed: true, withheldFacilitations: [] });
  });

  it('is for implementing departments only', async () => {
    const body = { subject: { uscc: makeUscc(1) }, businessType: '行政许可', reference: 'r' };
    expect((await suite.api.http().post('/api/v1/checks').send(body)).status).toBe(401);
    expect((await (await suite.api.as(CITY_OFFICE)).post('/api/v1/checks', body)).status).toBe(403);
  });
});
