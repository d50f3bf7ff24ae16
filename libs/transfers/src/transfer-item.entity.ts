import type { UploadCheckpoint } from '@ferry/azure-storage';
import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-column';
import type { TransferItemStatus } from './transfer-status';
import { Transfer } from './transfer.entity';

/** One Moodle file of a batch: where it comes from, where it goes, and how far it got. */
@Entity('transfer_items')
@Index('ix_transfer_items_transfer', ['transferId', 'position'])
@Index('ix_transfer_items_file', ['fileId'])
export class TransferItem {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_transfer_items' })
  id: string;

  @ForeignKey(() => Transfer, { name: 'fk_transfer_items_transfer', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'transfer_id' })
  transferId: string;

  /** The file's place in the admin's selection. */
  @Column('integer')
  position: number;

  /** The stable file id of the course file listing. */
  @Column('text', { name: 'file_id' })
  fileId: string;

  @Column('text')
  section: string;

  @Column('integer', { name: 'module_id' })
  moduleId: number;

  @Column('text', { name: 'module_name' })
  moduleName: string;

  @Column('text', { name: 'module_modname' })
  moduleModname: string;

  /** Moodle's filepath, '/' or '/nested/folders/'. */
  @Column('text')
  filepath: string;

  @Column('text')
  filename: string;

  @Column('bigint', { transformer: bigintAsNumber })
  size: number;

  @Column('text', { nullable: true })
  mimetype: string | null;

  /** Moodle's timemodified, Unix seconds. */
  @Column('bigint', { transformer: bigintAsNumber })
  timemodified: number;

  @Column('text')
  fileurl: string;

  /** The destination; the `rename` policy may change it when the worker finds the name taken. */
  @Column('text', { name: 'blob_name' })
  blobName: string;

  @Column('text')
  status: TransferItemStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('bigint', { name: 'bytes_done', default: 0, transformer: bigintAsNumber })
  bytesDone: number;

  /** Hex, of the bytes Ferry streamed. */
  @Column('text', { nullable: true })
  sha256: string | null;

  /** Base64, as Azure shows Content-MD5. */
  @Column('text', { nullable: true })
  md5: string | null;

  @Column('text', { nullable: true })
  etag: string | null;

  /** Moodle's ETag (the file's SHA-1 content hash) when the download first opened: a resume must see the same file. */
  @Column('text', { name: 'source_etag', nullable: true })
  sourceEtag: string | null;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode: string | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage: string | null;

  /** The uploader's checkpoint: blocks staged so far and the hash states at that point, so a new worker resumes. */
  @Column('jsonb', { nullable: true })
  checkpoint: UploadCheckpoint | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
