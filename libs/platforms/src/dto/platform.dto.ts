import type { Deployment } from '../deployment.entity';
import type { Platform, PlatformStatus, UnknownDeploymentPolicy } from '../platform.entity';

export interface DeploymentResponse {
  deploymentId: string;
  name: string | null;
  active: boolean;
}

/** A platform as the operator API and CLI show it (CONTRACT.md, "Operator API"). */
export interface PlatformResponse {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  accessTokenUrl: string;
  jwksUrl: string;
  status: PlatformStatus;
  unknownDeploymentPolicy: UnknownDeploymentPolicy;
  deployments: DeploymentResponse[];
  createdAt: string;
  updatedAt: string;
}

export function toDeploymentResponse(deployment: Deployment): DeploymentResponse {
  return { deploymentId: deployment.deploymentId, name: deployment.name, active: deployment.active };
}

const byDeploymentId = (a: Deployment, b: Deployment) => a.deploymentId.localeCompare(b.deploymentId, 'en', { numeric: true });

export function toPlatformResponse(platform: Platform): PlatformResponse {
  return {
    id: platform.id,
    name: platform.name,
    issuer: platform.issuer,
    clientId: platform.clientId,
    authLoginUrl: platform.authLoginUrl,
    accessTokenUrl: platform.accessTokenUrl,
    jwksUrl: platform.jwksUrl,
    status: platform.status,
    unknownDeploymentPolicy: platform.unknownDeploymentPolicy,
    deployments: [...(platform.deployments ?? [])].sort(byDeploymentId).map(toDeploymentResponse),
    createdAt: platform.createdAt.toISOString(),
    updatedAt: platform.updatedAt.toISOString(),
  };
}
