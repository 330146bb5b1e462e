import { generateKeyPairSync } from 'node:crypto';
import { generateKeySpec } from '@jrp/crypto';
import { resolveConfig } from './jrp-config';

const signing = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

describe('configuration', () => {
  it('names every wrong value', () => {
    expect(() => resolveConfig({ PORT: 'abc', JRP_BUS: 'rabbit', JRP_ADMIN_TOKEN: 'short' }, 'measures')).toThrow(
      /PORT[\s\S]*JRP_ADMIN_TOKEN[\s\S]*JRP_BUS/,
    );
  });

  it('lists what a distributed service is missing', () => {
    expect(() => resolveConfig({}, 'measures')).toThrow(/JRP_TOKEN_SIGNING_KEY[\s\S]*JRP_SUBJECT_KEY_SECRET[\s\S]*DATABASE_URL[\s\S]*KAFKA_BROKERS/);
  });

  it('refuses a malformed data key ring without echoing it', () => {
    expect(() => resolveConfig({ JRP_DATA_KEYS: 'k1:' + 'A'.repeat(43) + ',k1:' + 'B'.repeat(43) }, 'standalone')).toThrow(/JRP_DATA_KEYS/);
  });

  it('derives the verify key from the signing key', () => {
    const config = resolveConfig(
      { JRP_TOKEN_SIGNING_KEY: signing, JRP_SUBJECT_KEY_SECRET: 'x'.repeat(32), JRP_DATA_KEYS: generateKeySpec('k1'), DATABASE_URL: 'postgres://127.0.0.1/test', JRP_BUS: 'in-process' },
      'measures',
    );
    expect(config.tokenVerifyKeys.map((k) => k.asymmetricKeyType)).toEqual(['ed25519']);
    expect(config.schemaOf('list-ingestion')).toBe('list_ingestion');
  });
});
