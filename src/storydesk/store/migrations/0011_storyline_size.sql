-- The storylines list puts dated storylines first, newest first; most storylines of
-- undated news have no known day, and those come largest first (then by id), so a
-- developing story of forty articles is not listed after a lone report.
ALTER TABLE storylines ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
UPDATE storylines SET article_count = coalesce(json_extract(data, '$.article_count'), 0);
