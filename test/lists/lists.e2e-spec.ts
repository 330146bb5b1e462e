import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import { ExpiryJob } from '../../apps/list-ingestion/src/lifecycle/expiry.job';
import { makeIdNumber, makeUscc, testConfig, waitFor } from '@jrp/testing';
import { useStandalone } from '../support/standalone';
import { idNumberCheckCharacter } from '@jrp/domain';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';

const TAX = 'AH-TAX'; // identifies 重大税收违法案件当事人 (repairable black list) and 纳税信用A级 (red list)
const OFFICE = 'AH-CREDIT-OFFICE';

const taxEntry = (n: number, extra: object = {}) => ({
  listType: 'BL-TAX-MAJOR-CASE',
  subject: {
    kind: 'legal',
    name: `税务测试公司${n}`,
    uscc: makeUscc(2000 + n),
    legalRepresentative: { name: '李四', idNumber: makeIdNumber(200 + n) },
  },
  reason: '虚开增值税专用发票',
  decidedBy: '国家税务总局安徽省税务局稽查局',
  identificationLevel: 'provincial',
  documentNo: `皖税稽罚〔2026〕${n}号`,
  listedAt: '2026-10-01',
  amount: '1250000.50',
  region: '340104',
  ...extra,
});

/** The whole lifecycle of list entries on real PostgreSQL, with the events on the bus and the tasks they cause. */
describe('red/black lists', () => {
  const suite = useStandalone('lists');
  const { env, lists, measures } = suite;

  const eventsOf = async (entryId: string) =>
    (
      await lists.query<{ type: string }>(
        `SELECT type FROM outbox WHERE type LIKE 'jrp.list-entry.%' AND envelope->'data'->>'entryId' = $1 ORDER BY seq`,
        [entryId],
      )
    ).map((r) => r.type.replace('jrp.list-entry.', ''));
  const openTasks = (entryId: string) =>
    measures.count(`SELECT * FROM tasks WHERE entry_id = $1 AND status = 'open'`, [entryId]);
  const publish = async (code: string, body: object) => {
    const res = await (await suite.api.as(code)).post('/api/v1/lists/entries', body);
    expect([200, 201]).toContain(res.status);
    return res.body as { id: string; version: number; status: string; outcome: string };
  };
  const step = async (code: string, id: string, body: object) =>
    (await suite.api.as(code)).post(`/api/v1/lists/entries/${id}/transitions`, {
      reason: '依据',
      at: '2026-11-20',
      ...body,
    });

  describe('identifiers', () => {
    const natural = (idType: string | undefined, idNumber: string) => ({
      ...courtEntry(3000),
      subject: { kind: 'natural', name: '测试', ...(idType ? { idType } : {}), idNumber },
    });
    const legacy = '110105491231002'; // 15-digit number of 11010519491231002X

    it.each([
      [
        'a resident ID with a wrong check character',
        natural(undefined, '110105194912310021'),
        'subject.idNumber',
        /check character/,
      ],
      [
        'a resident ID born in the future',
        natural(undefined, `34010220991231001${idNumberCheckCharacter('34010220991231001')}`),
        'subject.idNumber',
        /future/,
      ],
      [
        'a resident ID with an impossible birth date',
        natural(undefined, '11010519490230002X'),
        'subject.idNumber',
        /real date/,
      ],
      ['a Hong Kong/Macao permit of the wrong shape', natural('hk-macao-permit', 'X1234567'), 'subject.idNumber', /./],
      ['a Taiwan permit of the wrong shape', natural('taiwan-permit', '1234'), 'subject.idNumber', /./],
      [
        'a foreign permanent residence ID of the wrong shape',
        natural('foreign-permanent-residence', 'AB1234567890123'),
        'subject.idNumber',
        /./,
      ],
      ['a passport with symbols', natural('passport', 'E12-34567'), 'subject.idNumber', /./],
      [
        'a USCC with a wrong check character',
        { ...courtEntry(3001), subject: { kind: 'legal', name: 'x', uscc: '91350100M000100Y44' } },
        'subject.uscc',
        /check character/,
      ],
      [
        'a legal representative with a wrong ID',
        {
          ...courtEntry(3002),
          subject: {
            kind: 'legal',
            name: 'x',
            uscc: makeUscc(3002),
            legalRepresentative: { name: '王', idNumber: '110105194912310021' },
          },
        },
        'subject.legalRepresentative.idNumber',
        /check character/,
      ],
      ['a region outside the province', { ...courtEntry(3003), region: '320100' }, 'region', /Anhui/],
      ['a county code that does not exist', { ...courtEntry(3004), region: '340199' }, 'region', /Anhui/],
      ['validUntil before listedAt', { ...courtEntry(3005), validUntil: '2020-01-01' }, 'validUntil', /before/],
    ])('refuses %s', async (_, body, field, message) => {
      const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', body);
      expect(res.status).toBe(400);
      const error = res.body.errors.find((e: { field: string }) => e.field === field);
      expect(error?.message).toMatch(message);
    });

    it.each([
      ['hk-macao-permit', 'H12345678'],
      ['taiwan-permit', '12345678'],
      ['passport', 'E12345678'],
    ])('accepts a %s', async (idType, idNumber) => {
      const res = await (
        await suite.api.as(COURT)
      ).post('/api/v1/lists/entries', { ...natural(idType, idNumber), documentNo: `doc-${idType}` });
      expect(res.status).toBe(201);
    });

    it('normalises a 15-digit legacy ID number to 18 digits (same subject)', async () => {
      const a = await publish(COURT, { ...natural(undefined, legacy), documentNo: 'legacy-1' });
      const b = await publish(COURT, { ...natural(undefined, '11010519491231002X'), documentNo: 'legacy-1' });
      expect(b.id).toBe(a.id);
      expect(b.outcome).toBe('unchanged');
      const shown = await (await suite.api.as(COURT)).get(`/api/v1/lists/entries/${a.id}`);
      expect(shown.body.subject.idNumber).toBe('110105************');
    });
  });

  describe('identity', () => {
    it('treats the same list type, subject and document number as the same entry: updated, never duplicated', async () => {
      const first = await publish(TAX, taxEntry(1));
      expect(first).toMatchObject({ version: 1, status: 'active', outcome: 'created' });
      const same = await publish(TAX, taxEntry(1));
      expect(same).toMatchObject({ id: first.id, version: 1, outcome: 'unchanged' });
      const changed = await publish(TAX, taxEntry(1, { reason: '虚开增值税专用发票（更正金额）', amount: '1300000' }));
      expect(changed).toMatchObject({ id: first.id, version: 2, outcome: 'updated' });
      expect(await lists.count(`SELECT * FROM list_entries WHERE subject_uscc = $1`, [makeUscc(2001)])).toBe(1);
      expect(await eventsOf(first.id)).toEqual(['listed', 'updated']);
    });

    it('stores a new entry with its history, event and audit record at once; a concurrent or later one is decided under the lock', async () => {
      const tax = await suite.api.as(TAX);
      // the same new identity five times at once, three of them with another reason (a change)
      const bodies = [0, 1, 2, 3, 4].map((k) =>
        taxEntry(3120, k % 2 ? {} : { reason: `虚开增值税专用发票（第${k}次）` }),
      );
      const answers = await Promise.all(bodies.map((body) => tax.post('/api/v1/lists/entries', body)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
      const outcomes = answers.map((a) => a.body.outcome as string);
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(outcomes.every((o) => ['created', 'updated', 'unchanged'].includes(o))).toBe(true);
      const ids = new Set(answers.map((a) => a.body.id as string));
      expect(ids.size).toBe(1);
      const [id] = ids;
      const updates = outcomes.filter((o) => o === 'updated').length;
      const [row] = await lists.query<{ version: number }>(`SELECT version FROM list_entries WHERE id = $1`, [id]);
      expect(row.version).toBe(1 + updates);
      expect(await lists.count(`SELECT * FROM list_entries WHERE subject_uscc = $1`, [makeUscc(2000 + 3120)])).toBe(1);
      const history = await lists.query<{ version: number; action: string; by_organization: string }>(
        `SELECT version, action, by_organization FROM list_entry_history WHERE entry_id = $1 ORDER BY version`,
        [id],
      );
      expect(history).toEqual([
        { version: 1, action: 'listed', by_organization: TAX },
        ...Array.from({ length: updates }, (_, i) => ({ version: i + 2, action: 'republish', by_organization: TAX })),
      ]);
      expect(await eventsOf(id)).toEqual(['listed', ...Array<string>(updates).fill('updated')]);
      const audit = await lists.query<{ action: string }>(
        `SELECT envelope->'data'->>'action' AS action FROM outbox
         WHERE type = 'jrp.audit.recorded' AND envelope->'data'->>'objectId' = $1 ORDER BY seq`,
        [id],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'list-entry.listed',
        ...Array<string>(updates).fill('list-entry.republish'),
      ]);
      // a removed entry is not published again: 409, nothing written
      expect((await step(TAX, id, { action: 'remove' })).body.status).toBe('removed');
      const again = await tax.post('/api/v1/lists/entries', taxEntry(3120));
      expect(again.status).toBe(409);
      expect(await lists.count(`SELECT * FROM list_entry_history WHERE entry_id = $1`, [id])).toBe(history.length + 1);
    });

    it('honours Idempotency-Key: a repeat replays the first result, another body with the key is 422', async () => {
      const court = await suite.api.as(COURT);
      const first = await court.post('/api/v1/lists/entries', courtEntry(3110)).set('Idempotency-Key', 'publish-3110');
      expect(first.status).toBe(201);
      const again = await court.post('/api/v1/lists/entries', courtEntry(3110)).set('Idempotency-Key', 'publish-3110');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const other = await court.post('/api/v1/lists/entries', courtEntry(3111)).set('Idempotency-Key', 'publish-3110');
      expect(other.status).toBe(422);
      expect(
        await lists.count(`SELECT * FROM list_entries WHERE document_no = $1`, [courtEntry(3111).documentNo]),
      ).toBe(0);
      // a key is per organisation
      const tax = await (
        await suite.api.as(TAX)
      )
        .post('/api/v1/lists/entries', taxEntry(3112))
        .set('Idempotency-Key', 'publish-3110');
      expect(tax.status).toBe(201);
    });

    it('refuses a publisher publishing another’s list type (403)', async () => {
      const res = await (await suite.api.as(TAX)).post('/api/v1/lists/entries', courtEntry(3100));
      expect(res.status).toBe(403);
    });
  });

  describe('lifecycle', () => {
    it('repairs a repairable black-list entry: watch, commitment, training → removed, tasks revoked at watch', async () => {
      const e = await publish(TAX, taxEntry(10));
      await waitFor('tasks dispatched', async () => (await openTasks(e.id)) > 0);
      expect((await step(TAX, e.id, { action: 'record-commitment', text: '承诺' })).status).toBe(409); // not before watch
      const watch = await step(TAX, e.id, { action: 'move-to-watch' });
      expect(watch.status).toBe(200);
      expect(watch.body).toMatchObject({ status: 'watch', version: 2, statusLabel: '重点关注' });
      await waitFor('tasks revoked at watch', async () => (await openTasks(e.id)) === 0);
      expect((await step(TAX, e.id, { action: 'move-to-watch' })).status).toBe(409);
      const commitment = await step(TAX, e.id, { action: 'record-commitment', text: '本企业承诺依法诚信纳税' });
      expect(commitment.body).toMatchObject({ status: 'watch', version: 3 });
      expect((await step(TAX, e.id, { action: 'record-commitment', text: '再次' })).status).toBe(409);
      const training = await step(TAX, e.id, { action: 'record-training', provider: '安徽省信用协会', hours: 8 });
      expect(training.body).toMatchObject({
        status: 'removed',
        version: 4,
        commitment: { text: '本企业承诺依法诚信纳税' },
        training: { provider: '安徽省信用协会', hours: 8 },
      });
      expect((await step(TAX, e.id, { action: 'remove' })).status).toBe(409);
      expect(await eventsOf(e.id)).toEqual(['listed', 'moved-to-watch', 'commitment-recorded', 'training-recorded']);
      const history = await (await suite.api.as(TAX)).get(`/api/v1/lists/entries/${e.id}/history`);
      expect(history.body.items.map((h: { action: string; by: string }) => [h.action, h.by])).toEqual([
        ['listed', TAX],
        ['move-to-watch', TAX],
        ['record-commitment', TAX],
        ['record-training', TAX],
      ]);
    });

    it('asks for the training’s provider and hours', async () => {
      const e = await publish(TAX, taxEntry(11));
      await step(TAX, e.id, { action: 'move-to-watch' });
      const res = await step(TAX, e.id, { action: 'record-training' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((x: { field: string }) => x.field)).toEqual(['provider', 'hours']);
    });

    it('refuses repair on a list that is not repairable (失信被执行人) and on a red list', async () => {
      const court = await publish(COURT, courtEntry(3200));
      const refused = await step(COURT, court.id, { action: 'move-to-watch' });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/not repairable/);
      const red = await publish(TAX, {
        ...taxEntry(12),
        listType: 'RL-TAX-GRADE-A',
        documentNo: 'A级-2026-1',
        subject: { kind: 'legal', name: '守信企业', uscc: makeUscc(2012) },
        amount: undefined,
      });
      const redStep = await step(TAX, red.id, { action: 'move-to-watch' });
      expect(redStep.status).toBe(409);
      expect(redStep.body.detail).toMatch(/red list/);
      expect((await step(TAX, red.id, { action: 'remove' })).body.status).toBe('removed');
    });

    it('removes an entry and revokes its tasks', async () => {
      const e = await publish(COURT, courtEntry(3201));
      await waitFor('tasks dispatched', async () => (await openTasks(e.id)) > 0);
      const removed = await step(COURT, e.id, { action: 'remove', reason: '已履行' });
      expect(removed.body.status).toBe('removed');
      await waitFor('tasks revoked', async () => (await openTasks(e.id)) === 0);
    });

    it('corrects fields with PATCH (new version, updated) and refuses to correct nothing', async () => {
      const e = await publish(TAX, taxEntry(13));
      const tax = await suite.api.as(TAX);
      const patched = await suite.api
        .http()
        .patch(`/api/v1/lists/entries/${e.id}`)
        .set('Authorization', `Bearer ${await suite.api.tokenOf(TAX)}`)
        .send({ correctionReason: '金额录入错误', amount: '99.5', region: '340100' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ version: 2, amount: '99.50', region: '340100' });
      const again = await suite.api
        .http()
        .patch(`/api/v1/lists/entries/${e.id}`)
        .set('Authorization', `Bearer ${await suite.api.tokenOf(TAX)}`)
        .send({ correctionReason: '重复', amount: '99.50' });
      expect(again.status).toBe(409);
      const history = (await tax.get(`/api/v1/lists/entries/${e.id}/history`)).body.items;
      expect(history[1]).toMatchObject({
        action: 'correct',
        reason: '金额录入错误',
        details: { fields: ['amount', 'region'] },
      });
    });

    it('keeps an entry through its last valid day (inclusive) and expires it the day after', async () => {
      const day = '2030-06-30';
      const e = await publish(COURT, { ...courtEntry(3390), listedAt: '2030-01-01', validUntil: day });
      await suite.app.get(ExpiryJob).runOnce(new Date(`${day}T23:59:00+08:00`));
      expect((await (await suite.api.as(COURT)).get(`/api/v1/lists/entries/${e.id}`)).body.status).toBe('active');
      await suite.app.get(ExpiryJob).runOnce(new Date('2030-07-01T00:00:01+08:00'));
      expect((await (await suite.api.as(COURT)).get(`/api/v1/lists/entries/${e.id}`)).body.status).toBe('expired');
    });

    it('expires entries by themselves, exactly once with two replicas, and revokes their tasks', async () => {
      const ids: string[] = [];
      for (let n = 0; n < 20; n++)
        ids.push(
          (await publish(COURT, { ...courtEntry(3300 + n), listedAt: '2020-01-01', validUntil: '2021-12-31' })).id,
        );
      await waitFor(
        'tasks dispatched',
        async () =>
          (await measures.count(`SELECT DISTINCT entry_id FROM tasks WHERE entry_id = ANY($1)`, [ids])) === ids.length,
      );
      const second = await createStandaloneApp(testConfig(env)); // a second replica on the same database
      try {
        const [a, b] = await Promise.all([suite.app.get(ExpiryJob).runOnce(), second.get(ExpiryJob).runOnce()]);
        expect(a + b).toBeGreaterThanOrEqual(ids.length);
      } finally {
        await second.close();
      }
      for (const id of ids) expect(await eventsOf(id)).toEqual(['listed', 'expired']);
      const expiredEntry = await (await suite.api.as(COURT)).get(`/api/v1/lists/entries/${ids[0]}`);
      expect(expiredEntry.body).toMatchObject({ status: 'expired', statusLabel: '已到期' });
      await waitFor(
        'tasks revoked',
        async () =>
          (await measures.count(`SELECT * FROM tasks WHERE entry_id = ANY($1) AND status = 'open'`, [ids])) === 0,
      );
    });
  });

  describe('objections', () => {
    const office = () => suite.api.as(OFFICE);

    it('marks an entry disputed; a rejected objection clears the flag', async () => {
      const e = await publish(COURT, courtEntry(3400));
      const filed = await (
        await office()
      ).post(`/api/v1/lists/entries/${e.id}/objections`, { statement: '已履行，不应列入', contact: '0551-12345678' });
      expect(filed.status).toBe(201);
      expect(filed.body.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(
        (await (await office()).post(`/api/v1/lists/entries/${e.id}/objections`, { statement: '再次', contact: 'x' }))
          .status,
      ).toBe(409);
      expect((await (await suite.api.as(COURT)).get(`/api/v1/lists/entries/${e.id}`)).body).toMatchObject({
        disputed: true,
        disputedLabel: '异议处理中',
      });
      await waitFor('departments see the dispute', async () => {
        const feed = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
        const changes = feed.body.items.filter((i: { task: { entryId: string } }) => i.task.entryId === e.id);
        return (
          changes.length === 2 &&
          changes[1].type === 'updated' &&
          changes[1].task.disputed === true &&
          changes[1].task.disputedLabel === '异议处理中'
        );
      });
      const queue = await (await office()).get('/api/v1/lists/objections?status=pending');
      const mine = queue.body.items.find((o: { id: string }) => o.id === filed.body.id);
      expect(mine).toMatchObject({ statusLabel: '待处理', overdue: false });
      expect(mine.workingDaysLeft).toBeGreaterThan(0);
      const decided = await (
        await office()
      ).post(`/api/v1/lists/objections/${filed.body.id}/decision`, { upheld: false, reason: '异议不成立' });
      expect(decided.body).toMatchObject({ status: 'rejected', entry: { status: 'active', disputed: false } });
      expect(await eventsOf(e.id)).toEqual(['listed', 'disputed', 'objection-decided']);
      expect(
        (
          await (
            await office()
          ).post(`/api/v1/lists/objections/${filed.body.id}/decision`, { upheld: true, reason: 'x' })
        ).status,
      ).toBe(409);
    });

    it('an upheld objection removes the entry and revokes its tasks, or corrects it', async () => {
      const removedEntry = await publish(COURT, courtEntry(3401));
      await waitFor('tasks dispatched', async () => (await openTasks(removedEntry.id)) > 0);
      const o1 = await (
        await office()
      ).post(`/api/v1/lists/entries/${removedEntry.id}/objections`, { statement: '主体错误', contact: 'x' });
      const d1 = await (
        await office()
      ).post(`/api/v1/lists/objections/${o1.body.id}/decision`, { upheld: true, reason: '认定错误，予以移出' });
      expect(d1.body).toMatchObject({ status: 'upheld', entry: { status: 'removed', disputed: false } });
      await waitFor('tasks revoked', async () => (await openTasks(removedEntry.id)) === 0);

      const corrected = await publish(COURT, courtEntry(3402));
      const o2 = await (
        await office()
      ).post(`/api/v1/lists/entries/${corrected.id}/objections`, { statement: '列入日期有误', contact: 'x' });
      const d2 = await (
        await office()
      ).post(`/api/v1/lists/objections/${o2.body.id}/decision`, {
        upheld: true,
        reason: '更正列入日期',
        corrections: { listedAt: '2026-11-03' },
      });
      expect(d2.body).toMatchObject({ status: 'upheld', entry: { status: 'active', disputed: false } });
      expect((await (await suite.api.as(COURT)).get(`/api/v1/lists/entries/${corrected.id}`)).body.listedAt).toBe(
        '2026-11-03',
      );
    });
  });

  describe('batches and full pushes', () => {
    it('takes each entry of a batch on its own, with per-entry results', async () => {
      const res = await (
        await suite.api.as(COURT)
      ).post('/api/v1/lists/entries/batch', {
        entries: [
          courtEntry(3500),
          { ...courtEntry(3501), region: 'nowhere' },
          courtEntry(3500),
          'not an object',
          { ...courtEntry(3502), extra: 1 },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.counts).toEqual({ created: 1, updated: 0, unchanged: 1, rejected: 3, removed: 0 });
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
        'created',
        'rejected',
        'unchanged',
        'rejected',
        'rejected',
      ]);
      expect(res.body.results[1].errors[0].field).toBe('region');
      expect(res.body.results[4].errors[0]).toEqual({ field: 'extra', message: 'is not a known field' });
    });

    it('removes exactly the entries absent from a full push, and revokes their tasks', async () => {
      const base = (n: number) => taxEntry(100 + n);
      const initial = await (
        await suite.api.as(TAX)
      ).post('/api/v1/lists/entries/batch', { entries: [0, 1, 2, 3, 4].map(base) });
      const ids = initial.body.results.map((r: { id: string }) => r.id);
      await waitFor(
        'tasks dispatched',
        async () =>
          (await measures.count(`SELECT DISTINCT entry_id FROM tasks WHERE entry_id = ANY($1) AND status = 'open'`, [
            ids,
          ])) === 5,
      );
      // other list types and other publishers' entries must not be touched
      const otherType = await publish(TAX, {
        ...taxEntry(199),
        listType: 'RL-TAX-GRADE-A',
        documentNo: 'A-199',
        subject: { kind: 'legal', name: '守信', uscc: makeUscc(2199) },
        amount: undefined,
      });
      const byOffice = await publish(OFFICE, taxEntry(198));
      // the tax bureau's other active entries of this list type, from earlier tests: absent too
      const earlier = (
        await lists.query<{ id: string }>(
          `SELECT id FROM list_entries WHERE list_type = 'BL-TAX-MAJOR-CASE' AND published_by = $1 AND status IN ('active', 'watch') AND NOT (id = ANY($2))`,
          [TAX, ids],
        )
      ).map((r) => r.id);
      const full = await (
        await suite.api.as(TAX)
      ).post('/api/v1/lists/entries/batch', {
        mode: 'full',
        listType: 'BL-TAX-MAJOR-CASE',
        confirmRemovals: 2 + earlier.length, // more than the default limit (10 %): confirmed
        entries: [0, 2, 4].map(base).concat([base(5)]),
      });
      expect(full.body.counts).toMatchObject({ created: 1, unchanged: 3, removed: 2 + earlier.length });
      expect(
        await lists.count(`SELECT * FROM list_entries WHERE id = ANY($1) AND status <> 'removed'`, [earlier]),
      ).toBe(0);
      const statuses = await lists.query<{ id: string; status: string }>(
        `SELECT id, status FROM list_entries WHERE id = ANY($1) ORDER BY id`,
        [[...ids, otherType.id, byOffice.id]],
      );
      const statusOf = (id: string) => statuses.find((s) => s.id === id)!.status;
      expect([0, 1, 2, 3, 4].map((i) => statusOf(ids[i]))).toEqual([
        'active',
        'removed',
        'active',
        'removed',
        'active',
      ]);
      expect(statusOf(otherType.id)).toBe('active');
      expect(statusOf(byOffice.id)).toBe('active');
      const [history] = await lists.query<{ reason: string }>(
        `SELECT reason FROM list_entry_history WHERE entry_id = $1 AND action = 'remove'`,
        [ids[1]],
      );
      expect(history.reason).toContain('absent from full push');
      await waitFor(
        'absent entries’ tasks revoked',
        async () => (await openTasks(ids[1])) === 0 && (await openTasks(ids[3])) === 0,
      );
      expect(await openTasks(ids[0])).toBeGreaterThan(0);
    });
  });

  describe('queries', () => {
    it('shows the office a subject’s credit file and filtered lists; the public only active entries, masked', async () => {
      const uscc = makeUscc(2300);
      const e = await publish(
        TAX,
        taxEntry(300, {
          subject: {
            kind: 'legal',
            name: '档案测试公司',
            uscc,
            legalRepresentative: { name: '赵六', idNumber: makeIdNumber(300) },
          },
        }),
      );
      await step(TAX, e.id, { action: 'move-to-watch' });
      const file = await (await suite.api.as(OFFICE)).get(`/api/v1/subjects/${uscc}/credit`);
      expect(file.status).toBe(200);
      expect(file.body.entries.map((x: { id: string }) => x.id)).toContain(e.id);
      expect(file.body.repairs.map((r: { action: string }) => r.action)).toContain('move-to-watch');
      expect((await (await suite.api.as(TAX)).get(`/api/v1/subjects/${uscc}/credit`)).status).toBe(403);

      const listed = await (
        await suite.api.as(OFFICE)
      ).get(`/api/v1/lists/entries?listType=BL-TAX-MAJOR-CASE&status=watch&region=340100&q=${uscc}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([e.id]);
      const byName = await (
        await suite.api.as(OFFICE)
      ).get(`/api/v1/lists/entries?q=${encodeURIComponent('档案测试')}`);
      expect(byName.body.items.map((x: { id: string }) => x.id)).toEqual([e.id]);

      const active = await publish(COURT, {
        ...courtEntry(3600),
        subject: { kind: 'natural', name: '公开测试人', idNumber: makeIdNumber(3600) },
      });
      const pub = await suite.api.http().get(`/api/v1/lists/public?q=${encodeURIComponent('公开测试人')}`);
      expect(pub.status).toBe(200);
      expect(pub.body.items).toHaveLength(1);
      expect(pub.body.items[0]).toMatchObject({
        id: active.id,
        subject: { idNumber: `${makeIdNumber(3600).slice(0, 6)}************` },
      });
      expect(JSON.stringify(pub.body)).not.toContain(makeIdNumber(3600));
      const watchOnly = await suite.api.http().get(`/api/v1/lists/public?q=${uscc}`);
      expect(watchOnly.body.items).toEqual([]); // on the watch list: not public
    });

    it('keeps the railway’s feed free of entries it does not implement', async () => {
      const feed = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
      expect(feed.body.items.every((i: { task: { listType: string } }) => i.task.listType === 'BL-COURT-DEBTOR')).toBe(
        true,
      );
    });
  });
});
