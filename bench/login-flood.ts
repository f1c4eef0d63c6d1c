// A real sign-in during a flood of 300 random-email sign-ins (one address, then 300 addresses behind a trusted proxy):
// how long it waits and how many flood requests were hashed. `npx vite-node bench/login-flood.ts`
import { randomBytes } from 'node:crypto';
import { OPERATOR_PRINCIPAL, createOrganisation, createUser, loadMasterKey } from '../src/registry/index.js';
import { startServer } from '../src/api/index.js';
import { tempStore } from '../src/test-support/temp-store.js';

process.env['OBSERVA_MASTER_KEY'] = randomBytes(32).toString('base64');
const t = await tempStore();
const org = (await createOrganisation({ store: t.store }, OPERATOR_PRINCIPAL, 'Measure')).id;
await createUser({ store: t.store }, OPERATOR_PRINCIPAL, { email: 'real@m.example', role: 'reviewer', organisationId: org, password: 'a long enough passphrase' });
const server = await startServer(t.store, 0, '127.0.0.1', { registry: { masterKey: loadMasterKey(), trustedProxy: '127.0.0.1' } });
const post = (email: string, password: string, xff: string) =>
  fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password }), headers: { 'content-type': 'application/json', 'x-forwarded-for': xff } });
for (const mode of ['one address', '300 addresses']) {
  const started = performance.now();
  const flood = Array.from({ length: 300 }, (_, i) => post(`r${i}-${mode.length}@x.example`, 'flood flood', mode === 'one address' ? '203.0.113.1' : `198.18.${i >> 8}.${i & 255}`).then((r) => r.status));
  let tries = 0;
  let status = 0;
  const t0 = performance.now();
  while (status !== 200) { tries++; status = (await post('real@m.example', 'a long enough passphrase', '192.0.2.1')).status; }
  const real = performance.now() - t0;
  const statuses = await Promise.all(flood);
  const count = (s: number) => statuses.filter((x) => x === s).length;
  console.log(`${mode}: real sign-in 200 after ${real.toFixed(0)} ms (${tries} tries); flood: ${count(401)}×401 (hashed), ${count(429)}×429 (no hashing), all answered in ${(performance.now() - started).toFixed(0)} ms`);
}
await server.close();
await t.cleanup();
