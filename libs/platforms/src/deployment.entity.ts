import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { Platform } from './platform.entity';

/**
 * A deployment of Ferry in a platform (in Moodle: a tool type, site-level or per course). Removing
 * one only deactivates it, so its launches stay on record and a launch from it is still refused
 * when the platform registers unknown deployments on the fly.
 */
@Entity('deployments')
@Unique('uq_deployments_platform_deployment', ['platformId', 'deploymentId'])
export class Deployment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_deployments' })
  id: string;

  @Column('uuid', { name: 'platform_id' })
  platformId: string;

  @ManyToOne(() => Platform, (platform) => platform.deployments, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'platform_id', foreignKeyConstraintName: 'fk_deployments_platform' })
  platform?: Relation<Platform>;

  /** The platform's `https://purl.imsglobal.org/spec/lti/claim/deployment_id`, verbatim. */
  @Column('text', { name: 'deployment_id' })
  deploymentId: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
