import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ToolKeyStatus = 'active' | 'next' | 'retired';

export interface PublicRsaJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/**
 * One of Ferry's own RS256 signing keys. `active` signs; `next` is already published so platforms
 * that cache Ferry's JWKS know it before it signs; `retired` stays published for a while after.
 */
@Entity('tool_keys')
@Index('ux_tool_keys_one_active', ['status'], { unique: true, where: `status = 'active'` })
@Index('ux_tool_keys_one_next', ['status'], { unique: true, where: `status = 'next'` })
export class ToolKey {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_tool_keys' })
  id: string;

  @Index('ux_tool_keys_kid', { unique: true })
  @Column('text')
  kid: string;

  @Column('jsonb', { name: 'public_jwk' })
  publicJwk: PublicRsaJwk;

  /** The private JWK as JSON, sealed by SecretBox. Never log it. */
  @Column('text', { name: 'private_jwk' })
  privateJwk: string;

  @Column('text')
  status: ToolKeyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
