import { randomBytes } from 'node:crypto';
import type { EmulatorCourse, EmulatorUser } from '../platform-emulator.types';
import { CourseGenerator } from './course-generator';
import { pluginfilePath, pluginfileUrl, SiteIds, type CourseModel, type CourseModuleModel, type ServedFile } from './course-model';
import { GeneratedContent } from './generated-content';
import type { EmulatorFault, EmulatorFileInfo, EmulatorMoodleOptions, EmulatorOauthClient, EmulatorRequest } from './moodle.types';

export const MOBILE_SERVICE = 'moodle_mobile_app';

/** The functions of the emulated external services: the capture's list plus the two course lookups Ferry needs. */
export const SERVICE_FUNCTIONS = [
  'core_course_get_contents',
  'core_webservice_get_site_info',
  'core_enrol_get_users_courses',
  'core_course_get_courses',
  'core_course_search_courses',
  'core_course_get_courses_by_field',
  'core_enrol_get_enrolled_users',
  'core_course_get_course_module',
  'mod_resource_get_resources_by_courses',
  'mod_folder_get_folders_by_courses',
  'mod_lti_get_tool_launch_data',
  'mod_lti_get_ltis_by_courses',
  'core_files_get_files',
] as const;

export const DEMO_OAUTH_CLIENT = { clientId: 'ferry', clientSecret: 'ferry-demo-client-secret-8c1f0e4b2a' } as const;

export interface WsToken {
  token: string;
  userId: string;
  service: string;
  functions: string[];
  kind: 'ws' | 'oauth';
  /** OAuth access tokens: ms epoch. */
  expiresAt?: number;
  /** OAuth: the refresh token family this access token belongs to. */
  family?: string;
}

export interface LocatedFile {
  file: ServedFile;
  module: CourseModuleModel;
  course: CourseModel;
}

/**
 * The emulated Moodle's data behind web services, pluginfile.php, login/token.php and the OAuth
 * provider: courses and their files, tokens, the current fault and every request seen.
 */
export class MoodleSite {
  readonly courses = new Map<number, CourseModel>();
  readonly tokens = new Map<string, WsToken>();
  readonly requests: EmulatorRequest[] = [];
  readonly oauthClients: EmulatorOauthClient[];
  readonly accessTokenTtlSeconds: number;
  readonly mobileServiceEnabled: boolean;
  currentFault: EmulatorFault | null = null;
  private readonly filesByPath = new Map<string, LocatedFile>();
  readonly ltiCourseId: number;

  constructor(
    options: EmulatorMoodleOptions,
    ltiCourse: EmulatorCourse,
    private readonly users: EmulatorUser[],
    private readonly siteUrl: () => string,
    defaultRedirectUris: string[] = [],
  ) {
    const generator = new CourseGenerator(new SiteIds());
    this.ltiCourseId = ltiCourse.id;
    const everyone = users.map((user) => user.id);
    this.addCourse(options.course ? generator.generate(ltiCourse, options.course, everyone) : generator.defaultCourse(ltiCourse, everyone));
    for (const extra of options.extraCourses ?? []) {
      const { content, enrolled, ...course } = extra;
      const enrolledIds = (enrolled ?? ['admin']).map((username) => {
        const user = this.findUser(username);
        if (!user) throw new Error(`Course ${course.id} enrols ${username}, who is not an emulator user`);
        return user.id;
      });
      this.addCourse(
        generator.generate(course, content ?? { sections: 1, filesPerSection: 2, seed: course.id }, enrolledIds),
      );
    }
    this.oauthClients = (options.oauthClients ?? [{ ...DEMO_OAUTH_CLIENT, redirectUris: defaultRedirectUris }]).map((client) => ({
      ...client,
      redirectUris: [...client.redirectUris],
    }));
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 3600;
    this.mobileServiceEnabled = options.mobileServiceEnabled ?? true;
  }

  get url(): string {
    return this.siteUrl();
  }

  findUser(idOrUsername: string): EmulatorUser | undefined {
    return this.users.find((user) => user.id === idOrUsername || user.username === idOrUsername);
  }

  isSiteAdmin(user: EmulatorUser): boolean {
    return user.role === 'admin';
  }

  /** Site admins reach every course; others only the ones they are enrolled in (require_login). */
  canAccess(user: EmulatorUser, course: CourseModel): boolean {
    return this.isSiteAdmin(user) || course.enrolled.has(user.id);
  }

  findFile(decodedPath: string): LocatedFile | undefined {
    return this.filesByPath.get(decodedPath);
  }

  /** Counts one use of a fault that has `times`; the fault clears itself after the last one. */
  consumeFault<T extends EmulatorFault>(fault: T): T {
    if ('times' in fault && fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0 && this.currentFault === fault) this.currentFault = null;
    }
    return fault;
  }

  /** A WS token for the user, like Manage tokens → Create token: 32 hex characters. */
  createToken(username: string, options: { service?: string; missingFunctions?: string[] } = {}): string {
    const user = this.findUser(username);
    if (!user) throw new Error(`No emulator user ${username}`);
    const token = randomBytes(16).toString('hex');
    const missing = new Set(options.missingFunctions ?? []);
    this.tokens.set(token, {
      token,
      userId: user.id,
      service: options.service ?? MOBILE_SERVICE,
      functions: SERVICE_FUNCTIONS.filter((name) => !missing.has(name)),
      kind: 'ws',
    });
    return token;
  }

  /** A live token, or undefined (unknown, revoked or an expired OAuth access token). */
  liveToken(token: string | undefined): WsToken | undefined {
    const found = token ? this.tokens.get(token) : undefined;
    if (!found) return undefined;
    if (found.expiresAt !== undefined && found.expiresAt <= Date.now()) return undefined;
    return found;
  }

  revokeUserWsTokens(userId: string | undefined): void {
    for (const [token, record] of this.tokens) if (userId === undefined || record.userId === userId) this.tokens.delete(token);
  }

  /** The stored, transferable files of a course, as core_course_get_contents lists them. */
  files(courseId = this.ltiCourseId): EmulatorFileInfo[] {
    const course = this.courses.get(courseId);
    if (!course) throw new Error(`No emulator course ${courseId}`);
    const files: EmulatorFileInfo[] = [];
    for (const section of course.sections) {
      for (const module of section.modules) {
        if (module.modname !== 'resource' && module.modname !== 'folder') continue;
        for (const entry of module.entries) {
          if (entry.type !== 'file' || entry.file.isexternalfile || !(entry.file.body instanceof GeneratedContent)) continue;
          const content = entry.file.body;
          files.push({
            fileurl: pluginfileUrl(this.url, entry.file),
            filename: entry.file.filename,
            filepath: entry.file.filepath,
            filesize: content.size,
            mimetype: entry.file.mimetype,
            contenthash: () => content.contenthash(),
            sha256: () => content.sha256(),
          });
        }
      }
    }
    return files;
  }

  private addCourse(course: CourseModel): void {
    if (this.courses.has(course.course.id)) throw new Error(`Two emulator courses have id ${course.course.id}`);
    this.courses.set(course.course.id, course);
    for (const section of course.sections) {
      for (const module of section.modules) {
        for (const entry of module.entries) {
          if (entry.type === 'file') this.filesByPath.set(pluginfilePath(entry.file), { file: entry.file, module, course });
        }
      }
    }
  }
}
