import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { DataSource, type EntityManager } from 'typeorm';
import { SecretBox } from '@ferry/crypto';
import { ToolKey, type PublicRsaJwk, type ToolKeyStatus } from './tool-key.entity';

// Names "Ferry tool keys" among PostgreSQL advisory locks; every replica uses the same number.
const TOOL_KEYS_LOCK_ID = 7_345_202;
/** How long a retired key stays in the JWKS, so tokens it signed and platforms' caches age out. */
const RETIRED_KEY_GRACE_DAYS = 7;

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: CryptoKey;
}

export interface ToolJwks {
  keys: PublicRsaJwk[];
}

/**
 * Ferry's own RS256 keys (deep linking responses, client assertions). Start-up makes sure an active
 * and a next key exist; rotation retires the active key, promotes next and creates a new next, so a
 * platform that cached the JWKS already knows the key that signs after a rotation.
 */
@Injectable()
export class ToolKeysService implements OnModuleInit {
  private readonly logger = new Logger(ToolKeysService.name);
  private cachedSigningKey: SigningKey | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureKeys();
  }

  /** Creates the active and next keys when missing. Safe when several replicas start at once. */
  async ensureKeys(): Promise<void> {
    await this.underLock(async (manager) => {
      const present = await manager.find(ToolKey, { where: [{ status: 'active' }, { status: 'next' }] });
      for (const status of ['active', 'next'] as const) {
        if (present.some((key) => key.status === status)) continue;
        const key = await this.generateKey(status);
        await manager.insert(ToolKey, key);
        this.logger.log(`Created the ${status} LTI tool key ${key.kid}`);
      }
    });
  }

  /** Retires the active key, promotes the next key, and creates a new next key. */
  async rotate(): Promise<void> {
    await this.underLock(async (manager) => {
      await manager.update(ToolKey, { status: 'active' }, { status: 'retired', retiredAt: () => 'now()' });
      const promoted = await manager.update(ToolKey, { status: 'next' }, { status: 'active' });
      if (!promoted.affected) await manager.insert(ToolKey, await this.generateKey('active'));
      await manager.insert(ToolKey, await this.generateKey('next'));
    });
    this.cachedSigningKey = null;
  }

  /** The public keys to publish: active, next, and keys retired within the last seven days. */
  async jwks(): Promise<ToolJwks> {
    const keys = await this.dataSource
      .getRepository(ToolKey)
      .createQueryBuilder('key')
      .select(['key.publicJwk', 'key.status', 'key.createdAt'])
      .where(`key.status IN ('active', 'next')`)
      .orWhere(`key.status = 'retired' AND key.retiredAt > now() - make_interval(days => :days)`, {
        days: RETIRED_KEY_GRACE_DAYS,
      })
      .orderBy('key.createdAt', 'DESC')
      .getMany();
    return { keys: keys.map(({ publicJwk: { kty, n, e, kid, alg, use } }) => ({ kty, n, e, kid, alg, use })) };
  }

  /** The active private key, for signing Ferry's own JWTs. */
  async signingKey(): Promise<SigningKey> {
    const active = await this.dataSource.getRepository(ToolKey).findOneByOrFail({ status: 'active' });
    if (this.cachedSigningKey?.kid === active.kid) return this.cachedSigningKey;
    const privateJwk = JSON.parse(this.secretBox.open(active.privateJwk)) as JWK;
    const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
    this.cachedSigningKey = { kid: active.kid, alg: 'RS256', privateKey };
    return this.cachedSigningKey;
  }

  private async underLock(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [TOOL_KEYS_LOCK_ID]);
      await work(manager);
    });
  }

  private async generateKey(status: ToolKeyStatus): Promise<Omit<ToolKey, 'id' | 'createdAt'>> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const publicParts = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicParts);
    const publicJwk: PublicRsaJwk = {
      kty: 'RSA',
      n: publicParts.n as string,
      e: publicParts.e as string,
      kid,
      alg: 'RS256',
      use: 'sig',
    };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
    return { kid, publicJwk, privateJwk: this.secretBox.seal(JSON.stringify(privateJwk)), status, retiredAt: null };
  }
}
