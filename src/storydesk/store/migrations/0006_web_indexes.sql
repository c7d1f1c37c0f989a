-- What the web pages read, kept beside the records so a page reads a few
-- small rows instead of decoding whole story and article JSON (issue 11:
-- the stories list, actor pages and search took seconds on a large store).

-- A story's summary as columns: the stories list, the actor page's stories.
ALTER TABLE stories ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN n_corroborated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN n_single_source INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN n_conflicts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN outlets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stories ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
UPDATE stories SET
    n_articles = coalesce(json_array_length(data, '$.articles'), 0),
    n_corroborated = coalesce(json_array_length(data, '$.corroborated'), 0),
    n_single_source = coalesce(json_array_length(data, '$.single_source'), 0),
    n_conflicts = coalesce(json_array_length(data, '$.conflicts'), 0),
    outlets = coalesce(json_extract(data, '$.outlets'), '[]'),
    languages = coalesce(json_extract(data, '$.languages'), '[]');

-- Quotes whose speaker is a linked actor, one row each: an actor's page pages
-- through them without loading the articles. Rewritten with the article.
CREATE TABLE article_quotes (
    article_id TEXT NOT NULL REFERENCES articles (id),
    seq INTEGER NOT NULL,
    speaker_entity TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;
CREATE INDEX article_quotes_speaker ON article_quotes (speaker_entity);
INSERT INTO article_quotes (article_id, seq, speaker_entity, data)
    SELECT a.id, q.key, json_extract(q.value, '$.speaker_entity'), q.value
    FROM articles a, json_each(a.data, '$.quotes') q
    WHERE json_extract(q.value, '$.speaker_entity') IS NOT NULL;

-- A story's conflicts, one row each, with what an actor page matches them on:
-- the entity they are about and their sides' speakers (lower case, one per line).
CREATE TABLE story_conflicts (
    story_id TEXT NOT NULL REFERENCES stories (id),
    seq INTEGER NOT NULL,
    entity TEXT,
    speakers TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (story_id, seq)
) WITHOUT ROWID;
CREATE INDEX story_conflicts_entity ON story_conflicts (entity);
INSERT INTO story_conflicts (story_id, seq, entity, speakers, data)
    SELECT s.id, c.key, json_extract(c.value, '$.entity'),
           coalesce((SELECT group_concat(lower(json_extract(x.value, '$.speaker')), char(10))
                     FROM json_each(c.value, '$.sides') x WHERE json_extract(x.value, '$.speaker') IS NOT NULL), ''),
           c.value
    FROM stories s, json_each(s.data, '$.conflicts') c;

-- How many articles mention each entity, kept by triggers so every path that
-- adds or removes an entity's article keeps it right: the actors index sorts on it.
ALTER TABLE entities ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
UPDATE entities SET n_articles = (SELECT count(*) FROM entity_articles WHERE entity_id = entities.id);
CREATE TRIGGER entity_articles_added AFTER INSERT ON entity_articles BEGIN
    UPDATE entities SET n_articles = n_articles + 1 WHERE id = NEW.entity_id;
END;
CREATE TRIGGER entity_articles_removed AFTER DELETE ON entity_articles BEGIN
    UPDATE entities SET n_articles = n_articles - 1 WHERE id = OLD.entity_id;
END;
CREATE INDEX entities_n_articles ON entities (n_articles DESC, name);
CREATE INDEX entities_type ON entities (type, n_articles DESC);

-- The language filter's values without reading every article row.
CREATE INDEX articles_language ON articles (language);

-- Ingests started from the browser run in the background; their progress and
-- results are kept here so any server process can show them.
CREATE TABLE ingest_jobs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
