/**
 * tools/kafka-local: start a real single-node Apache Kafka broker (combined
 * KRaft broker+controller) without Docker, for local runs and integration tests.
 *
 * The broker jars come from Maven Central through ./pom.xml (resolve-only
 * project) and are cached under $JRP_KAFKA_CACHE/<version>/libs
 * (default ~/.cache/jrp/kafka/<version>/libs). Requires Java 17+ and Maven.
 *
 * Node built-ins only (child_process, net, fs, path, os, crypto): these files must
 * compile with tsc under "module": "commonjs", "target": "ES2022", "strict": true
 * and must not pull npm dependencies.
 *
 * The parts: prerequisites.ts (Java, Maven), tool-dir.ts (pom.xml, the version), jars.ts (the jar cache),
 * ports.ts, kraft-config.ts (server.properties, JVM options), process-registry.ts (no orphan JVM),
 * log-tail.ts (the broker's log), broker.ts (start/stop), support.ts (shared helpers).
 */
export { startLocalKafka } from './broker';
export type { LocalKafka, StartLocalKafkaOptions } from './broker';
export { fetchKafkaJars } from './jars';
export { kafkaVersion } from './tool-dir';
