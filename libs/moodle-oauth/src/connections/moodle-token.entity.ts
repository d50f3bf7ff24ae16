import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { MoodleConnectionMethod } from '../settings/platform-moodle-settings.entity';

/** What core_webservice_get_site_info said when the admin connected. */
export interface ConnectedSiteInfo {
  sitename: string;
  siteurl: string;
  release: string | null;
  version: string | null;
  /** Web service functions the token's service offers, by name. */
  functions: string[];
}

/**
 * One admin's own Moodle token on one platform. Access and refresh tokens are sealed by SecretBox
 * and never logged. `needsReconnect` marks a token Moodle refused that could not be refreshed.
 */
@Entity('moodle_tokens')
@Unique('uq_moodle_tokens_platform_user', ['platformId', 'userId'])
@Check('ck_moodle_tokens_method', `"method" IN ('oauth', 'wstoken', 'credentials')`)
export class MoodleToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_moodle_tokens' })
  id: string;

  @ForeignKey('platforms', { name: 'fk_moodle_tokens_platform', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'platform_id' })
  platformId: string;

  @ForeignKey('users', { name: 'fk_moodle_tokens_user', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  method: MoodleConnectionMethod;

  @Column('text', { name: 'access_token' })
  accessToken: string;

  @Column('text', { name: 'refresh_token', nullable: true })
  refreshToken: string | null;

  /** Null: the token does not expire on its own (web service tokens usually do not). */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Column('text', { nullable: true })
  scope: string | null;

  @Column('integer', { name: 'moodle_user_id' })
  moodleUserId: number;

  @Column('text', { name: 'moodle_username' })
  moodleUsername: string;

  @Column('text', { name: 'moodle_fullname' })
  moodleFullname: string;

  @Column('jsonb', { name: 'site_info' })
  siteInfo: ConnectedSiteInfo;

  @Column('boolean', { name: 'needs_reconnect', default: false })
  needsReconnect: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
