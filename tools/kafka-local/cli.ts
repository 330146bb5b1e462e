/**
 * Foreground local Kafka broker:
 *
 *   node <compiled>/tools/kafka-local/cli.js [--port N] [--data-dir DIR] [--verbose] [--fetch-only]
 *
 * Prints "Kafka <version> listening on 127.0.0.1:<port>" and
 * "KAFKA_BROKERS=127.0.0.1:<port>", then runs until SIGINT/SIGTERM/SIGHUP and
 * stops the broker cleanly. Exits non-zero if the broker dies on its own.
 */
import * as fs from 'fs';
import { fetchKafkaJars, kafkaVersion, startLocalKafka, LocalKafka } from './index';

function usage(code: number): never {
  (code === 0 ? console.log : console.error)(
    'usage: cli [--port N] [--data-dir DIR] [--verbose] [--fetch-only]\n' +
      '  --port N        PLAINTEXT port on 127.0.0.1 (default: a free port)\n' +
      '  --data-dir DIR  keep config/data/logs there (default: a temp dir removed on exit)\n' +
      '  --verbose       echo the broker log\n' +
      '  --fetch-only    only fetch the jars into the cache, then exit',
  );
  process.exit(code);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let port: number | undefined;
  let dataDir: string | undefined;
  let verbose = false;
  let fetchOnly = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port') {
      port = Number(args[++i]);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) usage(2);
    } else if (a === '--data-dir') {
      dataDir = args[++i];
      if (!dataDir) usage(2);
    } else if (a === '--verbose' || a === '-v') {
      verbose = true;
    } else if (a === '--fetch-only') {
      fetchOnly = true;
    } else if (a === '--help' || a === '-h') {
      usage(0);
    } else {
      usage(2);
    }
  }

  const progress = (line: string) => {
    if (verbose || line.startsWith('[kafka-local]')) console.error(line);
  };

  if (fetchOnly) {
    const libs = await fetchKafkaJars(progress);
    console.log(`Kafka ${kafkaVersion()} jars in ${libs}`);
    return;
  }

  const kafka: LocalKafka = await startLocalKafka({ port, dataDir, log: progress });
  console.log(`Kafka ${kafka.version} listening on ${kafka.brokers}`);
  console.log(`KAFKA_BROKERS=${kafka.brokers}`);

  let shuttingDown = false;
  const shutdown = async (why: string, code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.error(`[kafka-local] ${why}, stopping broker (pid ${kafka.pid})`);
    try {
      await kafka.stop();
    } finally {
      process.exit(code);
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => void shutdown(`received ${sig}`, 0));
  }
  // keeps the event loop alive and notices a broker that died on its own
  setInterval(() => {
    try {
      process.kill(kafka.pid, 0);
    } catch {
      if (shuttingDown) return;
      try {
        const lines = fs.readFileSync(kafka.logFile, 'utf8').split('\n').slice(-30).join('\n');
        console.error(`--- ${kafka.logFile} (tail) ---\n${lines}`);
      } catch {
        /* no log */
      }
      void shutdown(`broker process ${kafka.pid} exited unexpectedly`, 1);
    }
  }, 1000);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
