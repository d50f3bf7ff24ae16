import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ferry/errors';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { insertTransfer } from '../../transfers/src/testing/transfer-fixtures';
import { startCourseFilesTestApp, type CourseFilesTestApp } from './testing/course-files-test-app';

const TOOL = { loginUrl: 'http://127.0.0.1:1/lti/login', launchUrl: 'http://127.0.0.1:1/lti/launch', jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json' };
const COURSE_ID = 2;

let moodleA: RunningPlatformEmulator;
let moodleB: RunningPlatformEmulator;
let ferry: CourseFilesTestApp;

beforeAll(async () => {
  [moodleA, moodleB, ferry] = await Promise.all([
    startPlatformEmulator({
      port: 0,
      tool: TOOL,
      moodle: {
        course: { sections: 3, filesPerSection: 4, folders: true, unicodeNames: true, extras: true, seed: 11 },
        extraCourses: [{ id: 7, shortname: 'HIST201', fullname: 'History 201', enrolled: ['admin'] }],
      },
    }),
    startPlatformEmulator({ port: 0, tool: TOOL, moodle: { course: { sections: 1, filesPerSection: 2, seed: 99 } } }),
    startCourseFilesTestApp(),
  ]);
});

afterAll(async () => {
  await ferry?.close();
  await Promise.all([moodleA?.stop(), moodleB?.stop()]);
});

interface Admin {
  platformId: string;
  userId: string;
  bearer: string;
}

async function api(who: { bearer: string } | null, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${ferry.url}${path}`, { headers: who ? { authorization: `Bearer ${who.bearer}` } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function send(who: { bearer: string }, method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${ferry.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${who.bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A platform whose Moodle is `moodle`, set up for pasted tokens, and its admin (Moodle user 2) launched from course 2 and connected. */
async function connectedAdmin(moodle: RunningPlatformEmulator, options: { connect?: boolean; roles?: Array<'admin' | 'instructor' | 'learner'> } = {}): Promise<Admin> {
  const [platform] = await ferry.dataSource.query(
    `INSERT INTO platforms (name, issuer, client_id, auth_login_url, access_token_url, jwks_url)
     VALUES ('Moodle', $1, $2, $1 || '/mod/lti/auth.php', $1 || '/mod/lti/token.php', $1 || '/mod/lti/certs.php') RETURNING id`,
    [moodle.url, randomUUID()],
  );
  const [deployment] = await ferry.dataSource.query(`INSERT INTO deployments (platform_id, deployment_id) VALUES ($1, '1') RETURNING id`, [platform.id]);
  const [user] = await ferry.dataSource.query(`INSERT INTO users (platform_id, sub, username, last_roles) VALUES ($1, '2', 'admin', '{admin}') RETURNING id`, [platform.id]);
  const [launch] = await ferry.dataSource.query(
    `INSERT INTO launches (user_id, platform_id, deployment_id, message_type, lti_roles, roles, context_id, claims)
     VALUES ($1, $2, $3, 'LtiResourceLinkRequest', '{}', '{admin}', $4, '{}') RETURNING id`,
    [user.id, platform.id, deployment.id, String(COURSE_ID)],
  );
  const admin = { platformId: platform.id, userId: user.id, bearer: await ferry.sessionFor({ platformId: platform.id, userId: user.id, launchId: launch.id }, ['admin']) };
  expect((await send(admin, 'PUT', '/api/platform/moodle-settings', { moodleUrl: moodle.url, method: 'wstoken' })).status).toBe(200);
  if (options.connect ?? true) {
    expect((await send(admin, 'POST', '/api/moodle-connection/token', { token: moodle.moodle.createToken('admin') })).status).toBe(200);
  }
  const roles = options.roles ?? ['admin'];
  return roles.includes('admin') ? admin : { ...admin, bearer: await ferry.sessionFor({ platformId: platform.id, userId: user.id, launchId: launch.id }, roles) };
}

describe('GET /api/courses/:courseId/files', () => {
  it('lists every entry of the course, flattened, with the stored files transferable and totals over them', async () => {
    const admin = await connectedAdmin(moodleA);
    const { status, body } = await api(admin, `/api/courses/${COURSE_ID}/files`);

    expect(status).toBe(200);
    expect(body.course).toEqual({ id: COURSE_ID, shortname: expect.any(String), fullname: expect.any(String) });
    const stored = moodleA.moodle.files(COURSE_ID);
    const transferable = body.files.filter((file: any) => file.transferable);
    expect(transferable.map((file: any) => `${file.path}${file.name}`).sort()).toEqual(stored.map((file) => `${file.filepath}${file.filename}`).sort());
    expect(transferable.some((file: any) => file.path !== '/')).toBe(true);
    expect(transferable.some((file: any) => /[^\x00-\x7f]/.test(file.name))).toBe(true);
    expect(body.totals).toEqual({ count: stored.length, bytes: stored.reduce((sum, file) => sum + file.filesize, 0) });
    expect(transferable[0]).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      section: expect.any(String),
      sectionId: expect.any(Number),
      sectionNumber: expect.any(Number),
      module: { id: expect.any(Number), name: expect.any(String), modname: expect.stringMatching(/^(resource|folder)$/) },
      path: expect.stringMatching(/^\//),
      name: expect.any(String),
      size: expect.any(Number),
      mimetype: expect.any(String),
      modifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      transferable: true,
    });
    expect(JSON.stringify(body)).not.toContain('pluginfile.php');
    const reasons = new Set(body.files.filter((file: any) => !file.transferable).map((file: any) => file.reason));
    expect(reasons).toEqual(new Set(['url', 'inline_content', 'external_file']));
  });

  it('gives the same ids on every listing', async () => {
    const admin = await connectedAdmin(moodleA);
    const first = await api(admin, `/api/courses/${COURSE_ID}/files`);
    const second = await api(admin, `/api/courses/${COURSE_ID}/files`);
    expect(second.body.files.map((file: any) => file.id)).toEqual(first.body.files.map((file: any) => file.id));
  });

  it('marks files already transferred unchanged, and only those, on this platform', async () => {
    const admin = await connectedAdmin(moodleA);
    const files = (await api(admin, `/api/courses/${COURSE_ID}/files`)).body.files.filter((file: any) => file.transferable);
    const [unchanged, edited, elsewhere] = files;
    const [stored] = moodleA.moodle.files(COURSE_ID).filter((file) => file.filename === unchanged.name && file.filepath === unchanged.path);
    const timemodifiedOf = (file: any) => Date.parse(file.modifiedAt) / 1000;
    const { transfer } = await insertTransfer(
      ferry.dataSource,
      admin,
      [
        { fileId: unchanged.id, size: unchanged.size, timemodified: timemodifiedOf(unchanged), status: 'succeeded', sha256: 'a'.repeat(64), blobName: 'course/unchanged', fileurl: stored.fileurl, finishedAt: new Date() },
        { fileId: edited.id, size: edited.size, timemodified: timemodifiedOf(edited) - 60, status: 'succeeded', sha256: 'b'.repeat(64), blobName: 'course/edited', finishedAt: new Date() },
      ],
      { courseId: COURSE_ID, status: 'succeeded' },
    );
    const other = await connectedAdmin(moodleA);
    await insertTransfer(ferry.dataSource, other, [{ fileId: elsewhere.id, size: elsewhere.size, timemodified: timemodifiedOf(elsewhere), status: 'succeeded', sha256: 'c'.repeat(64) }], {
      courseId: COURSE_ID,
      status: 'succeeded',
    });

    const listed = (await api(admin, `/api/courses/${COURSE_ID}/files`)).body.files;
    const byId = new Map(listed.map((file: any) => [file.id, file]));
    expect((byId.get(unchanged.id) as any).transferred).toEqual({ transferId: transfer.id, blobName: 'course/unchanged', sha256: 'a'.repeat(64) });
    expect((byId.get(edited.id) as any).transferred).toBeUndefined();
    expect((byId.get(elsewhere.id) as any).transferred).toBeUndefined();
  });

  it('uses only the asking admin’s own Moodle: another platform’s admin sees their own Moodle’s course, never this one', async () => {
    await connectedAdmin(moodleA);
    const adminB = await connectedAdmin(moodleB);
    const callsToA = moodleA.moodle.counts.wsCalls();

    const { status, body } = await api(adminB, `/api/courses/${COURSE_ID}/files`);

    expect(status).toBe(200);
    expect(moodleA.moodle.counts.wsCalls()).toBe(callsToA);
    const namesB = moodleB.moodle.files(COURSE_ID).map((file) => file.filename).sort();
    expect(body.files.filter((file: any) => file.transferable).map((file: any) => file.name).sort()).toEqual(namesB);
  });

  it('is for platform admins only', async () => {
    const instructor = await connectedAdmin(moodleA, { roles: ['instructor'] });
    const learner = await connectedAdmin(moodleA, { roles: ['learner'] });
    expect((await api(instructor, `/api/courses/${COURSE_ID}/files`)).status).toBe(403);
    expect((await api(learner, `/api/courses/${COURSE_ID}/files`)).status).toBe(403);
    expect((await api(null, `/api/courses/${COURSE_ID}/files`)).status).toBe(401);
  });

  it('answers Moodle’s failures with Ferry’s codes', async () => {
    const admin = await connectedAdmin(moodleA);
    const notConnected = await connectedAdmin(moodleA, { connect: false });

    expect((await api(admin, '/api/courses/9999/files')).body.error).toMatchObject({ code: ErrorCode.CourseNotFound });
    expect((await api(admin, '/api/courses/9999/files')).status).toBe(404);
    expect((await api(admin, '/api/courses/abc/files'))).toMatchObject({ status: 400, body: { error: { code: ErrorCode.ValidationFailed } } });
    expect((await api(notConnected, `/api/courses/${COURSE_ID}/files`)).body.error.code).toBe(ErrorCode.MoodleNotConnected);

    moodleA.moodle.fault({ kind: 'down' });
    try {
      expect(await api(admin, `/api/courses/${COURSE_ID}/files`)).toMatchObject({ status: 502, body: { error: { code: ErrorCode.MoodleUnreachable } } });
    } finally {
      moodleA.moodle.fault(null);
    }
    moodleA.moodle.fault({ kind: 'maintenance' });
    try {
      expect((await api(admin, `/api/courses/${COURSE_ID}/files`)).body.error.code).toBe(ErrorCode.MoodleMaintenance);
    } finally {
      moodleA.moodle.fault(null);
    }
  });

  it('turns a token Moodle revoked into the reconnect state', async () => {
    const admin = await connectedAdmin(moodleB);
    moodleB.moodle.revokeTokens('admin');
    const { status, body } = await api(admin, `/api/courses/${COURSE_ID}/files`);
    expect(body.error).toMatchObject({ code: ErrorCode.MoodleTokenInvalid, details: { reconnect: true } });
    expect(status).toBe(409);
    expect((await api(admin, '/api/moodle-connection')).body.needsReconnect).toBe(true);
  });
});

describe('GET /api/courses', () => {
  it('puts the launch’s course first, then the admin’s own courses', async () => {
    const admin = await connectedAdmin(moodleA);
    const { status, body } = await api(admin, '/api/courses');
    expect(status).toBe(200);
    expect(body[0]).toMatchObject({ id: COURSE_ID });
    expect(body.map((course: any) => course.id)).toContain(7);
    expect(new Set(body.map((course: any) => course.id)).size).toBe(body.length);
  });

  it('searches Moodle’s courses', async () => {
    const admin = await connectedAdmin(moodleA);
    const { status, body } = await api(admin, '/api/courses?search=History');
    expect(status).toBe(200);
    expect(body).toEqual([{ id: 7, shortname: 'HIST201', fullname: 'History 201' }]);
    expect((await api(admin, `/api/courses?search=${'x'.repeat(201)}`)).body.error.code).toBe(ErrorCode.ValidationFailed);
  });
});
