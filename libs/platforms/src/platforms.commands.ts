import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Command } from 'commander';
import { FerryError, ValidationFailedError } from '@ferry/errors';
import { AddDeploymentDto } from './dto/add-deployment.dto';
import { CreatePlatformDto } from './dto/create-platform.dto';
import { toDeploymentResponse, toPlatformResponse } from './dto/platform.dto';
import type { PlatformsService } from './platforms.service';

/** The same checks the HTTP API's validation pipe makes, for input that comes from the command line. */
async function validated<T extends object>(type: new () => T, input: Record<string, unknown>): Promise<T> {
  const dto = plainToInstance(type, input);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new ValidationFailedError(Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})])));
  }
  return dto;
}

/** JSON on stdout; a Ferry error as `code: message` (and per-field messages) on stderr, exit code 1. */
async function run(action: () => Promise<unknown>): Promise<void> {
  try {
    process.stdout.write(`${JSON.stringify(await action(), null, 2)}\n`);
  } catch (error) {
    if (!(error instanceof FerryError)) throw error;
    const fields = error instanceof ValidationFailedError ? Object.entries(error.fields) : [];
    const lines = [`${error.code}: ${error.message}`, ...fields.map(([field, messages]) => `  ${field}: ${messages.join('; ')}`)];
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exitCode = 1;
  }
}

interface AddPlatformOptions {
  name: string;
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  accessTokenUrl: string;
  jwksUrl: string;
  deployment: string[];
  unknownDeploymentPolicy?: string;
}

/** `ferry platform …` and `ferry deployment …`: what the operator API does, from a shell. */
export function registerPlatformCommands(program: Command, getService: () => Promise<PlatformsService>): void {
  const platform = program.command('platform').description('LTI platform registrations (Moodle sites)');

  platform
    .command('add')
    .description('register a platform with its deployments')
    .requiredOption('--name <name>', 'a name for people')
    .requiredOption('--issuer <url>', "the platform ID (Moodle's site URL)")
    .requiredOption('--client-id <id>', 'the client ID Moodle shows for the tool')
    .requiredOption('--auth-login-url <url>', 'e.g. https://moodle.example.edu/mod/lti/auth.php')
    .requiredOption('--access-token-url <url>', 'e.g. https://moodle.example.edu/mod/lti/token.php')
    .requiredOption('--jwks-url <url>', 'e.g. https://moodle.example.edu/mod/lti/certs.php')
    .option('--deployment <id...>', 'deployment id(s)', [])
    .option('--unknown-deployment-policy <policy>', 'refuse (default) or register launches from new deployment ids')
    .action((options: AddPlatformOptions) =>
      run(async () => {
        const { deployment, ...fields } = options;
        const input = await validated(CreatePlatformDto, { ...fields, deploymentIds: deployment });
        return toPlatformResponse(await (await getService()).create(input));
      }),
    );

  platform
    .command('list')
    .description('list every platform')
    .action(() => run(async () => (await (await getService()).list()).map(toPlatformResponse)));

  platform
    .command('show <id>')
    .description('show one platform')
    .action((id: string) => run(async () => toPlatformResponse(await (await getService()).get(id))));

  platform
    .command('deactivate <id>')
    .description('refuse launches from the platform (its data stays)')
    .action((id: string) => run(async () => toPlatformResponse(await (await getService()).deactivate(id))));

  platform
    .command('activate <id>')
    .description('accept launches from the platform again, or for the first time after dynamic registration')
    .action((id: string) => run(async () => toPlatformResponse(await (await getService()).update(id, { status: 'active' }))));

  const deployment = program.command('deployment').description("deployments of Ferry within a platform (Moodle's tool types)");

  deployment
    .command('add <platformId> <deploymentId>')
    .description('accept launches from a deployment')
    .option('--name <name>', 'a name for people')
    .action((platformId: string, deploymentId: string, options: { name?: string }) =>
      run(async () => {
        const input = await validated(AddDeploymentDto, { deploymentId, ...options });
        return toDeploymentResponse(await (await getService()).addDeployment(platformId, input));
      }),
    );

  deployment
    .command('remove <platformId> <deploymentId>')
    .description('refuse launches from a deployment (its launches stay on record)')
    .action((platformId: string, deploymentId: string) =>
      run(async () => {
        await (await getService()).removeDeployment(platformId, deploymentId);
        return { platformId, deploymentId, active: false };
      }),
    );
}
