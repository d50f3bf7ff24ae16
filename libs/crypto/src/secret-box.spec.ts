import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FerryConfig } from '@ferry/config';
import { SecretBox, SecretDecryptionError } from './secret-box';

const keyA = { kid: 'a', key: randomBytes(32) };
const keyB = { kid: 'b', key: randomBytes(32) };
const boxWith = (...keys: Array<{ kid: string; key: Buffer }>) =>
  new SecretBox({ encryption: { keys } } as unknown as FerryConfig);

describe(SecretBox.name, () => {
  it('round-trips a secret and never stores it in clear', () => {
    const sut = boxWith(keyA);
    const sealed = sut.seal('client-secret-123');
    expect(sealed).not.toContain('client-secret-123');
    expect(sealed.startsWith('fe1.a.')).toBe(true);
    expect(sut.open(sealed)).toBe('client-secret-123');
  });

  it('seals the same value differently each time', () => {
    const sut = boxWith(keyA);
    expect(sut.seal('x')).not.toBe(sut.seal('x'));
  });

  it('decrypts values sealed under an older key and re-seals them under the newest', () => {
    const sealedUnderA = boxWith(keyA).seal('refresh-token');
    const rotated = boxWith(keyB, keyA);
    expect(rotated.isSealedWithOlderKey(sealedUnderA)).toBe(true);
    const resealed = rotated.reseal(sealedUnderA);
    expect(resealed.startsWith('fe1.b.')).toBe(true);
    expect(boxWith(keyB).open(resealed)).toBe('refresh-token');
  });

  it('refuses tampered values and unknown keys', () => {
    const sut = boxWith(keyA);
    const sealed = sut.seal('value');
    const parts = sealed.split('.');
    const last = Buffer.from(parts[3], 'base64url');
    last[last.length - 1] ^= 1;
    parts[3] = last.toString('base64url');
    expect(() => sut.open(parts.join('.'))).toThrow(SecretDecryptionError);
    expect(() => boxWith(keyB).open(sealed)).toThrow(/not in ENCRYPTION_KEYS/);
  });

  it('derives distinct stable keys per purpose', () => {
    const sut = boxWith(keyA);
    expect(Buffer.from(sut.deriveKey('session'))).toEqual(Buffer.from(sut.deriveKey('session')));
    expect(Buffer.from(sut.deriveKey('session'))).not.toEqual(Buffer.from(sut.deriveKey('other')));
  });
});
