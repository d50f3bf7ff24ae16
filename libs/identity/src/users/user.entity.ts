import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * A person as one platform knows them: (platform, sub) is the LTI identity. Personal fields are what
 * the latest launch shared (Moodle's privacy settings decide), so they may all be null.
 */
@Entity('users')
@Unique('uq_users_platform_sub', ['platformId', 'sub'])
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  // By table name, not class: identity must not import @ferry/platforms (it imports identity's guard).
  @ForeignKey('platforms', { name: 'fk_users_platform', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'platform_id' })
  platformId: string;

  @Column('text')
  sub: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { name: 'given_name', nullable: true })
  givenName: string | null;

  @Column('text', { name: 'family_name', nullable: true })
  familyName: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  picture: string | null;

  @Column('text', { nullable: true })
  locale: string | null;

  /** Moodle's login name, from the ext claim `user_username` when the platform sends it. */
  @Column('text', { nullable: true })
  username: string | null;

  @Column('text', { name: 'last_roles', array: true })
  lastRoles: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
