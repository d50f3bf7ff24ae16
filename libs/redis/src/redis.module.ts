import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { FerryConfig } from '@ferry/config';
import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');

/** Injects the shared ioredis client: `@InjectRedis() private readonly redis: Redis`. */
export const InjectRedis = () => Inject(REDIS);

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [FerryConfig],
      useFactory: (config: FerryConfig) => new Redis(config.redis.url, { maxRetriesPerRequest: 2, lazyConnect: false }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
