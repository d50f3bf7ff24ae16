import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ErrorCode, NotFoundError } from '@ferry/errors';
import type { Deployment } from './deployment.entity';
import type { CreatePlatformDto } from './dto/create-platform.dto';
import type { Platform } from './platform.entity';
import { registerPlatformCommands } from './platforms.commands';
import { PlatformsError } from './platforms.errors';
import type { PlatformsService } from './platforms.service';

const at = new Date('2026-01-02T03:04:05.000Z');

class FakePlatforms {
  created: CreatePlatformDto[] = [];
  added: Array<[string, { deploymentId: string; name?: string }]> = [];
  removed: Array<[string, string]> = [];
  async create(input: CreatePlatformDto) {
    this.created.push(input);
    const deployments = input.deploymentIds.map((deploymentId) => ({ deploymentId, name: null, active: true }) as Deployment);
    return { id: 'p1', ...input, status: 'active', unknownDeploymentPolicy: 'refuse', deployments, createdAt: at, updatedAt: at } as unknown as Platform;
  }
  async get(_id: string): Promise<Platform> {
    throw new NotFoundError('The platform');
  }
  async addDeployment(platformId: string, input: { deploymentId: string; name?: string }) {
    this.added.push([platformId, input]);
    throw new PlatformsError(ErrorCode.DeploymentExists, `This platform already has this deployment (${input.deploymentId}).`);
  }
  async removeDeployment(platformId: string, deploymentId: string) {
    this.removed.push([platformId, deploymentId]);
  }
  updated: Array<[string, Record<string, unknown>]> = [];
  async update(id: string, input: Record<string, unknown>) {
    this.updated.push([id, input]);
    return { id, name: 'Our Moodle', status: input.status, deployments: [], createdAt: at, updatedAt: at } as unknown as Platform;
  }
}

describe(registerPlatformCommands.name, () => {
  let platforms: FakePlatforms;
  let stdout: MockInstance;
  let stderr: MockInstance;

  async function ferry(...args: string[]): Promise<void> {
    const program = new Command('ferry').exitOverride();
    registerPlatformCommands(program, async () => platforms as unknown as PlatformsService);
    await program.parseAsync(args, { from: 'user' });
  }
  const printed = () => JSON.parse(stdout.mock.calls.map(([chunk]) => String(chunk)).join(''));
  const errorOutput = () => stderr.mock.calls.map(([chunk]) => String(chunk)).join('');

  beforeEach(() => {
    platforms = new FakePlatforms();
    stdout = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('platform add registers the platform and prints it as JSON', async () => {
    await ferry(
      'platform', 'add', '--name', 'Our Moodle', '--issuer', 'https://moodle.example.edu', '--client-id', 'abc',
      '--auth-login-url', 'https://moodle.example.edu/mod/lti/auth.php',
      '--access-token-url', 'https://moodle.example.edu/mod/lti/token.php',
      '--jwks-url', 'https://moodle.example.edu/mod/lti/certs.php', '--deployment', '1', '7',
    );
    expect(platforms.created).toEqual([
      expect.objectContaining({ issuer: 'https://moodle.example.edu', clientId: 'abc', deploymentIds: ['1', '7'] }),
    ]);
    expect(printed()).toMatchObject({ id: 'p1', clientId: 'abc', deployments: [{ deploymentId: '1' }, { deploymentId: '7' }] });
    expect(process.exitCode).toBeUndefined();
  });

  it('platform add reports every invalid option on stderr with a non-zero exit code', async () => {
    await ferry(
      'platform', 'add', '--name', 'Our Moodle', '--issuer', 'moodle', '--client-id', 'abc',
      '--auth-login-url', 'https://moodle.example.edu/mod/lti/auth.php',
      '--access-token-url', 'token.php', '--jwks-url', 'https://moodle.example.edu/mod/lti/certs.php',
    );
    expect(platforms.created).toEqual([]);
    expect(errorOutput()).toContain('validation_failed: ');
    expect(errorOutput()).toContain('issuer: issuer must be an absolute https:// URL');
    expect(errorOutput()).toContain('accessTokenUrl: accessTokenUrl must be an absolute https:// URL');
    expect(stdout).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(1);
  });

  it('prints a Ferry error as code and message', async () => {
    await ferry('platform', 'show', 'nope');
    expect(errorOutput()).toBe('not_found: The platform was not found.\n');
    expect(process.exitCode).toBe(1);
  });

  it('deployment add passes the name and reports a duplicate', async () => {
    await ferry('deployment', 'add', 'p1', '3', '--name', 'Course tool');
    expect(platforms.added).toEqual([['p1', { deploymentId: '3', name: 'Course tool' }]]);
    expect(errorOutput()).toBe('deployment_exists: This platform already has this deployment (3).\n');
    expect(process.exitCode).toBe(1);
  });

  it('platform activate lets an inactive or self-registered platform launch', async () => {
    await ferry('platform', 'activate', 'p1');
    expect(platforms.updated).toEqual([['p1', { status: 'active' }]]);
    expect(printed()).toMatchObject({ id: 'p1', status: 'active' });
  });

  it('deployment remove deactivates the deployment', async () => {
    await ferry('deployment', 'remove', 'p1', '3');
    expect(platforms.removed).toEqual([['p1', '3']]);
    expect(printed()).toEqual({ platformId: 'p1', deploymentId: '3', active: false });
  });
});
