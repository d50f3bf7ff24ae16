import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ferry/errors';
import { FakeMoodle, fixture, sendJson } from './fake-moodle';
import { MoodleWsClient } from './moodle-ws.client';
import { defaultMoodleWsOptions } from './moodle-ws.options';

const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const options = { ...defaultMoodleWsOptions, readTimeoutMs: 300, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe(MoodleWsClient.name, () => {
  let moodle: FakeMoodle;
  let elsewhere: FakeMoodle;
  let sut: MoodleWsClient;

  beforeAll(async () => {
    moodle = await FakeMoodle.start();
    elsewhere = await FakeMoodle.start('localhost');
  });
  afterAll(async () => {
    await moodle.close();
    await elsewhere.close();
  });
  beforeEach(() => {
    moodle.reset();
    elsewhere.reset();
    sut = new MoodleWsClient({ moodleUrl: `${moodle.url}/`, token }, options);
  });

  it('posts wstoken in the form body, never in the URL or a header', async () => {
    moodle.handle = (_req, res) => sendJson(res, fixture('ws-core_webservice_get_site_info.json'));

    await expect(sut.getSiteInfo()).resolves.toMatchObject({ sitename: 'Moodle LTI Peer', userid: 2 });

    const [request] = moodle.requests;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/webservice/rest/server.php');
    expect(request.url.search).toBe('');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(request.form)).toEqual({
      wstoken: token,
      wsfunction: 'core_webservice_get_site_info',
      moodlewsrestformat: 'json',
    });
  });

  it('reads course contents as Moodle returns them, with options encoded Moodle-style', async () => {
    moodle.handle = (_req, res) => sendJson(res, fixture('ws-core_course_get_contents.json'));

    const sections = await sut.getCourseContents(2, { excludemodules: false, modname: 'resource' });

    expect(sections[1].modules[0].contents?.[0]).toMatchObject({
      type: 'file',
      filename: 'lecture-notes.pdf',
      filesize: 5242880,
      mimetype: 'application/pdf',
    });
    expect(moodle.requests[0].body).toContain('options%5B0%5D%5Bname%5D=excludemodules&options%5B0%5D%5Bvalue%5D=0');
    expect(Object.fromEntries(moodle.requests[0].form)).toMatchObject({
      wsfunction: 'core_course_get_contents',
      courseid: '2',
      'options[0][name]': 'excludemodules',
      'options[0][value]': '0',
      'options[1][name]': 'modname',
      'options[1][value]': 'resource',
    });
  });

  it('lists a user’s courses', async () => {
    moodle.handle = (_req, res) => sendJson(res, fixture('ws-core_enrol_get_users_courses.json'));

    await expect(sut.getUserCourses(2)).resolves.toEqual([expect.objectContaining({ id: 2, shortname: 'TRANSFER101' })]);
    expect(moodle.requests[0].form.get('userid')).toBe('2');
  });

  it('searches courses by text with paging', async () => {
    const answer = { total: 1, courses: [{ id: 2, shortname: 'TRANSFER101', fullname: 'Transfer 101' }], warnings: [] };
    moodle.handle = (_req, res) => sendJson(res, JSON.stringify(answer));

    await expect(sut.searchCourses('transfer', { page: 1, perPage: 10 })).resolves.toMatchObject({ total: 1 });
    expect(Object.fromEntries(moodle.requests[0].form)).toMatchObject({
      wsfunction: 'core_course_search_courses',
      criterianame: 'search',
      criteriavalue: 'transfer',
      page: '1',
      perpage: '10',
    });
  });

  it('reads one course by id, and calls an empty answer course_not_found', async () => {
    moodle.handle = (req, res) =>
      sendJson(res, JSON.stringify({ courses: req.form.get('value') === '2' ? [{ id: 2, shortname: 'TRANSFER101' }] : [], warnings: [] }));

    await expect(sut.getCourse(2)).resolves.toMatchObject({ shortname: 'TRANSFER101' });
    await expect(sut.getCourse(99)).rejects.toMatchObject({ code: ErrorCode.CourseNotFound });
    expect(Object.fromEntries(moodle.requests[0].form)).toMatchObject({ wsfunction: 'core_course_get_courses_by_field', field: 'id', value: '2' });
  });

  const accessException = (debuginfo?: string) =>
    JSON.stringify({ exception: 'webservice_access_exception', errorcode: 'accessexception', message: 'Access control exception', debuginfo });

  it.each([
    ['a missing course', fixture('ws-error-invalid-record.json'), ErrorCode.CourseNotFound, 'invalidrecordunknown'],
    [
      'an unknown token',
      '{"exception":"moodle_exception","errorcode":"invalidtoken","message":"Invalid token - token not found"}',
      ErrorCode.MoodleTokenInvalid,
      'invalidtoken',
    ],
    [
      'an expired token (debugging on)',
      accessException('Invalid token - token expired - check validuntil time for the token'),
      ErrorCode.MoodleTokenInvalid,
      'accessexception',
    ],
    ['a bare access exception', accessException(), ErrorCode.MoodleAccessDenied, 'accessexception'],
    [
      'a function missing from the service (debugging on)',
      accessException('Access to the function core_course_get_contents() is not allowed.'),
      ErrorCode.MoodleFunctionMissing,
      'accessexception',
    ],
    [
      'a service that is not available',
      '{"exception":"moodle_exception","errorcode":"servicenotavailable","message":"Web service is not available (it doesn\'t exist or might be disabled)"}',
      ErrorCode.MoodleFunctionMissing,
      'servicenotavailable',
    ],
    [
      'a course the user cannot enter',
      '{"exception":"require_login_exception","errorcode":"requireloginerror","message":"Course or activity not accessible. (Not enrolled)"}',
      ErrorCode.MoodleAccessDenied,
      'requireloginerror',
    ],
    [
      'a missing capability',
      '{"exception":"required_capability_exception","errorcode":"nopermissions","message":"Sorry, but you do not currently have permissions to do that (View course)."}',
      ErrorCode.MoodleAccessDenied,
      'nopermissions',
    ],
    [
      'a course context that failed validation',
      '{"exception":"moodle_exception","errorcode":"errorcoursecontextnotvalid","message":"You cannot execute functions in the course context (course id:2)."}',
      ErrorCode.MoodleAccessDenied,
      'errorcoursecontextnotvalid',
    ],
    [
      'maintenance mode',
      '{"exception":"moodle_exception","errorcode":"sitemaintenance","message":"The site is undergoing maintenance and is currently not available"}',
      ErrorCode.MoodleMaintenance,
      'sitemaintenance',
    ],
    [
      'any other exception',
      '{"exception":"invalid_parameter_exception","errorcode":"invalidparameter","message":"Invalid parameter value detected"}',
      ErrorCode.MoodleError,
      'invalidparameter',
    ],
  ])('maps %s (HTTP 200 exception body) without retrying', async (_case, body, code, moodleErrorcode) => {
    moodle.handle = (_req, res) => sendJson(res, body);

    const failure = sut.getCourseContents(2);

    await expect(failure).rejects.toMatchObject({ code, details: expect.objectContaining({ moodleErrorcode }) });
    expect(moodle.requests).toHaveLength(1);
  });

  it('keeps Moodle’s exception class and names the function it lacks', async () => {
    moodle.handle = (_req, res) => sendJson(res, accessException('Access to the function core_course_get_contents() is not allowed.'));

    await expect(sut.getCourseContents(2)).rejects.toMatchObject({
      message: expect.stringContaining('core_course_get_contents'),
      details: { moodleErrorcode: 'accessexception', moodleException: 'webservice_access_exception', wsfunction: 'core_course_get_contents' },
    });
  });

  it.each([403, 200])('calls an empty HTTP %i answer moodle_ws_disabled', async (status) => {
    moodle.handle = (_req, res) => res.writeHead(status).end();

    await expect(sut.getSiteInfo()).rejects.toMatchObject({ code: ErrorCode.MoodleWsDisabled, details: { httpStatus: status } });
    expect(moodle.requests).toHaveLength(1);
  });

  it('retries a 5xx and succeeds', async () => {
    moodle.handle = (_req, res) =>
      moodle.requests.length === 1 ? res.writeHead(500).end('<h1>Error</h1>') : sendJson(res, fixture('ws-core_webservice_get_site_info.json'));

    await expect(sut.getSiteInfo()).resolves.toMatchObject({ username: 'admin' });
    expect(moodle.requests).toHaveLength(2);
  });

  it('gives up after the bounded attempts with moodle_unreachable', async () => {
    moodle.handle = (_req, res) => res.writeHead(503).end();

    await expect(sut.getSiteInfo()).rejects.toMatchObject({ code: ErrorCode.MoodleUnreachable, details: { httpStatus: 503 } });
    expect(moodle.requests).toHaveLength(3);
  });

  it('retries dropped connections', async () => {
    moodle.handle = (req, res) => (moodle.requests.length < 3 ? res.socket?.destroy() : sendJson(res, '[]'));

    await expect(sut.getUserCourses(2)).resolves.toEqual([]);
    expect(moodle.requests).toHaveLength(3);
  });

  it('does not retry a 4xx', async () => {
    moodle.handle = (_req, res) => res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>Bad request</h1>');

    await expect(sut.getSiteInfo()).rejects.toMatchObject({ code: ErrorCode.MoodleUnreachable, details: { httpStatus: 400 } });
    expect(moodle.requests).toHaveLength(1);
  });

  it('calls a non-JSON answer moodle_unreachable', async () => {
    moodle.handle = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Moodle login page</html>');

    await expect(sut.getSiteInfo()).rejects.toMatchObject({ code: ErrorCode.MoodleUnreachable });
  });

  it('times out a silent Moodle as moodle_unreachable, once', async () => {
    moodle.handle = () => undefined;

    await expect(sut.getSiteInfo()).rejects.toMatchObject({
      code: ErrorCode.MoodleUnreachable,
      message: expect.stringContaining('300 ms'),
    });
    expect(moodle.requests).toHaveLength(1);
  });

  it('never follows a redirect with the token in the body', async () => {
    moodle.handle = (_req, res) => res.writeHead(307, { location: `${elsewhere.url}/webservice/rest/server.php` }).end();

    await expect(sut.getSiteInfo()).rejects.toMatchObject({ code: ErrorCode.MoodleUnreachable, details: { httpStatus: 307 } });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('keeps a Moodle installed under a path', async () => {
    moodle.handle = (_req, res) => sendJson(res, '[]');
    const underPath = new MoodleWsClient({ moodleUrl: `${moodle.url}/moodle`, token }, options);

    await expect(underPath.getUserCourses(2)).resolves.toEqual([]);
    expect(moodle.requests[0].url.pathname).toBe('/moodle/webservice/rest/server.php');
  });
});
