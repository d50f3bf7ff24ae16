export { InjectRedis, REDIS, RedisModule } from './redis.module';
export { takeOnce } from './take-once';
