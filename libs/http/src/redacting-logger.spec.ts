import { RedactingLogger } from './redacting-logger';

describe('RedactingLogger', () => {
  it('masks ID numbers in what it prints', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      new RedactingLogger('test', { colors: false }).log('looked up {"idNumber":"11010519491231002X"}');
    } finally {
      spy.mockRestore();
    }
    expect(lines.join('')).toContain('110105************');
    expect(lines.join('')).not.toContain('11010519491231002X');
  });
});
