import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FerryConfig, type EncryptionKey } from '@ferry/config';

const VERSION = 'fe1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(IV_BYTES, IV_BYTES + 16);
  const decipher = createDecipheriv(ALGORITHM, key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + 16)), decipher.final()]);
}

export class SecretDecryptionError extends Error {}

/**
 * Envelope encryption of secrets at rest. Each value gets its own random data key (AES-256-GCM);
 * the data key is wrapped by the newest key-encryption key from ENCRYPTION_KEYS, whose id is stored
 * in the value: `fe1.<kid>.<wrapped data key>.<ciphertext>`. Older keys still decrypt, so keys rotate
 * by adding a new one first and re-sealing (`ferry rotate-secrets`).
 */
@Injectable()
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly current: EncryptionKey;

  constructor(config: FerryConfig) {
    this.current = config.encryption.keys[0];
    this.keys = new Map(config.encryption.keys.map(({ kid, key }) => [kid, key]));
  }

  get currentKeyId(): string {
    return this.current.kid;
  }

  seal(plaintext: string): string {
    const dataKey = randomBytes(32);
    const wrapped = seal(this.current.key, dataKey, `${VERSION}.${this.current.kid}`);
    const ciphertext = seal(dataKey, Buffer.from(plaintext, 'utf8'), VERSION);
    return [VERSION, this.current.kid, wrapped.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, kid, wrapped, ciphertext] = sealed.split('.');
    if (version !== VERSION || !kid || !wrapped || !ciphertext) throw new SecretDecryptionError('Not a sealed secret');
    const keyEncryptionKey = this.keys.get(kid);
    if (!keyEncryptionKey) throw new SecretDecryptionError(`Encryption key "${kid}" is not in ENCRYPTION_KEYS`);
    try {
      const dataKey = open(keyEncryptionKey, Buffer.from(wrapped, 'base64url'), `${VERSION}.${kid}`);
      return open(dataKey, Buffer.from(ciphertext, 'base64url'), VERSION).toString('utf8');
    } catch {
      throw new SecretDecryptionError(`A secret sealed with key "${kid}" failed authentication`);
    }
  }

  /** True when the value was sealed with a key other than the newest one. */
  isSealedWithOlderKey(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.kid;
  }

  reseal(sealed: string): string {
    return this.seal(this.open(sealed));
  }

  /** A purpose-bound key derived from the newest encryption key (HKDF-SHA256), e.g. for signing session tokens. */
  deriveKey(purpose: string): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', this.current.key, Buffer.alloc(0), `ferry:${purpose}`, 32));
  }
}
