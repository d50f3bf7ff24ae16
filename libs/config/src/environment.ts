import { Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const url = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** The raw environment, exactly as CONTRACT.md names it. Only `loadConfig` reads it. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: 'development' | 'test' | 'production';

  @IsUrl(url, { message: 'PUBLIC_URL must be an absolute http(s) URL such as https://ferry.example.edu' })
  @Matches(/[^/]$/, { message: 'PUBLIC_URL must not end with a slash' })
  PUBLIC_URL: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @ValidateIf((env: EnvironmentVariables) => !env.AZURE_STORAGE_ACCOUNT && !env.AZURE_BLOB_ENDPOINT)
  @IsNotEmpty({
    message:
      'AZURE_STORAGE_CONNECTION_STRING is required unless AZURE_STORAGE_ACCOUNT or AZURE_BLOB_ENDPOINT is set (with AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN, or neither for Microsoft Entra ID)',
  })
  AZURE_STORAGE_CONNECTION_STRING?: string;

  @IsOptional()
  @IsString()
  AZURE_STORAGE_ACCOUNT?: string;

  @IsOptional()
  @IsString()
  AZURE_STORAGE_KEY?: string;

  @IsOptional()
  @IsString()
  AZURE_STORAGE_SAS_TOKEN?: string;

  @IsOptional()
  @IsUrl(url)
  AZURE_BLOB_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
    message: 'AZURE_BLOB_CONTAINER must be 3-63 lowercase letters, digits or single hyphens',
  })
  AZURE_BLOB_CONTAINER?: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_.-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_.-]+:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'ENCRYPTION_KEYS must be comma-separated kid:base64 pairs, each key exactly 32 bytes',
  })
  ENCRYPTION_KEYS: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'OPERATOR_TOKEN must be at least 32 characters' })
  OPERATOR_TOKEN?: string;

  @IsOptional()
  @IsBooleanString()
  ALLOW_INSECURE_PLATFORM_URLS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  LTI_CLOCK_SKEW_SECONDS?: number;

  /** What LTI Dynamic Registration (`/lti/register`) does: `open` registers an active platform,
   * `approval` registers it inactive until an operator activates it, `off` refuses. */
  @IsOptional()
  @IsIn(['open', 'approval', 'off'], { message: 'LTI_DYNAMIC_REGISTRATION must be open, approval or off' })
  LTI_DYNAMIC_REGISTRATION?: 'open' | 'approval' | 'off';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  SESSION_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  WORKER_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT?: number;

  /** Tries per file before it fails (the first try counts). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  TRANSFER_ATTEMPTS?: number;

  /** First retry delay; each further retry doubles it, with jitter. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  TRANSFER_RETRY_BASE_MS?: number;

  /** How long a worker's hold on a running file lasts without renewal (renewed at half of it while it runs). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  TRANSFER_LOCK_DURATION_MS?: number;

  /** How often workers look for files whose worker died. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  TRANSFER_STALLED_INTERVAL_MS?: number;

  /** Files of one block (8 MiB or less) the worker moves at once besides WORKER_CONCURRENCY's large ones (default 16). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(256)
  TRANSFER_SMALL_FILE_CONCURRENCY?: number;

  /** Create a missing destination container (default true); false: only existing containers. */
  @IsOptional()
  @IsBooleanString()
  TRANSFER_CREATE_CONTAINER?: string;

  /** Read every committed blob back and compare its SHA-256 (default false). */
  @IsOptional()
  @IsBooleanString()
  TRANSFER_VERIFY_AFTER_UPLOAD?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL?: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}
