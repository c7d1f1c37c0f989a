-- PostgreSQL twin of migrations/0006_web_indexes.sql: what the web pages read,
-- kept beside the records (issue 11). The backfills read the records' JSON as
-- SQLite's does: json_each's 0-based key is WITH ORDINALITY minus one.
-- Columns that a page sorts on DESC are indexed DESC NULLS LAST: the store
-- sorts NULL before any value, as SQLite does (store/postgres.py).

CREATE TABLE story_summaries (
    id text COLLATE "C" PRIMARY KEY REFERENCES stories (id),
    title text COLLATE "C" NOT NULL,
    first_published text COLLATE "C",
    last_published text COLLATE "C",
    outlets text NOT NULL,
    languages text NOT NULL,
    n_articles integer NOT NULL,
    n_corroborated integer NOT NULL,
    n_single_source integer NOT NULL,
    n_conflicts integer NOT NULL
);
CREATE INDEX story_summaries_recent ON story_summaries (last_published DESC NULLS LAST, id);
INSERT INTO story_summaries
    SELECT id, title, first_published, last_published,
           coalesce(data::json ->> 'outlets', '[]'), coalesce(data::json ->> 'languages', '[]'),
           coalesce(json_array_length(data::json -> 'articles'), 0),
           coalesce(json_array_length(data::json -> 'corroborated'), 0),
           coalesce(json_array_length(data::json -> 'single_source'), 0),
           coalesce(json_array_length(data::json -> 'conflicts'), 0)
    FROM stories;

CREATE TABLE article_quotes (
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id),
    seq integer NOT NULL,
    speaker_entity text COLLATE "C" NOT NULL,
    published text COLLATE "C",
    data text NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX article_quotes_speaker ON article_quotes (speaker_entity, published DESC NULLS LAST, article_id, seq);
INSERT INTO article_quotes (article_id, seq, speaker_entity, published, data)
    SELECT a.id, q.n - 1, q.value ->> 'speaker_entity', a.published, q.value::text
    FROM articles a, json_array_elements(a.data::json -> 'quotes') WITH ORDINALITY q (value, n)
    WHERE q.value ->> 'speaker_entity' IS NOT NULL;

CREATE TABLE story_conflicts (
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id),
    seq integer NOT NULL,
    entity text COLLATE "C",
    speakers text NOT NULL,
    data text NOT NULL,
    PRIMARY KEY (story_id, seq)
);
CREATE INDEX story_conflicts_entity ON story_conflicts (entity);
INSERT INTO story_conflicts (story_id, seq, entity, speakers, data)
    SELECT s.id, c.n - 1, c.value ->> 'entity',
           coalesce((SELECT string_agg(lower(x ->> 'speaker'), E'\n')
                     FROM json_array_elements(c.value -> 'sides') x WHERE x ->> 'speaker' IS NOT NULL), ''),
           c.value::text
    FROM stories s, json_array_elements(s.data::json -> 'conflicts') WITH ORDINALITY c (value, n);

CREATE TABLE story_entities (
    entity_id text COLLATE "C" NOT NULL,
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id),
    last_published text COLLATE "C",
    PRIMARY KEY (entity_id, story_id)
);
CREATE INDEX story_entities_recent ON story_entities (entity_id, last_published DESC NULLS LAST, story_id);
CREATE INDEX story_entities_story ON story_entities (story_id);
INSERT INTO story_entities (entity_id, story_id, last_published)
    SELECT ea.entity_id, sa.story_id, s.last_published
    FROM story_articles sa JOIN entity_articles ea ON ea.article_id = sa.article_id JOIN stories s ON s.id = sa.story_id
    ON CONFLICT DO NOTHING;

CREATE TABLE story_outlets (
    outlet text COLLATE "C" NOT NULL,
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id),
    last_published text COLLATE "C",
    PRIMARY KEY (outlet, story_id)
);
CREATE INDEX story_outlets_recent ON story_outlets (outlet, last_published DESC NULLS LAST, story_id);
CREATE INDEX story_outlets_story ON story_outlets (story_id);
INSERT INTO story_outlets (outlet, story_id, last_published)
    SELECT a.outlet, sa.story_id, s.last_published
    FROM story_articles sa JOIN articles a ON a.id = sa.article_id JOIN stories s ON s.id = sa.story_id
    WHERE a.outlet IS NOT NULL
    ON CONFLICT DO NOTHING;

-- How many articles mention each entity, kept by a trigger as in SQLite.
ALTER TABLE entities ADD COLUMN n_articles integer NOT NULL DEFAULT 0;
UPDATE entities SET n_articles = (SELECT count(*) FROM entity_articles WHERE entity_id = entities.id);
CREATE FUNCTION entity_articles_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE entities SET n_articles = n_articles + 1 WHERE id = NEW.entity_id;
    ELSE
        UPDATE entities SET n_articles = n_articles - 1 WHERE id = OLD.entity_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER entity_articles_added AFTER INSERT ON entity_articles
    FOR EACH ROW EXECUTE FUNCTION entity_articles_count();
CREATE TRIGGER entity_articles_removed AFTER DELETE ON entity_articles
    FOR EACH ROW EXECUTE FUNCTION entity_articles_count();
CREATE INDEX entities_n_articles ON entities (n_articles DESC, name);
CREATE INDEX entities_type ON entities (type, n_articles DESC);

DROP INDEX articles_outlet;
CREATE INDEX articles_outlet ON articles (outlet NULLS FIRST, id);
CREATE INDEX articles_language ON articles (language NULLS FIRST, id);

CREATE TABLE ingest_jobs (
    id text COLLATE "C" PRIMARY KEY,
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL,
    data text NOT NULL
);
