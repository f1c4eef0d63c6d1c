import { UserRole } from '../domain/index.js';
import { appendAudit as audit } from './audit-log.js';
import { actorOf, iso, LOGIN_LOCK_MINUTES, LOGIN_MAX_FAILURES, nowOf, ready, SESSION_HOURS } from './context.js';
import type { RegistryBase } from './context.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './crypto.js';
import type { Principal } from './policy.js';

// Sign-in, sessions and sign-out.

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly expiresAt: string; readonly userId: string }
  /** `locked` and `invalid` must reach the client as the same answer, or the difference tells which accounts exist. */
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' };

let dummyHash: Promise<string> | null = null;
/** A hash to check unknown emails against, so that they take as long as known ones. */
const dummy = () => (dummyHash ??= hashPassword(newToken()));

/**
 * Password sign-in. After LOGIN_MAX_FAILURES failures in a row the account refuses every password, the right one
 * included, for LOGIN_LOCK_MINUTES. A success returns a bearer token valid SESSION_HOURS, stored only as its SHA-256.
 */
export async function login(ctx: RegistryBase, email: string, password: string): Promise<LoginResult> {
  await ready(ctx);
  const [user] = await ctx.store.all<{ id: string; password_hash: string; locked_until: string | null }>(
    'SELECT id, password_hash, locked_until FROM app_user WHERE email = ?',
    [email.trim().toLowerCase()],
  );
  if (!user) {
    await verifyPassword(password, await dummy()).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  const started = nowOf(ctx);
  if (user.locked_until !== null && Date.parse(user.locked_until) > started.getTime()) return { ok: false, reason: 'locked' };
  const good = await verifyPassword(password, user.password_hash).catch(() => false);
  const at = nowOf(ctx);
  if (!good) {
    return ctx.store.write(async (tx) => {
      await tx.run('UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = ?', [user.id]);
      const [row] = await tx.all<{ failed_logins: number }>('SELECT failed_logins FROM app_user WHERE id = ?', [user.id]);
      const failures = Number(row?.failed_logins ?? 0);
      const lock = failures >= LOGIN_MAX_FAILURES;
      if (lock) {
        const until = new Date(at.getTime() + LOGIN_LOCK_MINUTES * 60_000);
        await tx.run('UPDATE app_user SET failed_logins = 0, locked_until = CAST(? AS TIMESTAMPTZ) WHERE id = ?', [iso(until), user.id]);
      }
      await audit(tx, at, 'anonymous', lock ? 'auth.lockout' : 'auth.login-failed', `user:${user.id}`, { failures });
      return { ok: false, reason: lock ? 'locked' : 'invalid' } as const;
    });
  }
  const token = newToken();
  const expiresAt = iso(new Date(at.getTime() + SESSION_HOURS * 3_600_000));
  await ctx.store.write(async (tx) => {
    await tx.run('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?', [user.id]);
    await tx.run(
      'INSERT INTO user_session (token_sha256, user_id, created_at, expires_at, revoked) VALUES (?, ?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), FALSE)',
      [hashToken(token), user.id, iso(at), expiresAt],
    );
    await audit(tx, at, user.id, 'auth.login', `user:${user.id}`);
  });
  return { ok: true, token, expiresAt, userId: user.id };
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
  await ctx.store.write(async (tx) => {
    await tx.run('UPDATE user_session SET revoked = TRUE WHERE token_sha256 = ?', [hashToken(token)]);
    await audit(tx, at, actorOf(principal), 'auth.logout', `user:${actorOf(principal)}`);
  });
  return true;
}
