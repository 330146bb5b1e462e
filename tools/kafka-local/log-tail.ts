/** Following the broker's log (server.log): the started and fatal lines, each line to the caller's logger. */
import * as fs from 'fs';
import { tail } from './support';

// KafkaRaftServer logs this only once every acceptor is bound ("BrokerServer ...
// Transition from STARTING to STARTED" comes earlier, even when a bind failed).
const STARTED_RE = /\[KafkaRaftServer nodeId=\d+\] Kafka Server started/;
const FATAL_RE = /Socket server failed to bind|Exiting Kafka due to fatal exception|\] FATAL /;

export class LogTail {
  private offset = 0;
  private partial = '';
  private timer: NodeJS.Timeout | undefined;
  started = false;
  fatal: string | undefined;

  constructor(
    private readonly file: string,
    private readonly sink: ((line: string) => void) | undefined,
  ) {
    // a reused dataDir already has a server.log: only look at what this run writes
    try {
      this.offset = fs.statSync(file).size;
    } catch {
      this.offset = 0;
    }
  }

  poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0; // rolled over
        this.partial = '';
      }
      while (this.offset < size) {
        const buf = Buffer.alloc(Math.min(size - this.offset, 1 << 20));
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        const text = this.partial + buf.subarray(0, n).toString('utf8');
        const lines = text.split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!this.started && STARTED_RE.test(line)) this.started = true;
          if (!this.fatal && FATAL_RE.test(line)) this.fatal = line;
          if (this.sink) {
            try {
              this.sink(line);
            } catch {
              /* a throwing logger must not break the broker */
            }
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  follow(ms: number): void {
    if (this.timer || !this.sink) return;
    this.timer = setInterval(() => this.poll(), ms);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.poll();
  }
}

export function fileTail(file: string, lines: number): string {
  try {
    const st = fs.statSync(file);
    const len = Math.min(st.size, 64 * 1024);
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, st.size - len);
      // stack frames drown the interesting lines
      return tail(
        buf
          .toString('utf8')
          .split('\n')
          .filter((l) => !/^\s+at /.test(l))
          .join('\n'),
        lines,
      );
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '(no output)';
  }
}
