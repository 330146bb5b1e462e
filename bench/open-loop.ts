import { connect, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { percentile } from './support';

/** One request of an open-loop run: its body and headers (Host and Content-Length are added). */
export interface OpenLoopRequest {
  body: string;
  headers: Record<string, string>;
}

export interface OpenLoopResult {
  rate: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers the verifier refused, socket errors, by kind. */
  errors: number;
  failures: Record<string, number>;
  /** Requests ÷ the time from the first scheduled send to the last answer. */
  achieved: number;
  /** How late requests were written to a socket (ms after their scheduled time, waiting for a free connection included): p99, max. */
  sendLagP99: number;
  sendLagMax: number;
}

/** A complete HTTP/1.1 response at the start of `data`: its status, body and length in bytes, or null while incomplete. */
export function parseResponse(data: Buffer): { status: number; body: Buffer; length: number; close: boolean } | null {
  const headerEnd = data.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const head = data.toString('latin1', 0, headerEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection:\s*close/.test(head);
  let at = headerEnd + 4;
  if (/\r\ntransfer-encoding:\s*chunked/.test(head)) {
    const chunks: Buffer[] = [];
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(data.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size');
      if (size === 0) {
        const end = data.indexOf('\r\n\r\n', lineEnd); // the last chunk, then trailers (usually none) and an empty line
        if (end < 0) return null;
        return { status, body: Buffer.concat(chunks), length: end + 4, close };
      }
      if (data.length < lineEnd + 2 + size + 2) return null;
      chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(/\r\ncontent-length:\s*(\d+)/.exec(head)?.[1] ?? 0);
  if (data.length < at + length) return null;
  return { status, body: data.subarray(at, at + length), length: at + length, close };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const MAX_CONNECTIONS = 512;
/**
 * How long a connection may have been idle and still be given a request: 1 s under the services'
 * `keepAliveTimeout` (5 s, `boundRequestTimes` in libs/http; node:http advertises it and closes an idle
 * connection a second later). A request written as the server closes the connection is lost ("other
 * side closed", ECONNRESET) though the server never read it, and would count as the service's error: the
 * generator retires the connection before, and opens another (the test in open-loop.spec.ts).
 */
export const IDLE_MS = 4_000;

/**
 * `rate` requests/s for `seconds` to `url` (POST), open loop: each request leaves on schedule whether or
 * not earlier ones have answered, and its latency counts from its scheduled time, so a server that falls
 * behind shows its queue instead of hiding it. `verify` looks at each answer and returns a failure kind,
 * or null when the answer is right. The requests are serialized before the clock starts and written
 * straight to keep-alive sockets (one request at a time on each, up to 512, the most recently used
 * first). node:http's client, which the bench used before, cost the bench process 124–178 µs of CPU a
 * request at 2,000/s against a trivial server on the shared 2-core machine (load average 19), this
 * 80–84 µs, the requests' serialization (5–10 µs) included; it fell behind at 2,000/s where this kept up.
 * A connection idle for `idleMs` (`IDLE_MS`: under the server's keep-alive timeout) is closed rather than
 * given a request. A request that fails is not retried: an error the service causes must show.
 */
export async function openLoop(
  url: URL,
  rate: number,
  seconds: number,
  requestOf: (i: number) => OpenLoopRequest,
  verify: (status: number, body: Buffer, i: number) => string | null,
  { idleMs = IDLE_MS }: { idleMs?: number } = {},
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const host = `${url.hostname}:${url.port}`;
  const wire = Array.from({ length: total }, (_, i) => {
    const { body, headers } = requestOf(i);
    const lines = Object.entries({ Host: host, ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).map(
      ([name, value]) => `${name}: ${value}\r\n`,
    );
    return Buffer.from(`POST ${url.pathname} HTTP/1.1\r\n${lines.join('')}\r\n${body}`);
  });
  const latencies = new Float64Array(total);
  const sendLag = new Float64Array(total);
  const failures: Record<string, number> = {};
  const fail = (kind: string) => (failures[kind] = (failures[kind] ?? 0) + 1);
  const start = performance.now() + 20;
  const scheduledOf = (i: number) => start + (i * 1000) / rate;
  let finished = 0;
  let lastDone = 0;
  let done!: () => void;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const finish = (i: number) => {
    const now = performance.now();
    latencies[i] = now - scheduledOf(i);
    lastDone = Math.max(lastDone, now);
    if (++finished === total) done();
  };

  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const waiting: number[] = [];
  let waitingAt = 0;
  interface Connection {
    socket: Socket;
    current: number | null;
    pending: Buffer;
    /** When its last answer arrived (performance.now()): the server's keep-alive timer runs from about then. */
    idleSince: number;
  }
  const send = (connection: Connection, i: number) => {
    connection.current = i;
    sendLag[i] = performance.now() - scheduledOf(i);
    connection.socket.write(wire[i]);
  };
  const release = (connection: Connection) => {
    connection.current = null;
    if (waitingAt < waiting.length) send(connection, waiting[waitingAt++]);
    else idle.push(connection);
  };
  const drop = (connection: Connection, error?: string) => {
    if (!all.delete(connection)) return;
    const at = idle.indexOf(connection);
    if (at >= 0) idle.splice(at, 1);
    connection.socket.destroy();
    if (connection.current !== null) {
      fail(error ?? 'connection closed');
      finish(connection.current);
      connection.current = null;
    }
    if (waitingAt < waiting.length) open(waiting[waitingAt++]); // a closed connection's place serves the queue
  };
  const open = (i: number) => {
    const connection: Connection = {
      socket: connect(Number(url.port), url.hostname),
      current: null,
      pending: Buffer.alloc(0),
      idleSince: 0,
    };
    all.add(connection);
    connection.socket.setNoDelay(true);
    connection.socket.on('data', (chunk: Buffer) => {
      connection.pending = connection.pending.length ? Buffer.concat([connection.pending, chunk]) : chunk;
      let response;
      try {
        response = parseResponse(connection.pending);
      } catch (error) {
        return drop(connection, (error as Error).message);
      }
      if (!response || connection.current === null) return;
      const j = connection.current;
      connection.idleSince = performance.now();
      connection.pending = connection.pending.subarray(response.length);
      const failure = verify(response.status, response.body, j);
      if (failure !== null) fail(failure);
      finish(j);
      connection.current = null;
      if (response.close) drop(connection);
      else release(connection);
    });
    connection.socket.on('error', (error: NodeJS.ErrnoException) => drop(connection, error.code ?? error.message));
    connection.socket.on('close', () => drop(connection));
    send(connection, i);
  };
  /** The most recently used idle connection, closing any idle too long to be sure the server still holds it. */
  const idleConnection = () => {
    const now = performance.now();
    for (let connection = idle.pop(); connection; connection = idle.pop()) {
      if (now - connection.idleSince < idleMs) return connection;
      all.delete(connection);
      connection.socket.destroy();
    }
    return undefined;
  };
  const dispatch = (i: number) => {
    const connection = idleConnection();
    if (connection) send(connection, i);
    else if (all.size < MAX_CONNECTIONS) open(i);
    else waiting.push(i);
  };

  let sent = 0;
  const tick = () => {
    const now = performance.now();
    while (sent < total && scheduledOf(sent) <= now) dispatch(sent++);
    if (sent < total) setTimeout(tick, 1);
  };
  setTimeout(tick, 20);
  await allDone;
  for (const connection of all) connection.socket.destroy();
  const sorted = latencies.slice().sort();
  const lag = sendLag.slice().sort();
  return {
    rate,
    requests: total,
    errors: Object.values(failures).reduce((a, b) => a + b, 0),
    failures,
    p50: round1(percentile(sorted, 50)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted[sorted.length - 1]),
    achieved: Math.round(total / ((lastDone - start) / 1000)),
    sendLagP99: round1(percentile(lag, 99)),
    sendLagMax: round1(lag[lag.length - 1]),
  };
}
