import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-column';
import type { ConflictPolicy, TransferStatus } from './transfer-status';

/** One admin's request to copy files of one Moodle course into one container: a batch of items. */
@Entity('transfers')
@Index('ix_transfers_platform_course', ['platformId', 'courseId', 'createdAt'])
export class Transfer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_transfers' })
  id: string;

  @ForeignKey('platforms', { name: 'fk_transfers_platform', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'platform_id' })
  platformId: string;

  /** The admin whose own Moodle token every item of this batch uses. */
  @ForeignKey('users', { name: 'fk_transfers_requested_by', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'requested_by' })
  requestedBy: string;

  @Column('integer', { name: 'course_id' })
  courseId: number;

  @Column('text', { name: 'course_shortname' })
  courseShortname: string;

  @Column('text', { name: 'course_fullname' })
  courseFullname: string;

  @Column('text')
  container: string;

  /** As the admin typed it ('' for none); blob names hold its sanitised form. */
  @Column('text')
  prefix: string;

  @Column('text', { name: 'conflict_policy' })
  conflictPolicy: ConflictPolicy;

  @Column('integer', { name: 'total_files' })
  totalFiles: number;

  @Column('bigint', { name: 'total_bytes', transformer: bigintAsNumber })
  totalBytes: number;

  @Column('text')
  status: TransferStatus;

  /** Where the manifest blob was written when the batch last became final. */
  @Column('text', { name: 'manifest_blob_name', nullable: true })
  manifestBlobName: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
