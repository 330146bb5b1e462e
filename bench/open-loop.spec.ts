import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openLoop, parseResponse } from './open-loop';

const wire = (text: string) => Buffer.from(text, 'latin1');
const json = '{"listed":false}';

describe('parseResponse', () => {
  it.each([
    [
      'a body by Content-Length',
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`,
      { status: 200, body: json, close: false },
    ],
    [
      'header names in any case',
      `HTTP/1.1 201 Created\r\ncontent-length: 2\r\nCONNECTION: Close\r\n\r\n{}`,
      { status: 201, body: '{}', close: true },
    ],
    ['no body', 'HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n', { status: 204, body: '', close: false }],
    [
      'chunked',
      `HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n`,
      { status: 429, body: '{"a":1}', close: false },
    ],
    [
      'chunked with a trailer',
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n`,
      { status: 200, body: '{}', close: false },
    ],
  ])('%s', (_, text, expected) => {
    const response = parseResponse(wire(text))!;
    expect({ status: response.status, body: response.body.toString(), close: response.close }).toEqual(expected);
    expect(response.length).toBe(wire(text).length);
  });

  it.each([
    ['headers cut short', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n'],
    ['body cut short', 'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{"listed"'],
    ['chunk cut short', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"listed"'],
    ['last chunk without its empty line', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n'],
  ])('waits for more when %s', (_, text) => {
    expect(parseResponse(wire(text))).toBeNull();
  });

  it('reads the first of two responses that arrived together, and says where the second starts', () => {
    const one = `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}`;
    const response = parseResponse(wire(`${one}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]`))!;
    expect(response.body.toString()).toBe('{}');
    expect(response.length).toBe(one.length);
  });

  it('refuses a malformed chunk size', () => {
    expect(() => parseResponse(wire('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow(
      'malformed chunk size',
    );
  });
});

describe('openLoop against a server closing idle connections', () => {
  // node:http with keepAliveTimeout 100 ms: it advertises 0 s and closes an idle connection about 1.1 s
  // after its last answer (Node adds a second). Its own process, so that blocking the generator below
  // does not hold the server's timer too.
  const serverCode = `
    const server = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('{}')); });
    server.keepAliveTimeout = 100;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  let server: ChildProcess;
  let url: URL;

  beforeAll(async () => {
    server = spawn(process.execPath, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [port] = (await once(server.stdout!, 'data')) as [Buffer];
    url = new URL(`http://127.0.0.1:${port.toString().trim()}/x`);
  });
  afterAll(() => server.kill());

  /**
   * Two requests a second apart on one connection, the generator busy for 1.5 s after the first answer
   * (as a loaded bench process is): the server closes the connection meanwhile, and the generator, its
   * timers before its reads, hands the second request to that connection before it sees the close.
   */
  const run = (idleMs: number) =>
    openLoop(
      url,
      1,
      2,
      () => ({ body: '{}', headers: {} }),
      (status, _body, i) => {
        if (i === 0)
          setImmediate(() => {
            const until = Date.now() + 1_500;
            while (Date.now() < until);
          });
        return status === 200 ? null : `status ${status}`;
      },
      { idleMs },
    );

  it('loses the request written as the server closes the connection when it keeps idle connections for ever', async () => {
    expect((await run(Infinity)).errors).toBe(1);
  });

  it('retires a connection idle for idleMs instead, and loses nothing', async () => {
    const result = await run(1_000);
    expect([result.errors, result.failures]).toEqual([0, {}]);
  });
});
