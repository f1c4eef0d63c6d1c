import { RequestError } from '../domain/index.js';
import type { ConsentRecipient } from '../domain/index.js';
import type { ReadTx, Store } from '../store/index.js';
import { decide } from './policy.js';
import type { Action, Principal, RecordContext } from './policy.js';
import { registrySchemaReady } from './schema.js';

/*
 * What every module of the repository shares: the context (store, master key, clock, intake configuration), the
 * operator principal, the policy check and small helpers. The modules (accounts, auth, cases, persons, events,
 * case-reading, public-funnel, intake, case-import, audit-log) are the only code that touches the registry tables.
 * Every function that acts for someone takes their Principal and Every function that acts for someone takes their Principal and
 * asks `decide` (deny by default); every write, every read of personal fields and every break-glass writes a
 * hash-chained audit entry in the same transaction as the change (or before the data leaves), and the audit never
 * holds personal data: it says which fields were read, not what they said.
 */

export interface RegistryContext {
  readonly store: Store;
  /** From loadMasterKey(); wraps each person's data key. */
  readonly masterKey: Buffer;
  /** The organisation that owns cases sent through the public intake form; without it the form is closed. */
  readonly intakeOrganisationId?: string;
  /** Organisations standing for the consent recipients beyond the documenting organisation; a configured one is shared the case. */
  readonly intakeRecipientOrganisations?: Partial<Record<Exclude<ConsentRecipient, 'documenting_organisation'>, string>>;
  /** The clock (tests move it); defaults to the system clock. */
  readonly now?: () => Date;
}

/** What user, organisation and session work needs: no master key. */
export type RegistryBase = Pick<RegistryContext, 'store' | 'now'>;

/** The policy said no. Routes answer 403 with the reason. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/**
 * Whoever runs the command line holds the store file and the master key, so they administer users and organisations.
 * Its organisation is empty, which the policy never matches: the operator cannot read any case.
 */
export const OPERATOR_USER_ID = 'operator';
export const OPERATOR_PRINCIPAL: Principal = { kind: 'user', userId: OPERATOR_USER_ID, role: 'admin', organisationId: '' };

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_MINUTES = 15;
export const SESSION_HOURS = 12;
export const INTAKE_ACTOR = 'intake-form';

// Small helpers.

export const nowOf = (ctx: RegistryBase) => (ctx.now ? ctx.now() : new Date());
export const iso = (d: Date) => d.toISOString();
export const actorOf = (p: Principal) => (p.kind === 'user' ? p.userId : 'anonymous');

export function requireUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') throw new RequestError('unauthorized', 'sign in first');
  return principal;
}

export function enforce(principal: Principal, action: Action, record?: RecordContext): void {
  const decision = decide(principal, action, record);
  if (!decision.allow) throw new ForbiddenError(decision.reason);
}

export async function ready(ctx: RegistryBase): Promise<void> {
  await registrySchemaReady(ctx.store);
}

export async function nextId(tx: ReadTx, sequence: string): Promise<number> {
  const [row] = await tx.all<{ id: number }>(`SELECT nextval('${sequence}') AS id`);
  if (!row) throw new Error(`sequence ${sequence} gave no value`);
  return Number(row.id);
}

export function parseJsonArray(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

/** Groups items by a numeric key (a case id). */
export function groupBy<T, V>(items: readonly T[], key: (item: T) => number, value: (item: T) => V): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const item of items) {
    const list = map.get(key(item)) ?? [];
    list.push(value(item));
    map.set(key(item), list);
  }
  return map;
}
