import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformEmulator } from '../platform-emulator.types';
import { startPlatformEmulator } from '../start-platform-emulator';

const capture = (name: string) => readFileSync(resolve(__dirname, '../fixtures', name), 'utf8');
const captured = {
  siteInfo: JSON.parse(capture('ws-core_webservice_get_site_info.json')) as Record<string, unknown>,
  contents: JSON.parse(capture('ws-core_course_get_contents.json')) as Array<Record<string, unknown> & { modules: Array<Record<string, unknown>> }>,
  usersCourses: JSON.parse(capture('ws-core_enrol_get_users_courses.json')) as Array<Record<string, unknown>>,
  invalidRecord: JSON.parse(capture('ws-error-invalid-record.json')) as Record<string, unknown>,
  invalidToken: JSON.parse(capture('pluginfile-invalid-token.body.json')) as Record<string, unknown>,
  downloadHeaders: capture('pluginfile-download.headers.txt'),
};

/** Field names with the JSON type of each value, so a shape compares without the values. */
function shape(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null ? 'null' : Array.isArray(item) ? 'array' : typeof item]));
}

const TOOL = { loginUrl: 'http://tool.example/lti/login', launchUrl: 'http://tool.example/lti/launch', jwksUrl: 'http://tool.example/jwks' };

describe('emulated Moodle web services and pluginfile.php', () => {
  let sut: RunningPlatformEmulator;
  let adminToken: string;

  beforeAll(async () => {
    sut = await startPlatformEmulator({
      port: 0,
      tool: TOOL,
      moodle: { extraCourses: [{ id: 7, shortname: 'HIST7', fullname: 'History of Ferries', enrolled: ['admin'] }] },
    });
    adminToken = sut.moodle.createToken('admin');
  });
  afterAll(async () => {
    await sut?.stop();
  });
  afterEach(() => sut.moodle.fault(null));

  async function call(wsfunction: string, params: Record<string, string> = {}, token = adminToken) {
    const response = await fetch(sut.moodle.wsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wstoken: token, wsfunction, moodlewsrestformat: 'json', ...params }),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, text, json: isJson ? (JSON.parse(text) as unknown) : undefined };
  }

  const download = (fileurl: string, token = adminToken, headers: Record<string, string> = {}) => fetch(`${fileurl}&token=${token}`, { headers });

  describe('functions, shaped like the captures', () => {
    it('core_webservice_get_site_info: the token user, the service functions minus the missing ones', async () => {
      const token = sut.moodle.createToken('teacher1', { missingFunctions: ['core_course_search_courses'] });

      const { status, json } = await call('core_webservice_get_site_info', {}, token);

      const info = json as Record<string, unknown> & { functions: Array<{ name: string }> };
      expect(status).toBe(200);
      expect(shape(info)).toEqual(shape(captured.siteInfo));
      expect(info).toMatchObject({ userid: 4, username: 'teacher1', fullname: 'Ivy Instructor', siteurl: sut.url, userissiteadmin: false });
      const names = info.functions.map((fn) => fn.name);
      expect(names).toContain('core_course_get_courses_by_field');
      expect(names).not.toContain('core_course_search_courses');
    });

    it('core_enrol_get_users_courses: the user’s courses', async () => {
      const { json } = await call('core_enrol_get_users_courses', { userid: '2' });

      const courses = json as Array<Record<string, unknown>>;
      expect(courses.map((course) => course.id)).toEqual([2, 7]);
      expect(shape(courses[0])).toEqual(shape(captured.usersCourses[0]));
      expect(courses[0]).toMatchObject({ shortname: 'TRANSFER101', fullname: 'Transfer 101' });
    });

    it('core_course_search_courses and core_course_get_courses_by_field find courses, an unknown id is an empty list', async () => {
      const search = (await call('core_course_search_courses', { criterianame: 'search', criteriavalue: 'ferries', page: '0', perpage: '20' })).json;
      expect(search).toMatchObject({ total: 1, courses: [{ id: 7, shortname: 'HIST7', fullname: 'History of Ferries', displayname: 'History of Ferries', categoryid: 1 }], warnings: [] });

      const byId = (await call('core_course_get_courses_by_field', { field: 'id', value: '2' })).json as { courses: Array<Record<string, unknown>> };
      expect(byId.courses).toHaveLength(1);
      expect(byId.courses[0]).toMatchObject({ id: 2, shortname: 'TRANSFER101', categoryname: expect.any(String) });
      await expect(call('core_course_get_courses_by_field', { field: 'id', value: '999' })).resolves.toMatchObject({ json: { courses: [], warnings: [] } });
    });

    it('core_course_get_contents: General section 0, resource, folder and LTI modules with the captured fields', async () => {
      const { json } = await call('core_course_get_contents', { courseid: '2' });

      const sections = json as typeof captured.contents;
      expect(sections[0]).toMatchObject({ section: 0, name: 'General' });
      expect(shape(sections[0])).toEqual(shape(captured.contents[0]));
      const modules = sections.flatMap((section) => section.modules);
      const byModname = (contents: Array<Record<string, unknown>>, modname: string) => contents.find((module) => module.modname === modname)!;
      const capturedModules = captured.contents.flatMap((section) => section.modules);
      for (const modname of ['resource', 'folder', 'lti']) {
        expect(shape(byModname(modules, modname)), modname).toEqual(shape(byModname(capturedModules, modname)));
      }
      const resource = byModname(modules, 'resource') as { contents: Array<Record<string, unknown>>; contentsinfo: Record<string, unknown> };
      const capturedResource = byModname(capturedModules, 'resource') as typeof resource;
      expect(shape(resource.contents[0])).toEqual(shape(capturedResource.contents[0]));
      expect(shape(resource.contentsinfo)).toEqual(shape(capturedResource.contentsinfo));
      expect(resource.contents[0].fileurl).toMatch(new RegExp(`^${sut.url}/webservice/pluginfile\\.php/\\d+/mod_resource/content/0/lecture-notes\\.pdf\\?forcedownload=1$`));
      expect(byModname(modules, 'lti')).toMatchObject({ id: 3, name: 'LTI Transfer activity' });
    });

    it('lists the default course’s folder with nested paths and a unicode name, a page, a url and an external file', async () => {
      const modules = ((await call('core_course_get_contents', { courseid: '2' })).json as typeof captured.contents).flatMap((section) => section.modules);
      const contentsOf = (modname: string) => (modules.find((module) => module.modname === modname) as { contents: Array<Record<string, unknown>> }).contents;

      expect(contentsOf('folder').map((file) => [file.filepath, file.filename])).toContainEqual(['/sub/dir/', '講義ノート.txt']);
      expect(contentsOf('folder').find((file) => file.filepath === '/sub/dir/')!.fileurl).toContain('/sub/dir/%E8%AC%9B');
      expect(contentsOf('page')[0]).toMatchObject({ type: 'file', filename: 'index.html', filesize: 0, timecreated: null });
      expect(contentsOf('url')[0]).toMatchObject({ type: 'url', filepath: null, fileurl: 'https://learn.microsoft.com/azure/storage/blobs/' });
      const external = modules.find((module) => module.name === 'Shared slides (Dropbox)') as { contents: Array<Record<string, unknown>>; contentsinfo: Record<string, unknown> };
      expect(external.contents[0]).toMatchObject({ isexternalfile: true, repositorytype: 'dropbox' });
      expect(external.contentsinfo.repositorytype).toBe('dropbox');
    });

    it('honours core_course_get_contents options', async () => {
      const { json } = await call('core_course_get_contents', { courseid: '2', 'options[0][name]': 'sectionnumber', 'options[0][value]': '1', 'options[1][name]': 'excludecontents', 'options[1][value]': '1' });

      const sections = json as typeof captured.contents;
      expect(sections.map((section) => section.section)).toEqual([1]);
      expect(sections[0].modules.every((module) => !('contents' in module))).toBe(true);
    });
  });

  describe('errors, as Moodle answers them', () => {
    it('an unknown token: HTTP 200 moodle_exception invalidtoken', async () => {
      await expect(call('core_webservice_get_site_info', {}, 'f'.repeat(32))).resolves.toEqual({
        status: 200,
        text: expect.any(String),
        json: { exception: 'moodle_exception', errorcode: 'invalidtoken', message: 'Invalid token - token not found' },
      });
    });

    it('a function outside the token’s service: webservice_access_exception accessexception', async () => {
      const token = sut.moodle.createToken('admin', { missingFunctions: ['core_course_get_contents'] });
      await expect(call('core_course_get_contents', { courseid: '2' }, token)).resolves.toMatchObject({
        json: { exception: 'webservice_access_exception', errorcode: 'accessexception', message: 'Access control exception' },
      });
    });

    it('a course the user is not enrolled in: errorcoursecontextnotvalid; an unknown course: the captured missing record', async () => {
      const student = sut.moodle.createToken('student1');
      await expect(call('core_course_get_contents', { courseid: '7' }, student)).resolves.toMatchObject({
        json: { exception: 'moodle_exception', errorcode: 'errorcoursecontextnotvalid', message: expect.stringContaining('Not enrolled') },
      });
      await expect(call('core_course_get_contents', { courseid: '404' })).resolves.toMatchObject({ json: captured.invalidRecord });
    });

    it('revoked tokens stop working', async () => {
      const token = sut.moodle.createToken('teacher1');
      sut.moodle.revokeTokens('teacher1');
      await expect(call('core_webservice_get_site_info', {}, token)).resolves.toMatchObject({ json: { errorcode: 'invalidtoken' } });
    });

    it('ws_disabled: HTTP 403 with an empty body', async () => {
      sut.moodle.fault({ kind: 'ws_disabled' });
      await expect(call('core_webservice_get_site_info')).resolves.toMatchObject({ status: 403, text: '' });
    });

    it('maintenance: sitemaintenance from the REST server and pluginfile.php', async () => {
      sut.moodle.fault({ kind: 'maintenance' });
      await expect(call('core_webservice_get_site_info')).resolves.toMatchObject({ status: 200, json: { exception: 'moodle_exception', errorcode: 'sitemaintenance' } });
      const response = await download(sut.moodle.files()[0].fileurl);
      await expect(response.json()).resolves.toMatchObject({ errorcode: 'sitemaintenance' });
    });
  });

  describe('pluginfile.php', () => {
    it('serves the whole file with Moodle’s headers: Etag = contenthash, Accept-Ranges, inline Content-Disposition', async () => {
      const file = sut.moodle.files().find((candidate) => candidate.filename === 'lecture-notes.pdf')!;

      const response = await download(file.fileurl);
      const body = Buffer.from(await response.arrayBuffer());

      expect(response.status).toBe(200);
      expect(body.length).toBe(file.filesize);
      expect(response.headers.get('content-length')).toBe(String(file.filesize));
      expect(response.headers.get('etag')).toBe(`"${createHash('sha1').update(body).digest('hex')}"`);
      await expect(file.contenthash()).resolves.toBe(createHash('sha1').update(body).digest('hex'));
      await expect(file.sha256()).resolves.toBe(createHash('sha256').update(body).digest('hex'));
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(response.headers.get('content-type')).toBe('application/pdf');
      for (const line of ['Content-Disposition: inline; filename="lecture-notes.pdf"', 'Access-Control-Allow-Origin: *', 'Cache-Control: private, max-age=21600, no-transform']) {
        expect(captured.downloadHeaders).toContain(line);
        const [name, value] = line.split(': ');
        expect(response.headers.get(name)).toBe(value);
      }
      expect(response.headers.get('last-modified')).toMatch(/GMT$/);
    });

    it('answers a Range with 206, Content-Range and exactly those bytes', async () => {
      const file = sut.moodle.files().find((candidate) => candidate.filename === 'lecture-notes.pdf')!;
      const whole = Buffer.from(await (await download(file.fileurl)).arrayBuffer());

      for (const [range, start, end] of [['bytes=1048570-1048589', 1048570, 1048589], ['bytes=5000000-', 5000000, file.filesize - 1], ['bytes=-100', file.filesize - 100, file.filesize - 1]] as const) {
        const response = await download(file.fileurl, adminToken, { range });
        expect(response.status, range).toBe(206);
        expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${file.filesize}`);
        expect(Buffer.from(await response.arrayBuffer()).equals(whole.subarray(start, end + 1)), range).toBe(true);
      }
    });

    it('sends a unicode file name as UTF-8 bytes, like PHP', async () => {
      const file = sut.moodle.files().find((candidate) => candidate.filename === '講義ノート.txt')!;
      const response = await download(file.fileurl);
      await response.arrayBuffer();
      expect(Buffer.from(response.headers.get('content-disposition')!, 'latin1').toString('utf8')).toBe('inline; filename="講義ノート.txt"');
    });

    it('answers a bad token with the captured body, an unknown file with 404 filenotfound', async () => {
      const file = sut.moodle.files()[0];
      const bad = await download(file.fileurl, 'a'.repeat(32));
      await expect(bad.json()).resolves.toEqual(captured.invalidToken);

      const missing = await download(`${sut.url}/webservice/pluginfile.php/1/mod_resource/content/0/nope.pdf?forcedownload=1`);
      expect(missing.status).toBe(404);
      await expect(missing.json()).resolves.toMatchObject({ errorcode: 'filenotfound' });
    });

    it('refuses a file of a course the token user cannot access', async () => {
      const [file] = sut.moodle.files(7);
      const response = await download(file.fileurl, sut.moodle.createToken('student1'));
      await expect(response.json()).resolves.toMatchObject({ errorcode: 'requireloginerror' });
    });
  });

  describe('faults', () => {
    it('http_error answers the status `times` times, then Moodle is back', async () => {
      sut.moodle.fault({ kind: 'http_error', status: 502, times: 2, paths: 'ws' });

      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt++) statuses.push((await call('core_webservice_get_site_info')).status);

      expect(statuses).toEqual([502, 502, 200]);
      const file = sut.moodle.files()[1];
      sut.moodle.fault({ kind: 'http_error', status: 503, paths: 'ws' });
      expect((await download(file.fileurl)).status).toBe(200);
    });

    it('down destroys the socket', async () => {
      sut.moodle.fault({ kind: 'down' });
      await expect(call('core_webservice_get_site_info')).rejects.toThrow();
      await expect(download(sut.moodle.files()[0].fileurl)).rejects.toThrow();
    });

    it('truncate_download closes the connection mid-body, once', async () => {
      const file = sut.moodle.files().find((candidate) => candidate.filename === 'lecture-notes.pdf')!;
      sut.moodle.fault({ kind: 'truncate_download', afterBytes: 100_000, times: 1 });

      const cut = await download(file.fileurl);
      expect(cut.headers.get('content-length')).toBe(String(file.filesize));
      await expect(cut.arrayBuffer()).rejects.toThrow();

      const next = await download(file.fileurl);
      expect((await next.arrayBuffer()).byteLength).toBe(file.filesize);
    });

    it('wrong_size serves another length than core_course_get_contents lists', async () => {
      const file = sut.moodle.files().find((candidate) => candidate.filename === 'data.bin')!;
      sut.moodle.fault({ kind: 'wrong_size', fileurl: file.fileurl, actualSize: 1000 });

      const response = await download(file.fileurl);

      expect(file.filesize).toBe(307200);
      expect((await response.arrayBuffer()).byteLength).toBe(1000);
    });

    it('slow delays the answer', async () => {
      sut.moodle.fault({ kind: 'slow', ms: 150 });
      const started = performance.now();
      await call('core_webservice_get_site_info');
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  it('records requests without tokens and counts calls and downloads', async () => {
    const before = { calls: sut.moodle.counts.wsCalls('core_course_search_courses'), downloads: sut.moodle.counts.downloads() };
    await call('core_course_search_courses', { criterianame: 'search', criteriavalue: 'transfer' });
    await (await download(sut.moodle.files()[1].fileurl, adminToken, { range: 'bytes=0-9' })).arrayBuffer();

    expect(sut.moodle.counts.wsCalls('core_course_search_courses')).toBe(before.calls + 1);
    expect(sut.moodle.counts.downloads()).toBe(before.downloads + 1);
    expect(sut.moodle.requests.at(-1)).toMatchObject({ method: 'GET', range: 'bytes=0-9', status: 206 });
    expect(JSON.stringify(sut.moodle.requests)).not.toContain(adminToken);
  });
});
