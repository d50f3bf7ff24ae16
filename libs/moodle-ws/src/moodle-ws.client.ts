import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { ErrorCode } from '@ferry/errors';
import { openMoodleFileStream, networkErrorCode, type MoodleFileStream, type OpenFileStreamOptions } from './moodle-file-stream';
import { encodeMoodleParams, type MoodleParamValue } from './moodle-params';
import {
  isMoodleErrorBody,
  moodleErrorToFerryError,
  moodleUnreachableError,
  moodleWsDisabledError,
  MoodleWsError,
} from './moodle-ws.errors';
import type { MoodleWsOptions } from './moodle-ws.options';
import type {
  MoodleCourse,
  MoodleCourseContentsOptions,
  MoodleCourseField,
  MoodleCourseSearchResult,
  MoodleCourseSection,
  MoodleCoursesByField,
  MoodleEnrolledCourse,
  MoodleSiteInfo,
} from './moodle-ws.types';

/** One admin's way into one Moodle: the site's base URL and that admin's own web service token. */
export interface MoodleConnection {
  moodleUrl: string;
  token: string;
}

export interface MoodleCallOptions {
  signal?: AbortSignal;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: MoodleWsError; retryable: boolean };

/**
 * Moodle Web Services (REST) for one connection. Every call is a form POST to
 * `webservice/rest/server.php` with `wstoken` in the body: the REST server reads no Authorization
 * header, and a token in the query string would end up in Moodle's and proxies' access logs.
 */
export class MoodleWsClient {
  private readonly logger = new Logger(MoodleWsClient.name);
  private readonly endpoint: string;
  readonly moodleOrigin: string;

  constructor(
    private readonly connection: MoodleConnection,
    private readonly options: MoodleWsOptions,
  ) {
    let base: URL;
    try {
      base = new URL(connection.moodleUrl);
    } catch {
      throw new MoodleWsError(ErrorCode.BadRequest, 'The Moodle URL is not a valid URL.');
    }
    this.moodleOrigin = base.origin;
    this.endpoint = `${base.origin}${base.pathname.replace(/\/+$/, '')}/webservice/rest/server.php`;
  }

  getSiteInfo(call?: MoodleCallOptions): Promise<MoodleSiteInfo> {
    return this.call('core_webservice_get_site_info', {}, call);
  }

  getUserCourses(userId: number, call?: MoodleCallOptions): Promise<MoodleEnrolledCourse[]> {
    return this.call('core_enrol_get_users_courses', { userid: userId }, call);
  }

  searchCourses(
    text: string,
    { page = 0, perPage = 20, ...call }: MoodleCallOptions & { page?: number; perPage?: number } = {},
  ): Promise<MoodleCourseSearchResult> {
    return this.call(
      'core_course_search_courses',
      { criterianame: 'search', criteriavalue: text, page, perpage: perPage },
      call,
    );
  }

  getCoursesByField(field: MoodleCourseField, value: string | number, call?: MoodleCallOptions): Promise<MoodleCoursesByField> {
    return this.call('core_course_get_courses_by_field', { field, value }, call);
  }

  /** One course by id; core_course_get_courses_by_field answers an empty list, not an error, for a missing one. */
  async getCourse(courseId: number, call?: MoodleCallOptions): Promise<MoodleCourse> {
    const { courses } = await this.getCoursesByField('id', courseId, call);
    const course = courses.find((candidate) => candidate.id === courseId);
    if (!course) throw new MoodleWsError(ErrorCode.CourseNotFound, 'Moodle has no such course.', { courseId });
    return course;
  }

  getCourseContents(
    courseId: number,
    contentsOptions: MoodleCourseContentsOptions = {},
    call?: MoodleCallOptions,
  ): Promise<MoodleCourseSection[]> {
    const options = Object.entries(contentsOptions)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => ({ name, value }));
    return this.call('core_course_get_contents', { courseid: courseId, options }, call);
  }

  /** Streams a file from Moodle (a `fileurl` of core_course_get_contents); see `openMoodleFileStream`. */
  openFileStream(fileurl: string, options?: OpenFileStreamOptions): Promise<MoodleFileStream> {
    return openMoodleFileStream(
      fileurl,
      {
        moodleOrigin: this.moodleOrigin,
        token: this.connection.token,
        headersTimeoutMs: this.options.downloadHeadersTimeoutMs,
        maxRedirects: this.options.maxRedirects,
      },
      options,
    );
  }

  /**
   * Calls a read-only web service function. Retries, with exponential backoff and full jitter, only
   * what may pass on its own: 5xx answers and network failures. Never a 4xx or a Moodle exception
   * (those are answers), and never a timeout, so a request handler waits at most `readTimeoutMs` a try.
   */
  async call<T>(wsfunction: string, params: Record<string, MoodleParamValue>, { signal }: MoodleCallOptions = {}): Promise<T> {
    const body = encodeMoodleParams({
      wstoken: this.connection.token,
      wsfunction,
      moodlewsrestformat: 'json',
      ...params,
    }).toString();
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt<T>(wsfunction, body, signal);
      if (result.ok) return result.value;
      if (!result.retryable || attempt >= this.options.maxAttempts) throw result.error;
      const delay = this.backoff(attempt);
      this.logger.warn(`${wsfunction} attempt ${attempt} failed (${result.error.message}); retrying in ${delay} ms`);
      await sleep(delay, undefined, { signal });
    }
  }

  private async attempt<T>(wsfunction: string, body: string, signal?: AbortSignal): Promise<Attempt<T>> {
    const timeout = AbortSignal.timeout(this.options.readTimeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        // Never follow: a 307/308 would re-post the token to wherever Location points.
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = response.status;
      if (status >= 300 && status < 400) {
        await response.body?.cancel();
        const error = moodleUnreachableError('Moodle redirected the web service call; use the URL it redirects to', {
          httpStatus: status,
          location: redirectTarget(response.headers.get('location'), this.endpoint),
        });
        return { ok: false, error, retryable: false };
      }
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        const error = moodleUnreachableError(`Moodle did not answer within ${this.options.readTimeoutMs} ms`, { wsfunction });
        return { ok: false, error, retryable: false };
      }
      const failure = moodleUnreachableError('the connection failed', { wsfunction, cause: networkErrorCode(error) });
      return { ok: false, error: failure, retryable: true };
    }
    return this.interpret<T>(wsfunction, status, text);
  }

  private interpret<T>(wsfunction: string, status: number, text: string): Attempt<T> {
    if (status >= 500) {
      const error = moodleUnreachableError('Moodle answered with a server error', { wsfunction, httpStatus: status });
      return { ok: false, error, retryable: true };
    }
    // webservice/rest/server.php dies with no output when web services or the REST protocol are off:
    // HTTP 403 on current Moodle, HTTP 200 on older releases.
    if (text.trim() === '' && (status === 403 || status === 200)) {
      return { ok: false, error: moodleWsDisabledError(status), retryable: false };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const error = moodleUnreachableError('Moodle did not answer with JSON', { wsfunction, httpStatus: status });
      return { ok: false, error, retryable: false };
    }
    if (isMoodleErrorBody(json)) return { ok: false, error: moodleErrorToFerryError(json, wsfunction), retryable: false };
    if (status !== 200) {
      const error = new MoodleWsError(ErrorCode.MoodleError, `Moodle answered HTTP ${status}.`, { wsfunction, httpStatus: status });
      return { ok: false, error, retryable: false };
    }
    return { ok: true, value: json as T };
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(Math.random() * ceiling);
  }
}

function redirectTarget(location: string | null, base: string): string | null {
  if (!location) return null;
  try {
    const url = new URL(location, base);
    return `${url.origin}${url.pathname}`;
  } catch {
    return null;
  }
}
