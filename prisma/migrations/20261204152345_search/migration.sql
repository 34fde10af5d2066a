-- Full-text search over pages, todos and highlights (viewer.search).
--
-- Each searchable row gets a generated tsvector: the text through the english configuration (stems,
-- weight A) followed by the same text through `simple` (words as written, weight D), so English
-- text matches by stem while other languages, names and stop words still match as written. Being
-- generated, the vector changes in the statement (and so the transaction) that changes the text.
-- Only the first 100,000 characters are indexed: a tsvector is at most 1 MB, and a write must never
-- fail because a page is huge.
ALTER TABLE "pages" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, left(coalesce("ocr_text", ''), 100000)), 'A')
  || to_tsvector('simple'::regconfig, left(coalesce("ocr_text", ''), 100000))
) STORED;
ALTER TABLE "todos" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, left("text", 100000)), 'A')
  || to_tsvector('simple'::regconfig, left("text", 100000))
) STORED;
-- A highlight is found by the text it shows: the correction when there is one.
ALTER TABLE "highlights" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, left(coalesce("corrected_text", "original_text"), 100000)), 'A')
  || to_tsvector('simple'::regconfig, left(coalesce("corrected_text", "original_text"), 100000))
) STORED;

CREATE INDEX "pages_search_vector_idx" ON "pages" USING GIN ("search_vector");
CREATE INDEX "todos_search_vector_idx" ON "todos" USING GIN ("search_vector");
CREATE INDEX "highlights_search_vector_idx" ON "highlights" USING GIN ("search_vector");

-- "Everything I still have to do": open todos across notebooks, newest first.
CREATE INDEX "todos_open_idx" ON "todos" ("user_id", "created_at" DESC, "id" DESC) WHERE "removed_at" IS NULL AND NOT "completed";

-- Each user's vocabulary: every word (as written, lowercased) of their pages, todos and highlights,
-- kept in the transaction that writes the text. A query word is widened with its closest vocabulary
-- words by trigram similarity (pg_trgm), so OCR-garbled and partial words still find the text
-- ("invoce" finds "invoice"). Words are never removed: a stale one only widens a query to a word that
-- matches nothing.
CREATE TABLE "search_words" (
    "user_id" INTEGER NOT NULL,
    "word" TEXT NOT NULL,

    CONSTRAINT "search_words_pkey" PRIMARY KEY ("user_id", "word")
);
ALTER TABLE "search_words" ADD CONSTRAINT "search_words_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The `simple` half of a row's vector (weight D) is its words as written. Sorted inserts, so two
-- writers adding the same new words never deadlock.
-- (Prisma's driver adapter splits a migration at every semicolon, strings included: bodies are
-- E'' strings with each semicolon written as \x3b.)
CREATE FUNCTION "search_words_collect"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "search_words" ("user_id", "word")
  SELECT NEW."user_id", w.lexeme
  FROM unnest(ts_filter(NEW."search_vector", ''{d}'')) AS w
  WHERE length(w.lexeme) BETWEEN 3 AND 40
  ORDER BY w.lexeme
  ON CONFLICT DO NOTHING\x3b
  RETURN NULL\x3b
END';

-- On insert, and on an update that changed the text (re-reading an unchanged page adds nothing).
CREATE TRIGGER "pages_search_words_insert" AFTER INSERT ON "pages"
  FOR EACH ROW WHEN (NEW."ocr_text" IS NOT NULL) EXECUTE FUNCTION "search_words_collect"();
CREATE TRIGGER "pages_search_words_update" AFTER UPDATE OF "ocr_text" ON "pages"
  FOR EACH ROW WHEN (NEW."ocr_text" IS DISTINCT FROM OLD."ocr_text" AND NEW."ocr_text" IS NOT NULL) EXECUTE FUNCTION "search_words_collect"();
CREATE TRIGGER "todos_search_words_insert" AFTER INSERT ON "todos"
  FOR EACH ROW EXECUTE FUNCTION "search_words_collect"();
CREATE TRIGGER "todos_search_words_update" AFTER UPDATE OF "text" ON "todos"
  FOR EACH ROW WHEN (NEW."text" IS DISTINCT FROM OLD."text") EXECUTE FUNCTION "search_words_collect"();
CREATE TRIGGER "highlights_search_words_insert" AFTER INSERT ON "highlights"
  FOR EACH ROW EXECUTE FUNCTION "search_words_collect"();
CREATE TRIGGER "highlights_search_words_update" AFTER UPDATE OF "original_text", "corrected_text" ON "highlights"
  FOR EACH ROW WHEN (NEW."search_vector" IS DISTINCT FROM OLD."search_vector") EXECUTE FUNCTION "search_words_collect"();

-- pg_trgm (and btree_gin, so one index serves "this user's words like X") ship with PostgreSQL's
-- contrib package: in the embedded PostgreSQL 18 and in every common distribution and hosted service,
-- and both are trusted extensions (a database owner may create them). Where they are missing, search
-- still works, without the similar-word widening: the server logs a warning saying so (README, Search).
DO E'
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm\x3b
  CREATE EXTENSION IF NOT EXISTS btree_gin\x3b
  CREATE INDEX "search_words_trgm_idx" ON "search_words" USING GIN ("user_id", "word" gin_trgm_ops)\x3b
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING ''search: pg_trgm or btree_gin is not available (%), so search runs without OCR-variant matching'', SQLERRM\x3b
END';
