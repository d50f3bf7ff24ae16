import type { CourseFile, CourseFiles } from '@/features/course-files/types';
import type { MoodleConnection, MoodleSettings } from '@/features/moodle-connection/types';

const site = 'https://moodle.example.edu';

/** Admin User's connection to the demo Moodle: connected by OAuth, unless a test says otherwise. */
export function moodleConnection(overrides: Partial<MoodleConnection> = {}): MoodleConnection {
  return {
    configured: true,
    method: 'oauth',
    moodleUrl: site,
    connected: true,
    moodleUser: { id: 2, username: 'admin', fullname: 'Admin User' },
    missingFunctions: [],
    needsReconnect: false,
    methods: ['oauth', 'wstoken'],
    ...overrides,
  };
}

export const notConfigured = (): MoodleConnection =>
  moodleConnection({ configured: false, method: null, moodleUrl: null, connected: false, moodleUser: null, methods: ['wstoken'] });

export const notConnected = (overrides: Partial<MoodleConnection> = {}): MoodleConnection =>
  moodleConnection({ connected: false, moodleUser: null, ...overrides });

/** Settings of a platform with no Moodle setup yet: only the suggestions. */
export function moodleSettings(overrides: Partial<MoodleSettings> = {}): MoodleSettings {
  return {
    configured: false,
    moodleUrl: null,
    method: null,
    service: null,
    oauth: null,
    suggestions: {
      moodleUrl: site,
      providers: {
        local_oauthmcp: {
          authorizeUrl: `${site}/local/oauthmcp/authorize.php`,
          tokenUrl: `${site}/local/oauthmcp/token.php`,
          revokeUrl: `${site}/local/oauthmcp/revoke.php`,
          scope: 'webservice',
          metadataUrl: `${site}/.well-known/oauth-authorization-server`,
        },
        local_oauth2: {
          authorizeUrl: `${site}/local/oauth2/login.php`,
          tokenUrl: `${site}/local/oauth2/token.php`,
          revokeUrl: null,
          scope: 'webservice',
        },
      },
    },
    ...overrides,
  };
}

export function configuredSettings(): MoodleSettings {
  const base = moodleSettings();
  return {
    ...base,
    configured: true,
    moodleUrl: site,
    method: 'oauth',
    service: 'moodle_mobile_app',
    oauth: { provider: 'local_oauthmcp', clientId: 'ferry', clientSecretSet: true, ...base.suggestions.providers.local_oauthmcp! },
  };
}

export const transfer101 = { id: 2, shortname: 'TR101', fullname: 'Transfer 101' };
export const history201 = { id: 7, shortname: 'HIS201', fullname: 'History 201' };

let nextModule = 100;

export function courseFile(overrides: Partial<CourseFile> & Pick<CourseFile, 'name'>): CourseFile {
  return {
    id: `id-${overrides.name}`,
    section: 'General',
    sectionId: 10,
    sectionNumber: 0,
    module: { id: nextModule++, name: 'Readings', modname: 'resource' },
    path: '/',
    size: 1024,
    mimetype: 'application/pdf',
    modifiedAt: '2025-03-01T10:00:00.000Z',
    transferable: true,
    ...overrides,
  };
}

export function courseFiles(files: CourseFile[], course = transfer101): CourseFiles {
  const transferable = files.filter((file) => file.transferable);
  return {
    course,
    files,
    totals: { count: transferable.length, bytes: transferable.reduce((sum, file) => sum + file.size, 0) },
  };
}

/** A small course: two sections, a folder, a URL and an external file that cannot be transferred. */
export function sampleCourseFiles(): CourseFiles {
  const week1 = { section: 'Week 1', sectionId: 11, sectionNumber: 1 };
  return courseFiles([
    courseFile({ name: 'Syllabus.pdf', size: 2048, modifiedAt: '2025-01-10T09:00:00.000Z' }),
    courseFile({ name: 'Café — résumé (v2).pdf', size: 5 * 1024 * 1024, modifiedAt: '2025-02-10T09:00:00.000Z' }),
    courseFile({ ...week1, name: 'photo.png', mimetype: 'image/png', size: 300 * 1024, modifiedAt: '2025-03-10T09:00:00.000Z' }),
    courseFile({
      ...week1,
      name: 'notes.txt',
      path: '/lectures/',
      mimetype: 'text/plain',
      size: 100,
      module: { id: 5, name: 'Lecture folder', modname: 'folder' },
      modifiedAt: '2024-12-01T09:00:00.000Z',
    }),
    courseFile({ ...week1, name: 'Course website', mimetype: null, size: 0, transferable: false, reason: 'url', module: { id: 6, name: 'Course website', modname: 'url' } }),
    courseFile({ ...week1, name: 'shared.docx', mimetype: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 4096, transferable: false, reason: 'external_file' }),
  ]);
}
