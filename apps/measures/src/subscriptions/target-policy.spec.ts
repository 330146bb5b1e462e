import { generateKeyPairSync } from 'node:crypto';
import { resolveConfig } from '@jrp/config';
import { generateKeySpec } from '@jrp/crypto';
import {
  allowEntryProblem,
  AllowList,
  classifyAddress,
  decideTarget,
  parseTargetUrl,
  TargetUrl,
} from './target-policy';

const parsed = (raw: string) => parseTargetUrl(raw) as TargetUrl;

describe('webhook target policy', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2400:3200::1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['100.128.0.1', 'public'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['64:ff9b::a00:1', 'reserved'],
    // IPv4-mapped IPv6 addresses are judged as the IPv4 address they reach
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
  ])('classifies %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('takes only http and https URLs without credentials or fragments', () => {
    expect(parseTargetUrl('ftp://example.org/x')).toEqual({ problem: 'must use http or https' });
    expect(parseTargetUrl('file:///etc/passwd')).toEqual({ problem: 'must use http or https' });
    expect(parseTargetUrl('https://user:pw@example.org/hook')).toEqual({ problem: 'must not contain credentials' });
    expect(parseTargetUrl('https://user@example.org/hook')).toEqual({ problem: 'must not contain credentials' });
    expect(parseTargetUrl('https://example.org/hook#x')).toEqual({ problem: 'must not contain a fragment' });
    expect(parseTargetUrl('/relative')).toEqual({ problem: 'is not an absolute URL' });
    expect(parsed('https://Example.org/hook?a=1')).toMatchObject({ host: 'example.org', port: 443, literal: false });
    expect(parsed('http://example.org:8080/')).toMatchObject({ port: 8080 });
    expect(parsed('http://[::1]:9000/x')).toMatchObject({ host: '::1', port: 9000, literal: true });
  });

  it('sees through the other spellings of an address', () => {
    // the URL parser normalises them, so the address judged is the one connected to
    for (const raw of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/']) {
      const target = parsed(raw);
      expect(target).toMatchObject({ host: '127.0.0.1', literal: true });
      expect(decideTarget(target, [target.host], new AllowList([]))).toEqual({
        problem: expect.stringContaining('loopback') as string,
      });
    }
  });

  it('refuses private, local and metadata targets without an allow-list entry', () => {
    const none = new AllowList([]);
    for (const [raw, words] of [
      ['http://10.0.0.1/hook', 'private-network'],
      ['http://169.254.169.254/latest/meta-data', 'metadata'],
      ['http://127.0.0.1:8080/', 'loopback'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://100.64.1.1/', 'carrier-grade NAT'],
      ['http://[fe80::1]/', 'link-local'],
      ['http://0.0.0.0/', 'unspecified'],
    ]) {
      const target = parsed(raw);
      const decision = decideTarget(target, [target.host], none);
      expect(decision).toEqual({ problem: expect.stringContaining(words) as string });
      expect((decision as { problem: string }).problem).toContain("administrator's allow-list");
    }
    const publicTarget = parsed('https://8.8.8.8/hook');
    expect(decideTarget(publicTarget, ['8.8.8.8'], none)).toMatchObject({ address: '8.8.8.8', family: 4, port: 443 });
  });

  it('judges every address a host resolves to', () => {
    const target = parsed('https://receiver.example.gov.cn/hook');
    expect(decideTarget(target, ['8.8.8.8', '10.1.2.3'], new AllowList([]))).toEqual({
      problem:
        "receiver.example.gov.cn resolves to 10.1.2.3, which is a private-network address; such targets need the administrator's allow-list",
    });
    expect(decideTarget(target, [], new AllowList([]))).toEqual({
      problem: 'host receiver.example.gov.cn does not resolve',
    });
    expect(decideTarget(target, ['2400:3200::1'], new AllowList([]))).toMatchObject({
      address: '2400:3200::1',
      family: 6,
    });
  });

  it('lets allow-list entries through: addresses, ranges and host names', () => {
    const allow = new AllowList(['127.0.0.1', '10.20.0.0/16', 'Receiver.Gov.Internal', 'fd00:1::/32']);
    expect(decideTarget(parsed('http://127.0.0.1:9000/x'), ['127.0.0.1'], allow)).toMatchObject({
      address: '127.0.0.1',
      port: 9000,
    });
    expect(decideTarget(parsed('http://127.0.0.2/x'), ['127.0.0.2'], allow)).toHaveProperty('problem');
    expect(decideTarget(parsed('http://10.20.30.40/x'), ['10.20.30.40'], allow)).toMatchObject({
      address: '10.20.30.40',
    });
    expect(decideTarget(parsed('http://10.21.0.1/x'), ['10.21.0.1'], allow)).toHaveProperty('problem');
    expect(decideTarget(parsed('http://[fd00:1:2::3]/x'), ['fd00:1:2::3'], allow)).toMatchObject({ family: 6 });
    // a host entry allows whatever private address the host resolves to, never a metadata address
    const host = parsed('https://receiver.gov.internal./hook');
    expect(decideTarget(host, ['192.168.7.7'], allow)).toMatchObject({ address: '192.168.7.7' });
    expect(decideTarget(host, ['169.254.169.254'], allow)).toEqual({
      problem: expect.stringContaining('metadata') as string,
    });
    // an entry that names the metadata address itself is an explicit decision
    expect(
      decideTarget(parsed('http://169.254.169.254/'), ['169.254.169.254'], new AllowList(['169.254.169.254/32'])),
    ).toMatchObject({ address: '169.254.169.254' });
  });

  it('names what is wrong with an allow-list entry', () => {
    expect(allowEntryProblem('10.0.0.0/8')).toBeUndefined();
    expect(allowEntryProblem('fd00::/8')).toBeUndefined();
    expect(allowEntryProblem('receiver.gov.internal')).toBeUndefined();
    expect(allowEntryProblem('10.0.0.0/33')).toBe('is not a host name, an IP address or a CIDR range');
    expect(allowEntryProblem('http://x')).toBe('is not a host name, an IP address or a CIDR range');
    expect(allowEntryProblem('a b')).toBe('is not a host name, an IP address or a CIDR range');
    expect(() => new AllowList(['not a host'])).toThrow(/not a host/);
  });

  it('takes JRP_WEBHOOK_ALLOWED_TARGETS from the configuration, validated at start-up', () => {
    const env = {
      JRP_TOKEN_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'der', type: 'pkcs8' })
        .toString('base64'),
      JRP_SUBJECT_KEY_SECRET: 'x'.repeat(32),
      JRP_DATA_KEYS: generateKeySpec('k1'),
      DATABASE_URL: 'postgres://127.0.0.1/test',
      JRP_BUS: 'in-process',
    };
    const withTargets = (value?: string) =>
      resolveConfig({ ...env, JRP_WEBHOOK_ALLOWED_TARGETS: value }, 'measures').webhookAllowedTargets;
    expect(withTargets(undefined)).toEqual([]);
    expect(withTargets('127.0.0.1, 10.12.0.0/16,receiver.gov.internal,fd00::/8')).toEqual([
      '127.0.0.1',
      '10.12.0.0/16',
      'receiver.gov.internal',
      'fd00::/8',
    ]);
    expect(() => new AllowList(withTargets('127.0.0.1, 10.12.0.0/16,receiver.gov.internal,fd00::/8'))).not.toThrow();
    expect(() => withTargets('10.0.0.0/33')).toThrow(
      /JRP_WEBHOOK_ALLOWED_TARGETS: not a host, address or CIDR range: 10.0.0.0\/33/,
    );
    expect(() => withTargets('http://receiver/')).toThrow(/JRP_WEBHOOK_ALLOWED_TARGETS/);
  });
});
