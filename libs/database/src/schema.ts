import { Launch, User } from '@ferry/identity';
import { ToolKey } from '@ferry/lti';
import { MoodleToken, PlatformMoodleSettings } from '@ferry/moodle-oauth';
import { Deployment, Platform } from '@ferry/platforms';
import { Transfer, TransferEvent, TransferItem } from '@ferry/transfers';
import { CreatePlatforms1795400000000 } from './migrations/1795400000000-create-platforms';
import { CreateUsersAndLaunches1795400100000 } from './migrations/1795400100000-create-users-and-launches';
import { CreateToolKeys1795400200000 } from './migrations/1795400200000-create-tool-keys';
import { CreateMoodleConnections1795500000000 } from './migrations/1795500000000-create-moodle-connections';
import { CreateTransfers1795600000000 } from './migrations/1795600000000-create-transfers';

/**
 * Every entity and migration Ferry has, in one list for the apps, the migration CLI and the tests.
 * Domain libs own their entities; this file only gathers them (domain libs never import @ferry/database).
 */
export const ferryEntities: Function[] = [Platform, Deployment, User, Launch, ToolKey, PlatformMoodleSettings, MoodleToken, Transfer, TransferItem, TransferEvent];

export const ferryMigrations: Function[] = [
  CreatePlatforms1795400000000,
  CreateUsersAndLaunches1795400100000,
  CreateToolKeys1795400200000,
  CreateMoodleConnections1795500000000,
  CreateTransfers1795600000000,
];

/** Every column holding a SecretBox-sealed value; `ferry rotate-secrets` re-seals them all. */
export const ferryEncryptedColumns: Array<{ table: string; column: string; key?: string }> = [
  { table: 'tool_keys', column: 'private_jwk' },
  { table: 'platform_moodle_settings', column: 'oauth_client_secret', key: 'platform_id' },
  { table: 'moodle_tokens', column: 'access_token' },
  { table: 'moodle_tokens', column: 'refresh_token' },
];
