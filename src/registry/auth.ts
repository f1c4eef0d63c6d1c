import { UserRole } from '../domain/index.js';
import type { WriteTx } from '../store/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { actorOf, iso, LOGIN_LOCK_MINUTES, LOGIN_MAX_FAILURES, nowOf, ready, SESSION_HOURS } from './context.js';
import type { RegistryBase } from './context.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './crypto.js';
import { Gate, GateFullError } from './gate.js';
import { hitLimit, refundLimit } from './limits.js';
import type { Principal } from './policy.js';

/*
 * Sign-in, sessions and sign-out. The policy (docs/architecture.md, "Sign-in"):
 * - Every answer costs one scrypt verification: unknown emails are checked against a dummy hash, locked accounts
 *   against their own hash (the result ignored), so the time of an answer tells nothing about the account.
 * - Per process, first: at most 2 sign-ins are checked at once and 16 wait (a Gate), at most 3 of them from one
 *   address, known devices first; beyond that, 429 at once, before any store write or hashing.
 * - Per address: at most LOGIN_ATTEMPTS_PER_ADDRESS attempts per window across all emails, counted in the store
 *   (shared by every server process) before any hashing; successes are given back. Over it: 429, no hashing.
 * - Per account: every attempt is counted (atomically, a row-locking UPDATE) before its verdict; an attempt counted
 *   past LOGIN_MAX_FAILURES locks the account for LOGIN_LOCK_MINUTES, and a right password whose verdict arrives
 *   while the account is locked is refused. So parallel guesses cannot outrun the counter.
 * - Known devices: a successful sign-in gives a device token (kept by the client, stored as its SHA-256). Presented
 *   with the next sign-in, it is counted on its own (LOGIN_MAX_FAILURES failures revoke it) instead of on the
 *   account, so strangers who lock the account do not lock out its owner on a device they signed in from before.
 */

export const LOGIN_ATTEMPTS_PER_ADDRESS = 20;
export const LOGIN_ADDRESS_WINDOW_MS = 10 * 60_000;
export const DEVICE_DAYS = 90;

/** The process's bound on concurrent password hashing (scrypt uses libuv's 4-thread pool): 2 run, 16 wait, 3 per address. */
export const LOGIN_GATE = new Gate(2, 16, 3);

export interface LoginOptions {
  /** The device token from an earlier successful sign-in on this device. */
  readonly deviceToken?: string;
  /** The client's address: attempts are limited per address across emails. Without it, no address limit. */
  readonly address?: string;
  /** Attempts allowed per address per window (default LOGIN_ATTEMPTS_PER_ADDRESS). */
  readonly attemptsPerAddress?: number;
  /** The hashing gate (default LOGIN_GATE). */
  readonly gate?: Gate;
}

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly expiresAt: string; readonly userId: string; readonly deviceToken: string }
  /** `locked` and `invalid` must reach the client as the same answer, or the difference tells which accounts exist. */
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' }
  /** Refused before any hashing: too many attempts from this address, or too many sign-ins being checked right now. */
  | { readonly ok: false; readonly reason: 'rate-limited' | 'busy'; readonly retryAfterSeconds: number };

let dummyHash: Promise<string> | null = null;
/** A hash to check unknown emails against, so that they take as long as known ones. */
const dummy = () => (dummyHash ??= hashPassword(newToken()));

interface Attempt {
  /** The account refuses this attempt whatever the password (locked, or counted past the limit). */
  readonly refused: boolean;
  /** This attempt set the lock. */
  readonly lockedNow: boolean;
  /** Counted on a known device instead of the account. */
  readonly device: boolean;
  readonly failures: number;
}

const lockedAt = (lockedUntil: string | null, at: Date) => lockedUntil !== null && Date.parse(lockedUntil) > at.getTime();

/** Counts the attempt before its verdict: on the known device when one is presented, else on the account. */
async function countAttempt(tx: WriteTx, userId: string, deviceHash: string | null, at: Date): Promise<Attempt> {
  if (deviceHash !== null) {
    const [device] = await tx.all<{ failures: number }>(
      `UPDATE login_device SET failures = failures + 1 WHERE token_sha256 = ? AND user_id = ? AND revoked = FALSE AND last_used_at > CAST(? AS TIMESTAMPTZ)
       RETURNING failures`,
      [deviceHash, userId, iso(new Date(at.getTime() - DEVICE_DAYS * 86_400_000))],
    );
    if (device) {
      const failures = Number(device.failures);
      if (failures <= LOGIN_MAX_FAILURES) return { refused: false, lockedNow: false, device: true, failures };
      // Too many failures on this device: it is revoked, and this attempt counts on the account like any other.
      await tx.run('UPDATE login_device SET revoked = TRUE WHERE token_sha256 = ?', [deviceHash]);
    }
  }
  // An unknown email runs the same statement (matching no row), so that both take the same path through the store.
  const [row] = await tx.all<{ failed_logins: number; locked_until: string | null }>(
    `UPDATE app_user SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until > CAST(? AS TIMESTAMPTZ) THEN failed_logins ELSE failed_logins + 1 END
     WHERE id = ? RETURNING failed_logins, locked_until`,
    [iso(at), userId],
  );
  if (!row) return { refused: true, lockedNow: false, device: false, failures: 0 };
  if (lockedAt(row.locked_until, at)) return { refused: true, lockedNow: false, device: false, failures: Number(row.failed_logins) };
  const failures = Number(row.failed_logins);
  if (failures <= LOGIN_MAX_FAILURES) return { refused: false, lockedNow: false, device: false, failures };
  await lock(tx, userId, at);
  return { refused: true, lockedNow: true, device: false, failures };
}

async function lock(tx: WriteTx, userId: string, at: Date): Promise<void> {
  const until = new Date(at.getTime() + LOGIN_LOCK_MINUTES * 60_000);
  await tx.run('UPDATE app_user SET failed_logins = 0, locked_until = CAST(? AS TIMESTAMPTZ) WHERE id = ?', [iso(until), userId]);
}

/**
 * Password sign-in (policy above). A success returns a bearer token valid SESSION_HOURS, stored only as its SHA-256,
 * and the device token to present next time.
 */
export async function login(ctx: RegistryBase, email: string, password: string, options: LoginOptions = {}): Promise<LoginResult> {
  await ready(ctx);
  // A sign-in from a device that signed in before waits in the priority lane (a cheap read, before anything else).
  const priority = options.deviceToken !== undefined && (await knownDevice(ctx, email, options.deviceToken));
  const ticket = { priority, ...(options.address === undefined ? {} : { key: options.address }) };
  try {
    // The gate comes first: a request it has no place for costs nothing (no write, no hashing) and is not counted.
    return await (options.gate ?? LOGIN_GATE).run(async (): Promise<LoginResult> => {
      const bucket = options.address === undefined ? null : `login:${options.address}`;
      let windowStart: number | null = null;
      if (bucket !== null) {
        const hit = await hitLimit(ctx.store, bucket, options.attemptsPerAddress ?? LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_ADDRESS_WINDOW_MS, nowOf(ctx).getTime());
        if (!hit.allowed) return { ok: false, reason: 'rate-limited', retryAfterSeconds: hit.retryAfterSeconds };
        windowStart = hit.windowStart;
      }
      const result = await check(ctx, email, password, options.deviceToken);
      // A success is not held against the address.
      if (bucket !== null && windowStart !== null && result.ok) await refundLimit(ctx.store, bucket, windowStart);
      return result;
    }, ticket);
  } catch (error) {
    if (!(error instanceof GateFullError)) throw error;
    return { ok: false, reason: 'busy', retryAfterSeconds: 1 };
  }
}

async function knownDevice(ctx: RegistryBase, email: string, deviceToken: string): Promise<boolean> {
  if (deviceToken.length > 200) return false;
  const rows = await ctx.store.all(
    `SELECT 1 AS known FROM login_device d JOIN app_user u ON u.id = d.user_id
     WHERE d.token_sha256 = ? AND u.email = ? AND d.revoked = FALSE AND d.last_used_at > CAST(? AS TIMESTAMPTZ)`,
    [hashToken(deviceToken), email.trim().toLowerCase(), iso(new Date(nowOf(ctx).getTime() - DEVICE_DAYS * 86_400_000))],
  );
  return rows.length > 0;
}

async function check(ctx: RegistryBase, email: string, password: string, deviceToken: string | undefined): Promise<LoginResult> {
  const [user] = await ctx.store.all<{ id: string; password_hash: string }>('SELECT id, password_hash FROM app_user WHERE email = ?', [email.trim().toLowerCase()]);
  const deviceHash = deviceToken && deviceToken.length <= 200 ? hashToken(deviceToken) : null;
  const attempt = await ctx.store.write((tx) => countAttempt(tx, user?.id ?? '', deviceHash, nowOf(ctx)));
  // Exactly one verification whatever happened above.
  const good = (await verifyPassword(password, user?.password_hash ?? (await dummy())).catch(() => false)) && user !== undefined && !attempt.refused;
  const at = nowOf(ctx);
  // The same second transaction as a known account's failure (the audit lock), without an entry naming nobody.
  if (!user) return registryWrite(ctx.store, async () => ({ ok: false, reason: 'invalid' }) as const);
  if (!good) {
    return registryWrite(ctx.store, async (tx) => {
      let locked = attempt.refused && !attempt.device;
      let lockedNow = attempt.lockedNow;
      if (!attempt.refused && !attempt.device) {
        // The failure that reaches the limit locks the account (unless a parallel attempt already did).
        const [row] = await tx.all<{ failed_logins: number; locked_until: string | null }>(
          'UPDATE app_user SET failed_logins = failed_logins WHERE id = ? RETURNING failed_logins, locked_until',
          [user.id],
        );
        locked = lockedAt(row?.locked_until ?? null, at);
        if (!locked && Number(row?.failed_logins ?? 0) >= LOGIN_MAX_FAILURES) {
          await lock(tx, user.id, at);
          locked = lockedNow = true;
        }
      }
      const detail = { failures: attempt.failures, ...(attempt.device ? { device: 'known' } : {}) };
      await audit(tx, at, 'anonymous', lockedNow ? 'auth.lockout' : 'auth.login-failed', `user:${user.id}`, detail);
      return { ok: false, reason: locked ? 'locked' : 'invalid' } as const;
    });
  }
  const token = newToken();
  const expiresAt = iso(new Date(at.getTime() + SESSION_HOURS * 3_600_000));
  return registryWrite(ctx.store, async (tx) => {
    if (attempt.device && deviceHash !== null) {
      await tx.run('UPDATE login_device SET failures = 0, last_used_at = CAST(? AS TIMESTAMPTZ) WHERE token_sha256 = ?', [iso(at), deviceHash]);
    } else {
      // The verdict came after the check: if parallel failures locked the account meanwhile, the success is refused.
      const [row] = await tx.all<{ locked_until: string | null }>('UPDATE app_user SET failed_logins = failed_logins WHERE id = ? RETURNING locked_until', [user.id]);
      if (lockedAt(row?.locked_until ?? null, at)) {
        await audit(tx, at, 'anonymous', 'auth.login-failed', `user:${user.id}`, { failures: attempt.failures, locked: true });
        return { ok: false, reason: 'locked' } as const;
      }
      await tx.run('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?', [user.id]);
    }
    const device = attempt.device && deviceToken !== undefined ? deviceToken : newToken();
    if (!attempt.device) {
      // Expired and revoked devices of this user go when a new one comes (clients that never keep the token add one per sign-in).
      await tx.run('DELETE FROM login_device WHERE user_id = ? AND (revoked = TRUE OR last_used_at <= CAST(? AS TIMESTAMPTZ))', [
        user.id,
        iso(new Date(at.getTime() - DEVICE_DAYS * 86_400_000)),
      ]);
      await tx.run(
        `INSERT INTO login_device (token_sha256, user_id, failures, created_at, last_used_at, revoked) VALUES (?, ?, 0, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), FALSE)`,
        [hashToken(device), user.id, iso(at), iso(at)],
      );
    }
    await tx.run(
      'INSERT INTO user_session (token_sha256, user_id, created_at, expires_at, revoked) VALUES (?, ?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), FALSE)',
      [hashToken(token), user.id, iso(at), expiresAt],
    );
    await audit(tx, at, user.id, 'auth.login', `user:${user.id}`, { device: attempt.device ? 'known' : 'new' });
    return { ok: true, token, expiresAt, userId: user.id, deviceToken: device } as const;
  });
}

/** The principal holding a session token, or null when it is unknown, revoked or expired. */
export async function principalFromToken(ctx: RegistryBase, token: string, breakGlassReason?: string): Promise<Principal | null> {
  await ready(ctx);
  if (token.length === 0 || token.length > 200) return null;
  const [row] = await ctx.store.all<{ user_id: string; role: string; organisation_id: string }>(
    `SELECT u.id AS user_id, u.role, u.organisation_id FROM user_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.token_sha256 = ? AND s.revoked = FALSE AND s.expires_at > CAST(? AS TIMESTAMPTZ)`,
    [hashToken(token), iso(nowOf(ctx))],
  );
  if (!row) return null;
  const role = UserRole.parse(row.role);
  const reason = breakGlassReason?.trim();
  return { kind: 'user', userId: row.user_id, role, organisationId: row.organisation_id, ...(reason ? { breakGlass: { reason } } : {}) };
}

/** Ends a session (sign-out). */
export async function revokeSession(ctx: RegistryBase, token: string): Promise<boolean> {
  await ready(ctx);
  const principal = await principalFromToken(ctx, token);
  if (!principal) return false;
  const at = nowOf(ctx);
  await registryWrite(ctx.store, async (tx) => {
    await tx.run('UPDATE user_session SET revoked = TRUE WHERE token_sha256 = ?', [hashToken(token)]);
    await audit(tx, at, actorOf(principal), 'auth.logout', `user:${actorOf(principal)}`);
  });
  return true;
}
