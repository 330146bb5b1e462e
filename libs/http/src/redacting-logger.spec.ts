import { Correlation } from '@jrp/messaging';
import { RedactingLogger } from './redacting-logger';

/** What the logger writes to stdout and stderr while `work` runs. */
function captured(work: () => void): string[] {
  const lines: string[] = [];
  const write = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(write);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(write);
  try {
    work();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

describe('RedactingLogger', () => {
  it('masks ID numbers in what it prints', () => {
    const lines = captured(() =>
      new RedactingLogger('test', { colors: false }).log('looked up {"idNumber":"11010519491231002X"}'),
    );
    expect(lines.join('')).toContain('110105************');
    expect(lines.join('')).not.toContain('11010519491231002X');
  });

  it('prints the correlation id and fields in text lines', () => {
    const lines = captured(() =>
      Correlation.run('req-12345678', () =>
        new RedactingLogger('Consumer', { colors: false }).log({ message: 'processed', eventId: 'e1' }),
      ),
    );
    expect(lines[0]).toMatch(/\[Consumer\] \[req-12345678\] processed eventId=e1$/);
  });

  it('writes one JSON object per line with time, level, service, context, message, correlation id and fields', () => {
    const logger = new RedactingLogger(undefined, { format: 'json', service: 'measures' });
    const lines = captured(() =>
      Correlation.run('req-12345678', () => {
        logger.log({ message: 'processed jrp.list-entry.listed e1', eventId: 'e1' }, 'Consumer:measures');
        logger.warn('subject 11010519491231002X looked up', 'Checks');
        logger.error('failed', 'Error: boom\n    at x (y.ts:1:1)', 'HTTP');
      }),
    );
    expect(lines).toHaveLength(3);
    const [info, warn, error] = lines.map((l) => JSON.parse(l) as unknown);
    expect(info).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      level: 'info',
      service: 'measures',
      context: 'Consumer:measures',
      message: 'processed jrp.list-entry.listed e1',
      correlationId: 'req-12345678',
      eventId: 'e1',
    });
    expect(warn).toMatchObject({ level: 'warn', context: 'Checks', message: 'subject 110105************ looked up' });
    expect(error).toMatchObject({
      level: 'error',
      context: 'HTTP',
      message: 'failed',
      stack: expect.stringContaining('Error: boom') as string,
    });
    expect(lines.join('\n')).not.toContain('11010519491231002X');
  });

  it('leaves the correlation id out where there is none', () => {
    const lines = captured(() =>
      new RedactingLogger(undefined, { format: 'json', service: 'feedback' }).log('started', 'jrp'),
    );
    expect(JSON.parse(lines[0])).not.toHaveProperty('correlationId');
  });
});
