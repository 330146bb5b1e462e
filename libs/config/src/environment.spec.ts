import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeySpec } from '@jrp/crypto';
import { environmentVariableNames, validateEnvironment } from './environment';
import { embeddedDatabasePasswords, resolveConfig } from './jrp-config';

const signing = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
/** A distributed service's complete environment: each test adds the variable it is about. */
const base = {
  JRP_SUBJECT_KEY_SECRET: 'x'.repeat(32),
  JRP_DATA_KEYS: generateKeySpec('k1'),
  JRP_TOKEN_SIGNING_KEY: signing,
  DATABASE_URL: 'postgres://h/db',
  JRP_BUS: 'in-process',
};

describe('configuration', () => {
  it('names every wrong value', () => {
    expect(() => resolveConfig({ PORT: 'abc', JRP_BUS: 'rabbit', JRP_ADMIN_TOKEN: 'short' }, 'measures')).toThrow(
      /PORT[\s\S]*JRP_ADMIN_TOKEN[\s\S]*JRP_BUS/,
    );
  });

  it('lists what a distributed service is missing', () => {
    expect(() => resolveConfig({}, 'measures')).toThrow(
      /JRP_TOKEN_SIGNING_KEY[\s\S]*JRP_SUBJECT_KEY_SECRET[\s\S]*DATABASE_URL[\s\S]*KAFKA_BROKERS/,
    );
  });

  it('refuses a malformed data key ring without echoing it', () => {
    expect(() =>
      resolveConfig({ JRP_DATA_KEYS: 'k1:' + 'A'.repeat(43) + ',k1:' + 'B'.repeat(43) }, 'standalone'),
    ).toThrow(/JRP_DATA_KEYS/);
  });

  it('derives the verify key from the signing key', () => {
    const config = resolveConfig(
      {
        JRP_TOKEN_SIGNING_KEY: signing,
        JRP_SUBJECT_KEY_SECRET: 'x'.repeat(32),
        JRP_DATA_KEYS: generateKeySpec('k1'),
        DATABASE_URL: 'postgres://127.0.0.1/test',
        JRP_BUS: 'in-process',
      },
      'measures',
    );
    expect(config.tokenVerifyKeys.map((k) => k.asymmetricKeyType)).toEqual(['ed25519']);
    expect(config.schemaOf('list-ingestion')).toBe('list_ingestion');
  });

  it('caps open streams and waiting long polls per token at 4 unless JRP_MAX_STREAMS_PER_TOKEN says otherwise', () => {
    const env = {
      JRP_TOKEN_SIGNING_KEY: signing,
      JRP_SUBJECT_KEY_SECRET: 'x'.repeat(32),
      JRP_DATA_KEYS: generateKeySpec('k1'),
      DATABASE_URL: 'postgres://127.0.0.1/test',
      JRP_BUS: 'in-process' as const,
    };
    expect(resolveConfig(env, 'measures').maxStreamsPerToken).toBe(4);
    expect(resolveConfig({ ...env, JRP_MAX_STREAMS_PER_TOKEN: '12' }, 'measures').maxStreamsPerToken).toBe(12);
    for (const wrong of ['0', 'many', '1001', '2.5'])
      expect(() => resolveConfig({ ...env, JRP_MAX_STREAMS_PER_TOKEN: wrong }, 'measures')).toThrow(
        /JRP_MAX_STREAMS_PER_TOKEN/,
      );
  });
});

describe('variables from files (NAME_FILE)', () => {
  let folder: string;
  const file = (name: string, content: string) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };
  beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'jrp-config-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads every variable jrp knows from NAME_FILE, trimmed', () => {
    const vars = validateEnvironment({
      JRP_SUBJECT_KEY_SECRET_FILE: file('subject', `${'s'.repeat(40)}\n`),
      KAFKA_BROKERS_FILE: file('brokers', ' kafka:9092 \n'),
      JRP_MIGRATE_FILE: file('migrate', 'false'),
    });
    expect(vars.JRP_SUBJECT_KEY_SECRET).toBe('s'.repeat(40));
    expect(vars.KAFKA_BROKERS).toBe('kafka:9092');
    expect(vars.JRP_MIGRATE).toBe('false');
  });

  it('covers every variable of the environment class, not a hand-kept list', () => {
    const names = ['DATABASE_URL', 'JRP_TOKEN_SIGNING_KEY', 'JRP_DATA_KEYS', 'JRP_MIGRATE', 'PORT'];
    expect(environmentVariableNames()).toEqual(expect.arrayContaining(names));
    for (const name of environmentVariableNames()) {
      const env = { [`${name}_FILE`]: join(folder, 'absent') };
      expect(() => validateEnvironment(env)).toThrow(`${name}_FILE: cannot read`);
    }
  });

  it('refuses a variable set both ways, a missing file and an empty one, naming each', () => {
    const secret = file('secret', 'x'.repeat(40));
    let message = '';
    try {
      validateEnvironment({
        JRP_SUBJECT_KEY_SECRET: 'y'.repeat(40),
        JRP_SUBJECT_KEY_SECRET_FILE: secret,
        DATABASE_URL_FILE: join(folder, 'nowhere'),
        JRP_ADMIN_TOKEN_FILE: file('empty', ' \n'),
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'JRP_SUBJECT_KEY_SECRET: both JRP_SUBJECT_KEY_SECRET and JRP_SUBJECT_KEY_SECRET_FILE are set',
    );
    expect(message).toContain(`DATABASE_URL_FILE: cannot read ${join(folder, 'nowhere')} (ENOENT)`);
    expect(message).toContain('JRP_ADMIN_TOKEN_FILE: ');
    expect(message).toContain('is empty');
    expect(message).not.toContain('x'.repeat(40));
    expect(message).not.toContain('y'.repeat(40));
  });

  it('validates a value read from a file like any other, without echoing it', () => {
    expect(() => validateEnvironment({ JRP_ADMIN_TOKEN_FILE: file('short', 'short-token') })).toThrow(
      /JRP_ADMIN_TOKEN: JRP_ADMIN_TOKEN must be at least 24 characters/,
    );
  });

  it('puts DATABASE_PASSWORD into DATABASE_URL, encoded, and refuses a second password', () => {
    const vars = validateEnvironment({
      DATABASE_URL: 'postgres://jrp_measures@postgres:5432/jrp',
      DATABASE_PASSWORD_FILE: file('pw', 'p@ss/w:rd%1\n'),
    });
    expect(vars.DATABASE_URL).toBe('postgres://jrp_measures:p%40ss%2Fw%3Ard%251@postgres:5432/jrp');
    const twice = { DATABASE_URL: 'postgres://u:one@h/db', DATABASE_PASSWORD: 'two' };
    expect(() => validateEnvironment(twice)).toThrow(/already holds a password/);
    expect(() => validateEnvironment({ DATABASE_PASSWORD: 'two' })).toThrow(/DATABASE_URL, which is not set/);
  });

  it('takes JRP_MIGRATE as true or false only, true by default', () => {
    expect(resolveConfig(base, 'measures').migrate).toBe(true);
    expect(resolveConfig({ ...base, JRP_MIGRATE: 'false' }, 'measures').migrate).toBe(false);
    expect(() => validateEnvironment({ JRP_MIGRATE: 'no' })).toThrow(/JRP_MIGRATE must be true or false/);
  });

  it('keeps rejected import rows 90 days by default, 1 to 3650 when given, and names a wrong value', () => {
    expect(resolveConfig(base, 'measures').importErrorsRetentionDays).toBe(90);
    expect(
      resolveConfig({ ...base, JRP_IMPORT_ERRORS_RETENTION_DAYS: '30' }, 'measures').importErrorsRetentionDays,
    ).toBe(30);
    for (const wrong of ['0', '3651', '7.5', 'ninety', '-1']) {
      expect(() => validateEnvironment({ JRP_IMPORT_ERRORS_RETENTION_DAYS: wrong })).toThrow(
        /JRP_IMPORT_ERRORS_RETENTION_DAYS must be/,
      );
    }
  });

  it('takes the pool size of each service: 10 connections by default, a whole number from 2 to 200', () => {
    expect(resolveConfig(base, 'measures').dbPoolSize).toBe(10);
    expect(resolveConfig({ ...base, JRP_DB_POOL_SIZE: '32' }, 'measures').dbPoolSize).toBe(32);
    for (const wrong of ['1', '201', '2.5', 'ten', '-3']) {
      expect(() => validateEnvironment({ JRP_DB_POOL_SIZE: wrong })).toThrow(/JRP_DB_POOL_SIZE must be/);
    }
  });

  it('takes the lifting deadline in working days: 5 by default, a whole number from 1 to 60', () => {
    expect(resolveConfig(base, 'measures').liftingDeadlineWorkingDays).toBe(5);
    expect(
      resolveConfig({ ...base, JRP_LIFTING_DEADLINE_WORKING_DAYS: '10' }, 'measures').liftingDeadlineWorkingDays,
    ).toBe(10);
    for (const wrong of ['0', '61', '2.5', 'five', '-3']) {
      expect(() => validateEnvironment({ JRP_LIFTING_DEADLINE_WORKING_DAYS: wrong })).toThrow(
        /JRP_LIFTING_DEADLINE_WORKING_DAYS must be/,
      );
    }
  });

  it('takes the import queue and quota per organisation: 2 jobs and 1 GiB by default, whole numbers within bounds', () => {
    const defaults = resolveConfig(base, 'list-ingestion');
    expect([defaults.importsPerOrganization, defaults.importQuotaBytesPerOrganization]).toEqual([2, 1024 ** 3]);
    const given = resolveConfig(
      { ...base, JRP_IMPORTS_PER_ORGANIZATION: '1', JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION: '5000000' },
      'list-ingestion',
    );
    expect([given.importsPerOrganization, given.importQuotaBytesPerOrganization]).toEqual([1, 5_000_000]);
    expect(() => validateEnvironment({ JRP_IMPORTS_PER_ORGANIZATION: '0' })).toThrow(
      /JRP_IMPORTS_PER_ORGANIZATION: JRP_IMPORTS_PER_ORGANIZATION must not be less than 1/,
    );
    expect(() => validateEnvironment({ JRP_IMPORTS_PER_ORGANIZATION: 'two' })).toThrow(
      /JRP_IMPORTS_PER_ORGANIZATION must be a whole number of import jobs/,
    );
    expect(() => validateEnvironment({ JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION: '1000' })).toThrow(
      /JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION must not be less than 1048576/,
    );
  });
});

describe('network edges', () => {
  it('trusts no proxy by default, and only exact addresses or CIDR ranges', () => {
    expect(resolveConfig(base, 'measures').trustedProxies).toEqual([]);
    const proxies = '10.0.0.5, 192.168.10.0/24,::1,fd00::/8';
    expect(resolveConfig({ ...base, JRP_TRUSTED_PROXIES: proxies }, 'measures').trustedProxies).toEqual([
      '10.0.0.5',
      '192.168.10.0/24',
      '::1',
      'fd00::/8',
    ]);
    for (const wrong of ['nginx', 'loopback', '10.0.0.0/33', '10.0.0.300'])
      expect(() => resolveConfig({ ...base, JRP_TRUSTED_PROXIES: wrong }, 'measures')).toThrow(
        `JRP_TRUSTED_PROXIES: not an address or CIDR range: ${wrong}`,
      );
  });

  it('binds 127.0.0.1 for npm start and every address for the services unless JRP_HOST says otherwise', () => {
    expect(resolveConfig(base, 'standalone').host).toBe('127.0.0.1');
    expect(resolveConfig(base, 'measures').host).toBeUndefined();
    expect(resolveConfig({ ...base, JRP_HOST: '0.0.0.0' }, 'standalone').host).toBe('0.0.0.0');
    expect(resolveConfig({ ...base, JRP_HOST: '::' }, 'measures').host).toBe('::');
    expect(() => validateEnvironment({ JRP_HOST: 'two words' })).toThrow(/JRP_HOST must be an IP address/);
  });

  it('takes JRP_OPS_PORT apart from PORT, and a per-address limit five times the per-token one by default', () => {
    expect(resolveConfig(base, 'measures').opsPort).toBeUndefined();
    expect(resolveConfig({ ...base, JRP_OPS_PORT: '9464' }, 'measures').opsPort).toBe(9464);
    expect(() => resolveConfig({ ...base, PORT: '3000', JRP_OPS_PORT: '3000' }, 'measures')).toThrow(
      /JRP_OPS_PORT: must differ from PORT/,
    );
    expect(resolveConfig(base, 'measures').rateLimitPerAddressPerMinute).toBe(6000);
    expect(resolveConfig({ ...base, JRP_RATE_LIMIT_PER_MINUTE: '10' }, 'measures').rateLimitPerAddressPerMinute).toBe(
      50,
    );
    const own = { ...base, JRP_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '20' };
    expect(resolveConfig(own, 'measures').rateLimitPerAddressPerMinute).toBe(20);
  });
});

describe('the one-process deployment’s secrets', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'jrp-secrets-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('generates the embedded PostgreSQL’s passwords once, beside the other secrets, readable by the owner only', () => {
    const config = resolveConfig({ JRP_DATA_DIR: folder }, 'standalone');
    const first = embeddedDatabasePasswords(folder);
    expect(first.superuser).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.services).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.superuser).not.toBe(first.services);
    expect(embeddedDatabasePasswords(folder)).toEqual(first);
    const other = join(folder, 'another deployment');
    expect(embeddedDatabasePasswords(other).superuser).not.toBe(first.superuser);
    const file = join(folder, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // the other secrets stay as they were
    const again = resolveConfig({ JRP_DATA_DIR: folder }, 'standalone');
    expect(again.dataKeys).toBe(config.dataKeys);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ databasePassword: first.superuser });
  });

  it('fills the other secrets into a file that holds the database passwords only', () => {
    const passwords = embeddedDatabasePasswords(folder);
    const config = resolveConfig({ JRP_DATA_DIR: folder }, 'standalone');
    expect(config.tokenSigningKey).toBeDefined();
    expect(config.dataKeys).toMatch(/^k1:/);
    expect(embeddedDatabasePasswords(folder)).toEqual(passwords);
  });
});
