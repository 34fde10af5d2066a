-- Page files for FILE_STORAGE=postgres (server/storage/postgresFileStorage.ts), content-addressed:
-- one file_blobs row per distinct sha256, its bytes in file_blob_chunks rows of at most 1 MiB written
-- in the same transaction. (stored_files records which files pages reference, whatever the storage.
-- These tables hold bytes only.)
CREATE TABLE "file_blobs" (
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "chunk_count" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "file_blobs_pkey" PRIMARY KEY ("sha256"),
    CONSTRAINT "file_blobs_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "file_blobs_size_check" CHECK ("size" >= 0 AND "chunk_count" >= 0)
);

CREATE TABLE "file_blob_chunks" (
    "sha256" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "file_blob_chunks_pkey" PRIMARY KEY ("sha256","seq")
);

-- Out of line, uncompressed: page files barely compress, and trying costs every write.
ALTER TABLE "file_blob_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;

ALTER TABLE "file_blob_chunks" ADD CONSTRAINT "file_blob_chunks_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "file_blobs"("sha256") ON DELETE CASCADE ON UPDATE CASCADE;
