-- Sync engine: per-integration target state (e.g. the Notion data source schema), dry-run previews,
-- and worker heartbeats for the reaper of dead workers' jobs.

ALTER TABLE "integration_configs" ADD COLUMN "target_state" JSONB NOT NULL DEFAULT '{}';

CREATE TABLE "sync_previews" (
    "id" SERIAL NOT NULL,
    "integration_id" INTEGER NOT NULL,
    "notebook_id" INTEGER NOT NULL,
    "requests" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sync_previews_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sync_previews_integration_id_notebook_id_key" ON "sync_previews"("integration_id", "notebook_id");
ALTER TABLE "sync_previews" ADD CONSTRAINT "sync_previews_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integration_configs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sync_previews" ADD CONSTRAINT "sync_previews_notebook_id_fkey" FOREIGN KEY ("notebook_id") REFERENCES "notebooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "process" TEXT NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- Why an item failed: 'transient' (network, 5xx, 429 — retried by itself once the target answers)
-- or 'permanent' (validation, revoked token — waits for the user).
ALTER TABLE "sync_records" ADD COLUMN "failure_kind" VARCHAR(20);
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_failure_kind_check" CHECK ("failure_kind" IN ('transient', 'permanent'));
