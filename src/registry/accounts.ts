import { z } from 'zod';
import { RequestError, UserRole } from '../domain/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { ForbiddenError, OPERATOR_USER_ID, actorOf, enforce, iso, nextId, nowOf, ready, requireUser } from './context.js';
import type { RegistryBase } from './context.js';
import { CryptoError, hashPassword } from './crypto.js';
import type { Principal } from './policy.js';

// Organisations and users.

const OrganisationName = z.string().trim().min(2).max(200);

export interface Organisation {
  readonly id: string;
  readonly name: string;
}

export async function createOrganisation(ctx: RegistryBase, principal: Principal, name: string): Promise<Organisation> {
  await ready(ctx);
  enforce(principal, 'user.manage');
  const clean = OrganisationName.parse(name);
  const at = nowOf(ctx);
  return registryWrite(ctx.store, async (tx) => {
    const existing = await tx.all('SELECT id FROM organisation WHERE name = ?', [clean]);
    if (existing.length > 0) throw new RequestError('bad_request', `an organisation named "${clean}" already exists`);
    const id = `org-${await nextId(tx, 'registry_organisation_seq')}`;
    await tx.run('INSERT INTO organisation (id, name, created_by, created_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))', [id, clean, actorOf(principal), iso(at)]);
    await audit(tx, at, actorOf(principal), 'organisation.create', `organisation:${id}`);
    return { id, name: clean };
  });
}

export const NewUser = z.strictObject({
  email: z.email().max(320).transform((e) => e.toLowerCase()),
  role: UserRole,
  organisationId: z.string().trim().min(1).max(100),
  // hashPassword states the real bounds (MIN/MAX_PASSWORD_LENGTH characters); this only bounds what is read.
  password: z.string().max(4096),
});
export type NewUser = z.input<typeof NewUser>;

export interface User {
  readonly id: string;
  readonly email: string;
  readonly role: UserRole;
  readonly organisationId: string;
}

/** Admins create users in their own organisation; the operator (command line) in any. */
export async function createUser(ctx: RegistryBase, principal: Principal, input: NewUser): Promise<User> {
  await ready(ctx);
  enforce(principal, 'user.manage');
  const user = NewUser.parse(input);
  const admin = requireUser(principal);
  if (admin.userId !== OPERATOR_USER_ID && admin.organisationId !== user.organisationId) {
    throw new ForbiddenError('admins create users only in their own organisation');
  }
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(user.password);
  } catch (error) {
    if (error instanceof CryptoError) throw new RequestError('bad_request', error.message);
    throw error;
  }
  const at = nowOf(ctx);
  return registryWrite(ctx.store, async (tx) => {
    const orgs = await tx.all('SELECT id FROM organisation WHERE id = ?', [user.organisationId]);
    if (orgs.length === 0) throw new RequestError('bad_request', `no organisation ${user.organisationId}`, { organisationId: user.organisationId });
    const taken = await tx.all('SELECT id FROM app_user WHERE email = ?', [user.email]);
    if (taken.length > 0) throw new RequestError('bad_request', 'a user with this email already exists');
    const id = `user-${await nextId(tx, 'registry_user_seq')}`;
    await tx.run(
      `INSERT INTO app_user (id, email, password_hash, role, organisation_id, failed_logins, locked_until, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, 0, NULL, ?, CAST(? AS TIMESTAMPTZ))`,
      [id, user.email, passwordHash, user.role, user.organisationId, actorOf(principal), iso(at)],
    );
    // The email stays out of the audit: the user id is enough to follow what they did.
    await audit(tx, at, actorOf(principal), 'user.create', `user:${id}`, { role: user.role, organisation: user.organisationId });
    return { id, email: user.email, role: user.role, organisationId: user.organisationId };
  });
}
