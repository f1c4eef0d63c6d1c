import { createHash, randomBytes } from 'node:crypto';
import { isoSecond } from '../analytics/index.js';
import { TokenRole } from '../domain/index.js';
import type { ReadTx, Store } from '../store/index.js';

export interface CreatedToken {
  readonly id: number;
  readonly name: string;
  readonly role: TokenRole;
  /** Shown once; only its SHA-256 is stored. */
  readonly token: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * A token for the evidence routes and commands: editors submit entries (pending until reviewed), reviewers approve or
 * reject other people's entries (and may submit), admins do both. Tokens made before roles existed are admins.
 */
export async function createToken(store: Store, name: string, role: TokenRole = 'admin'): Promise<CreatedToken> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw new Error('a token needs a name of 1 to 100 characters (who or what uses it)');
  const parsedRole = TokenRole.safeParse(role);
  if (!parsedRole.success) throw new Error(`a token's role is one of ${TokenRole.options.join(', ')}, not "${String(role)}"`);
  const token = `obs_${randomBytes(32).toString('base64url')}`;
  const id = await store.write(async (tx) => {
    const [row] = await tx.all<{ id: number }>(`SELECT nextval('api_token_id_seq')::INTEGER AS id`);
    const next = Number(row?.id);
    await tx.run(`INSERT INTO api_token VALUES (?, ?, ?, ?, now(), NULL)`, [next, trimmed, parsedRole.data, sha256(token)]);
    return next;
  });
  return { id, name: trimmed, role: parsedRole.data, token };
}

export async function revokeToken(store: Store, id: number): Promise<boolean> {
  return store.write(async (tx) => {
    const rows = await tx.all(`SELECT id FROM api_token WHERE id = ? AND revoked_at IS NULL`, [id]);
    if (rows.length === 0) return false;
    await tx.run(`UPDATE api_token SET revoked_at = now() WHERE id = ?`, [id]);
    return true;
  });
}

export interface TokenInfo {
  readonly id: number;
  readonly name: string;
  readonly role: string;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

export async function listTokens(tx: ReadTx): Promise<TokenInfo[]> {
  const rows = await tx.all<TokenInfo & Record<string, unknown>>(`SELECT id, name, role, created_at, revoked_at FROM api_token ORDER BY id`);
  return rows.map((r) => ({ ...r, id: Number(r.id), created_at: isoSecond(r.created_at), revoked_at: r.revoked_at === null || r.revoked_at === undefined ? null : isoSecond(r.revoked_at) }));
}

/** Who holds a token: what the ledger records as submitter or reviewer. */
export interface TokenHolder {
  readonly id: number;
  readonly name: string;
  readonly role: TokenRole;
}

/** The token's holder, or null for an unknown or revoked token. */
export async function verifyToken(tx: ReadTx, token: string): Promise<TokenHolder | null> {
  if (!/^obs_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await tx.all<{ id: number; name: string; role: string }>(
    `SELECT id, name, role FROM api_token WHERE token_sha256 = ? AND revoked_at IS NULL`, [sha256(token)],
  );
  const role = TokenRole.safeParse(row?.role);
  return row && role.success ? { id: Number(row.id), name: row.name, role: role.data } : null;
}
