-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "NotebookType" AS ENUM ('NOTEBOOK', 'FOLDER', 'PDF', 'EPUB');

-- CreateEnum
CREATE TYPE "OcrStatus" AS ENUM ('pending', 'processing', 'completed', 'failed', 'skipped', 'pending_quota');

-- CreateEnum
CREATE TYPE "SyncStatus" AS ENUM ('pending', 'success', 'failed', 'retry');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notebooks" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "uuid" TEXT NOT NULL,
    "visible_name" TEXT NOT NULL,
    "type" "NotebookType" NOT NULL,
    "parent_uuid" TEXT,
    "folder_path" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_modified" TIMESTAMPTZ(3),
    "last_opened" TIMESTAMPTZ(3),
    "last_opened_page" INTEGER,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "metadata_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notebooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pages" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "notebook_id" INTEGER NOT NULL,
    "notebook_uuid" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "file_sha256" TEXT,
    "file_size" INTEGER,
    "ocr_status" "OcrStatus" NOT NULL DEFAULT 'pending',
    "ocr_text" TEXT,
    "ocr_error" TEXT,
    "text_file_sha256" TEXT,
    "has_handwriting" BOOLEAN NOT NULL DEFAULT false,
    "typed_text" TEXT,
    "content_hash" TEXT,
    "uploaded_at" TIMESTAMPTZ(3),
    "text_ready_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notebook_pages" (
    "id" SERIAL NOT NULL,
    "notebook_id" INTEGER NOT NULL,
    "page_id" INTEGER NOT NULL,
    "page_number" INTEGER NOT NULL,

    CONSTRAINT "notebook_pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "todos" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "notebook_id" INTEGER NOT NULL,
    "notebook_uuid" TEXT NOT NULL,
    "page_id" INTEGER,
    "page_number" INTEGER,
    "text" TEXT NOT NULL,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "content_hash" TEXT NOT NULL,
    "fuzzy_signature" TEXT NOT NULL,
    "confusion_key" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "todos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "highlights" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "notebook_id" INTEGER NOT NULL,
    "notebook_uuid" TEXT NOT NULL,
    "page_id" INTEGER,
    "original_text" TEXT NOT NULL,
    "original_text_hash" TEXT NOT NULL,
    "corrected_text" TEXT,
    "source_file" TEXT NOT NULL,
    "page_number" INTEGER,
    "color" TEXT NOT NULL,
    "rects" JSONB NOT NULL DEFAULT '[]',
    "content_hash" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "highlights_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quota_usage" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "quota_type" TEXT NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,
    "limit" INTEGER NOT NULL,
    "period_start" TIMESTAMPTZ(3),
    "reset_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quota_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_records" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "item_type" VARCHAR(50) NOT NULL,
    "item_id" VARCHAR(255) NOT NULL,
    "content_hash" VARCHAR(64) NOT NULL,
    "page_uuid" VARCHAR(255),
    "notebook_uuid" VARCHAR(255),
    "page_number" INTEGER,
    "target_name" VARCHAR(50) NOT NULL,
    "external_id" VARCHAR(500),
    "status" "SyncStatus" NOT NULL,
    "error_message" TEXT,
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "metadata_json" TEXT,
    "payload_hash" VARCHAR(64),
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "synced_at" TIMESTAMPTZ(3),

    CONSTRAINT "sync_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_configs" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "target_name" VARCHAR(50) NOT NULL,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "config_encrypted" TEXT NOT NULL,
    "credential_hint" TEXT,
    "last_synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notebook_tombstones" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "notebook_uuid" TEXT NOT NULL,
    "visible_name" TEXT NOT NULL,
    "external_ids" JSONB NOT NULL DEFAULT '{}',
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cleaned_at" TIMESTAMPTZ(3),

    CONSTRAINT "notebook_tombstones_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stored_files" (
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stored_files_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "rate_limit_buckets" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "allowed" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "notebooks_user_id_parent_uuid_idx" ON "notebooks"("user_id", "parent_uuid");

-- CreateIndex
CREATE UNIQUE INDEX "notebooks_user_id_uuid_key" ON "notebooks"("user_id", "uuid");

-- CreateIndex
CREATE INDEX "pages_user_id_ocr_status_idx" ON "pages"("user_id", "ocr_status");

-- CreateIndex
CREATE INDEX "pages_file_sha256_idx" ON "pages"("file_sha256");

-- CreateIndex
CREATE UNIQUE INDEX "pages_notebook_id_uuid_key" ON "pages"("notebook_id", "uuid");

-- CreateIndex
CREATE UNIQUE INDEX "notebook_pages_page_id_key" ON "notebook_pages"("page_id");

-- CreateIndex
CREATE INDEX "notebook_pages_notebook_id_page_number_idx" ON "notebook_pages"("notebook_id", "page_number");

-- CreateIndex
CREATE INDEX "todos_user_id_notebook_uuid_confusion_key_idx" ON "todos"("user_id", "notebook_uuid", "confusion_key");

-- CreateIndex
CREATE INDEX "todos_notebook_id_idx" ON "todos"("notebook_id");

-- CreateIndex
CREATE INDEX "todos_page_id_idx" ON "todos"("page_id");

-- CreateIndex
CREATE UNIQUE INDEX "unique_fuzzy_todo" ON "todos"("fuzzy_signature", "notebook_uuid", "user_id");

-- CreateIndex
CREATE INDEX "highlights_notebook_id_idx" ON "highlights"("notebook_id");

-- CreateIndex
CREATE INDEX "highlights_page_id_idx" ON "highlights"("page_id");

-- CreateIndex
CREATE UNIQUE INDEX "highlights_user_id_source_file_original_text_hash_key" ON "highlights"("user_id", "source_file", "original_text_hash");

-- CreateIndex
CREATE UNIQUE INDEX "quota_usage_user_id_quota_type_key" ON "quota_usage"("user_id", "quota_type");

-- CreateIndex
CREATE INDEX "idx_sync_user" ON "sync_records"("user_id");

-- CreateIndex
CREATE INDEX "idx_sync_status" ON "sync_records"("status");

-- CreateIndex
CREATE INDEX "idx_sync_item" ON "sync_records"("item_type", "item_id");

-- CreateIndex
CREATE INDEX "idx_sync_notebook_page" ON "sync_records"("notebook_uuid", "page_number");

-- CreateIndex
CREATE INDEX "idx_sync_page_uuid" ON "sync_records"("page_uuid");

-- CreateIndex
CREATE UNIQUE INDEX "unique_item_target" ON "sync_records"("user_id", "target_name", "item_type", "item_id");

-- CreateIndex


-- CreateIndex
CREATE UNIQUE INDEX "unique_user_target" ON "integration_configs"("user_id", "target_name");

-- CreateIndex
CREATE INDEX "notebook_tombstones_user_id_notebook_uuid_idx" ON "notebook_tombstones"("user_id", "notebook_uuid");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notebooks" ADD CONSTRAINT "notebooks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pages" ADD CONSTRAINT "pages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pages" ADD CONSTRAINT "pages_notebook_id_fkey" FOREIGN KEY ("notebook_id") REFERENCES "notebooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notebook_pages" ADD CONSTRAINT "notebook_pages_notebook_id_fkey" FOREIGN KEY ("notebook_id") REFERENCES "notebooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notebook_pages" ADD CONSTRAINT "notebook_pages_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "todos" ADD CONSTRAINT "todos_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "todos" ADD CONSTRAINT "todos_notebook_id_fkey" FOREIGN KEY ("notebook_id") REFERENCES "notebooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "todos" ADD CONSTRAINT "todos_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "highlights" ADD CONSTRAINT "highlights_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "highlights" ADD CONSTRAINT "highlights_notebook_id_fkey" FOREIGN KEY ("notebook_id") REFERENCES "notebooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "highlights" ADD CONSTRAINT "highlights_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quota_usage" ADD CONSTRAINT "quota_usage_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_configs" ADD CONSTRAINT "integration_configs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notebook_tombstones" ADD CONSTRAINT "notebook_tombstones_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Constraints Prisma cannot express -------------------------------------------------------------

-- Page order: deferrable, so a transaction can shift every page of a notebook without tripping it.
ALTER TABLE "notebook_pages" ADD CONSTRAINT "notebook_pages_notebook_id_page_number_key"
  UNIQUE ("notebook_id", "page_number") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "notebook_pages" ADD CONSTRAINT "notebook_pages_page_number_check" CHECK ("page_number" >= 1);

ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_item_type_check"
  CHECK ("item_type" IN ('page_text', 'todo', 'highlight', 'notebook_metadata'));
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_retry_count_check" CHECK ("retry_count" >= 0);
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_content_hash_check" CHECK (length("content_hash") BETWEEN 1 AND 64);

ALTER TABLE "todos" ADD CONSTRAINT "todos_fuzzy_signature_check" CHECK (length("fuzzy_signature") > 0);
ALTER TABLE "users" ADD CONSTRAINT "users_email_lowercase_check" CHECK ("email" = lower("email"));
ALTER TABLE "quota_usage" ADD CONSTRAINT "quota_usage_used_check" CHECK ("used" >= 0 AND "limit" >= 0);
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scopes_check"
  CHECK ("scopes" <@ ARRAY['agent', 'read', 'write']::text[] AND cardinality("scopes") > 0);
ALTER TABLE "pages" ADD CONSTRAINT "pages_file_sha256_check" CHECK ("file_sha256" IS NULL OR "file_sha256" ~ '^[0-9a-f]{64}$');
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$');

-- The seed's UNIQUE(content_hash, target_name, user_id), deferrable: fingerprints include an item's
-- place, and when two pages swap places inside one transaction their rows pass through each other's.
-- (Writers run SET CONSTRAINTS ALL IMMEDIATE before committing, so a violation fails a statement.)
ALTER TABLE "sync_records" ADD CONSTRAINT "unique_content_target"
  UNIQUE ("content_hash", "target_name", "user_id") DEFERRABLE INITIALLY DEFERRED;
