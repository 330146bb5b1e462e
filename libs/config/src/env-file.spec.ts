import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from './environment';
import { envFileProblem, loadEnvFile } from './env-file';

describe('.env', () => {
  it('accepts assignments, comments, blank lines, export and quoted values over several lines', () => {
    const text = [
      '# jrp',
      '',
      'PORT=3001',
      'export JRP_BUS=kafka',
      'JRP_NOTE="two',
      'lines"',
      'EMPTY=',
      '  KAFKA_BROKERS = a:9092 # broker\r',
      '',
    ].join('\n');
    expect(envFileProblem(text)).toBeUndefined();
  });

  it('names the first line that is not NAME=value', () => {
    expect(envFileProblem('PORT=3001\nJRP_BUS kafka\nX=1')).toBe('line 2: "JRP_BUS kafka" is not NAME=value');
    expect(envFileProblem('1PORT=3001')).toBe('line 1: "1PORT=3001" is not NAME=value');
  });

  it('names a quoted value that is never closed', () => {
    expect(envFileProblem("JRP_NOTE='open\nPORT=1")).toBe("a value opened with ' is never closed");
  });

  describe('loading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrp-env-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('sets what the environment lacks and keeps what it has', () => {
      const file = join(dir, 'good.env');
      writeFileSync(file, 'JRP_ENV_SPEC_A=from-file\nJRP_ENV_SPEC_B=from-file\n');
      const env: NodeJS.ProcessEnv = { JRP_ENV_SPEC_A: 'from-environment' };
      expect(loadEnvFile(file, env)).toBe(file);
      expect(env).toEqual({ JRP_ENV_SPEC_A: 'from-environment', JRP_ENV_SPEC_B: 'from-file' });
    });

    it('does nothing without a file', () => {
      const env: NodeJS.ProcessEnv = {};
      expect(loadEnvFile(join(dir, 'absent.env'), env)).toBeUndefined();
      expect(env).toEqual({});
    });

    it('refuses a malformed file with one line and sets nothing from it', () => {
      const file = join(dir, 'bad.env');
      writeFileSync(file, 'JRP_ENV_SPEC_C=1\nnot an assignment\n');
      const env: NodeJS.ProcessEnv = {};
      expect(() => loadEnvFile(file, env)).toThrow(ConfigurationError);
      expect(() => loadEnvFile(file, env)).toThrow(`${file}, line 2: "not an assignment" is not NAME=value`);
      expect(env).toEqual({});
    });
  });
});
