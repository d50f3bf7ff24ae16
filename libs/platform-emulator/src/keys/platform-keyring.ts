import { randomBytes, type webcrypto } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { SignIdTokenOptions } from '../platform-emulator.types';

interface SigningKey {
  kid: string;
  privateKey: webcrypto.CryptoKey;
  publicJwk: JWK;
}

/** The JWKS that certs.php serves, in Moodle's key order. */
export interface MoodleJwks {
  keys: Array<{ kty: string; alg: string; kid: string; e: string; n: string; use: string }>;
}

/** Moodle's kids are 20 hex characters. */
function newKid(): string {
  return randomBytes(10).toString('hex');
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return { kid: newKid(), privateKey, publicJwk: await exportJWK(publicKey) };
}

/** The platform's RSA signing keys: all published at certs.php, the newest signs. */
export class PlatformKeyring {
  private readonly hmacSecret = randomBytes(32);

  private constructor(
    private readonly published: SigningKey[],
    private readonly unpublished: SigningKey,
  ) {}

  static async create(): Promise<PlatformKeyring> {
    const [current, unpublished] = await Promise.all([newSigningKey(), newSigningKey()]);
    return new PlatformKeyring([current], unpublished);
  }

  get currentKid(): string {
    return this.current.kid;
  }

  private get current(): SigningKey {
    return this.published[this.published.length - 1];
  }

  async rotate(): Promise<void> {
    this.published.push(await newSigningKey());
  }

  jwks(): MoodleJwks {
    return {
      keys: this.published.map(({ kid, publicJwk }) => ({
        kty: 'RSA',
        alg: 'RS256',
        kid,
        e: publicJwk.e!,
        n: publicJwk.n!,
        use: 'sig',
      })),
    };
  }

  async sign(payload: Record<string, unknown>, options: SignIdTokenOptions = {}): Promise<string> {
    const key = options.key === 'unpublished' ? this.unpublished : this.current;
    // A forged token names the published kid: only the signature gives it away.
    const kid = options.kid === undefined ? this.current.kid : options.kid;
    const alg = options.alg ?? 'RS256';
    const header = { typ: 'JWT', alg, ...(kid === null ? {} : { kid }) };
    if (alg === 'none') {
      const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
      return `${encode(header)}.${encode(payload)}.`;
    }
    return new SignJWT(payload).setProtectedHeader(header).sign(alg === 'HS256' ? this.hmacSecret : key.privateKey);
  }
}
