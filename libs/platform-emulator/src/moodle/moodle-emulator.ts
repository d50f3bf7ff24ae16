import type { EmulatorActivity, EmulatorCourse, EmulatorUser } from '../platform-emulator.types';
import { MoodleSite } from './moodle-site';
import type { EmulatorMoodleOptions, RunningMoodle } from './moodle.types';
import { OAUTH_SCOPE, OauthProvider } from './oauth-provider';
import { MoodleWsFunctions } from './ws-functions';

const SUCCESSFUL_DOWNLOAD = new Set([200, 206]);

/** The Moodle-connection side of the emulated site: web services, files, login/token.php and the OAuth provider. */
export class MoodleEmulator {
  readonly site: MoodleSite;
  readonly ws: MoodleWsFunctions;
  readonly oauth: OauthProvider;

  constructor(
    options: EmulatorMoodleOptions,
    ltiCourse: EmulatorCourse,
    users: EmulatorUser[],
    private readonly siteUrl: () => string,
    activities: () => EmulatorActivity[],
    defaultRedirectUris: string[] = [],
  ) {
    this.site = new MoodleSite(options, ltiCourse, users, siteUrl, defaultRedirectUris);
    this.ws = new MoodleWsFunctions(this.site, activities);
    this.oauth = new OauthProvider(this.site);
  }

  get urls() {
    const url = this.siteUrl();
    return {
      wsUrl: `${url}/webservice/rest/server.php`,
      tokenUrl: `${url}/login/token.php`,
      oauth: {
        metadataUrl: `${url}/.well-known/oauth-authorization-server`,
        issuer: url,
        authorizeUrl: `${url}/local/oauthmcp/authorize.php`,
        tokenUrl: `${url}/local/oauthmcp/token.php`,
        revokeUrl: `${url}/local/oauthmcp/revoke.php`,
        scope: OAUTH_SCOPE,
      },
    };
  }

  /** The `moodle` handle of a running emulator. */
  handle(): RunningMoodle {
    const { site, oauth } = this;
    const urls = this.urls;
    return {
      ...urls,
      createToken: (username, tokenOptions) => site.createToken(username, tokenOptions),
      revokeTokens: (username) => {
        const userId = username === undefined ? undefined : site.findUser(username)?.id;
        if (username !== undefined && userId === undefined) throw new Error(`No emulator user ${username}`);
        site.revokeUserWsTokens(userId);
        oauth.revokeUser(userId);
      },
      expireAccessTokens: () => oauth.expireAccessTokens(),
      files: (courseId) => site.files(courseId),
      fault: (fault) => {
        site.currentFault = fault ? { ...fault } : null;
      },
      requests: site.requests,
      counts: {
        wsCalls: (wsfunction) =>
          site.requests.filter((request) => request.path === '/webservice/rest/server.php' && (wsfunction === undefined || request.wsfunction === wsfunction)).length,
        tokenGrants: (grantType) => oauth.grants(grantType),
        downloads: () =>
          site.requests.filter((request) => request.path.startsWith('/webservice/pluginfile.php/') && SUCCESSFUL_DOWNLOAD.has(request.status)).length,
      },
    };
  }
}
