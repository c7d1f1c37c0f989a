-- PostgreSQL twin of migrations/0001_articles.sql (same name, same tables and columns).
-- Text that is sorted or compared is COLLATE "C": byte order, as SQLite compares,
-- whatever locale the database was created with.
-- `rowid` stands for SQLite's implicit rowid (insertion order), which the shared
-- queries order by; `linked` rows are taken in (published, rowid) order.
CREATE TABLE articles (
    id text COLLATE "C" PRIMARY KEY,
    source text NOT NULL,
    url text,
    outlet text COLLATE "C",
    title text COLLATE "C",
    published text COLLATE "C",
    published_source text NOT NULL DEFAULT 'none',
    language text COLLATE "C",
    content_hash text COLLATE "C" NOT NULL UNIQUE,
    duplicate_of text COLLATE "C",
    ingested_at text COLLATE "C" NOT NULL,
    linked integer NOT NULL DEFAULT 0,
    data text NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
-- NULLS FIRST: the store sorts NULL first, as SQLite does (store/postgres.py).
CREATE INDEX articles_published ON articles (published NULLS FIRST);
CREATE INDEX articles_outlet ON articles (outlet NULLS FIRST);
CREATE INDEX articles_linked ON articles (linked);

CREATE TABLE article_sources (
    source text COLLATE "C" PRIMARY KEY,
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id)
);
CREATE INDEX article_sources_article ON article_sources (article_id);

-- Full-text search: a generated tsvector with a GIN index in place of SQLite's
-- FTS5 table. The 'simple' configuration lower-cases and does not stem, as
-- FTS5's unicode61 tokenizer; a tsvector is capped at 1 MB, so only the first
-- 500,000 characters of a body are indexed (reading reads 100,000).
CREATE TABLE articles_fts (
    id text COLLATE "C" PRIMARY KEY REFERENCES articles (id),
    title text NOT NULL,
    text text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', left(text, 500000))
    ) STORED
);
CREATE INDEX articles_fts_tsv ON articles_fts USING gin (tsv);
