import type { EmulatorCourse } from '../platform-emulator.types';

/** A course's files, generated deterministically from `seed`. */
export interface GeneratedCourseSpec {
  /** Sections besides the General section 0. */
  sections: number;
  filesPerSection: number;
  /** Bytes: one size for every file, or a range each file's size is drawn from. Default 1 KiB–512 KiB. */
  fileSize?: number | { min: number; max: number };
  /** Some of each section's files go into a mod_folder, with nested filepaths like '/sub/dir/'. */
  folders?: boolean;
  /** Some file names are non-ASCII, e.g. 'Café — résumé (v2).pdf', '講義ノート.txt'. */
  unicodeNames?: boolean;
  /** Also a page, a book (a type 'content' entry), a url module (type 'url') and an external repository file. */
  extras?: boolean;
  seed?: number;
}

export interface EmulatorOauthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface EmulatorMoodleOptions {
  /** Content of the LTI course (id = options.course.id, default 2); default: a small realistic course. */
  course?: GeneratedCourseSpec;
  /** More courses; `enrolled` are usernames (default ['admin']). */
  extraCourses?: Array<EmulatorCourse & { content?: GeneratedCourseSpec; enrolled?: string[] }>;
  /** Default: one client, DEMO_OAUTH_CLIENT, redirecting to Ferry's callback beside the tool's launch URL. */
  oauthClients?: EmulatorOauthClient[];
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** login/token.php for service 'moodle_mobile_app'. Default true. */
  mobileServiceEnabled?: boolean;
}

export type EmulatorFault =
  /** REST answers 403 with an empty body, as Moodle does with web services or REST turned off. */
  | { kind: 'ws_disabled' }
  /** The site is in maintenance: `sitemaintenance` errors from the REST server, pluginfile.php and login/token.php. */
  | { kind: 'maintenance' }
  /** WS, pluginfile, login/token.php and OAuth endpoints destroy the socket. */
  | { kind: 'down' }
  /** Answers `status` `times` times (default: until cleared) on the chosen paths (default 'all'). */
  | { kind: 'http_error'; status: number; times?: number; paths?: 'ws' | 'pluginfile' | 'oauth' | 'all' }
  | { kind: 'slow'; ms: number }
  /** pluginfile.php closes the socket after `afterBytes` of the body, `times` times (default: until cleared). */
  | { kind: 'truncate_download'; afterBytes: number; times?: number }
  /** pluginfile.php serves `actualSize` bytes for this file instead of the size core_course_get_contents lists. */
  | { kind: 'wrong_size'; fileurl: string; actualSize: number };

export interface EmulatorFileInfo {
  /** As core_course_get_contents lists it: `${url}/webservice/pluginfile.php/…?forcedownload=1`. */
  fileurl: string;
  filename: string;
  filepath: string;
  filesize: number;
  mimetype: string;
  /** Moodle's contenthash (SHA-1 hex), the ETag pluginfile.php sends; derived for files over 64 MiB (see README). */
  contenthash(): Promise<string>;
  /** SHA-256 hex of the bytes pluginfile.php serves, computed when first asked. */
  sha256(): Promise<string>;
}

export interface EmulatorRequest {
  method: string;
  /** Path without the query string (pluginfile tokens never show up here). */
  path: string;
  wsfunction?: string;
  grantType?: string;
  range?: string;
  /** 0 when the socket was destroyed. */
  status: number;
  at: number;
}

export interface RunningMoodle {
  /** `${url}/webservice/rest/server.php` */
  wsUrl: string;
  /** `${url}/login/token.php` */
  tokenUrl: string;
  oauth: { metadataUrl: string; issuer: string; authorizeUrl: string; tokenUrl: string; revokeUrl: string; scope: string };
  /** Like Site administration → Server → Web services → Manage tokens → Create token. */
  createToken(username: string, options?: { service?: string; missingFunctions?: string[] }): string;
  /** Every token (ws + oauth access + refresh) of that user, or of everyone. */
  revokeTokens(username?: string): void;
  /** Current OAuth access tokens stop working; refresh tokens still work. */
  expireAccessTokens(): void;
  /** The stored files Ferry can transfer (resources and folders, not external files, pages or books) of a course (default: the LTI course). */
  files(courseId?: number): EmulatorFileInfo[];
  /** One fault at a time; null clears it. */
  fault(fault: EmulatorFault | null): void;
  /** Every request to the emulator, oldest first, live. */
  readonly requests: ReadonlyArray<EmulatorRequest>;
  counts: {
    /** REST requests (any outcome), optionally of one function. */
    wsCalls(wsfunction?: string): number;
    /** Tokens issued at the OAuth token endpoint, optionally by grant type. */
    tokenGrants(grantType?: 'authorization_code' | 'refresh_token'): number;
    /** pluginfile.php answers that sent file content (200 or 206). */
    downloads(): number;
  };
}
