-- Articles as ingested and read. `data` holds the whole Article record as JSON;
-- the columns beside it are what queries filter and sort on.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    published_source TEXT NOT NULL DEFAULT 'none',
    language TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    duplicate_of TEXT,
    ingested_at TEXT NOT NULL,
    linked INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_linked ON articles (linked);

-- Every input (path, URL, feed entry) that produced an article, so the same
-- content arriving from two places is stored once and both places are known.
CREATE TABLE article_sources (
    source TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id)
);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    id UNINDEXED,
    title,
    text,
    tokenize = 'unicode61 remove_diacritics 2'
);
