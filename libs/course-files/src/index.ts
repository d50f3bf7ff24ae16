export { courseFileId, flattenCourseContents } from './course-contents';
export type { CourseFile, NotTransferableReason } from './course-contents';
export { CourseFilesHttpModule } from './course-files-http.module';
export { CourseFilesModule } from './course-files.module';
export { CourseFilesService } from './course-files.service';
export type { CourseViewer } from './course-files.service';
export type { CourseFileResponse, CourseFilesResponse, CourseResponse, TransferredFile } from './dto/course-files.dto';
