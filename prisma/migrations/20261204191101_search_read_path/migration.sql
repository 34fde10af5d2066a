-- Search: a user's pages newest first, for the words found in many pages. The planner walks this
-- index and checks each page's vector until it has the candidates to rank, instead of visiting every
-- match through the GIN index (see makeRankedSql in server/search/searchLibrary.ts).
CREATE INDEX "pages_user_created_idx" ON "pages" ("user_id", "created_at" DESC, "id" DESC);

-- Rate-limit buckets are taken by every API request, and all of a token's requests update the same
-- row: logged, each held that row until its commit had flushed the WAL, so concurrent requests of one
-- client queued behind each other's disk flushes. Unlogged, a commit touching only them does not wait
-- for the disk. After a crash the table is empty: every bucket starts full, which a limiter allows.
ALTER TABLE "rate_limit_buckets" SET UNLOGGED;
