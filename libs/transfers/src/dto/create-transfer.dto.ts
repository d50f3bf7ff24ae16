import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../transfer-status';

export const MAX_FILES_PER_TRANSFER = 10_000;

export class CreateTransferDto {
  @IsInt({ message: 'courseId must be a Moodle course id (a whole number).' })
  @Min(1, { message: 'courseId must be a Moodle course id (1 or more).' })
  courseId: number;

  @IsArray({ message: 'fileIds must be a list of file ids from the course file list.' })
  @ArrayNotEmpty({ message: 'Select at least one file.' })
  @ArrayMaxSize(MAX_FILES_PER_TRANSFER, { message: `One transfer takes at most ${MAX_FILES_PER_TRANSFER} files.` })
  @IsString({ each: true, message: 'Every file id must be a string.' })
  @IsNotEmpty({ each: true, message: 'A file id must not be empty.' })
  fileIds: string[];

  /** Default: AZURE_BLOB_CONTAINER. */
  @IsOptional()
  @IsString({ message: 'container must be a container name.' })
  container?: string;

  @IsOptional()
  @IsString({ message: 'prefix must be text, e.g. "archive/2025".' })
  @MaxLength(1024, { message: 'prefix is far too long.' })
  prefix?: string;

  @IsOptional()
  @IsIn(CONFLICT_POLICIES, { message: `conflict must be one of ${CONFLICT_POLICIES.join(', ')}.` })
  conflict?: ConflictPolicy;
}
