import { Controller, Get, Param, Query } from '@nestjs/common';
import { ValidationFailedError } from '@ferry/errors';
import { Authenticated, CurrentPrincipal, type AuthPolicy, type Principal } from '@ferry/identity';
import { CourseFilesService, type CourseViewer } from './course-files.service';
import type { CourseFilesResponse, CourseResponse } from './dto/course-files.dto';

const PLATFORM_ADMIN: AuthPolicy = { roles: ['admin'] };
const MAX_SEARCH_LENGTH = 200;

function viewerOf(principal: Principal): CourseViewer {
  // The policy admits session users only: the operator has no Moodle account to list with.
  if (principal.kind !== 'user') throw new Error('Course files are listed with a platform admin’s own Moodle token.');
  return { platformId: principal.platformId, userId: principal.userId, launchId: principal.launchId };
}

function parseCourseId(raw: string): number {
  const courseId = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(courseId) || courseId < 1) {
    throw new ValidationFailedError({ courseId: ['courseId must be a Moodle course id (a whole number from 1).'] });
  }
  return courseId;
}

/** CONTRACT.md: the courses an admin can pick and a course's files, as Moodle shows them to that admin. */
@Controller('api/courses')
export class CoursesController {
  constructor(private readonly courseFiles: CourseFilesService) {}

  @Get()
  @Authenticated(PLATFORM_ADMIN)
  list(@CurrentPrincipal() principal: Principal, @Query('search') search?: unknown): Promise<CourseResponse[]> {
    const text = typeof search === 'string' ? search : '';
    if (text.length > MAX_SEARCH_LENGTH) throw new ValidationFailedError({ search: [`search must be at most ${MAX_SEARCH_LENGTH} characters.`] });
    return this.courseFiles.listCourses(viewerOf(principal), text);
  }

  @Get(':courseId/files')
  @Authenticated(PLATFORM_ADMIN)
  files(@CurrentPrincipal() principal: Principal, @Param('courseId') courseId: string): Promise<CourseFilesResponse> {
    return this.courseFiles.courseFiles(viewerOf(principal), parseCourseId(courseId));
  }
}
