import { DataSource } from 'typeorm';
import {
  afterCommit,
  currentManager,
  inTransaction,
  onConnection,
  outsideTransactions,
  transactionManager,
} from '@jrp/database';
import { uniquePrefix } from '@jrp/testing';

/**
 * The ambient transaction on a real PostgreSQL: what every repository, the outbox and the audit recorder
 * rely on instead of a manager passed by hand.
 */
describe('the ambient transaction (inTransaction)', () => {
  const schema = `${uniquePrefix('tx')}probe`;
  let first: DataSource;
  let second: DataSource;

  const open = async (name: string) => {
    const ds = new DataSource({ type: 'postgres', name, url: process.env.DATABASE_URL, schema, poolSize: 4 });
    await ds.initialize();
    return ds;
  };
  const rows = async () =>
    (await first.query<{ note: string }[]>(`SELECT note FROM "${schema}".notes ORDER BY note`)).map((r) => r.note);
  const write = (note: string) =>
    currentManager(first).query(`INSERT INTO "${schema}".notes (note) VALUES ($1)`, [note]);

  beforeAll(async () => {
    first = await open('tx-first');
    second = await open('tx-second');
    await first.query(`CREATE SCHEMA "${schema}"`);
    await first.query(`CREATE TABLE "${schema}".notes (note text PRIMARY KEY)`);
  });

  afterAll(async () => {
    await first.query(`DROP SCHEMA "${schema}" CASCADE`);
    await Promise.all([first.destroy(), second.destroy()]);
  });

  beforeEach(() => first.query(`TRUNCATE "${schema}".notes`));

  it('joins the open transaction: nested work commits with it, or rolls back with it', async () => {
    await inTransaction(first, async () => {
      await write('outer');
      await inTransaction(first, () => write('inner'));
    });
    expect(await rows()).toEqual(['inner', 'outer']);

    await first.query(`TRUNCATE "${schema}".notes`);
    await expect(
      inTransaction(first, async () => {
        await write('outer');
        await inTransaction(first, () => write('inner'));
        throw new Error('the use case fails after its writes');
      }),
    ).rejects.toThrow('the use case fails');
    expect(await rows()).toEqual([]);
  });

  it('keeps one transaction per data source: another data source opens its own', async () => {
    await inTransaction(first, async () => {
      const outer = transactionManager(first);
      await inTransaction(second, () => {
        expect(transactionManager(second)).not.toBe(outer);
        expect(transactionManager(first)).toBe(outer);
        return Promise.resolve();
      });
    });
  });

  it('runs afterCommit callbacks once the outermost transaction committed, never after a rollback', async () => {
    const seen: string[] = [];
    await inTransaction(first, async () => {
      await inTransaction(first, () => {
        afterCommit(first, () => seen.push('inner'));
        return Promise.resolve();
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['inner']);

    await inTransaction(first, () => {
      afterCommit(first, () => seen.push('rolled back'));
      return Promise.reject(new Error('no'));
    }).catch(() => undefined);
    expect(seen).toEqual(['inner']);
    afterCommit(first, () => seen.push('no transaction: at once'));
    expect(seen).toEqual(['inner', 'no transaction: at once']);
  });

  it('outside a transaction: statements commit alone, and transactionManager refuses', async () => {
    expect(currentManager(first)).toBe(first.manager);
    expect(() => transactionManager(first)).toThrow(/no transaction/);
    await write('alone');
    expect(await rows()).toEqual(['alone']);
  });

  it('work started from inside a transaction with outsideTransactions does not join it', async () => {
    let background: Promise<void> | undefined;
    await expect(
      inTransaction(first, async () => {
        await write('request');
        background = outsideTransactions(() => inTransaction(first, () => write('job')));
        await background;
        throw new Error('the request rolls back');
      }),
    ).rejects.toThrow('the request rolls back');
    // the job committed on its own; the request's row is gone
    expect(await rows()).toEqual(['job']);
  });

  it('work that outlives its transaction opens its own instead of using a finished one', async () => {
    let later: (() => Promise<unknown>) | undefined;
    await inTransaction(first, () => {
      later = () => inTransaction(first, () => write('later'));
      return Promise.resolve();
    });
    await later!();
    expect(await rows()).toEqual(['later']);
  });

  it('onConnection: every statement on the held connection, each committing alone; inTransaction opens on it', async () => {
    const runner = first.createQueryRunner();
    await runner.connect();
    try {
      const [{ pid: held }] = await runner.manager.query<{ pid: number }[]>(`SELECT pg_backend_pid() AS pid`);
      const pid = async () =>
        (await currentManager(first).query<{ pid: number }[]>(`SELECT pg_backend_pid() AS pid`))[0].pid;
      const seen: string[] = [];
      await onConnection(first, runner, async () => {
        expect(await pid()).toBe(held);
        expect(() => transactionManager(first)).toThrow(/no transaction/);
        afterCommit(first, () => seen.push('no transaction: at once'));
        await write('alone'); // committed by itself: visible on another connection at once
        expect(await second.query(`SELECT note FROM "${schema}".notes`)).toEqual([{ note: 'alone' }]);
        await expect(
          inTransaction(first, async () => {
            expect(await pid()).toBe(held);
            afterCommit(first, () => seen.push('never'));
            await write('rolled back');
            throw new Error('undo');
          }),
        ).rejects.toThrow('undo');
        await inTransaction(first, async () => {
          expect(await pid()).toBe(held);
          await write('in a transaction');
        });
        // another data source is not held: its statements go to its own pool
        expect(
          (await currentManager(second).query<{ pid: number }[]>(`SELECT pg_backend_pid() AS pid`))[0].pid,
        ).not.toBe(held);
      });
      expect(seen).toEqual(['no transaction: at once']);
      expect(await rows()).toEqual(['alone', 'in a transaction']);
      // after it, the pool again
      expect(currentManager(first)).toBe(first.manager);
    } finally {
      await runner.release();
    }
  });
});
