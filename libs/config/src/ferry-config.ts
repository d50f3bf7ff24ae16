import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvironmentVariables } from './environment';

export interface EncryptionKey {
  kid: string;
  key: Buffer;
}

export type AzureCredentials =
  | { kind: 'connection-string'; connectionString: string }
  | { kind: 'shared-key'; account: string; key: string; endpoint: string }
  | { kind: 'sas'; endpoint: string; sasToken: string }
  | { kind: 'default-azure-credential'; endpoint: string };

export type LogLevel = NonNullable<EnvironmentVariables['LOG_LEVEL']>;

/**
 * Ferry's configuration, typed and validated once at start-up.
 * Inject it as `FerryConfig`; nothing else reads process.env.
 */
export class FerryConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly publicUrl: string;
  readonly publicOrigin: string;
  readonly port: number;
  readonly allowInsecurePlatformUrls: boolean;
  readonly logLevel: LogLevel;
  readonly database: { url: string };
  readonly redis: { url: string };
  readonly azure: { credentials: AzureCredentials; defaultContainer: string };
  readonly encryption: { keys: EncryptionKey[] };
  readonly operator: { token: string | null };
  readonly lti: {
    clockSkewSeconds: number;
    stateTtlSeconds: number;
    launchCodeTtlSeconds: number;
    dynamicRegistration: 'open' | 'approval' | 'off';
  };
  readonly session: { ttlSeconds: number };
  readonly worker: { concurrency: number; healthPort: number };
  readonly transfers: {
    attempts: number;
    /** Single-block files in flight besides `worker.concurrency` multi-block ones (which bound memory). */
    smallFileConcurrency: number;
    retryBaseDelayMs: number;
    lockDurationMs: number;
    stalledIntervalMs: number;
    createContainers: boolean;
    verifyAfterUpload: boolean;
  };

  constructor(values: Omit<FerryConfig, never>) {
    Object.assign(this, values);
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ferry cannot start: the configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

function flattenProblems(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
}

function parseEncryptionKeys(raw: string): EncryptionKey[] {
  return raw.split(',').map((pair) => {
    const [kid, base64] = pair.split(':');
    return { kid, key: Buffer.from(base64, 'base64') };
  });
}

function azureCredentials(env: EnvironmentVariables): AzureCredentials {
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    return { kind: 'connection-string', connectionString: env.AZURE_STORAGE_CONNECTION_STRING };
  }
  const account = env.AZURE_STORAGE_ACCOUNT;
  const endpoint = (env.AZURE_BLOB_ENDPOINT ?? `https://${account}.blob.core.windows.net`).replace(/\/+$/, '');
  if (env.AZURE_STORAGE_KEY) return { kind: 'shared-key', account: account as string, key: env.AZURE_STORAGE_KEY, endpoint };
  if (env.AZURE_STORAGE_SAS_TOKEN) return { kind: 'sas', endpoint, sasToken: env.AZURE_STORAGE_SAS_TOKEN.replace(/^\?/, '') };
  return { kind: 'default-azure-credential', endpoint };
}

/**
 * Reads and validates the environment. Throws one ConfigurationError listing every wrong variable,
 * so an operator fixes them all in one go rather than one restart at a time.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): FerryConfig {
  const env = plainToInstance(EnvironmentVariables, { ...source }, { enableImplicitConversion: false });
  const problems = flattenProblems(validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false }));

  const nodeEnv = env.NODE_ENV ?? 'development';
  const allowInsecure = env.ALLOW_INSECURE_PLATFORM_URLS === 'true';
  if (env.PUBLIC_URL?.startsWith('http://') && nodeEnv === 'production' && !allowInsecure) {
    problems.push('PUBLIC_URL must be https:// in production (set ALLOW_INSECURE_PLATFORM_URLS=true only for local tests)');
  }
  if (env.AZURE_STORAGE_KEY && !env.AZURE_STORAGE_ACCOUNT && !env.AZURE_STORAGE_CONNECTION_STRING) {
    problems.push('AZURE_STORAGE_KEY needs AZURE_STORAGE_ACCOUNT (the key signs requests with the account name)');
  }
  if (nodeEnv === 'production' && !env.OPERATOR_TOKEN) {
    problems.push('OPERATOR_TOKEN is required in production (at least 32 characters)');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  const publicUrl = env.PUBLIC_URL;
  return new FerryConfig({
    env: nodeEnv,
    publicUrl,
    publicOrigin: new URL(publicUrl).origin,
    port: env.PORT ?? 3000,
    allowInsecurePlatformUrls: allowInsecure,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'production' ? 'log' : 'debug'),
    database: { url: env.DATABASE_URL },
    redis: { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    azure: { credentials: azureCredentials(env), defaultContainer: env.AZURE_BLOB_CONTAINER ?? 'ferry' },
    encryption: { keys: parseEncryptionKeys(env.ENCRYPTION_KEYS) },
    operator: { token: env.OPERATOR_TOKEN ?? null },
    lti: {
      clockSkewSeconds: env.LTI_CLOCK_SKEW_SECONDS ?? 5,
      stateTtlSeconds: 600,
      launchCodeTtlSeconds: 60,
      // In production a self-registered Moodle waits for an operator; elsewhere it can launch at once.
      dynamicRegistration: env.LTI_DYNAMIC_REGISTRATION ?? (nodeEnv === 'production' ? 'approval' : 'open'),
    },
    session: { ttlSeconds: env.SESSION_TTL_SECONDS ?? 3600 },
    worker: { concurrency: env.WORKER_CONCURRENCY ?? 4, healthPort: env.WORKER_HEALTH_PORT ?? 3001 },
    transfers: {
      attempts: env.TRANSFER_ATTEMPTS ?? 6,
      smallFileConcurrency: env.TRANSFER_SMALL_FILE_CONCURRENCY ?? 16,
      retryBaseDelayMs: env.TRANSFER_RETRY_BASE_MS ?? 2000,
      // Long uploads hold their lock for minutes: renewed every 30 s, a job is only taken for dead
      // when its worker has been silent for a whole minute.
      lockDurationMs: env.TRANSFER_LOCK_DURATION_MS ?? 60_000,
      stalledIntervalMs: env.TRANSFER_STALLED_INTERVAL_MS ?? 30_000,
      createContainers: (env.TRANSFER_CREATE_CONTAINER ?? 'true') === 'true',
      verifyAfterUpload: env.TRANSFER_VERIFY_AFTER_UPLOAD === 'true',
    },
  });
}
