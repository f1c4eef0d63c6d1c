import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PG_URL } from '../test-support/pg-store.js';

/*
 * A real deployment: two `observa serve` processes on one PostgreSQL (as behind a proxy). Cases and intake reports
 * written through both at once leave one unbroken audit chain, and what one process counts (a lockout) holds on the
 * other. Runs the built CLI (dist/), as `npm test` builds first.
 */

const BIN = fileURLToPath(new URL('../../bin/observa.js', import.meta.url));
const SCHEMA = `observa_t_${randomBytes(6).toString('hex')}`;
const STORE = `${TEST_PG_URL}?schema=${SCHEMA}`;
const PASSWORD = 'two servers, one chain';
const ENV = { ...process.env, OBSERVA_MASTER_KEY: randomBytes(32).toString('base64'), OBSERVA_NEW_PASSWORD: PASSWORD };

const run = async (...args: string[]) => {
  try {
    const { stdout } = await promisify(execFile)('node', [BIN, '--store', STORE, ...args], { env: ENV });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
};

interface Server {
  readonly process: ChildProcessWithoutNullStreams;
  readonly url: string;
}

function serve(env: Record<string, string | undefined>): Promise<Server> {
  const child = spawn('node', [BIN, '--store', STORE, 'serve', '--port', '0'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ process: child, url: m[1] as string });
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

const servers: Server[] = [];
let org = '';

const post = (server: Server, path: string, body: unknown, token?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });

async function signIn(server: Server, email: string, password = PASSWORD): Promise<Response> {
  return post(server, '/api/v1/auth/login', { email, password });
}

beforeAll(async () => {
  // The store is created before the servers start (as an operator would, creating the first organisation).
  const created = await run('org', 'create', '--name', 'Two servers');
  expect(created.code, created.stdout).toBe(0);
  org = /organisation (\S+)/.exec(created.stdout)?.[1] ?? '';
  // Two operators at once: their writes go through the audit-head lock one after the other.
  const users = await Promise.all([['doc@two.example', 'documenter'], ['lock@two.example', 'reviewer']].map(([email, role]) => run('user', 'create', '--email', email as string, '--role', role as string, '--org', org)));
  for (const user of users) expect(user.code, user.stdout).toBe(0);
  const env = { ...ENV, OBSERVA_INTAKE_ORG: org };
  servers.push(...(await Promise.all([serve(env), serve(env)])));
});

afterAll(async () => {
  for (const server of servers) {
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGTERM');
    await exited;
  }
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  } finally {
    await client.end();
  }
});

describe('two server processes on one PostgreSQL', () => {
  it('cases and intake reports written through both at once leave one intact audit chain', async () => {
    const [a, b] = servers as [Server, Server];
    const tokens = await Promise.all([a, b].map(async (s) => ((await (await signIn(s, 'doc@two.example')).json()) as { token: string }).token));
    const kase = (i: number) => ({ type: 'torture', state: '14', occurredOn: { value: '2022', precision: 'year' }, owningOrganisationId: org, visibility: 'private', summaryPublic: { es: `caso ${i}`, en: `case ${i}` } });
    const intake = (i: number) => ({
      victim: { name: `Persona ${i}` },
      reporter: { name: `Familia ${i}`, relationship: 'madre', contact: `familia${i}@example.net` },
      last_seen: { date: '2024-01-15', state: '30' },
      ransom_demanded: false,
      consent: { share_with: ['documenting_organisation'] },
    });
    const writes: Promise<Response>[] = [];
    for (let i = 0; i < 10; i++) {
      const [server, token] = i % 2 === 0 ? [a, tokens[0]] : [b, tokens[1]];
      writes.push(post(server, '/api/v1/cases', kase(i), token), post(server, '/api/v1/cases', kase(i + 100), token), post(server, '/api/v1/intake/migrant-kidnapping', intake(i)));
    }
    const answers = await Promise.all(writes.map(async (w) => {
      const res = await w;
      return { status: res.status, body: (await res.json()) as { id?: number } };
    }));
    expect(answers.map((x) => x.status)).toEqual(Array.from({ length: 30 }, () => 201));
    const ids = answers.filter((x) => x.body.id !== undefined).map((x) => x.body.id);
    expect(new Set(ids).size).toBe(20);

    const verdict = await run('audit', 'verify');
    expect(verdict.code, verdict.stdout).toBe(0);
    // 1 organisation + 2 users + 2 sign-ins + 20 cases × (create, assign) + 10 reports × (submit, victim, reporter).
    expect(verdict.stdout).toContain('audit chain intact: 75 entries');
  });

  it('a lockout set through one process holds on the other', async () => {
    const [a, b] = servers as [Server, Server];
    for (let i = 0; i < 5; i++) expect((await signIn(a, 'lock@two.example', 'a wrong password')).status).toBe(401);
    // The right password, on the other process: refused, because the account is locked in the shared store.
    expect((await signIn(b, 'lock@two.example')).status).toBe(401);
    expect((await signIn(a, 'lock@two.example')).status).toBe(401);
    const verdict = await run('audit', 'verify');
    expect(verdict.code, verdict.stdout).toBe(0);
  });

  it('the per-address sign-in limit is shared: attempts through one process count on the other', async () => {
    const [a, b] = servers as [Server, Server];
    // 7 failed sign-ins so far from this address (5 above, 2 for the locked account); the limit is 20 per window.
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await signIn(i % 2 === 0 ? a : b, `nobody${i}@two.example`, 'a wrong password')).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect((await signIn(a, 'nobody@two.example', 'a wrong password')).status).toBe(429);
    expect((await signIn(b, 'nobody@two.example', 'a wrong password')).status).toBe(429);
  });
});
