import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { QueryFailedError, type FindOptionsWhere, type Repository } from 'typeorm';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, NotFoundError, ValidationFailedError } from '@ferry/errors';
import { Deployment } from './deployment.entity';
import { LaunchLookupCache } from './launch-lookup-cache';
import type { AddDeploymentDto } from './dto/add-deployment.dto';
import type { CreatePlatformDto } from './dto/create-platform.dto';
import type { UpdatePlatformDto } from './dto/update-platform.dto';
import { Platform } from './platform.entity';
import { PlatformsError } from './platforms.errors';

const FRAME_ANCESTORS_TTL_MS = 30_000;
const LAUNCH_LOOKUP_TTL_MS = 5_000;
const URL_FIELDS = ['issuer', 'authLoginUrl', 'accessTokenUrl', 'jwksUrl'] as const;

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

function originOf(url: string): string | null {
  return URL.canParse(url) ? new URL(url).origin : null;
}

/** Platform registrations and their deployments, for the operator API, the CLI and LTI launches. */
@Injectable()
export class PlatformsService {
  private frameAncestors: { origins: Promise<string[]>; expiresAt: number } | null = null;
  private readonly launchLookups = new LaunchLookupCache(LAUNCH_LOOKUP_TTL_MS);

  constructor(
    @InjectRepository(Platform) private readonly platforms: Repository<Platform>,
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    private readonly config: FerryConfig,
  ) {}

  async create(input: CreatePlatformDto): Promise<Platform> {
    this.assertAllowedUrls(input);
    const platform = this.platforms.create({
      name: input.name,
      issuer: input.issuer,
      clientId: input.clientId,
      authLoginUrl: input.authLoginUrl,
      accessTokenUrl: input.accessTokenUrl,
      jwksUrl: input.jwksUrl,
      unknownDeploymentPolicy: input.unknownDeploymentPolicy ?? 'refuse',
      deployments: [...new Set(input.deploymentIds)].map((deploymentId) => this.deployments.create({ deploymentId })),
    });
    try {
      await this.platforms.save(platform);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_platforms_issuer_client_id')) throw this.platformExists(input);
      throw error;
    }
    this.invalidateFrameAncestors();
    this.launchLookups.clear();
    return this.get(platform.id);
  }

  list(): Promise<Platform[]> {
    return this.platforms.find({ relations: { deployments: true }, order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Platform> {
    const platform = await this.findById(id);
    if (!platform) throw new NotFoundError('The platform');
    return platform;
  }

  async findById(id: string): Promise<Platform | null> {
    // Ids arrive from URLs and login state: anything that is not a uuid is simply not found.
    if (!isUUID(id)) return null;
    return this.findOne({ id });
  }

  async update(id: string, input: UpdatePlatformDto): Promise<Platform> {
    await this.get(id);
    this.assertAllowedUrls(input);
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length > 0) {
      await this.platforms.update({ id }, changes);
      this.invalidateFrameAncestors();
      this.launchLookups.clear();
    }
    return this.get(id);
  }

  /** DELETE keeps the registration (users and launches refer to it); launches are refused from now on. */
  async deactivate(id: string): Promise<Platform> {
    return this.update(id, { status: 'inactive' });
  }

  /** Adds a deployment, or reactivates one that was removed. */
  async addDeployment(platformId: string, input: AddDeploymentDto): Promise<Deployment> {
    const platform = await this.get(platformId);
    const existing = await this.deployments.findOneBy({ platformId: platform.id, deploymentId: input.deploymentId });
    if (existing?.active) throw this.deploymentExists(platform, input.deploymentId);
    this.launchLookups.clear();
    if (existing) {
      await this.deployments.update({ id: existing.id }, { active: true, name: input.name ?? existing.name });
      return this.deployments.findOneByOrFail({ id: existing.id });
    }
    try {
      return await this.deployments.save(
        this.deployments.create({ platformId: platform.id, deploymentId: input.deploymentId, name: input.name ?? null }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'uq_deployments_platform_deployment')) throw this.deploymentExists(platform, input.deploymentId);
      throw error;
    }
  }

  /** Deactivates the deployment: its launches stay on record, new launches from it are refused. */
  async removeDeployment(platformId: string, deploymentId: string): Promise<void> {
    const platform = await this.get(platformId);
    const result = await this.deployments.update({ platformId: platform.id, deploymentId }, { active: false });
    this.launchLookups.clear();
    if (!result.affected) throw new NotFoundError('The deployment');
  }

  /** The platform a login names; without a client id, the issuer's only registration (several: null). */
  async findByIssuerAndClientId(issuer: string, clientId?: string): Promise<Platform | null> {
    if (clientId !== undefined) return this.findOne({ issuer, clientId });
    const candidates = await this.platforms.find({ where: { issuer }, relations: { deployments: true }, take: 2 });
    return candidates.length === 1 ? candidates[0] : null;
  }

  /**
   * The platform a login names, for the LTI login and launch: without its deployments, and
   * memoised for a few seconds (see LaunchLookupCache). Without a client id, the issuer's only
   * registration (several: null).
   */
  findForLogin(issuer: string, clientId?: string): Promise<Platform | null> {
    return this.launchLookups.remember(`login:${issuer}\n${clientId ?? ''}`, async () => {
      const candidates = await this.platforms.find({ where: { issuer, clientId }, take: 2 });
      return candidates.length === 1 ? candidates[0] : null;
    });
  }

  /** The platform of a launch in progress, as `findForLogin`. */
  findForLaunch(id: string): Promise<Platform | null> {
    if (!isUUID(id)) return Promise.resolve(null);
    return this.launchLookups.remember(`id:${id}`, () => this.platforms.findOneBy({ id }));
  }

  /** The deployment a launch comes from, registered on the fly when the platform's policy allows. */
  async resolveLaunchDeployment(platform: Platform, deploymentId: string): Promise<Deployment> {
    const known = await this.launchLookups.remember(`deployment:${platform.id}\n${deploymentId}`, () =>
      this.deployments.findOneBy({ platformId: platform.id, deploymentId }),
    );
    if (known?.active) return known;
    if (known) {
      throw new PlatformsError(
        ErrorCode.DeploymentInactive,
        'This deployment of Ferry has been removed.',
        { platformId: platform.id, deploymentId },
        'A Ferry operator removed this deployment; ask them to add it again if it should still launch.',
      );
    }
    if (platform.unknownDeploymentPolicy !== 'register') {
      throw new PlatformsError(
        ErrorCode.UnknownDeployment,
        'Ferry does not know the deployment this launch comes from.',
        { platformId: platform.id, deploymentId },
        `Ask a Ferry operator to add deployment id ${deploymentId} to this platform (Moodle shows it in the tool's configuration details).`,
      );
    }
    // Two first launches from a new deployment may race: insert once, then both read the same row.
    await this.deployments
      .createQueryBuilder()
      .insert()
      .values({ platformId: platform.id, deploymentId, name: null })
      .orIgnore()
      .execute();
    this.launchLookups.clear();
    return this.deployments.findOneByOrFail({ platformId: platform.id, deploymentId });
  }

  /** Origins that may frame Ferry (CSP frame-ancestors): each active platform's site and login endpoint. */
  async frameAncestorOrigins(): Promise<string[]> {
    const cached = this.frameAncestors;
    if (cached && cached.expiresAt > Date.now()) return cached.origins;
    const entry = { origins: this.loadFrameAncestorOrigins(), expiresAt: Date.now() + FRAME_ANCESTORS_TTL_MS };
    this.frameAncestors = entry;
    entry.origins.catch(() => {
      if (this.frameAncestors === entry) this.frameAncestors = null;
    });
    return entry.origins;
  }

  /** Other api replicas catch up when their cache expires (at most FRAME_ANCESTORS_TTL_MS later). */
  invalidateFrameAncestors(): void {
    this.frameAncestors = null;
  }

  private async loadFrameAncestorOrigins(): Promise<string[]> {
    const active = await this.platforms.find({ select: { issuer: true, authLoginUrl: true }, where: { status: 'active' } });
    const origins = active.flatMap((platform) => [originOf(platform.issuer), originOf(platform.authLoginUrl)]);
    return [...new Set(origins.filter((origin): origin is string => origin !== null))].sort();
  }

  private findOne(where: FindOptionsWhere<Platform>): Promise<Platform | null> {
    return this.platforms.findOne({ where, relations: { deployments: true } });
  }

  /** https only, unless ALLOW_INSECURE_PLATFORM_URLS (local development and tests) allows http. */
  private assertAllowedUrls(input: Partial<Record<(typeof URL_FIELDS)[number], string>>): void {
    const schemes = this.config.allowInsecurePlatformUrls ? ['https:', 'http:'] : ['https:'];
    const fields: Record<string, string[]> = {};
    for (const field of URL_FIELDS) {
      const value = input[field];
      if (value === undefined) continue;
      if (!URL.canParse(value) || !schemes.includes(new URL(value).protocol)) {
        fields[field] = [`${field} must be an absolute https:// URL`];
      }
    }
    if (Object.keys(fields).length > 0) throw new ValidationFailedError(fields);
  }

  private platformExists(input: { issuer: string; clientId: string }): PlatformsError {
    return new PlatformsError(ErrorCode.PlatformExists, 'A platform with this issuer and client id is already registered.', {
      issuer: input.issuer,
      clientId: input.clientId,
    });
  }

  private deploymentExists(platform: Platform, deploymentId: string): PlatformsError {
    return new PlatformsError(ErrorCode.DeploymentExists, 'This platform already has this deployment.', {
      platformId: platform.id,
      deploymentId,
    });
  }
}
