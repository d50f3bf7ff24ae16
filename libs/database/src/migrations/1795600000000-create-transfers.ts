import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * libs/transfers: batches, their items (one per file, with the uploader's resume checkpoint) and
 * the append-only event log.
 */
export class CreateTransfers1795600000000 implements MigrationInterface {
  name = 'CreateTransfers1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "transfers" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "platform_id" uuid NOT NULL,
      "requested_by" uuid NOT NULL,
      "course_id" integer NOT NULL,
      "course_shortname" text NOT NULL,
      "course_fullname" text NOT NULL,
      "container" text NOT NULL,
      "prefix" text NOT NULL,
      "conflict_policy" text NOT NULL,
      "total_files" integer NOT NULL,
      "total_bytes" bigint NOT NULL,
      "status" text NOT NULL,
      "manifest_blob_name" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_transfers" PRIMARY KEY ("id"),
      CONSTRAINT "fk_transfers_platform" FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_transfers_requested_by" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    )`);
    await queryRunner.query(`CREATE INDEX "ix_transfers_platform_course" ON "transfers" ("platform_id", "course_id", "created_at")`);
    await queryRunner.query(`CREATE TABLE "transfer_items" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "transfer_id" uuid NOT NULL,
      "position" integer NOT NULL,
      "file_id" text NOT NULL,
      "section" text NOT NULL,
      "module_id" integer NOT NULL,
      "module_name" text NOT NULL,
      "module_modname" text NOT NULL,
      "filepath" text NOT NULL,
      "filename" text NOT NULL,
      "size" bigint NOT NULL,
      "mimetype" text,
      "timemodified" bigint NOT NULL,
      "fileurl" text NOT NULL,
      "blob_name" text NOT NULL,
      "status" text NOT NULL,
      "attempts" integer NOT NULL DEFAULT '0',
      "bytes_done" bigint NOT NULL DEFAULT '0',
      "sha256" text,
      "md5" text,
      "etag" text,
      "source_etag" text,
      "error_code" text,
      "error_message" text,
      "checkpoint" jsonb,
      "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_transfer_items" PRIMARY KEY ("id"),
      CONSTRAINT "fk_transfer_items_transfer" FOREIGN KEY ("transfer_id") REFERENCES "transfers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    )`);
    await queryRunner.query(`CREATE INDEX "ix_transfer_items_transfer" ON "transfer_items" ("transfer_id", "position")`);
    await queryRunner.query(`CREATE INDEX "ix_transfer_items_file" ON "transfer_items" ("file_id")`);
    await queryRunner.query(`CREATE TABLE "transfer_events" (
      "id" BIGSERIAL NOT NULL,
      "transfer_id" uuid NOT NULL,
      "item_id" uuid,
      "type" text NOT NULL,
      "data" jsonb,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_transfer_events" PRIMARY KEY ("id"),
      CONSTRAINT "fk_transfer_events_transfer" FOREIGN KEY ("transfer_id") REFERENCES "transfers"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_transfer_events_item" FOREIGN KEY ("item_id") REFERENCES "transfer_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    )`);
    await queryRunner.query(`CREATE INDEX "ix_transfer_events_transfer" ON "transfer_events" ("transfer_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "transfer_events"`);
    await queryRunner.query(`DROP TABLE "transfer_items"`);
    await queryRunner.query(`DROP TABLE "transfers"`);
  }
}
