import type { MigrationInterface, QueryRunner } from 'typeorm';

/** libs/moodle-oauth: each platform's Moodle connection settings, and each admin's own Moodle token. */
export class CreateMoodleConnections1795500000000 implements MigrationInterface {
  name = 'CreateMoodleConnections1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "platform_moodle_settings" (
      "platform_id" uuid NOT NULL,
      "moodle_url" text NOT NULL,
      "method" text NOT NULL,
      "service" text,
      "oauth_provider" text,
      "oauth_client_id" text,
      "oauth_client_secret" text,
      "oauth_authorize_url" text,
      "oauth_token_url" text,
      "oauth_revoke_url" text,
      "oauth_scope" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_platform_moodle_settings" PRIMARY KEY ("platform_id"),
      CONSTRAINT "ck_platform_moodle_settings_method" CHECK ("method" IN ('oauth', 'wstoken', 'credentials')),
      CONSTRAINT "fk_platform_moodle_settings_platform" FOREIGN KEY ("platform_id") REFERENCES "platforms" ("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE TABLE "moodle_tokens" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "platform_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "method" text NOT NULL,
      "access_token" text NOT NULL,
      "refresh_token" text,
      "expires_at" TIMESTAMP WITH TIME ZONE,
      "scope" text,
      "moodle_user_id" integer NOT NULL,
      "moodle_username" text NOT NULL,
      "moodle_fullname" text NOT NULL,
      "site_info" jsonb NOT NULL,
      "needs_reconnect" boolean NOT NULL DEFAULT false,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_moodle_tokens" PRIMARY KEY ("id"),
      CONSTRAINT "uq_moodle_tokens_platform_user" UNIQUE ("platform_id", "user_id"),
      CONSTRAINT "ck_moodle_tokens_method" CHECK ("method" IN ('oauth', 'wstoken', 'credentials')),
      CONSTRAINT "fk_moodle_tokens_platform" FOREIGN KEY ("platform_id") REFERENCES "platforms" ("id") ON DELETE CASCADE,
      CONSTRAINT "fk_moodle_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "moodle_tokens"`);
    await queryRunner.query(`DROP TABLE "platform_moodle_settings"`);
  }
}
