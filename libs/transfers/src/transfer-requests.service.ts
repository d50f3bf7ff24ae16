import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BlobStorage, blobNameFor, isRetryableStorageError, validateBlobPrefix, validateContainerName, withNameSuffix } from '@ferry/azure-storage';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError, ValidationFailedError } from '@ferry/errors';
import { DataSource } from 'typeorm';
import { COURSE_FILE_CATALOG, type CatalogFile, type CourseFileCatalog } from './course-file-catalog';
import type { CreateTransferDto } from './dto/create-transfer.dto';
import type { TransferDetailResponse } from './dto/transfer.dto';
import { TransferJobs } from './transfer-jobs.service';
import { TransferJournal } from './transfer-journal.service';
import { TransferItem } from './transfer-item.entity';
import { Transfer } from './transfer.entity';
import { TransfersService, type TransferViewer } from './transfers.service';

/** How many unknown or refused ids one message names before it just counts the rest. */
const NAMED_IDS = 10;

function namedList(ids: string[]): string {
  const named = ids.slice(0, NAMED_IDS).join(', ');
  return ids.length > NAMED_IDS ? `${named} and ${ids.length - NAMED_IDS} more` : named;
}

/**
 * Turns an admin's selection into a batch: checks it against the course's current file list (with
 * the admin's own Moodle token), names the blobs, makes sure the container is there, and enqueues
 * one job per file.
 */
@Injectable()
export class TransferRequests {
  constructor(
    @Inject(COURSE_FILE_CATALOG) private readonly catalog: CourseFileCatalog,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly config: FerryConfig,
    private readonly jobs: TransferJobs,
    private readonly journal: TransferJournal,
    private readonly transfers: TransfersService,
  ) {}

  async create(viewer: TransferViewer, request: CreateTransferDto): Promise<TransferDetailResponse> {
    const container = request.container ?? this.config.azure.defaultContainer;
    const prefix = request.prefix ?? '';
    const conflict = request.conflict ?? 'skip_identical';
    this.validateShape(request.fileIds, container, prefix);

    const listing = await this.catalog.listFiles(viewer, request.courseId);
    const files = this.selectFiles(listing.files, request.fileIds);
    await this.ensureContainer(container);

    const blobNames = this.blobNames(files, listing.course.shortname, prefix);
    const { transfer, itemIds } = await this.dataSource.transaction(async (manager) => {
      const transfer = await manager.getRepository(Transfer).save({
        platformId: viewer.platformId,
        requestedBy: viewer.userId,
        courseId: listing.course.id,
        courseShortname: listing.course.shortname,
        courseFullname: listing.course.fullname,
        container,
        prefix,
        conflictPolicy: conflict,
        totalFiles: files.length,
        totalBytes: files.reduce((sum, file) => sum + file.size, 0),
        status: 'queued',
        manifestBlobName: null,
        startedAt: null,
        finishedAt: null,
      });
      const items = await manager.getRepository(TransferItem).save(
        files.map((file, position) => ({
          transferId: transfer.id,
          position,
          fileId: file.id,
          section: file.section,
          moduleId: file.module.id,
          moduleName: file.module.name,
          moduleModname: file.module.modname,
          filepath: file.path,
          filename: file.name,
          size: file.size,
          mimetype: file.mimetype,
          timemodified: file.timemodified,
          fileurl: file.fileurl,
          blobName: blobNames[position],
          status: 'queued' as const,
        })),
        { chunk: 500 },
      );
      return { transfer, itemIds: items.map((item) => item.id) };
    });
    await this.journal.record({
      transferId: transfer.id,
      type: 'requested',
      data: { by: viewer.userId, files: files.length, bytes: transfer.totalBytes, container, prefix, conflict },
    });
    await this.jobs.enqueue(transfer, itemIds);
    return this.transfers.get(viewer, transfer.id);
  }

  /** Everything that can be said without asking Moodle or Azure. */
  private validateShape(fileIds: string[], container: string, prefix: string): void {
    const fields: Record<string, string[]> = {};
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const id of fileIds) (seen.has(id) ? duplicates : seen).add(id);
    if (duplicates.size > 0) fields.fileIds = [`These files are selected more than once: ${namedList([...duplicates])}.`];
    const containerProblems = validateContainerName(container);
    if (containerProblems.length > 0) fields.container = containerProblems;
    const prefixProblems = validateBlobPrefix(prefix);
    if (prefixProblems.length > 0) fields.prefix = prefixProblems;
    if (Object.keys(fields).length > 0) throw new ValidationFailedError(fields);
  }

  private selectFiles(listed: CatalogFile[], fileIds: string[]): CatalogFile[] {
    const byId = new Map(listed.map((file) => [file.id, file]));
    const unknown = fileIds.filter((id) => !byId.has(id));
    const refused = fileIds.filter((id) => byId.get(id)?.transferable === false);
    const messages: string[] = [];
    if (unknown.length > 0) {
      messages.push(`These files are not in the course's current file list (reload it): ${namedList(unknown)}.`);
    }
    if (refused.length > 0) {
      const described = refused.map((id) => {
        const file = byId.get(id) as CatalogFile;
        return `${file.name} (${file.reason ?? 'not a stored file'})`;
      });
      messages.push(`These entries are not files Ferry can copy: ${namedList(described)}.`);
    }
    if (messages.length > 0) throw new ValidationFailedError({ fileIds: messages });
    return fileIds.map((id) => byId.get(id) as CatalogFile);
  }

  /**
   * Two files of one selection can sanitise to the same name (`a.` and `a`): the later one gets a
   * ` (2)` suffix, so one batch never writes one blob twice. Conflicts with blobs already in the
   * container are the worker's to resolve, by the batch's policy.
   */
  private blobNames(files: CatalogFile[], courseShortname: string, prefix: string): string[] {
    const taken = new Set<string>();
    return files.map((file) => {
      const base = blobNameFor({
        prefix,
        courseShortname,
        section: file.section,
        module: file.module.name,
        folderPath: file.path,
        filename: file.name,
      });
      let name = base;
      for (let n = 2; taken.has(name); n++) name = withNameSuffix(base, n);
      taken.add(name);
      return name;
    });
  }

  private async ensureContainer(container: string): Promise<void> {
    try {
      await this.storage.ensureContainer(container, { create: this.config.transfers.createContainers });
    } catch (error) {
      if (error instanceof FerryError) throw error;
      if (isRetryableStorageError(error)) {
        throw new FerryError(ErrorCode.StorageUnavailable, 'Azure Blob Storage cannot be reached right now; nothing was queued.', {
          container,
        });
      }
      throw error;
    }
  }
}
