import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { registryOptionsFromEnv } from './app.js';
import { clientAddress, parseTrustedProxies } from './client-address.js';

/** What the app sees as the client for a request from `peer` carrying `forwardedFor`. */
async function seen(trusted: string | undefined, peer: string, forwardedFor?: string): Promise<string> {
  const app = new Hono();
  const proxies = parseTrustedProxies(trusted);
  app.get('/', (c) => c.text(clientAddress(c, proxies)));
  const res = await app.request('/', { headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor } }, { incoming: { socket: { remoteAddress: peer } } });
  return res.text();
}

describe('the client address behind a trusted proxy', () => {
  it('without a trusted proxy, X-Forwarded-For is ignored', async () => {
    expect(await seen(undefined, '127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
    expect(await seen('', '::ffff:127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
  });

  it('from a trusted proxy, the right-most untrusted hop; from anyone else, the peer', async () => {
    const trusted = '127.0.0.1, 10.0.0.0/8, fd00::/8';
    expect(await seen(trusted, '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await seen(trusted, '::ffff:127.0.0.1', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await seen(trusted, '127.0.0.1', '203.0.113.9, 10.4.5.6')).toBe('203.0.113.9');
    expect(await seen(trusted, 'fd00::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(await seen(trusted, '127.0.0.1', 'not-an-address')).toBe('invalid:not-an-address');
    expect(await seen(trusted, '127.0.0.1')).toBe('127.0.0.1');
    expect(await seen(trusted, '127.0.0.1', '10.1.1.1, 10.2.2.2')).toBe('10.1.1.1');
    // A client that is not the proxy cannot choose its address by sending the header itself.
    expect(await seen(trusted, '192.0.2.44', '203.0.113.9')).toBe('192.0.2.44');
  });

  it('a wrong OBSERVA_TRUSTED_PROXY stops the server with a clear message', () => {
    expect(() => parseTrustedProxies('127.0.0.1, 10.0.0.0/33')).toThrow(/"10\.0\.0\.0\/33" is not an IP address or a CIDR range/);
    expect(() => parseTrustedProxies('proxy.local')).toThrow(/OBSERVA_TRUSTED_PROXY: "proxy\.local"/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(() => registryOptionsFromEnv({ OBSERVA_MASTER_KEY: key, OBSERVA_TRUSTED_PROXY: 'nonsense' })).toThrow(/OBSERVA_TRUSTED_PROXY/);
    expect(registryOptionsFromEnv({ OBSERVA_MASTER_KEY: key, OBSERVA_TRUSTED_PROXY: '127.0.0.1' })).toMatchObject({ trustedProxy: '127.0.0.1' });
  });
});
