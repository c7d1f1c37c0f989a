-- As 0011 for SQLite: storylines without a known day are listed largest first.
ALTER TABLE storylines ADD COLUMN article_count integer NOT NULL DEFAULT 0;
UPDATE storylines SET article_count = coalesce((data::json ->> 'article_count')::integer, 0);
