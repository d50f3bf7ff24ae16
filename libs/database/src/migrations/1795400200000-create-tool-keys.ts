import type { MigrationInterface, QueryRunner } from 'typeorm';

/** libs/lti: Ferry's own signing keys; at most one active and one next key at any time. */
export class CreateToolKeys1795400200000 implements MigrationInterface {
  name = 'CreateToolKeys1795400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "tool_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "kid" text NOT NULL,
      "public_jwk" jsonb NOT NULL,
      "private_jwk" text NOT NULL,
      "status" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "retired_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "pk_tool_keys" PRIMARY KEY ("id")
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_tool_keys_kid" ON "tool_keys" ("kid")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_tool_keys_one_active" ON "tool_keys" ("status") WHERE status = 'active'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_tool_keys_one_next" ON "tool_keys" ("status") WHERE status = 'next'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "tool_keys"`);
  }
}
