import { Injectable } from '@nestjs/common';
import { FerryConfig } from '@ferry/config';
import { LaunchRecorder } from '@ferry/identity';
import { DEEP_LINKING_REQUEST, LaunchValidator, type LaunchForm } from './launch-validator';

export interface CompletedLaunch {
  /** Where the browser goes next: the SPA, with the one-time code in the fragment (never sent to servers or logs). */
  redirectUrl: string;
  launchId: string;
  stateCookieName: string;
}

/** Step two of a launch: validate everything, then record it and hand the SPA a one-time code. */
@Injectable()
export class LtiLaunchService {
  constructor(
    private readonly config: FerryConfig,
    private readonly validator: LaunchValidator,
    private readonly recorder: LaunchRecorder,
  ) {}

  async completeLaunch(form: LaunchForm, cookies: Record<string, unknown>): Promise<CompletedLaunch> {
    const launch = await this.validator.validateLaunch(form, cookies);
    const recorded = await this.recorder.recordLaunch({
      platformId: launch.platform.id,
      deploymentId: launch.deployment.id,
      claims: launch.claims,
      payload: launch.payload,
    });
    const page = launch.claims.messageType === DEEP_LINKING_REQUEST ? 'deep-link' : 'launch';
    return {
      redirectUrl: `${this.config.publicUrl}/app/${page}#code=${recorded.code}`,
      launchId: recorded.launchId,
      stateCookieName: launch.stateCookieName,
    };
  }
}
