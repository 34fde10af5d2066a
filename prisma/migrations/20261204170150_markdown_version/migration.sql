-- The version of a notebook as Markdown: a hash of everything its Markdown is made of (name, folder,
-- tags, last modified, the text of each live page in page order, each live highlight at its page),
-- read without rendering it. The GraphQL API, the downloads and the Obsidian sync status all use this
-- one definition, so they always agree. `format` is the format version of the converter
-- (MARKDOWN_FORMAT in server/markdown/loadMarkdownSources.ts): a new format changes every version.
-- Epoch seconds rather than timestamptz as text (which depends on the TimeZone of the session), and
-- the text of json_build_array as the canonical serialization of the parts.
-- (No semicolon before the last line, comments included: the migration runner of the Prisma driver
-- adapter splits scripts at every semicolon.)
create or replace function notebook_markdown_version(nb_id integer, format text) returns text
language sql stable parallel safe as $$
  select encode(sha256(convert_to(json_build_array(
    format,
    n.id,
    n.uuid,
    n.visible_name,
    n.folder_path,
    n.tags,
    extract(epoch from n.last_modified),
    (select json_agg(json_build_array(np.page_number, md5(p.ocr_text)) order by np.page_number)
       from notebook_pages np join pages p on p.id = np.page_id
      where np.notebook_id = n.id),
    (select json_agg(json_build_array(np.page_number, md5(coalesce(h.corrected_text, h.original_text))) order by np.page_number, h.id)
       from highlights h join notebook_pages np on np.page_id = h.page_id
      where h.notebook_id = n.id and h.removed_at is null)
  )::text, 'UTF8')), 'hex')
  from notebooks n where n.id = nb_id
$$;
