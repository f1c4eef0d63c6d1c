import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import type { PersonalField } from '../domain/index.js';

/*
 * Envelope encryption: each person has a data key (DEK) that seals their personal fields; the DEK is stored wrapped
 * by the master key. Deleting a person's wrapped DEK erases their personal data everywhere it was copied (backups
 * included) without rewriting any row: "crypto-shredding".
 */

export const MASTER_KEY_ENV = 'OBSERVA_MASTER_KEY';
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;
const SEALED_VERSION = 'v1';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
}

/** The 32-byte master key from `OBSERVA_MASTER_KEY` (base64). The error never echoes the value. */
export function loadMasterKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env[MASTER_KEY_ENV]?.trim();
  const howTo = `generate one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`;
  if (!raw) throw new CryptoError(`${MASTER_KEY_ENV} is not set: it must hold the base64 encoding of exactly 32 random bytes; ${howTo}`);
  const key = Buffer.from(raw, 'base64');
  // Buffer.from skips characters that are not base64, so re-encode to catch a mangled value.
  if (key.toString('base64') !== raw || key.length !== KEY_BYTES) {
    throw new CryptoError(`${MASTER_KEY_ENV} must be the base64 encoding of exactly 32 bytes (it decodes to ${key.length} bytes or is not base64); ${howTo}`);
  }
  return key;
}

/** A fresh random 32-byte data key for one person. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new CryptoError(`${what} must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/** AES-256-GCM with a random IV, as `v1.<iv>.<tag>.<ciphertext>` (base64). */
function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [SEALED_VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
}

function open(key: Buffer, sealed: string, aad: string, what: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== SEALED_VERSION) throw new CryptoError(`${what} is not a ${SEALED_VERSION} sealed value`);
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new CryptoError(`${what} has a malformed IV or tag`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // One message for every cause, so the error says nothing useful to someone probing with forged values.
    throw new CryptoError(`${what} could not be decrypted: wrong key, moved to another record, or tampered with`);
  }
}

const dekAad = (personId: string) => `observa:dek:${personId}`;

/** The DEK sealed under the master key and bound to the person, so it cannot be swapped onto someone else. */
export function wrapKey(master: Buffer, dek: Buffer, personId: string): string {
  assertKey(master, 'the master key');
  assertKey(dek, 'a data key');
  return seal(master, dek, dekAad(personId));
}

export function unwrapKey(master: Buffer, wrapped: string, personId: string): Buffer {
  assertKey(master, 'the master key');
  const dek = open(master, wrapped, dekAad(personId), 'the wrapped data key');
  assertKey(dek, 'the unwrapped data key');
  return dek;
}

/**
 * The associated data that binds a sealed field to its person, field and record version: a ciphertext copied to
 * another person, another field or another version fails to decrypt. Read right to left it is unambiguous (field
 * names and versions hold no colon), whatever the person id.
 */
export function fieldAad(personId: string, field: PersonalField, version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new CryptoError(`version must be a positive integer, got ${version}`);
  return `${personId}:${field}:${version}`;
}

export function encryptField(dek: Buffer, plaintext: string, aad: string): string {
  assertKey(dek, 'a data key');
  return seal(dek, Buffer.from(plaintext, 'utf8'), aad);
}

export function decryptField(dek: Buffer, sealed: string, aad: string): string {
  assertKey(dek, 'a data key');
  return open(dek, sealed, aad, 'the field').toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords: scrypt is memory-hard, so guessing on GPUs costs memory as well as time.

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
export const MIN_PASSWORD_LENGTH = 12;
// Long passphrases are welcome; megabyte "passwords" are a denial of service.
const MAX_PASSWORD_LENGTH = 1024;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// NFC so that the same password typed on different keyboards (é precomposed or not) hashes the same (RFC 8265).
const normalise = (password: string) => password.normalize('NFC');

/** `scrypt$N$r$p$<salt b64>$<hash b64>`; refuses passwords shorter than 12 characters. */
export async function hashPassword(password: string): Promise<string> {
  const length = [...normalise(password)].length;
  if (length < MIN_PASSWORD_LENGTH) throw new CryptoError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${length})`);
  if (length > MAX_PASSWORD_LENGTH) throw new CryptoError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  const salt = randomBytes(SCRYPT.saltBytes);
  const hash = await scryptAsync(normalise(password), salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT_MAXMEM });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

let verifications = 0;
/** How many scrypt verifications this process has run (sign-in must cost the same for every kind of answer; tests count). */
export const passwordVerifications = (): number => verifications;

/** Whether `password` matches an encoding from hashPassword. Reads N, r, p from the encoding, within sane bounds. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  const [scheme, n, r, p, saltB64, hashB64] = parts;
  const [N, blockSize, parallel] = [Number(n), Number(r), Number(p)];
  const sane =
    parts.length === 6 &&
    scheme === 'scrypt' &&
    Number.isInteger(N) && N >= 2 ** 14 && N <= 2 ** 17 && (N & (N - 1)) === 0 &&
    Number.isInteger(blockSize) && blockSize >= 1 && blockSize <= 16 &&
    Number.isInteger(parallel) && parallel >= 1 && parallel <= 4;
  if (!sane || saltB64 === undefined || hashB64 === undefined) throw new CryptoError('not a scrypt password hash from hashPassword');
  const salt = Buffer.from(saltB64, 'base64');
  const expected = Buffer.from(hashB64, 'base64');
  if (salt.length < SCRYPT.saltBytes || expected.length !== SCRYPT.keyLength) throw new CryptoError('not a scrypt password hash from hashPassword');
  // An over-long password is hashed all the same (cut to the maximum) and then refused: the same time as any other.
  const tooLong = [...password].length > MAX_PASSWORD_LENGTH;
  verifications++;
  const actual = await scryptAsync(normalise(tooLong ? [...password].slice(0, MAX_PASSWORD_LENGTH).join('') : password), salt, expected.length, {
    N,
    r: blockSize,
    p: parallel,
    maxmem: Math.max(SCRYPT_MAXMEM, 256 * N * blockSize),
  });
  return timingSafeEqual(actual, expected) && !tooLong;
}

// ---------------------------------------------------------------------------------------------------------------
// Bearer tokens and receipt codes: random, shown once, stored only as their SHA-256.

/** 32 random bytes, base64url (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex. Enough for high-entropy secrets (tokens, receipt codes); never use it for passwords. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 32 symbols, so each is exactly 5 random bits; no 0/O or 1/I to misread. */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const RECEIPT_GROUPS = 4;
const RECEIPT_GROUP_LENGTH = 4;

/** A code a family can copy by hand, e.g. `K7QM-3XTB-WN9P-HD4R`: 16 symbols × 5 bits = 80 bits. */
export function newReceiptCode(): string {
  return receiptCodeOf(randomBytes(RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH));
}

/**
 * The receipt of a submission that carries an idempotency key (the form's hidden field): an HMAC under the master key,
 * so the same key always gives the same receipt (a reload or a double tap finds the case already made) and nobody
 * without the master key can tell one receipt from the key.
 */
export function receiptCodeForKey(masterKey: Buffer, idempotencyKey: string): string {
  return receiptCodeOf(createHmac('sha256', masterKey).update(`intake-receipt:${idempotencyKey}`, 'utf8').digest().subarray(0, RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH));
}

function receiptCodeOf(bytes: Uint8Array): string {
  // 256 is a multiple of 32, so taking the low 5 bits keeps every symbol equally likely.
  const symbols = [...bytes].map((b) => RECEIPT_ALPHABET[b & 31]).join('');
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += RECEIPT_GROUP_LENGTH) groups.push(symbols.slice(i, i + RECEIPT_GROUP_LENGTH));
  return groups.join('-');
}

/** The canonical form of a typed receipt code (case, spaces and dashes forgiven), or null if it cannot be one. Hash this. */
export function normaliseReceiptCode(typed: string): string | null {
  const symbols = typed.toUpperCase().replace(/[\s-]/g, '');
  if (symbols.length !== RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH) return null;
  if (![...symbols].every((c) => RECEIPT_ALPHABET.includes(c))) return null;
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += RECEIPT_GROUP_LENGTH) groups.push(symbols.slice(i, i + RECEIPT_GROUP_LENGTH));
  return groups.join('-');
}
