-- What the web pages read, kept beside the records so a page reads a few
-- small rows instead of decoding whole story and article JSON (issue 11:
-- the stories list, actor pages and search took seconds on a large store).

-- A story's summary in a table of small rows: the stories list reads these,
-- never the story's JSON (a story row is mostly overflow pages of JSON).
CREATE TABLE story_summaries (
    id TEXT PRIMARY KEY REFERENCES stories (id),
    title TEXT NOT NULL,
    first_published TEXT,
    last_published TEXT,
    outlets TEXT NOT NULL,
    languages TEXT NOT NULL,
    n_articles INTEGER NOT NULL,
    n_corroborated INTEGER NOT NULL,
    n_single_source INTEGER NOT NULL,
    n_conflicts INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_summaries_recent ON story_summaries (last_published DESC, id);
INSERT INTO story_summaries
    SELECT id, title, first_published, last_published,
           coalesce(json_extract(data, '$.outlets'), '[]'), coalesce(json_extract(data, '$.languages'), '[]'),
           coalesce(json_array_length(data, '$.articles'), 0), coalesce(json_array_length(data, '$.corroborated'), 0),
           coalesce(json_array_length(data, '$.single_source'), 0), coalesce(json_array_length(data, '$.conflicts'), 0)
    FROM stories;

-- Quotes whose speaker is a linked actor, one row each: an actor's page pages
-- through them without loading the articles. Rewritten with the article.
-- `published` is the article's, so a page of the newest is an index range, not a sort.
CREATE TABLE article_quotes (
    article_id TEXT NOT NULL REFERENCES articles (id),
    seq INTEGER NOT NULL,
    speaker_entity TEXT NOT NULL,
    published TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;
CREATE INDEX article_quotes_speaker ON article_quotes (speaker_entity, published DESC, article_id, seq);
INSERT INTO article_quotes (article_id, seq, speaker_entity, published, data)
    SELECT a.id, q.key, json_extract(q.value, '$.speaker_entity'), a.published, q.value
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

-- The stories each entity is in, newest first: an actor's stories and the
-- conflicts about them are an index range. Rewritten when a story is saved
-- (from its articles' entity_articles rows), dropped with the entity.
CREATE TABLE story_entities (
    entity_id TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories (id),
    last_published TEXT,
    PRIMARY KEY (entity_id, story_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_recent ON story_entities (entity_id, last_published DESC, story_id);
CREATE INDEX story_entities_story ON story_entities (story_id);
INSERT OR IGNORE INTO story_entities (entity_id, story_id, last_published)
    SELECT ea.entity_id, sa.story_id, s.last_published
    FROM story_articles sa JOIN entity_articles ea ON ea.article_id = sa.article_id JOIN stories s ON s.id = sa.story_id;

-- Likewise the stories each outlet has an article in: the stories list narrowed
-- by an outlet is an index range instead of a pass over the outlet's articles.
CREATE TABLE story_outlets (
    outlet TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories (id),
    last_published TEXT,
    PRIMARY KEY (outlet, story_id)
) WITHOUT ROWID;
CREATE INDEX story_outlets_recent ON story_outlets (outlet, last_published DESC, story_id);
CREATE INDEX story_outlets_story ON story_outlets (story_id);
INSERT OR IGNORE INTO story_outlets (outlet, story_id, last_published)
    SELECT a.outlet, sa.story_id, s.last_published
    FROM story_articles sa JOIN articles a ON a.id = sa.article_id JOIN stories s ON s.id = sa.story_id
    WHERE a.outlet IS NOT NULL;

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

-- Article filters that find ids from the index alone (the rows are mostly JSON).
DROP INDEX articles_outlet;
CREATE INDEX articles_outlet ON articles (outlet, id);
CREATE INDEX articles_language ON articles (language, id);

-- Ingests started from the browser run in the background; their progress and
-- results are kept here so any server process can show them.
CREATE TABLE ingest_jobs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
