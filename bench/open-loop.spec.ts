import { parseResponse } from './open-loop';

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
