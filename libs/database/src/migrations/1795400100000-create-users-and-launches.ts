import type { MigrationInterface, QueryRunner } from 'typeorm';

/** libs/identity: users (platform + sub) and every successful launch. Runs after the platforms tables. */
export class CreateUsersAndLaunches1795400100000 implements MigrationInterface {
  name = 'CreateUsersAndLaunches1795400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "platform_id" uuid NOT NULL,
      "sub" text NOT NULL,
      "name" text,
      "given_name" text,
      "family_name" text,
      "email" text,
      "picture" text,
      "locale" text,
      "username" text,
      "last_roles" text array NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "uq_users_platform_sub" UNIQUE ("platform_id", "sub"),
      CONSTRAINT "pk_users" PRIMARY KEY ("id"),
      CONSTRAINT "fk_users_platform" FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    )`);
    await queryRunner.query(`CREATE TABLE "launches" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "platform_id" uuid NOT NULL,
      "deployment_id" uuid NOT NULL,
      "message_type" text NOT NULL,
      "lti_roles" text array NOT NULL,
      "roles" text array NOT NULL,
      "context_id" text,
      "context_label" text,
      "context_title" text,
      "context_type" text array,
      "resource_link_id" text,
      "resource_link_title" text,
      "resource_link_description" text,
      "target_link_uri" text,
      "custom" jsonb,
      "ags_endpoint" jsonb,
      "nrps_endpoint" jsonb,
      "deep_linking_settings" jsonb,
      "launch_presentation" jsonb,
      "tool_platform" jsonb,
      "lis" jsonb,
      "ext" jsonb,
      "locale" text,
      "claims" jsonb NOT NULL,
      "activity_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_launches" PRIMARY KEY ("id"),
      CONSTRAINT "fk_launches_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_launches_platform" FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_launches_deployment" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    )`);
    await queryRunner.query(`CREATE INDEX "ix_launches_user" ON "launches" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "ix_launches_platform_resource_link" ON "launches" ("platform_id", "resource_link_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "launches"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
