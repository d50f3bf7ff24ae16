import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { ConfigModule, ConfigurationError, loadConfig, type FerryConfig } from '@ferry/config';
import { CryptoModule, rotateSecrets, SecretBox } from '@ferry/crypto';
import { DatabaseModule, ferryEncryptedColumns, migrateDatabase } from '@ferry/database';
import { FerryError } from '@ferry/errors';
import { LtiModule, ToolKeysService } from '@ferry/lti';
import { PlatformsModule, PlatformsService, registerPlatformCommands } from '@ferry/platforms';
import { RedisModule } from '@ferry/redis';

@Module({})
class CliModule {
  static forRoot(config: FerryConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), RedisModule, CryptoModule, PlatformsModule, LtiModule],
    };
  }
}

let context: INestApplicationContext | undefined;
let config: FerryConfig | undefined;

function loadedConfig(): FerryConfig {
  config ??= loadConfig();
  return config;
}

async function application(): Promise<INestApplicationContext> {
  context ??= await NestFactory.createApplicationContext(CliModule.forRoot(loadedConfig()), { logger: ['error'] });
  return context;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const program = new Command('ferry').description("Ferry's operator CLI").showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations (the api also does this at start)')
  .action(async () => print({ applied: await migrateDatabase(loadedConfig().database.url) }));

program
  .command('rotate-secrets')
  .description('re-encrypt every secret at rest under the first key of ENCRYPTION_KEYS')
  .action(async () => {
    const app = await application();
    const changed = await rotateSecrets(app.get<DataSource>(getDataSourceToken()), app.get(SecretBox), ferryEncryptedColumns);
    print({ resealed: changed, keyId: app.get(SecretBox).currentKeyId });
  });

program
  .command('rotate-tool-keys')
  .description("retire Ferry's active LTI signing key and promote the next one (JWKS keeps publishing the old one for a while)")
  .action(async () => {
    const app = await application();
    await app.get(ToolKeysService).rotate();
    print(await app.get(ToolKeysService).jwks());
  });

registerPlatformCommands(program, async () => (await application()).get(PlatformsService));

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof ConfigurationError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof FerryError) process.stderr.write(`${error.code}: ${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await context?.close();
  }
}

void main();
