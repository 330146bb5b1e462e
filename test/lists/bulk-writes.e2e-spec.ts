import { makeIdNumber, makeUscc, waitFor, IMPORT_HEADERS } from '@jrp/testing';
import { COURT, courtEntry } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

/**
 * Batches and imports store their chunks with one statement a table, each column's values sent as one
 * array (issue 21, part 4): texts that array literals must escape arrive exactly as sent, in the entry,
 * its history and its event, and publishing them again finds them (unchanged).
 */
describe('bulk writes keep every character', () => {
  const suite = useStandalone('bulkwrites');

  // tabs, line breaks, quotes, backslashes, braces and commas (an array literal's syntax), the word NULL,
  // CJK with a character outside the BMP: kept as sent (a NUL or another control character is refused earlier)
  const odd = [
    {
      name: '甲\t乙 "丙" \\ 丁公司',
      reason: '第一行\r\n第二行\n{a,b}',
      decidedBy: 'NULL',
      documentNo: '（2026）"皖"\\01执{1}号',
    },
    { name: '𠀀𪚥建设有限公司', reason: '\\N', decidedBy: '", NULL, "', documentNo: 'a,b}{' },
    { name: '"', reason: '\\\\', decidedBy: "O'Brien 法院", documentNo: '\t号' },
  ];
  const entryOf = (n: number, texts: (typeof odd)[number]) =>
    courtEntry(n, {
      subject: { ...courtEntry(n).subject, name: texts.name },
      reason: texts.reason,
      decidedBy: texts.decidedBy,
      documentNo: texts.documentNo,
    });

  it('a batch stores odd texts exactly, with their history and events, and finds them again', async () => {
    const court = await suite.api.as(COURT);
    const entries = odd.map((texts, i) => entryOf(9700 + i, texts));
    const res = await court.post('/api/v1/lists/entries/batch', { entries });
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ created: odd.length, rejected: 0 });
    const ids: string[] = res.body.results.map((r: { id: string }) => r.id);

    const stored = await suite.lists.query<{
      id: string;
      name: string;
      reason: string;
      decided_by: string;
      document_no: string;
    }>(
      `SELECT id, subject_name AS name, reason, decided_by, document_no FROM list_entries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    odd.forEach((texts, i) => {
      const row = stored.find((s) => s.id === ids[i])!;
      expect(row).toEqual({
        id: ids[i],
        name: texts.name.trim(),
        reason: texts.reason,
        decided_by: texts.decidedBy,
        document_no: texts.documentNo.trim(),
      });
    });
    const history = await suite.lists.query<{ entry_id: string; action: string; reason: string }>(
      `SELECT entry_id, action, reason FROM list_entry_history WHERE entry_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(history).toHaveLength(odd.length);
    odd.forEach((texts, i) =>
      expect(history.find((h) => h.entry_id === ids[i])).toEqual({
        entry_id: ids[i],
        action: 'listed',
        reason: texts.reason,
      }),
    );
    const events = await suite.lists.query<{ data: { subject: { name: string }; reason: string; documentNo: string } }>(
      `SELECT envelope::jsonb -> 'data' AS data FROM outbox WHERE envelope::jsonb -> 'data' ->> 'entryId' = ANY($1::text[])`,
      [ids],
    );
    expect(events.map((e) => e.data.subject.name).sort()).toEqual(odd.map((t) => t.name.trim()).sort());

    const again = await court.post('/api/v1/lists/entries/batch', { entries });
    expect(again.body.counts).toMatchObject({ unchanged: odd.length, created: 0 });
  });

  it('an import stores odd texts exactly', async () => {
    const token = await suite.api.tokenOf(COURT);
    const q = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const lines = odd.map((texts, i) =>
      [
        '失信被执行人名单',
        '法人',
        texts.name,
        makeUscc(9800 + i),
        '',
        '',
        '张三',
        makeIdNumber(9800 + i),
        texts.reason,
        texts.decidedBy,
        '省级',
        `导入${texts.documentNo}`,
        '2026-11-01',
        '',
        '340100',
      ]
        .map(q)
        .join(','),
    );
    const csv = [IMPORT_HEADERS.join(','), ...lines].join('\r\n') + '\r\n';
    const upload = await suite.api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from(csv, 'utf8'), 'odd.csv');
    expect(upload.status).toBe(202);
    const job = await waitFor(
      'import finished',
      async () => {
        const res = await suite.api
          .http()
          .get(`/api/v1/lists/imports/${upload.body.id}`)
          .set('Authorization', `Bearer ${token}`);
        return ['done', 'failed'].includes(res.body.status) ? res.body : undefined;
      },
      30000,
    );
    expect(job).toMatchObject({ status: 'done', created: odd.length, rejected: 0 });
    const stored = await suite.lists.query<{ uscc: string; name: string; reason: string; decided_by: string }>(
      `SELECT subject_uscc AS uscc, subject_name AS name, reason, decided_by FROM list_entries WHERE document_no LIKE '导入%'`,
    );
    // cells are trimmed as they are read; what is inside them is kept
    odd.forEach((texts, i) =>
      expect(stored.find((s) => s.uscc === makeUscc(9800 + i))).toEqual({
        uscc: makeUscc(9800 + i),
        name: texts.name.trim(),
        reason: texts.reason.trim(),
        decided_by: texts.decidedBy.trim(),
      }),
    );
  });
});
