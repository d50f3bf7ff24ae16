import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { EmulatorSettings } from './emulator-settings';
import { PlatformKeyring } from './keys/platform-keyring';
import { buildLaunchClaims } from './launch/launch-claims';
import { moodleUrls } from './launch/moodle-urls';
import { MoodleEmulator } from './moodle/moodle-emulator';
import type {
  BuildLaunchClaimsInput,
  EmulatorActivity,
  EmulatorScore,
  EmulatorUser,
  SignIdTokenOptions,
} from './platform-emulator.types';
import { MoodleSessions, newSesskey } from './sessions/moodle-sessions';

/**
 * The emulated Moodle site: its settings, course, users, sessions, keys and what tools sent back
 * (activities added by deep linking, scores). Controllers read and change it; one per running emulator.
 */
export class PlatformEmulator {
  readonly sessions = new MoodleSessions();
  readonly activities: EmulatorActivity[];
  readonly scores: EmulatorScore[] = [];
  private readonly outcomeSecret = randomBytes(16).toString('hex');
  private siteUrl = '';
  private toolKeys: JWTVerifyGetKey | undefined;
  readonly moodle: MoodleEmulator;

  constructor(
    readonly settings: EmulatorSettings,
    readonly keyring: PlatformKeyring,
  ) {
    this.activities = settings.activities;
    // Ferry's OAuth callback sits next to its launch URL: PUBLIC_URL/lti/launch → PUBLIC_URL/api/moodle-oauth/callback.
    const ferryCallback = settings.tool.launchUrl.replace(/\/lti\/launch$/, '/api/moodle-oauth/callback');
    this.moodle = new MoodleEmulator(settings.moodle, settings.course, settings.users, () => this.siteUrl, () => this.activities, [ferryCallback]);
  }

  /** Set once the server listens, when the port is known. */
  setSiteUrl(siteUrl: string): void {
    this.siteUrl = siteUrl.replace(/\/$/, '');
  }

  get url(): string {
    return this.siteUrl;
  }

  get issuer(): string {
    return this.settings.issuerOverride ?? this.siteUrl;
  }

  get urls() {
    return moodleUrls(this.siteUrl);
  }

  get course() {
    return this.settings.course;
  }

  /** The redirect URIs registered for the tool: Moodle's "Redirection URI(s)" lines. */
  get redirectUris(): string[] {
    return [this.settings.tool.launchUrl, this.settings.tool.deepLinkingUrl].filter((uri): uri is string => !!uri);
  }

  /** The tool's public keys (its JWKS URL), fetched when first needed. */
  get toolKeySet(): JWTVerifyGetKey {
    this.toolKeys ??= createRemoteJWKSet(new URL(this.settings.tool.jwksUrl));
    return this.toolKeys;
  }

  findUser(idOrUsername: string): EmulatorUser | undefined {
    return this.settings.users.find((user) => user.id === idOrUsername || user.username === idOrUsername);
  }

  findActivity(cmid: number): EmulatorActivity | undefined {
    return this.activities.find((activity) => activity.cmid === cmid);
  }

  hasDeployment(deploymentId: string): boolean {
    return this.settings.deployments.some((deployment) => deployment.id === deploymentId);
  }

  /** Adds an activity the way Moodle does for a deep linking content item: next cmid, instance and grade item ids. */
  addActivity(activity: Omit<EmulatorActivity, 'cmid' | 'instanceId'>): EmulatorActivity {
    const next = (pick: (activity: EmulatorActivity) => number) => Math.max(0, ...this.activities.map(pick)) + 1;
    const added: EmulatorActivity = {
      ...activity,
      cmid: next((existing) => existing.cmid),
      instanceId: next((existing) => existing.instanceId),
    };
    this.activities.push(added);
    return added;
  }

  nextLineItemId(): number {
    return Math.max(1, ...this.activities.map((activity) => (activity.lineItem ? activity.lineItem.id : 0))) + 1;
  }

  buildLaunchClaims(input: BuildLaunchClaimsInput & { sesskey?: string; deepLinking?: { title: string; text: string } }) {
    const user = typeof input.user === 'string' ? this.findUser(input.user) : input.user;
    if (!user) throw new Error(`No emulator user ${String(input.user)}`);
    const messageType = input.messageType ?? (input.activity?.kind === 'deep-linking' ? 'LtiDeepLinkingRequest' : 'LtiResourceLinkRequest');
    const activity = input.activity ?? this.activities.find((candidate) => candidate.kind !== 'deep-linking');
    const { tool } = this.settings;
    return buildLaunchClaims({
      siteUrl: this.siteUrl,
      issuer: this.issuer,
      clientId: this.settings.clientId,
      course: this.course,
      user,
      nonce: input.nonce,
      messageType,
      deploymentId: input.deploymentId ?? activity?.deploymentId ?? this.settings.deployments[0].id,
      targetLinkUri: messageType === 'LtiDeepLinkingRequest' ? (tool.deepLinkingUrl ?? tool.launchUrl) : tool.launchUrl,
      activity,
      deepLinking: input.deepLinking ?? { title: activity?.name ?? '', text: activity?.description ?? '' },
      audience: input.audience,
      sesskey: input.sesskey ?? newSesskey(),
      outcomeSecret: this.outcomeSecret,
    });
  }

  signIdToken(payload: Record<string, unknown>, options?: SignIdTokenOptions): Promise<string> {
    return this.keyring.sign(payload, options);
  }
}
