import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MASTER_KEY_ENV,
  RECEIPT_ALPHABET,
  decryptField,
  encryptField,
  fieldAad,
  hashPassword,
  hashToken,
  loadMasterKey,
  newDataKey,
  newReceiptCode,
  newToken,
  normaliseReceiptCode,
  unwrapKey,
  verifyPassword,
  wrapKey,
} from './crypto.js';

const CryptoErrorLike = /could not be decrypted|not a v1 sealed value|malformed IV or tag/;

/** Flip one bit of one base64 part of a `v1.iv.tag.ct` value. */
function tamper(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[part] = bytes.toString('base64');
  return parts.join('.');
}

describe('master key', () => {
  const good = randomBytes(32).toString('base64');

  it('loads 32 base64 bytes from OBSERVA_MASTER_KEY', () => {
    expect(loadMasterKey({ [MASTER_KEY_ENV]: good }).toString('base64')).toBe(good);
  });

  it('names the variable when it is missing or wrong, without echoing it', () => {
    expect(() => loadMasterKey({})).toThrow(/OBSERVA_MASTER_KEY is not set/);
    expect(() => loadMasterKey({ [MASTER_KEY_ENV]: '  ' })).toThrow(/OBSERVA_MASTER_KEY is not set/);
    for (const bad of [randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not base64 at all!!', `${good.slice(0, 20)}*${good.slice(21)}`]) {
      expect(() => loadMasterKey({ [MASTER_KEY_ENV]: bad })).toThrow(/OBSERVA_MASTER_KEY must be the base64 encoding of exactly 32 bytes/);
      try {
        loadMasterKey({ [MASTER_KEY_ENV]: bad });
      } catch (e) {
        expect((e as Error).message).not.toContain(bad);
      }
    }
  });
});

describe('envelope encryption', () => {
  const master = randomBytes(32);

  it('wraps and unwraps a data key for its person only', () => {
    const dek = newDataKey();
    expect(dek).toHaveLength(32);
    const wrapped = wrapKey(master, dek, 'person-5');
    expect(wrapped).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(unwrapKey(master, wrapped, 'person-5').equals(dek)).toBe(true);
    expect(() => unwrapKey(master, wrapped, 'person-6')).toThrow(/could not be decrypted/);
    expect(() => unwrapKey(randomBytes(32), wrapped, 'person-5')).toThrow(/could not be decrypted/);
    for (const part of [1, 2, 3] as const) expect(() => unwrapKey(master, tamper(wrapped, part), 'person-5')).toThrow(CryptoErrorLike);
  });

  it('uses a fresh IV every time', () => {
    const dek = newDataKey();
    expect(wrapKey(master, dek, 'p')).not.toBe(wrapKey(master, dek, 'p'));
    expect(encryptField(dek, 'x', 'a')).not.toBe(encryptField(dek, 'x', 'a'));
  });

  it('round-trips a field, including non-ASCII text', () => {
    const dek = newDataKey();
    const text = 'María José Núñez — “desaparecida” 🕯️';
    const aad = fieldAad('5', 'name', 1);
    expect(aad).toBe('5:name:1');
    expect(decryptField(dek, encryptField(dek, text, aad), aad)).toBe(text);
    expect(decryptField(dek, encryptField(dek, '', aad), aad)).toBe('');
  });

  it('refuses a ciphertext moved to another person, field or version', () => {
    const dek = newDataKey();
    const sealed = encryptField(dek, 'Calle 5 de Mayo 12', fieldAad('5', 'address', 3));
    expect(() => decryptField(dek, sealed, fieldAad('6', 'address', 3))).toThrow(/could not be decrypted/);
    expect(() => decryptField(dek, sealed, fieldAad('5', 'contact', 3))).toThrow(/could not be decrypted/);
    expect(() => decryptField(dek, sealed, fieldAad('5', 'address', 2))).toThrow(/could not be decrypted/);
    expect(decryptField(dek, sealed, fieldAad('5', 'address', 3))).toBe('Calle 5 de Mayo 12');
  });

  it('refuses a tampered ciphertext, tag or IV, and malformed values', () => {
    const dek = newDataKey();
    const aad = fieldAad('5', 'testimony', 1);
    const sealed = encryptField(dek, 'they took him at the checkpoint', aad);
    for (const part of [1, 2, 3] as const) expect(() => decryptField(dek, tamper(sealed, part), aad)).toThrow(CryptoErrorLike);
    for (const bad of ['', 'v1', 'v2.a.b.c', sealed.replace(/^v1/, 'v2'), sealed.split('.').slice(0, 3).join('.')]) {
      expect(() => decryptField(dek, bad, aad), bad).toThrow(CryptoErrorLike);
    }
  });

  it('makes the data unreadable once the wrapped key is gone (crypto-shredding)', () => {
    const dek = newDataKey();
    const aad = fieldAad('5', 'name', 1);
    const sealed = encryptField(dek, 'N.N.', aad);
    // With the wrapped DEK deleted, the best anyone can do is guess a key.
    for (let i = 0; i < 20; i++) expect(() => decryptField(newDataKey(), sealed, aad)).toThrow(/could not be decrypted/);
  });

  it('refuses keys of the wrong size and bad versions', () => {
    expect(() => encryptField(randomBytes(16), 'x', 'a')).toThrow(/32 bytes/);
    expect(() => wrapKey(randomBytes(31), newDataKey(), 'p')).toThrow(/32 bytes/);
    expect(() => fieldAad('5', 'name', 0)).toThrow(/positive integer/);
    expect(() => fieldAad('5', 'name', 1.5)).toThrow(/positive integer/);
  });
});

describe('passwords', () => {
  it('hashes with scrypt and verifies', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(encoded).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl3', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
    expect(await hashPassword('correct horse battery staple')).not.toBe(encoded); // salted
  });

  it('treats composed and decomposed accents alike', async () => {
    const encoded = await hashPassword('contraseña segura'.normalize('NFC'));
    expect(await verifyPassword('contraseña segura'.normalize('NFD'), encoded)).toBe(true);
  });

  it('refuses passwords shorter than 12 characters, clearly', async () => {
    await expect(hashPassword('short')).rejects.toThrow(/at least 12 characters/);
    await expect(hashPassword('elevenchars')).rejects.toThrow(/at least 12 characters/);
    await expect(hashPassword('twelve chars')).resolves.toMatch(/^scrypt\$/);
  });

  it('refuses encodings it did not produce', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    const parts = encoded.split('$');
    for (const bad of ['', 'plain', encoded.replace('scrypt', 'bcrypt'), ['scrypt', 2 ** 30, ...parts.slice(2)].join('$'), ['scrypt', 1000, ...parts.slice(2)].join('$'), parts.slice(0, 5).join('$')]) {
      await expect(verifyPassword('correct horse battery staple', bad), bad).rejects.toThrow(/not a scrypt password hash/);
    }
  });
});

describe('tokens and receipt codes', () => {
  it('makes 256-bit base64url tokens and stores them as SHA-256', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('makes receipt codes of 4 groups of 4 unambiguous symbols (80 bits)', () => {
    expect(RECEIPT_ALPHABET).toHaveLength(32);
    expect(new Set(RECEIPT_ALPHABET).size).toBe(32);
    for (const c of '0O1I') expect(RECEIPT_ALPHABET).not.toContain(c);
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newReceiptCode();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
      codes.add(code);
    }
    expect(codes.size).toBe(2000);
  });

  it('uses every symbol of the alphabet', () => {
    const seen = new Set(Array.from({ length: 200 }, newReceiptCode).join('').replace(/-/g, ''));
    expect(seen.size).toBe(32);
  });

  it('normalises a code typed by hand', () => {
    const code = newReceiptCode();
    expect(normaliseReceiptCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normaliseReceiptCode(` ${code.replace(/-/g, '')} `)).toBe(code);
    expect(normaliseReceiptCode('0000-0000-0000-0000')).toBeNull();
    expect(normaliseReceiptCode('ABCD-EFGH')).toBeNull();
  });
});
