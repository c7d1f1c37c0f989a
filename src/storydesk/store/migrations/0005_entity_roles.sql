-- The articles that give an entity each role, one row per (entity, role,
-- article): like entity_articles, so a role seen in 10,000 articles is not a
-- list rewritten with every new one. Entity.roles in `data` keeps the role
-- names only.
CREATE TABLE entity_roles (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    role TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id),
    PRIMARY KEY (entity_id, role, article_id)
);
-- An entity's most recent articles without sorting all of them (every SQLite
-- index ends with the rowid, so this one is ordered by insertion per entity).
CREATE INDEX entity_articles_recent ON entity_articles (entity_id);
-- The keys of given entities (entity_keys' primary key starts with the key).
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);
