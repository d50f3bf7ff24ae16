import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../deployment.entity';
import type { Platform } from '../platform.entity';
import { CreatePlatformDto } from './create-platform.dto';
import { toPlatformResponse } from './platform.dto';
import { UpdatePlatformDto } from './update-platform.dto';

const moodle = {
  name: 'Our Moodle',
  issuer: 'https://moodle.example.edu',
  clientId: 'Gyg39EMMRRzRyuO',
  authLoginUrl: 'https://moodle.example.edu/mod/lti/auth.php',
  accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
  jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php',
  deploymentIds: ['1'],
};

async function fieldErrors(type: new () => object, plain: object): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(type, plain), { whitelist: true, forbidNonWhitelisted: true });
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

describe(CreatePlatformDto.name, () => {
  it('accepts a complete registration, http URLs included (the service decides about http)', async () => {
    await expect(fieldErrors(CreatePlatformDto, moodle)).resolves.toEqual({});
    await expect(fieldErrors(CreatePlatformDto, { ...moodle, jwksUrl: 'http://127.0.0.1:8088/mod/lti/certs.php' })).resolves.toEqual({});
  });

  it('reports every bad field at once', async () => {
    const errors = await fieldErrors(CreatePlatformDto, {
      ...moodle,
      name: '',
      issuer: 'moodle.example.edu',
      authLoginUrl: 'ftp://moodle.example.edu/auth',
      deploymentIds: ['1', '1', ''],
      unknownDeploymentPolicy: 'maybe',
      color: 'blue',
    });
    expect(Object.keys(errors).sort()).toEqual(['authLoginUrl', 'color', 'deploymentIds', 'issuer', 'name', 'unknownDeploymentPolicy']);
    expect(errors.issuer).toEqual(['issuer must be an absolute https:// URL']);
    expect(errors.deploymentIds).toContain('deploymentIds must not repeat a deployment id');
  });

  it('requires every field but the policy', async () => {
    const errors = await fieldErrors(CreatePlatformDto, {});
    expect(Object.keys(errors).sort()).toEqual(['accessTokenUrl', 'authLoginUrl', 'clientId', 'deploymentIds', 'issuer', 'jwksUrl', 'name']);
  });

  it('trims pasted values, since the issuer and client id are compared verbatim', () => {
    const dto = plainToInstance(CreatePlatformDto, { ...moodle, issuer: ' https://moodle.example.edu ', deploymentIds: [' 1 '] });
    expect(dto.issuer).toBe('https://moodle.example.edu');
    expect(dto.deploymentIds).toEqual(['1']);
  });
});

describe(UpdatePlatformDto.name, () => {
  it('accepts any subset of the editable fields', async () => {
    await expect(fieldErrors(UpdatePlatformDto, {})).resolves.toEqual({});
    await expect(fieldErrors(UpdatePlatformDto, { status: 'active', unknownDeploymentPolicy: 'register' })).resolves.toEqual({});
  });

  it('refuses null for a NOT NULL column, and the issuer and client id', async () => {
    const errors = await fieldErrors(UpdatePlatformDto, { name: null, jwksUrl: null, status: 'paused', issuer: 'https://other.example.edu', clientId: 'x' });
    expect(Object.keys(errors).sort()).toEqual(['clientId', 'issuer', 'jwksUrl', 'name', 'status']);
  });
});

describe(toPlatformResponse.name, () => {
  it('maps the contract shape, deployments in natural order, dates as ISO strings', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const deployment = (deploymentId: string, active = true) => ({ id: `row-${deploymentId}`, platformId: 'p1', deploymentId, name: null, active, createdAt: at }) as Deployment;
    const platform = {
      id: 'p1',
      ...moodle,
      status: 'active',
      unknownDeploymentPolicy: 'refuse',
      deployments: [deployment('10'), deployment('2', false)],
      createdAt: at,
      updatedAt: at,
    } as unknown as Platform;
    expect(toPlatformResponse(platform)).toEqual({
      id: 'p1',
      name: 'Our Moodle',
      issuer: 'https://moodle.example.edu',
      clientId: 'Gyg39EMMRRzRyuO',
      authLoginUrl: 'https://moodle.example.edu/mod/lti/auth.php',
      accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
      jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php',
      status: 'active',
      unknownDeploymentPolicy: 'refuse',
      deployments: [
        { deploymentId: '2', name: null, active: false },
        { deploymentId: '10', name: null, active: true },
      ],
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    });
  });
});
