import { isIP } from 'node:net';
import { isWebhookTargetPattern } from '@jrp/config';

/**
 * Where webhooks may go (SSRF defence), as pure functions: the caller resolves the host, these decide.
 * Only http and https, no credentials in the URL, and every address the host resolves to must be
 * public unless an allow-list entry (configuration, or the organisation's list kept by the admin)
 * permits it; a cloud metadata address never is, whatever the allow-lists say. An IPv6 address that
 * embeds an IPv4 address (IPv4-mapped `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`) is judged as
 * that IPv4 address. A refusal says "target not allowed" and nothing of what the host resolved to, so
 * the API is no oracle for internal DNS names. The delivery then connects to the address that was
 * decided on, never resolving again.
 */

/** What every refusal of an address says: never the addresses, never whether or where the host resolved. */
export const TARGET_NOT_ALLOWED = 'target not allowed（不允许的推送目标）';

export type AddressKind =
  'public' | 'metadata' | 'unspecified' | 'loopback' | 'private' | 'shared' | 'link-local' | 'multicast' | 'reserved';
type Kind = Exclude<AddressKind, 'public'>;

const KIND_LABELS: Record<Kind, string> = {
  metadata: 'a cloud metadata address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private-network address',
  shared: 'a carrier-grade NAT (shared) address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  reserved: 'a reserved or special-purpose address',
};

interface Range {
  family: 4 | 6;
  value: bigint;
  prefix: number;
}

/**
 * First match wins: the exact metadata addresses before the ranges that hold them. Metadata addresses
 * hand out the host's credentials: no allow-list entry reaches them.
 */
const RANGES: [Kind, Range][] = (
  [
    ['metadata', '169.254.169.254/32'], // AWS, GCP, Azure, OpenStack, Huawei Cloud, Baidu, Oracle …
    ['metadata', '169.254.170.2/32'], // AWS ECS task metadata and credentials
    ['metadata', '169.254.170.23/32'], // AWS EKS Pod Identity
    ['metadata', '169.254.0.23/32'], // Tencent Cloud (metadata.tencentyun.com)
    ['metadata', '100.100.100.200/32'], // Alibaba Cloud
    ['metadata', '192.0.0.192/32'], // Oracle Cloud (legacy)
    ['metadata', '168.63.129.16/32'], // Azure WireServer
    ['metadata', 'fd00:ec2::254/128'], // AWS over IPv6
    ['metadata', 'fd00:ec2::23/128'], // AWS EKS Pod Identity over IPv6
    ['metadata', 'fd20:ce::254/128'], // Google Cloud over IPv6
    ['unspecified', '0.0.0.0/8'],
    ['unspecified', '::/128'],
    ['loopback', '127.0.0.0/8'],
    ['loopback', '::1/128'],
    ['private', '10.0.0.0/8'],
    ['private', '172.16.0.0/12'],
    ['private', '192.168.0.0/16'],
    ['private', 'fc00::/7'], // unique local
    ['shared', '100.64.0.0/10'],
    ['link-local', '169.254.0.0/16'],
    ['link-local', 'fe80::/10'],
    ['multicast', '224.0.0.0/4'],
    ['multicast', 'ff00::/8'],
    ['reserved', '192.0.0.0/24'],
    ['reserved', '192.0.2.0/24'],
    ['reserved', '198.18.0.0/15'],
    ['reserved', '198.51.100.0/24'],
    ['reserved', '203.0.113.0/24'],
    ['reserved', '240.0.0.0/4'], // and the broadcast address
    ['reserved', '::/96'], // IPv4-compatible (deprecated)
    ['reserved', '64:ff9b::/96'], // NAT64: would reach an IPv4 address through a gateway
    ['reserved', '64:ff9b:1::/48'],
    ['reserved', '100::/64'],
    ['reserved', '2001::/32'], // Teredo
    ['reserved', '2001:db8::/32'],
    ['reserved', '3fff::/20'], // documentation (RFC 9637)
    ['reserved', '2002::/16'], // 6to4
    ['reserved', 'fec0::/10'],
    // what is left outside global unicast (2000::/3) is unassigned or special: the rest of ::/8 (other
    // spellings that carry an IPv4 address), 100::/8 … 1000::/4, 4000::/2, 8000::/1
    ['reserved', '::/3'],
    ['reserved', '4000::/2'],
    ['reserved', '8000::/1'],
  ] as [Kind, string][]
).map(([kind, cidr]) => [kind, parseRange(cidr)!]);

/**
 * An address as a number: IPv4 in 32 bits, IPv6 in 128; an IPv6 address that carries an IPv4 address
 * (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d) as that IPv4 address.
 */
function toNumber(address: string): { family: 4 | 6; value: bigint } | undefined {
  const family = isIP(address);
  if (family === 4)
    return { family: 4, value: address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n) };
  if (family !== 6) return undefined;
  let text = address.toLowerCase().split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = toNumber(dotted[1])!.value;
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const value = groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated, SIIT) are IPv4 addresses in IPv6 clothing:
  // judge them as the IPv4 address they reach
  if (value >> 32n === 0xffffn || value >> 32n === 0xffff0000n) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function parseRange(cidr: string): Range | undefined {
  const [address, prefixText] = cidr.split('/');
  const parsed = toNumber(address);
  if (!parsed) return undefined;
  const bits = parsed.family === 4 ? 32 : 128;
  // an IPv4-mapped range given in IPv6 form keeps its meaning in IPv4 bits
  const mappedShift = isIP(address) === 6 && parsed.family === 4 ? 96 : 0;
  const prefix = prefixText === undefined ? bits : Number(prefixText) - mappedShift;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  return { family: parsed.family, value: parsed.value, prefix };
}

function contains(range: Range, address: { family: 4 | 6; value: bigint }): boolean {
  if (range.family !== address.family) return false;
  const shift = BigInt((range.family === 4 ? 32 : 128) - range.prefix);
  return range.value >> shift === address.value >> shift;
}

/** What kind of address this is; `public` is the only kind reachable without an allow-list entry. */
export function classifyAddress(address: string): AddressKind {
  const parsed = toNumber(address);
  if (!parsed) throw new Error(`not an IP address: ${address}`);
  return RANGES.find(([, range]) => contains(range, parsed))?.[0] ?? 'public';
}

/**
 * Allow-list entries: host names (any address they resolve to), addresses and CIDR ranges. None of them
 * allows a metadata address, not even an entry naming it.
 */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly ranges: Range[] = [];

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const problem = allowEntryProblem(entry);
      if (problem) throw new Error(`allow-list entry ${JSON.stringify(entry)} ${problem}`);
      const range = parseRange(entry);
      if (range) this.ranges.push(range);
      else this.hosts.add(normalizeHost(entry));
    }
  }

  allows(hostname: string, address: string): boolean {
    const parsed = toNumber(address);
    if (!parsed || classifyAddress(address) === 'metadata') return false;
    if (this.ranges.some((r) => contains(r, parsed))) return true;
    return this.hosts.has(normalizeHost(hostname));
  }
}

/** Why an allow-list entry is not one (a message for its field), or undefined when it is. */
export function allowEntryProblem(entry: string): string | undefined {
  if (!isWebhookTargetPattern(entry)) return 'is not a host name, an IP address or a CIDR range';
  if (entry.includes('/') && !parseRange(entry)) return 'is not a CIDR range';
  return undefined;
}

const normalizeHost = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** A webhook URL taken apart: `host` without IPv6 brackets, `literal` when it is an address already. */
export interface TargetUrl {
  url: URL;
  host: string;
  port: number;
  literal: boolean;
}

/** Takes a subscription URL apart, or says why it cannot be one. */
export function parseTargetUrl(raw: string): TargetUrl | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'must use http or https' };
  if (url.username || url.password) return { problem: 'must not contain credentials' };
  if (url.hash) return { problem: 'must not contain a fragment' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return { problem: 'has no host' };
  return {
    url,
    host,
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    literal: isIP(host) !== 0,
  };
}

/** The address a delivery connects to, decided once per attempt. */
export interface CheckedTarget extends TargetUrl {
  address: string;
  family: 4 | 6;
}

/** A refused target: `problem` for the caller (always TARGET_NOT_ALLOWED), `reason` for the server's log only. */
export interface RefusedTarget {
  problem: string;
  reason: string;
}

/**
 * Decides on a parsed target and the addresses its host resolved to: every address must be public or
 * allowed, and none a metadata address (a host that resolves to one forbidden address among good ones
 * is refused: the resolver may answer either next time). Returns the first address to connect to, or
 * the refusal.
 */
export function decideTarget(
  target: TargetUrl,
  addresses: readonly string[],
  allow: AllowList,
): CheckedTarget | RefusedTarget {
  if (addresses.length === 0) return { problem: TARGET_NOT_ALLOWED, reason: `host ${target.host} does not resolve` };
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public' && !allow.allows(target.host, address)) {
      const where = target.literal ? address : `${target.host} resolves to ${address}, which`;
      const why = kind === 'metadata' ? 'never allowed' : "not on the administrator's allow-lists";
      return { problem: TARGET_NOT_ALLOWED, reason: `${where} is ${KIND_LABELS[kind]}, ${why}` };
    }
  }
  const address = addresses[0];
  return { ...target, address, family: isIP(address) === 6 ? 6 : 4 };
}
