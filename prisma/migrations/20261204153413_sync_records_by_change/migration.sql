-- viewer.syncRecords walks the sync records of a user newest change first.
CREATE INDEX "idx_sync_user_updated" ON "sync_records"("user_id", "updated_at" DESC, "id" DESC);
