import { UsageError } from '../command-line';
import { parseRotateArgs } from './rotate-data-keys';

describe('the rotate-data-keys command line', () => {
  it('rotates every service that stores ciphertexts, or those named, each once', () => {
    expect(parseRotateArgs([])).toEqual({ help: false, services: ['list-ingestion', 'measures'] });
    expect(parseRotateArgs(['--service', 'measures', '--service', 'measures'])).toEqual({
      help: false,
      services: ['measures'],
    });
    expect(parseRotateArgs(['-h'])).toEqual({ help: true, services: [] });
  });

  it.each([
    [['--service'], '--service needs a name'],
    [['--service', 'billing'], 'unknown service billing (list-ingestion, measures)'],
    [['--service', 'feedback'], 'feedback holds no data key: it stores nothing encrypted'],
    [['--all'], 'unknown argument --all'],
  ])('refuses %j: %s', (args, message) => {
    expect(() => parseRotateArgs(args)).toThrow(UsageError);
    expect(() => parseRotateArgs(args)).toThrow(message);
  });
});
