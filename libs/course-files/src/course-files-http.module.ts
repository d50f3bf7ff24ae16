import { Module } from '@nestjs/common';
import { IdentityModule } from '@ferry/identity';
import { CourseFilesModule } from './course-files.module';
import { CoursesController } from './courses.controller';

/** GET /api/courses and /api/courses/:courseId/files; only apps/api imports it. */
@Module({
  imports: [CourseFilesModule, IdentityModule],
  controllers: [CoursesController],
})
export class CourseFilesHttpModule {}
