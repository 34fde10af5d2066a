-- The vocabulary (search_words) is kept once per statement instead of once per row: a per-row
-- trigger probed the word index for every word of every row (about 100 a page), which made loading a
-- library three times slower than without it. Now each statement adds the distinct words of all the
-- rows it wrote (from the transition table), and an update adds only the words its new text has and
-- its old text had not (a page re-read with a line more probes that line's words). Still in the
-- statement that writes the text, so in its transaction.
-- Transition tables allow neither column lists nor WHEN conditions, so the update triggers fire on
-- every update and skip the rows whose vector did not change.
DROP TRIGGER "pages_search_words_insert" ON "pages";
DROP TRIGGER "pages_search_words_update" ON "pages";
DROP TRIGGER "todos_search_words_insert" ON "todos";
DROP TRIGGER "todos_search_words_update" ON "todos";
DROP TRIGGER "highlights_search_words_insert" ON "highlights";
DROP TRIGGER "highlights_search_words_update" ON "highlights";
DROP FUNCTION "search_words_collect"();

-- Words compared byte by byte: the vocabulary needs no linguistic order, and every probe of its key
-- and every sort of new words was paying for one (the trigram index does not depend on it).
ALTER TABLE "search_words" ALTER COLUMN "word" TYPE text COLLATE "C";

-- Sorted inserts, so two writers adding the same new words never deadlock.
CREATE FUNCTION "search_words_collect_inserted"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "search_words" ("user_id", "word")
  SELECT DISTINCT n."user_id", w.lexeme COLLATE "C"
  FROM "new_rows" n, unnest(tsvector_to_array(ts_filter(n."search_vector", ''{d}''))) AS w(lexeme)
  WHERE length(w.lexeme) BETWEEN 3 AND 40
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING\x3b
  RETURN NULL\x3b
END';

CREATE FUNCTION "search_words_collect_updated"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "search_words" ("user_id", "word")
  SELECT DISTINCT n."user_id", w.lexeme COLLATE "C"
  FROM "new_rows" n
  LEFT JOIN "old_rows" o ON o."id" = n."id" AND o."user_id" = n."user_id"
  CROSS JOIN LATERAL (
    SELECT unnest(tsvector_to_array(ts_filter(n."search_vector", ''{d}'')))
    EXCEPT
    SELECT unnest(tsvector_to_array(ts_filter(o."search_vector", ''{d}'')))
  ) AS w(lexeme)
  WHERE n."search_vector" IS DISTINCT FROM o."search_vector" AND length(w.lexeme) BETWEEN 3 AND 40
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING\x3b
  RETURN NULL\x3b
END';

CREATE TRIGGER "pages_search_words_insert" AFTER INSERT ON "pages"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "search_words_collect_inserted"();
CREATE TRIGGER "pages_search_words_update" AFTER UPDATE ON "pages"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "search_words_collect_updated"();
CREATE TRIGGER "todos_search_words_insert" AFTER INSERT ON "todos"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "search_words_collect_inserted"();
CREATE TRIGGER "todos_search_words_update" AFTER UPDATE ON "todos"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "search_words_collect_updated"();
CREATE TRIGGER "highlights_search_words_insert" AFTER INSERT ON "highlights"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "search_words_collect_inserted"();
CREATE TRIGGER "highlights_search_words_update" AFTER UPDATE ON "highlights"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "search_words_collect_updated"();
