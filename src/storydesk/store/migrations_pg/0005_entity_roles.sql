-- PostgreSQL twin of migrations/0005_entity_roles.sql.
CREATE TABLE entity_roles (
    entity_id text COLLATE "C" NOT NULL REFERENCES entities (id),
    role text COLLATE "C" NOT NULL,
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id),
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (entity_id, role, article_id)
);
CREATE INDEX entity_roles_entity ON entity_roles (entity_id, rowid);
-- An entity's most recent articles: (entity_id, rowid) in place of SQLite's rowid-ordered index.
CREATE INDEX entity_articles_recent ON entity_articles (entity_id, rowid);
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);
