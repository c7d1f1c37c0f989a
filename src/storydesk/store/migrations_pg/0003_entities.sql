-- PostgreSQL twin of migrations/0003_entities.sql.
CREATE TABLE entities (
    id text COLLATE "C" PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    type text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    data text NOT NULL
);
CREATE INDEX entities_key ON entities (key);
CREATE INDEX entities_name ON entities (name);
-- `rowid`: the order an entity's articles were linked in (SQLite's implicit rowid).
CREATE TABLE entity_articles (
    entity_id text COLLATE "C" NOT NULL REFERENCES entities (id),
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id),
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (entity_id, article_id)
);
CREATE INDEX entity_articles_article ON entity_articles (article_id);
CREATE TABLE entity_keys (
    key text COLLATE "C" NOT NULL,
    entity_id text COLLATE "C" NOT NULL REFERENCES entities (id),
    PRIMARY KEY (key, entity_id)
);
