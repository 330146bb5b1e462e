import { randomUUID } from 'node:crypto';
import { migrateServiceSchema, MigrationList, serviceDataSourceOptions } from '@jrp/database';
import { cleanUp, makeIdNumber, makeUscc, SchemaProbe, testEnvironment, uniquePrefix } from '@jrp/testing';
import { FEEDBACK_MIGRATIONS } from '../../apps/feedback/src/feedback.migrations';
import { CasePublication1764300000271 } from '../../apps/feedback/src/migrations/1764300000271-case-publication';
import { LIST_INGESTION_MIGRATIONS } from '../../apps/list-ingestion/src/list-ingestion.migrations';
import { RejectedRowsMasked1764300000171 } from '../../apps/list-ingestion/src/migrations/1764300000171-rejected-rows-masked';

/** Migrates `schema` with `migrations`; the names of those it applied. */
async function migrate(url: string, schema: string, migrations: MigrationList): Promise<string[]> {
  const options = serviceDataSourceOptions({ name: `m-${randomUUID()}`, url, schema, migrations, poolSize: 2 });
  const { dataSource, applied } = await migrateServiceSchema({ ...options, schema, url });
  await dataSource.destroy();
  return applied;
}

/**
 * What was stored before issue 17 (rejected import rows with ID numbers in clear; cases public as soon as
 * recorded) is brought in line by the migrations, on PostgreSQL: nothing that worked stops working.
 */
describe('personal data stored before: the migrations', () => {
  const env = testEnvironment(uniquePrefix('pdmig'));
  const url = env.DATABASE_URL!;
  const prefix = env.JRP_DB_SCHEMA_PREFIX!;
  afterAll(() => cleanUp(env));

  it('masks the identity numbers of rejected import rows, file names and failure messages kept in clear', async () => {
    const schema = `${prefix}list_ingestion`;
    const before = (LIST_INGESTION_MIGRATIONS as (new () => unknown)[]).filter(
      (m) => m !== RejectedRowsMasked1764300000171,
    ) as MigrationList;
    await migrate(url, schema, before);
    const lists = new SchemaProbe(url, schema);
    const [id, other] = [makeIdNumber(801), makeIdNumber(802)];
    const importId = randomUUID();
    await lists.query(
      `INSERT INTO imports (id, organization, principal, request_id, source_address, original_name, format, file_path, mode, status, error)
       VALUES ($1, 'AH-COURT', '{}', 'r', '127.0.0.1', $2, 'csv', '/gone', 'incremental', 'failed', $3)`,
      [importId, `张三${id}.csv`, `导入失败：duplicate key (${other})`],
    );
    const values = {
      subjectName: '张三',
      idNumber: id,
      legalRepresentativeIdNumber: `${other.slice(0, 6)} ${other.slice(6)}`,
      uscc: makeUscc(801),
      reason: `证件号${other}`,
    };
    await lists.query(`INSERT INTO import_errors (import_id, row, "values", reasons) VALUES ($1, 2, $2, $3)`, [
      importId,
      JSON.stringify(values),
      [`证件号码：${id} 校验位不正确`],
    ]);
    await lists.query(`INSERT INTO import_errors (import_id, row, "values", reasons) VALUES ($1, 3, $2, $3)`, [
      importId,
      JSON.stringify({ subjectName: '某公司', region: '999999' }),
      ['行政区划：不是安徽省的行政区划代码'],
    ]);

    expect(await migrate(url, schema, LIST_INGESTION_MIGRATIONS)).toEqual(['RejectedRowsMasked1764300000171']);
    const rows = await lists.query<{ values: Record<string, string>; reasons: string[] }>(
      `SELECT "values", reasons FROM import_errors WHERE import_id = $1 ORDER BY row`,
      [importId],
    );
    expect(rows).toEqual([
      {
        values: {
          subjectName: '张三',
          idNumber: '340102************',
          legalRepresentativeIdNumber: '340102************',
          uscc: makeUscc(801),
          reason: '证件号340102************',
        },
        reasons: ['证件号码：340102************ 校验位不正确'],
      },
      { values: { subjectName: '某公司', region: '999999' }, reasons: ['行政区划：不是安徽省的行政区划代码'] },
    ]);
    const [job] = await lists.query<{ original_name: string; error: string }>(
      `SELECT original_name, error FROM imports WHERE id = $1`,
      [importId],
    );
    expect(job).toEqual({
      original_name: '张三340102************.csv',
      error: '导入失败：duplicate key (340102************)',
    });
  });

  it('makes the publishable cases published and the others drafts, and names no one on known tasks yet', async () => {
    const schema = `${prefix}feedback`;
    const before = (FEEDBACK_MIGRATIONS as (new () => unknown)[]).filter(
      (m) => m !== CasePublication1764300000271,
    ) as MigrationList;
    await migrate(url, schema, before);
    const feedback = new SchemaProbe(url, schema);
    const taskId = randomUUID();
    await feedback.query(
      `INSERT INTO known_tasks (id, version, entry_id, organization, organization_name, list_type, region, measure_ids, status,
         dispatched_at, city, dispatched_on)
       VALUES ($1, 1, $2, 'AH-RAILWAY', '铁路', 'BL-COURT-DEBTOR', '340100', '{M01-01}', 'open', now(), '340100', current_date)`,
      [taskId, randomUUID()],
    );
    const insertCase = (publishable: boolean) =>
      feedback.query<{ id: string }>(
        `INSERT INTO cases (id, task_id, organization, list_type, measure_ids, memoranda, title, occurred_on, region, city,
           description, effect, publishable, recorded_at, recorded_by_token)
         VALUES ($1, $2, 'AH-RAILWAY', 'BL-COURT-DEBTOR', '{M01-01}', '{M01}', '案例', '2026-11-05', '340100', '340100',
           '说明', '效果', $3, now(), 't') RETURNING id`,
        [randomUUID(), taskId, publishable],
      );
    const [[open], [internal]] = [await insertCase(true), await insertCase(false)];

    expect(await migrate(url, schema, FEEDBACK_MIGRATIONS)).toEqual(['CasePublication1764300000271']);
    const cases = await feedback.query<{ id: string; status: string; published: boolean }>(
      `SELECT id, status, published_at IS NOT NULL AS published FROM cases ORDER BY seq`,
    );
    expect(cases).toEqual([
      { id: open.id, status: 'published', published: true },
      { id: internal.id, status: 'draft', published: false },
    ]);
    const [task] = await feedback.query<{ personal_names: string[] }>(`SELECT personal_names FROM known_tasks`);
    expect(task.personal_names).toEqual([]);
    // a case can be published only when its organisation allowed it
    await expect(feedback.query(`UPDATE cases SET status = 'published' WHERE id = $1`, [internal.id])).rejects.toThrow(
      /cases_published_publishable/,
    );
  });
});
