-- Cross-article entities and the mentions linked to them.
-- An entity's article list lives in entity_articles only (not in `data`), so
-- linking one more article about "Russia" adds one row instead of rewriting
-- a list that grows with the store.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX entities_key ON entities (key);
CREATE TABLE entity_articles (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    article_id TEXT NOT NULL REFERENCES articles (id),
    PRIMARY KEY (entity_id, article_id)
);
CREATE INDEX entity_articles_article ON entity_articles (article_id);
-- Every key an entity is known under (full-name keys, "~surname", "^acronym"),
-- so a new mention finds its candidates with one indexed lookup.
CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (key, entity_id)
);
