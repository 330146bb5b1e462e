import { request as httpRequest, IncomingMessage } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * A minimal Server-Sent Events client over node:http, as a department's system would hold a stream:
 * collects events and comments until closed. `opened` resolves with the status code.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly opened: Promise<number>;
  readonly closed: Promise<void>;
  private response?: IncomingMessage;
  private readonly abort = new AbortController();

  /** `onEvent` is called with each event as it arrives (e.g. to time it). */
  constructor(
    url: string,
    headers: Record<string, string>,
    private readonly onEvent?: (event: SseEvent) => void,
  ) {
    let closed!: () => void;
    this.closed = new Promise((resolve) => (closed = resolve));
    this.opened = new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { headers: { Accept: 'text/event-stream', ...headers }, signal: this.abort.signal },
        (res) => {
          this.response = res;
          resolve(res.statusCode ?? 0);
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              this.parse(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
            }
          });
          res.on('close', closed);
          res.on('error', () => closed());
        },
      );
      req.on('error', (error) => {
        closed();
        if (!this.response) reject(error);
      });
      req.end();
    });
  }

  close(): void {
    this.abort.abort();
    this.response?.destroy();
  }

  private parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let hasField = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else continue;
      hasField = true;
    }
    if (!hasField || !data.length) return;
    const complete = { ...event, data: data.join('\n') };
    this.events.push(complete);
    this.onEvent?.(complete);
  }
}
