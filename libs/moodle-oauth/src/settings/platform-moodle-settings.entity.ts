import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type MoodleConnectionMethod = 'oauth' | 'wstoken' | 'credentials';
export type OauthProvider = 'local_oauthmcp' | 'local_oauth2' | 'custom';

/**
 * How Ferry reaches one platform's Moodle and how its admins connect: per issuer, set in the SPA's
 * platform setup by an admin of that platform (or the operator). Admins' tokens live in moodle_tokens.
 */
@Entity('platform_moodle_settings')
@Check('ck_platform_moodle_settings_method', `"method" IN ('oauth', 'wstoken', 'credentials')`)
export class PlatformMoodleSettings {
  // By table name, not class: this lib must not import @ferry/platforms' entities.
  @ForeignKey('platforms', { name: 'fk_platform_moodle_settings_platform', onDelete: 'CASCADE' })
  @PrimaryColumn('uuid', { name: 'platform_id', primaryKeyConstraintName: 'pk_platform_moodle_settings' })
  platformId: string;

  /** Moodle's site URL (wwwroot), no trailing slash. */
  @Column('text', { name: 'moodle_url' })
  moodleUrl: string;

  @Column('text')
  method: MoodleConnectionMethod;

  /** The external service login/token.php issues tokens for (method `credentials`). */
  @Column('text', { nullable: true })
  service: string | null;

  @Column('text', { name: 'oauth_provider', nullable: true })
  oauthProvider: OauthProvider | null;

  @Column('text', { name: 'oauth_client_id', nullable: true })
  oauthClientId: string | null;

  /** Sealed by SecretBox; write-only through the API, never logged. */
  @Column('text', { name: 'oauth_client_secret', nullable: true })
  oauthClientSecret: string | null;

  @Column('text', { name: 'oauth_authorize_url', nullable: true })
  oauthAuthorizeUrl: string | null;

  @Column('text', { name: 'oauth_token_url', nullable: true })
  oauthTokenUrl: string | null;

  @Column('text', { name: 'oauth_revoke_url', nullable: true })
  oauthRevokeUrl: string | null;

  @Column('text', { name: 'oauth_scope', nullable: true })
  oauthScope: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
