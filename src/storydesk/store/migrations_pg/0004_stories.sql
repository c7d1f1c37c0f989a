-- PostgreSQL twin of migrations/0004_stories.sql. Vectors stay float32 bytes
-- (bytea), not pgvector: the linker reads a window's vectors back whole and
-- compares them in Python, so no query needs a vector index.
CREATE TABLE stories (
    id text COLLATE "C" PRIMARY KEY,
    title text COLLATE "C" NOT NULL,
    storyline text COLLATE "C",
    first_published text COLLATE "C",
    last_published text COLLATE "C",
    data text NOT NULL
);
CREATE INDEX stories_last_published ON stories (last_published NULLS FIRST, id);
CREATE INDEX stories_storyline ON stories (storyline NULLS FIRST);
CREATE TABLE story_articles (
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id),
    article_id text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES articles (id)
);
CREATE INDEX story_articles_story ON story_articles (story_id);
CREATE TABLE story_features (
    story_id text COLLATE "C" PRIMARY KEY REFERENCES stories (id),
    first_day text COLLATE "C" NOT NULL,
    last_day text COLLATE "C" NOT NULL,
    vector bytea,
    data text NOT NULL
);
CREATE INDEX story_features_days ON story_features (last_day, first_day);
CREATE TABLE article_features (
    article_id text COLLATE "C" PRIMARY KEY REFERENCES articles (id),
    vector bytea,
    data text NOT NULL
);
CREATE TABLE term_df (
    term text COLLATE "C" PRIMARY KEY,
    df integer NOT NULL
);
