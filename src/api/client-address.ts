import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/*
 * The client's address for rate limits. By default the socket's peer. Behind a reverse proxy every request comes
 * from the proxy, so a deployment names its proxies (OBSERVA_TRUSTED_PROXY: addresses or CIDR ranges, comma-separated);
 * only when the peer is one of them is X-Forwarded-For read, from the right: each trusted proxy appends the address it
 * saw, so the right-most address that is not a trusted proxy is the client. Anything to its left was written by the
 * client and is ignored (otherwise anyone could pick a fresh address per request).
 */

export const TRUSTED_PROXY_ENV = 'OBSERVA_TRUSTED_PROXY';

/** IPv4-mapped IPv6 (::ffff:10.0.0.1, what a dual-stack socket reports) as plain IPv4. */
function plain(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? (m[1] as string) : address;
}

export interface TrustedProxies {
  has(address: string): boolean;
}

/** Parses "127.0.0.1, 10.0.0.0/8, ::1"; throws on an entry that is not an address or a CIDR range. */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies | null {
  const entries = (spec ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`${TRUSTED_PROXY_ENV}: "${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8`);
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  // Every request asks about its peer (and behind a proxy, its hops): BlockList.check builds an object per call, so the
  // answers for recent addresses are remembered (bounded; cleared when full).
  const known = new Map<string, boolean>();
  return {
    has: (raw) => {
      const hit = known.get(raw);
      if (hit !== undefined) return hit;
      const address = plain(raw);
      const family = isIP(address);
      const answer = family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
      if (known.size >= 4_096) known.clear();
      known.set(raw, answer);
      return answer;
    },
  };
}

export function socketAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return plain(env?.incoming?.socket?.remoteAddress ?? 'unknown');
}

/** The client's address: the peer, or, when the peer is a trusted proxy, the right-most untrusted X-Forwarded-For hop. */
export function clientAddress(c: Context, trusted: TrustedProxies | null): string {
  const peer = socketAddress(c);
  if (!trusted || !trusted.has(peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => plain(h.trim())).filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return isIP(hop) === 0 ? `invalid:${hop.slice(0, 64)}` : hop;
  }
  // Every hop is a proxy of ours (or there is no header): the left-most one is as close to the client as we know.
  return hops[0] ?? peer;
}
