import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStore, type TestStore } from '../test-support/any-store.js';
import {
  Gate,
  LOGIN_MAX_FAILURES,
  OPERATOR_PRINCIPAL,
  createOrganisation,
  createUser,
  login,
  loadMasterKey,
  passwordVerifications,
  verifyAudit,
  type LoginResult,
  type RegistryContext,
} from './index.js';

process.env['OBSERVA_MASTER_KEY'] = randomBytes(32).toString('base64');

const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';

let temp: TestStore;
let ctx: RegistryContext;
let clock = new Date('2025-03-01T10:00:00.000Z');
let orgId: string;
let n = 0;

/** A fresh account for each test, so that lockouts do not leak between them. */
async function account(): Promise<string> {
  const email = `user${++n}@login.example`;
  await createUser(ctx, OPERATOR_PRINCIPAL, { email, role: 'reviewer', organisationId: orgId, password: PASSWORD });
  return email;
}

beforeAll(async () => {
  temp = await testStore();
  ctx = { store: temp.store, masterKey: loadMasterKey(), now: () => clock };
  orgId = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Login organisation')).id;
});
afterAll(async () => {
  await temp.cleanup();
});

describe('the lockout under parallel guesses', () => {
  it('40 parallel wrong guesses plus the right password give no session, and the account ends locked', async () => {
    const email = await account();
    // The gate is wide enough to let every attempt through at once: the race is between the attempts, not the gate.
    const gate = new Gate(64, 64);
    const attempts: Promise<LoginResult>[] = [];
    for (let i = 0; i < 40; i++) attempts.push(login(ctx, email, `${WRONG} ${i}`, { address: `192.0.2.${i % 4}`, gate }));
    attempts.push(login(ctx, email, PASSWORD, { address: '192.0.2.99', gate }));
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.every((r) => !r.ok && (r.reason === 'invalid' || r.reason === 'locked'))).toBe(true);
    // Only the first LOGIN_MAX_FAILURES attempts were judged at all; the account is locked now, the right password included.
    expect(results.filter((r) => !r.ok && r.reason === 'invalid').length).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    expect(await login(ctx, email, PASSWORD)).toEqual({ ok: false, reason: 'locked' });
    expect((await verifyAudit(temp.store)).ok).toBe(true);
  });

  it('a right password whose attempt was counted in time still loses to a lock set while it was being checked', async () => {
    const email = await account();
    const gate = new Gate(64, 64);
    // Four failures first: the right password is the fifth attempt (allowed), the wrong ones after it lock the account.
    for (let i = 0; i < 4; i++) expect(await login(ctx, email, WRONG, { gate })).toEqual({ ok: false, reason: 'invalid' });
    const right = login(ctx, email, PASSWORD, { gate });
    const wrong = Array.from({ length: 8 }, () => login(ctx, email, WRONG, { gate }));
    const [result] = await Promise.all([right, ...wrong]);
    // Either the right password was judged after the lock (refused), or before any sixth attempt was counted (allowed):
    // the sixth attempt is counted before any verdict, so the lock is always there first.
    expect(result).toEqual({ ok: false, reason: 'locked' });
  });
});

describe('every answer costs the same work', () => {
  it('unknown email, wrong password, locked account and right password each run exactly one scrypt verification', async () => {
    const email = await account();
    const cost = async (work: () => Promise<LoginResult>) => {
      const before = passwordVerifications();
      const result = await work();
      return { result, verifications: passwordVerifications() - before };
    };
    expect(await cost(() => login(ctx, 'nobody-at-all@login.example', PASSWORD))).toEqual({ result: { ok: false, reason: 'invalid' }, verifications: 1 });
    expect(await cost(() => login(ctx, email, WRONG))).toEqual({ result: { ok: false, reason: 'invalid' }, verifications: 1 });
    for (let i = 1; i < LOGIN_MAX_FAILURES; i++) await login(ctx, email, WRONG);
    expect(await cost(() => login(ctx, email, PASSWORD))).toEqual({ result: { ok: false, reason: 'locked' }, verifications: 1 });
    expect(await cost(() => login(ctx, email, WRONG))).toEqual({ result: { ok: false, reason: 'locked' }, verifications: 1 });
    expect(await cost(() => login(ctx, email, 'x'.repeat(5000)))).toEqual({ result: { ok: false, reason: 'locked' }, verifications: 1 });
    const fresh = await account();
    const ok = await cost(() => login(ctx, fresh, PASSWORD));
    expect(ok.result.ok).toBe(true);
    expect(ok.verifications).toBe(1);
  });
});

describe('strangers cannot lock the owner out', () => {
  it('a known device signs in while the account is locked; its own failures revoke it', async () => {
    const email = await account();
    const first = await login(ctx, email, PASSWORD);
    if (!first.ok) throw new Error('the first sign-in failed');
    // Strangers lock the account.
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) await login(ctx, email, WRONG, { address: '203.0.113.66' });
    expect(await login(ctx, email, PASSWORD)).toEqual({ ok: false, reason: 'locked' });
    // The owner, on the device they used before, is let in; the device token stays the same.
    const owner = await login(ctx, email, PASSWORD, { deviceToken: first.deviceToken });
    expect(owner).toMatchObject({ ok: true, deviceToken: first.deviceToken });
    // The lock holds for everyone else.
    expect(await login(ctx, email, PASSWORD)).toEqual({ ok: false, reason: 'locked' });
    // A forged device token counts on the account, like no token.
    expect(await login(ctx, email, PASSWORD, { deviceToken: 'forged-device-token' })).toEqual({ ok: false, reason: 'locked' });
    // Someone holding the device token gets LOGIN_MAX_FAILURES guesses, then the token is revoked.
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await login(ctx, email, WRONG, { deviceToken: first.deviceToken })).ok).toBe(false);
    expect(await login(ctx, email, PASSWORD, { deviceToken: first.deviceToken })).toEqual({ ok: false, reason: 'locked' });
    // After the lock, the right password works again (and gives a new device token).
    clock = new Date(clock.getTime() + 16 * 60_000);
    const later = await login(ctx, email, PASSWORD, { deviceToken: first.deviceToken });
    expect(later.ok).toBe(true);
    if (later.ok) expect(later.deviceToken).not.toBe(first.deviceToken);
  });

  it('per address: attempts across emails are limited before any hashing; a success is given back', async () => {
    const email = await account();
    const before = passwordVerifications();
    const results: LoginResult[] = [];
    for (let i = 0; i < 4; i++) results.push(await login(ctx, `random${i}@login.example`, WRONG, { address: '198.51.100.20', attemptsPerAddress: 3 }));
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['invalid', 'invalid', 'invalid', 'rate-limited']);
    expect(passwordVerifications() - before).toBe(3);
    // Another address is not affected, and its successes do not use up its allowance.
    for (let i = 0; i < 5; i++) expect((await login(ctx, email, PASSWORD, { address: '198.51.100.21', attemptsPerAddress: 3 })).ok).toBe(true);
  });

  it('a full hashing gate answers busy at once, without hashing', async () => {
    const email = await account();
    const gate = new Gate(1, 1);
    const before = passwordVerifications();
    const results = await Promise.all(Array.from({ length: 6 }, () => login(ctx, email, PASSWORD, { gate })));
    const busy = results.filter((r) => !r.ok && r.reason === 'busy').length;
    expect(busy).toBeGreaterThan(0);
    expect(gate.refused).toBe(busy);
    expect(passwordVerifications() - before).toBe(results.length - busy);
  });
});
