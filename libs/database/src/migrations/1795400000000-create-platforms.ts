import type { MigrationInterface, QueryRunner } from 'typeorm';

/** libs/platforms: LTI registrations (issuer + client id) and their deployments. */
export class CreatePlatforms1795400000000 implements MigrationInterface {
  name = 'CreatePlatforms1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "platforms" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" text NOT NULL,
      "issuer" text NOT NULL,
      "client_id" text NOT NULL,
      "auth_login_url" text NOT NULL,
      "access_token_url" text NOT NULL,
      "jwks_url" text NOT NULL,
      "status" text NOT NULL DEFAULT 'active',
      "unknown_deployment_policy" text NOT NULL DEFAULT 'refuse',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "uq_platforms_issuer_client_id" UNIQUE ("issuer", "client_id"),
      CONSTRAINT "ck_platforms_status" CHECK ("status" IN ('active', 'inactive')),
      CONSTRAINT "ck_platforms_unknown_deployment_policy" CHECK ("unknown_deployment_policy" IN ('refuse', 'register')),
      CONSTRAINT "pk_platforms" PRIMARY KEY ("id")
    )`);
    await queryRunner.query(`CREATE TABLE "deployments" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "platform_id" uuid NOT NULL,
      "deployment_id" text NOT NULL,
      "name" text,
      "active" boolean NOT NULL DEFAULT true,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "uq_deployments_platform_deployment" UNIQUE ("platform_id", "deployment_id"),
      CONSTRAINT "pk_deployments" PRIMARY KEY ("id"),
      CONSTRAINT "fk_deployments_platform" FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "deployments"`);
    await queryRunner.query(`DROP TABLE "platforms"`);
  }
}
