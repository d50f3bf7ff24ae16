import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Deployment } from './deployment.entity';

export type PlatformStatus = 'active' | 'inactive';

/** What a launch from a deployment id Ferry has not seen yet does: refused, or registered on the fly. */
export type UnknownDeploymentPolicy = 'refuse' | 'register';

/** One LTI 1.3 registration of Ferry in a Moodle: the platform's issuer + the client id it gave Ferry. */
@Entity('platforms')
@Unique('uq_platforms_issuer_client_id', ['issuer', 'clientId'])
@Check('ck_platforms_status', `"status" IN ('active', 'inactive')`)
@Check('ck_platforms_unknown_deployment_policy', `"unknown_deployment_policy" IN ('refuse', 'register')`)
export class Platform {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_platforms' })
  id: string;

  @Column('text')
  name: string;

  /** Compared verbatim with the id_token's `iss` (Moodle: the site URL, no trailing slash). */
  @Column('text')
  issuer: string;

  @Column('text', { name: 'client_id' })
  clientId: string;

  @Column('text', { name: 'auth_login_url' })
  authLoginUrl: string;

  @Column('text', { name: 'access_token_url' })
  accessTokenUrl: string;

  @Column('text', { name: 'jwks_url' })
  jwksUrl: string;

  @Column('text', { default: 'active' })
  status: PlatformStatus;

  @Column('text', { name: 'unknown_deployment_policy', default: 'refuse' })
  unknownDeploymentPolicy: UnknownDeploymentPolicy;

  @OneToMany(() => Deployment, (deployment) => deployment.platform, { cascade: ['insert'] })
  deployments: Relation<Deployment>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
