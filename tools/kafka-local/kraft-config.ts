/** The broker's configuration: server.properties of one KRaft node (broker+controller), its cluster id, JVM options. */
import * as crypto from 'crypto';
import * as path from 'path';
import { env } from './support';
import { toolDir } from './tool-dir';

export function serverProperties(p: { port: number; controllerPort: number; logDirs: string }): string {
  const props: Array<[string, string | number | boolean]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${p.controllerPort}`],
    ['listeners', `PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${p.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT'],
    ['log.dirs', p.logDirs],
    // topics: the app creates its own topics explicitly; auto-create stays on
    ['auto.create.topics.enable', true],
    ['num.partitions', 3],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    ['delete.topic.enable', true],
    // single-node internal topics
    ['offsets.topic.replication.factor', 1],
    ['offsets.topic.num.partitions', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['transaction.state.log.num.partitions', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    ['group.initial.rebalance.delay.ms', 0],
    // small machine: fewer threads, smaller cleaner buffer (default 128 MB)
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['background.threads', 4],
    ['num.recovery.threads.per.data.dir', 1],
    ['log.cleaner.threads', 1],
    ['log.cleaner.dedupe.buffer.size', 16 * 1024 * 1024],
  ];
  return `# written by tools/kafka-local\n${props.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** 16 random bytes, base64url without padding (what Uuid.randomUuid().toString() looks like). */
export function randomClusterId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && !/^A{21}[AQgw]$/.test(id)) return id; // Kafka rejects these
  }
}

export function jvmOpts(logsDir: string, heap: { xms: string; xmx: string }): string[] {
  const extra = (env('JRP_KAFKA_JVM_OPTS') || '').split(/\s+/).filter(Boolean);
  // the JVM refuses two GC selections: let JRP_KAFKA_JVM_OPTS pick another one
  const gc = extra.some((o) => /^-XX:\+Use\w+GC$/.test(o)) ? [] : ['-XX:+UseSerialGC'];
  return [
    `-Xms${heap.xms}`,
    `-Xmx${heap.xmx}`,
    ...gc,
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Xss512k',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
    `-Dkafka.logs.dir=${logsDir}`,
    `-Dlog4j2.configurationFile=${path.join(toolDir(), 'log4j2.xml')}`,
    ...extra,
  ];
}
