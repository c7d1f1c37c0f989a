-- Cross-article entities and the mentions linked to them.
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
