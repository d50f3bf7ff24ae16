// Test support: the worker's and the api's Moodle needs met by the platform emulator directly,
// with web service tokens made the way a Moodle admin makes them (Manage tokens → Create token).
import { flattenCourseContents } from '@ferry/course-files';
import { ErrorCode, FerryError } from '@ferry/errors';
import { MoodleWsClientFactory } from '@ferry/moodle-ws';
import type { RunningPlatformEmulator } from '@ferry/platform-emulator';
import type { CatalogFile, CatalogListing, CourseFileCatalog } from '../course-file-catalog';
import type { MoodleSessionSource, TransferMoodleSession, TransferTokenOwner } from '../jobs/moodle-session-source';

export class EmulatorMoodleSessions implements MoodleSessionSource {
  private readonly factory = new MoodleWsClientFactory({ maxAttempts: 1, baseDelayMs: 10 });
  private readonly tokens = new Map<string, string>();
  refreshes = 0;

  constructor(
    private readonly emulator: RunningPlatformEmulator,
    private readonly username = 'admin',
  ) {}

  protected session(token: string): TransferMoodleSession {
    return { client: this.factory.forConnection({ moodleUrl: this.emulator.url, token }), moodleUrl: this.emulator.url, token };
  }

  private current(owner: TransferTokenOwner): TransferMoodleSession {
    const key = `${owner.platformId}:${owner.userId}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = this.emulator.moodle.createToken(this.username);
      this.tokens.set(key, token);
    }
    return this.session(token);
  }

  async withMoodle<T>(owner: TransferTokenOwner, work: (session: TransferMoodleSession) => Promise<T>): Promise<T> {
    try {
      return await work(this.current(owner));
    } catch (error) {
      if (!(error instanceof FerryError && error.code === ErrorCode.MoodleTokenInvalid)) throw error;
      return work(await this.refreshNow(owner));
    }
  }

  async refreshNow(owner: TransferTokenOwner): Promise<TransferMoodleSession> {
    this.refreshes += 1;
    const token = this.emulator.moodle.createToken(this.username);
    this.tokens.set(`${owner.platformId}:${owner.userId}`, token);
    return this.session(token);
  }
}

/** A course's files as course-files lists them, through the emulator's token rather than a stored connection. */
export class EmulatorCourseCatalog implements CourseFileCatalog {
  /** Lets a test change the listing (a foreign fileurl, a wrong size). */
  edit: ((files: CatalogFile[]) => CatalogFile[]) | null = null;

  constructor(private readonly sessions: EmulatorMoodleSessions) {}

  async listFiles(owner: TransferTokenOwner, courseId: number): Promise<CatalogListing> {
    return this.sessions.withMoodle(owner, async ({ client }) => {
      const [course, sections] = await Promise.all([client.getCourse(courseId), client.getCourseContents(courseId)]);
      const files: CatalogFile[] = flattenCourseContents(sections);
      return { course: { id: course.id, shortname: course.shortname, fullname: course.fullname }, files: this.edit ? this.edit(files) : files };
    });
  }
}

/** One fixed web service token (a worker in a child process gets it through its environment). */
export class StaticTokenSessions implements MoodleSessionSource {
  private readonly factory = new MoodleWsClientFactory({ maxAttempts: 1, baseDelayMs: 10 });

  constructor(
    private readonly moodleUrl: string,
    private readonly token: string,
  ) {}

  private session(): TransferMoodleSession {
    return { client: this.factory.forConnection({ moodleUrl: this.moodleUrl, token: this.token }), moodleUrl: this.moodleUrl, token: this.token };
  }

  withMoodle<T>(_owner: TransferTokenOwner, work: (session: TransferMoodleSession) => Promise<T>): Promise<T> {
    return work(this.session());
  }

  async refreshNow(): Promise<TransferMoodleSession> {
    return this.session();
  }
}
