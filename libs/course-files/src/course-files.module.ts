import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Launch } from '@ferry/identity';
import { MoodleOauthModule } from '@ferry/moodle-oauth';
import { TransferItem } from '@ferry/transfers';
import { CourseFilesService } from './course-files.service';

/** A course's files as the asking admin's Moodle lists them; apps/api gives it to transfers as their catalog. */
@Module({
  imports: [TypeOrmModule.forFeature([TransferItem, Launch]), MoodleOauthModule],
  providers: [CourseFilesService],
  exports: [CourseFilesService],
})
export class CourseFilesModule {}
