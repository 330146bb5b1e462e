import { generateKeyPairSync } from 'node:crypto';
import { resolveConfig } from '@jrp/config';
import { generateKeySpec } from '@jrp/crypto';
import {
  allowEntryProblem,
  AllowList,
  classifyAddress,
  decideTarget,
  parseTargetUrl,
  TARGET_NOT_ALLOWED,
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
    ['::FFFF:7F00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:0:0', 'unspecified'],
    // IPv4-translated (SIIT, ::ffff:0:a.b.c.d) too
    ['::ffff:0:7f00:1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:a9fe:a9fe', 'metadata'],
    ['::ffff:0:a00:1', 'private'],
    ['::ffff:0:808:808', 'public'],
    // the other cloud metadata addresses
    ['169.254.170.2', 'metadata'],
    ['169.254.170.23', 'metadata'],
    ['169.254.0.23', 'metadata'],
    ['192.0.0.192', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['fd00:ec2::23', 'metadata'],
    ['fd20:ce::254', 'metadata'],
    ['::ffff:100.100.100.200', 'metadata'],
    // near misses stay what their range makes them
    ['169.254.169.253', 'link-local'],
    ['100.100.100.201', 'shared'],
    ['fd00:ec2::255', 'private'],
    ['::fffe:7f00:1', 'reserved'],
    // outside global unicast (2000::/3)
    ['1234::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['e000::1', 'reserved'],
    ['3fff:0fff::1', 'reserved'],
    ['3fff:1000::1', 'public'],
    ['2a00:1450::1', 'public'],
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
        problem: TARGET_NOT_ALLOWED,
        reason: expect.stringContaining('loopback') as string,
      });
    }
  });

  it.each([
    // [URL, the kind the server's log names]
    ['http://10.0.0.1/hook', 'private-network'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://127.0.0.1:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[::ffff:0:7f00:1]/', 'loopback'],
    ['http://[::ffff:0:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:a9fe:a9fe]/latest/meta-data', 'metadata'],
    ['http://[::ffff:0:a9fe:a9fe]/latest/meta-data', 'metadata'],
    ['http://[::ffff:10.0.0.1]/', 'private-network'],
    ['http://[fd00:ec2::254]/latest/meta-data', 'metadata'],
    ['http://100.100.100.200/latest/meta-data', 'metadata'],
    ['http://100.64.1.1/', 'carrier-grade NAT'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
  ])('refuses %s without an allow-list entry: "target not allowed", nothing more', (raw, words) => {
    const target = parsed(raw);
    const decision = decideTarget(target, [target.host], new AllowList([]));
    expect(decision).toEqual({ problem: TARGET_NOT_ALLOWED, reason: expect.stringContaining(words) as string });
    expect((decision as { problem: string }).problem).toBe('target not allowed（不允许的推送目标）');
  });

  it('lets public addresses through, the IPv4-mapped spelling of one too', () => {
    const none = new AllowList([]);
    const publicTarget = parsed('https://8.8.8.8/hook');
    expect(decideTarget(publicTarget, ['8.8.8.8'], none)).toMatchObject({ address: '8.8.8.8', family: 4, port: 443 });
    const mapped = parsed('https://[::ffff:8.8.8.8]/hook');
    expect(decideTarget(mapped, [mapped.host], none)).toMatchObject({ address: '::ffff:808:808', family: 6 });
  });

  it('judges every address a host resolves to, and says nothing of them when it refuses', () => {
    const target = parsed('https://receiver.example.gov.cn/hook');
    const refused = decideTarget(target, ['8.8.8.8', '10.1.2.3'], new AllowList([]));
    expect(refused).toEqual({
      problem: TARGET_NOT_ALLOWED,
      reason:
        "receiver.example.gov.cn resolves to 10.1.2.3, which is a private-network address, not on the administrator's allow-lists",
    });
    expect((refused as { problem: string }).problem).not.toMatch(/10\.1\.2\.3|resolve|private/);
    // a host that does not resolve is refused in the same words: the API is no oracle for DNS names
    expect(decideTarget(target, [], new AllowList([]))).toEqual({
      problem: TARGET_NOT_ALLOWED,
      reason: 'host receiver.example.gov.cn does not resolve',
    });
    expect(decideTarget(target, ['::ffff:0:7f00:1'], new AllowList([]))).toMatchObject({ problem: TARGET_NOT_ALLOWED });
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
      problem: TARGET_NOT_ALLOWED,
      reason: expect.stringContaining('metadata address, never allowed') as string,
    });
    // an allowed IPv4 range allows the IPv4-mapped and -translated spellings of its addresses
    expect(decideTarget(parsed('http://[::ffff:10.20.1.1]/x'), ['::ffff:10.20.1.1'], allow)).toMatchObject({
      address: '::ffff:10.20.1.1',
    });
    expect(decideTarget(parsed('http://[::ffff:0:a14:101]/x'), ['::ffff:0:a14:101'], allow)).toMatchObject({
      address: '::ffff:0:a14:101',
    });
    expect(decideTarget(parsed('http://[::ffff:127.0.0.2]/x'), ['::ffff:127.0.0.2'], allow)).toHaveProperty('problem');
  });

  it.each([
    // [allow-list entries, metadata address]: no entry reaches a metadata address, not even one naming it
    [['169.254.169.254/32'], '169.254.169.254'],
    [['169.254.169.254'], '169.254.169.254'],
    [['169.254.0.0/16'], '169.254.169.254'],
    [['169.254.0.0/16'], '169.254.170.2'],
    [['0.0.0.0/0'], '100.100.100.200'],
    [['100.64.0.0/10'], '100.100.100.200'],
    [['0.0.0.0/0'], '::ffff:169.254.169.254'],
    [['::ffff:0:0/96'], '::ffff:a9fe:a9fe'],
    [['::ffff:0:0:0/96'], '::ffff:0:a9fe:a9fe'],
    [['fd00::/8'], 'fd00:ec2::254'],
    [['::/0'], 'fd20:ce::254'],
    [['metadata.internal'], '169.254.169.254'],
  ])('refuses a metadata address whatever the allow-list says: %j, %s', (entries, address) => {
    const allow = new AllowList(entries);
    const literal = parsed(`http://${address.includes(':') ? `[${address}]` : address}/latest/meta-data`);
    expect(decideTarget(literal, [address], allow)).toEqual({
      problem: TARGET_NOT_ALLOWED,
      reason: expect.stringContaining('metadata') as string,
    });
    const named = parsed('http://metadata.internal/latest/meta-data');
    expect(decideTarget(named, [address], allow)).toMatchObject({ problem: TARGET_NOT_ALLOWED });
    expect(allow.allows('metadata.internal', address)).toBe(false);
  });

  it('still lets a broad allow-list through to the rest of its range', () => {
    const allow = new AllowList(['169.254.0.0/16', '0.0.0.0/0']);
    expect(decideTarget(parsed('http://169.254.10.10/x'), ['169.254.10.10'], allow)).toMatchObject({
      address: '169.254.10.10',
    });
    expect(decideTarget(parsed('http://127.0.0.1/x'), ['127.0.0.1'], allow)).toMatchObject({ address: '127.0.0.1' });
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
