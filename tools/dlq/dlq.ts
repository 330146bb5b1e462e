import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { embeddedDatabasePasswords, validateEnvironment } from '@jrp/config';
import {
  embeddedDataDir,
  EmbeddedPostgresHandle,
  schemaHasTable,
  serviceDataSourceOptions,
  startEmbeddedPostgres,
} from '@jrp/database';
import { DeadLetter, DeadLetterStore, InProcessBus, KafkaBus } from '@jrp/messaging';
import { UsageError } from '../command-line';

export const USAGE = `usage: npm run dlq -- <command> [options]

commands:
  list                      the pending dead letters (--all: the replayed and discarded ones too)
  replay                    sends each chosen letter's original message back to its topic
  discard --reason "…"      marks each chosen letter handled, with the reason

options:
  --group <group>           one consumer group (list-ingestion, measures, feedback)
  --topic <topic>           one original topic (e.g. jrp.list-entry.v1)
  --id <event id>           one event
  --all                     replay or discard every pending letter that the other options choose
  --reason <text>           why a letter is discarded (required by discard)

environment: the services' own — DATABASE_URL (else the embedded PostgreSQL of JRP_DATA_DIR),
JRP_DB_SCHEMA_PREFIX, JRP_BUS (default kafka when KAFKA_BROKERS is set, else in-process),
KAFKA_BROKERS, JRP_TOPIC_PREFIX.`;

export interface DlqCommand {
  command: 'list' | 'replay' | 'discard';
  group?: string;
  topic?: string;
  id?: string;
  all: boolean;
  reason?: string;
}

/** Parses the command line; throws UsageError with what is wrong. */
export function parseDlqArgs(args: string[]): DlqCommand {
  const [command, ...rest] = args;
  if (command !== 'list' && command !== 'replay' && command !== 'discard')
    throw new UsageError(command ? `unknown command ${command}` : 'no command');
  const parsed: DlqCommand = { command, all: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--all') {
      parsed.all = true;
      continue;
    }
    const value = rest[i + 1];
    if (!['--group', '--topic', '--id', '--reason'].includes(flag)) throw new UsageError(`unknown option ${flag}`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    parsed[flag.slice(2) as 'group' | 'topic' | 'id' | 'reason'] = value;
    i++;
  }
  if (command !== 'list' && !parsed.id && !parsed.all)
    throw new UsageError(`${command} needs --id <event id> or --all`);
  if (command === 'discard' && !parsed.reason?.trim()) throw new UsageError('discard needs --reason "<why>"');
  if (parsed.reason && command !== 'discard') throw new UsageError('--reason goes with discard');
  return parsed;
}

/** The services that consume; a consumer group is named after its service and keeps its data in the service's schema. */
const SERVICE_GROUPS = ['list-ingestion', 'measures', 'feedback'];

const cell = (text: string, width: number) =>
  width === Infinity ? text : text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/** The letters as a table: event id, type, topic, group, error, first seen, status. */
export function formatTable(letters: DeadLetter[]): string {
  const columns: [string, number, (l: DeadLetter) => string][] = [
    ['EVENT ID', 36, (l) => l.eventId ?? '(none)'],
    ['TYPE', 28, (l) => l.type ?? '?'],
    ['TOPIC', 20, (l) => l.topic],
    ['GROUP', 14, (l) => l.group],
    ['ERROR', 60, (l) => l.error.replace(/\s+/g, ' ')],
    ['FIRST SEEN', 19, (l) => l.firstSeen.toISOString().slice(0, 19).replace('T', ' ')],
    // the last column is not cut: a discard's reason is read whole
    ['STATUS', Infinity, (l) => (l.reason ? `${l.status}: ${l.reason}` : l.status)],
  ];
  const lines = [
    columns
      .map(([title, width]) => cell(title, width))
      .join('  ')
      .trimEnd(),
  ];
  for (const letter of letters)
    lines.push(
      columns
        .map(([, width, value]) => cell(value(letter), width))
        .join('  ')
        .trimEnd(),
    );
  return lines.join('\n');
}

/** The URL of the embedded PostgreSQL `npm start` runs (data in JRP_DATA_DIR/pg), when it is running. */
function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = join(embeddedDataDir(join(dataDir, 'pg')), 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  const password = encodeURIComponent(embeddedDatabasePasswords(dataDir).superuser);
  return `postgres://postgres:${password}@127.0.0.1:${port.trim()}/jrp`;
}

/**
 * Runs one dead-letter command against the deployment the environment describes; `print` gets the
 * output lines. Returns the process exit code.
 */
export async function runDlq(
  command: DlqCommand,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  const vars = validateEnvironment(env);
  const prefix = vars.JRP_DB_SCHEMA_PREFIX ?? '';
  const busName = vars.JRP_BUS ?? (vars.KAFKA_BROKERS ? 'kafka' : 'in-process');
  let url = vars.DATABASE_URL;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!url) {
    const dataDir = resolve(vars.JRP_DATA_DIR ?? '.jrp');
    url = runningEmbeddedUrl(dataDir);
    if (!url) {
      if (!existsSync(join(embeddedDataDir(join(dataDir, 'pg')), 'PG_VERSION')))
        throw new Error(`no DATABASE_URL and no embedded PostgreSQL in ${dataDir}`);
      const password = embeddedDatabasePasswords(dataDir).superuser;
      embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), password });
      url = embedded.url;
    }
  }
  let kafka: KafkaBus | undefined;
  const sources: DataSource[] = [];
  try {
    if (busName === 'kafka') {
      if (!vars.KAFKA_BROKERS) throw new Error('JRP_BUS is kafka but KAFKA_BROKERS is not set');
      kafka = new KafkaBus({
        brokers: vars.KAFKA_BROKERS.split(','),
        clientId: 'jrp-dlq',
        prefix: vars.JRP_TOPIC_PREFIX ?? '',
        partitions: vars.KAFKA_TOPIC_PARTITIONS ?? 6,
        replicationFactor: vars.KAFKA_REPLICATION_FACTOR ?? 1,
        sessionTimeoutMs: 30000,
        heartbeatIntervalMs: 3000,
        concurrency: 1,
      });
      await kafka.connect();
    }
    // the groups to look at, each with its own schema: the services, and any group that has dead-letter topics
    const topicGroups = new Set(kafka ? (await kafka.deadLetterTopics()).map((t) => t.group) : []);
    const candidates = command.group ? new Set([command.group]) : new Set([...SERVICE_GROUPS, ...topicGroups]);
    const table = kafka ? 'dead_letter_resolutions' : 'dead_letters';
    const groups = new Map<string, DataSource>();
    for (const group of candidates) {
      const schema = `${prefix}${group.replace(/-/g, '_')}`;
      const ds = await new DataSource(
        serviceDataSourceOptions({ name: `dlq-${group}`, url, schema, migrations: [] }),
      ).initialize();
      sources.push(ds);
      if (await schemaHasTable(ds, table)) groups.set(group, ds);
      else if (topicGroups.has(group)) {
        throw new Error(
          `schema ${schema} has no ${table} table: start ${group} once with this version (it migrates its schema)`,
        );
      }
    }
    const store: DeadLetterStore = kafka ? kafka.deadLetters(groups) : new InProcessBus().deadLetters(groups);
    const letters = await store.list({
      group: command.group,
      topic: command.topic,
      eventId: command.id,
      includeResolved: command.command === 'list' && command.all,
    });
    if (command.command === 'list') {
      print(formatTable(letters));
      print(`${letters.length} dead letter(s)${command.all ? '' : ' pending'} on the ${busName} bus`);
      return 0;
    }
    if (letters.length === 0) {
      print('no pending dead letter matches');
      return 1;
    }
    let failures = 0;
    for (const letter of letters) {
      try {
        if (command.command === 'replay') await store.replay(letter);
        else await store.discard(letter, command.reason!.trim());
        print(
          `${command.command === 'replay' ? 'replayed' : 'discarded'} ${letter.eventId ?? '(no event id)'} (${letter.group}, ${letter.topic}, ${letter.ref})`,
        );
      } catch (error) {
        failures++;
        print(`could not ${command.command} ${letter.ref}: ${(error as Error).message}`);
      }
    }
    return failures === 0 ? 0 : 1;
  } finally {
    await Promise.allSettled(sources.map((ds) => ds.destroy()));
    await kafka?.stop();
    await embedded?.stop();
  }
}
