import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Launch } from '@ferry/identity';
import { MOODLE_SESSIONS, type MoodleCourse, type MoodleEnrolledCourse, type MoodleSessionSource, type MoodleTokenOwner, type MoodleWsClient } from '@ferry/moodle-ws';
import { TransferItem, type CourseFileCatalog } from '@ferry/transfers';
import { flattenCourseContents, type CourseFile } from './course-contents';
import { toCourseFileResponse, type CourseFilesResponse, type CourseResponse, type TransferredFile } from './dto/course-files.dto';

/** Who asks, and from which launch (its course is the one they are looking at in Moodle). */
export interface CourseViewer extends MoodleTokenOwner {
  launchId: string;
}

/** What the transfers catalog needs (CatalogListing), with where each file sits in the course. */
export interface CourseListing {
  course: CourseResponse;
  files: CourseFile[];
}

const toCourse = (course: Pick<MoodleCourse | MoodleEnrolledCourse, 'id' | 'shortname' | 'fullname'>): CourseResponse => ({
  id: course.id,
  shortname: course.shortname,
  fullname: course.fullname,
});

/**
 * A course's files as Moodle lists them to the asking admin, always through that admin's own
 * token (MOODLE_SESSIONS), so an admin only ever sees what Moodle lets them see, on their own
 * platform. Also the catalog a transfer request is checked against.
 */
@Injectable()
export class CourseFilesService implements CourseFileCatalog {
  constructor(
    @Inject(MOODLE_SESSIONS) private readonly moodle: MoodleSessionSource,
    @InjectRepository(TransferItem) private readonly items: Repository<TransferItem>,
    @InjectRepository(Launch) private readonly launches: Repository<Launch>,
  ) {}

  /** With a search: Moodle's course search. Without: the launch's course first, then the admin's own courses. */
  async listCourses(viewer: CourseViewer, search: string): Promise<CourseResponse[]> {
    const text = search.trim();
    return this.moodle.withMoodle(viewer, async ({ client }) => {
      if (text) return (await client.searchCourses(text, { perPage: 50 })).courses.map(toCourse);
      const [launchCourse, own] = await Promise.all([this.launchCourse(viewer, client), this.ownCourses(client)]);
      return launchCourse ? [launchCourse, ...own.filter((course) => course.id !== launchCourse.id)] : own;
    });
  }

  async listFiles(owner: MoodleTokenOwner, courseId: number): Promise<CourseListing> {
    return this.moodle.withMoodle(owner, async ({ client }) => {
      const [course, sections] = await Promise.all([client.getCourse(courseId), client.getCourseContents(courseId)]);
      return { course: toCourse(course), files: flattenCourseContents(sections) };
    });
  }

  /** GET /api/courses/:courseId/files: the listing with each file's latest unchanged transfer, and totals over what can be moved. */
  async courseFiles(owner: MoodleTokenOwner, courseId: number): Promise<CourseFilesResponse> {
    const { course, files } = await this.listFiles(owner, courseId);
    const transferred = await this.transferredUnchanged(owner.platformId, courseId, files);
    let bytes = 0;
    let count = 0;
    for (const file of files) {
      if (!file.transferable) continue;
      count += 1;
      bytes += file.size;
    }
    return { course, files: files.map((file) => toCourseFileResponse(file, transferred.get(file.id))), totals: { count, bytes } };
  }

  /**
   * The newest delivered copy of each file whose size and modified time still match Moodle's: a
   * file edited in Moodle since is no longer "already transferred".
   */
  private async transferredUnchanged(platformId: string, courseId: number, files: readonly CourseFile[]): Promise<Map<string, TransferredFile>> {
    const ids = files.filter((file) => file.transferable).map((file) => file.id);
    const found = new Map<string, TransferredFile>();
    if (ids.length === 0) return found;
    const rows: Array<{ file_id: string; transfer_id: string; blob_name: string; sha256: string; size: string; timemodified: string }> = await this.items.query(
      `SELECT DISTINCT ON (i.file_id) i.file_id, i.transfer_id, i.blob_name, i.sha256, i.size, i.timemodified
         FROM transfer_items i JOIN transfers t ON t.id = i.transfer_id
        WHERE t.platform_id = $1 AND t.course_id = $2 AND i.file_id = ANY($3)
          AND i.status IN ('succeeded', 'skipped') AND i.sha256 IS NOT NULL
        ORDER BY i.file_id, i.finished_at DESC NULLS LAST`,
      [platformId, courseId, ids],
    );
    const byId = new Map(files.map((file) => [file.id, file]));
    for (const row of rows) {
      const file = byId.get(row.file_id);
      if (!file || Number(row.size) !== file.size || Number(row.timemodified) !== file.timemodified) continue;
      found.set(row.file_id, { transferId: row.transfer_id, blobName: row.blob_name, sha256: row.sha256 });
    }
    return found;
  }

  private async launchCourse(viewer: CourseViewer, client: MoodleWsClient): Promise<CourseResponse | null> {
    const launch = await this.launches.findOne({ where: { id: viewer.launchId, platformId: viewer.platformId }, select: { id: true, contextId: true } });
    // Moodle's LTI context id is the course id; another platform's may be anything.
    const courseId = launch?.contextId && /^\d+$/.test(launch.contextId) ? Number(launch.contextId) : null;
    if (courseId === null) return null;
    const { courses } = await client.getCoursesByField('id', courseId);
    const course = courses.find((candidate) => candidate.id === courseId);
    return course ? toCourse(course) : null;
  }

  private async ownCourses(client: MoodleWsClient): Promise<CourseResponse[]> {
    const { userid } = await client.getSiteInfo();
    return (await client.getUserCourses(userid)).map(toCourse);
  }
}
