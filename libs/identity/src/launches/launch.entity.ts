import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** One successful LTI launch, with every claim the platform signed (`claims`), nothing dropped. */
@Entity('launches')
@Index('ix_launches_user', ['userId'])
@Index('ix_launches_platform_resource_link', ['platformId', 'resourceLinkId'])
export class Launch {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_launches' })
  id: string;

  @ForeignKey(() => User, { name: 'fk_launches_user', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ForeignKey('platforms', { name: 'fk_launches_platform', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'platform_id' })
  platformId: string;

  /** deployments.id (Ferry's row), not the platform's deployment id string (that is in `claims`). */
  @ForeignKey('deployments', { name: 'fk_launches_deployment', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'deployment_id' })
  deploymentId: string;

  @Column('text', { name: 'message_type' })
  messageType: string;

  @Column('text', { name: 'lti_roles', array: true })
  ltiRoles: string[];

  /** Ferry roles (mapLtiRoles) at the time of this launch; the session carries these. */
  @Column('text', { array: true })
  roles: string[];

  @Column('text', { name: 'context_id', nullable: true })
  contextId: string | null;

  @Column('text', { name: 'context_label', nullable: true })
  contextLabel: string | null;

  @Column('text', { name: 'context_title', nullable: true })
  contextTitle: string | null;

  @Column('text', { name: 'context_type', array: true, nullable: true })
  contextType: string[] | null;

  @Column('text', { name: 'resource_link_id', nullable: true })
  resourceLinkId: string | null;

  @Column('text', { name: 'resource_link_title', nullable: true })
  resourceLinkTitle: string | null;

  @Column('text', { name: 'resource_link_description', nullable: true })
  resourceLinkDescription: string | null;

  @Column('text', { name: 'target_link_uri', nullable: true })
  targetLinkUri: string | null;

  @Column('jsonb', { nullable: true })
  custom: Record<string, unknown> | null;

  @Column('jsonb', { name: 'ags_endpoint', nullable: true })
  agsEndpoint: Record<string, unknown> | null;

  @Column('jsonb', { name: 'nrps_endpoint', nullable: true })
  nrpsEndpoint: Record<string, unknown> | null;

  @Column('jsonb', { name: 'deep_linking_settings', nullable: true })
  deepLinkingSettings: Record<string, unknown> | null;

  @Column('jsonb', { name: 'launch_presentation', nullable: true })
  launchPresentation: Record<string, unknown> | null;

  @Column('jsonb', { name: 'tool_platform', nullable: true })
  toolPlatform: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  lis: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  ext: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  locale: string | null;

  /** The full verified id_token payload. */
  @Column('jsonb')
  claims: Record<string, unknown>;

  /** The Ferry activity this launch resolved to, once activities exist. */
  @Column('uuid', { name: 'activity_id', nullable: true })
  activityId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
