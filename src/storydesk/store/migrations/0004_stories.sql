-- Stories (articles about one event), their members, and the compare report.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    storyline TEXT,
    first_published TEXT,
    last_published TEXT,
    data TEXT NOT NULL
);
CREATE INDEX stories_last_published ON stories (last_published);
CREATE INDEX stories_storyline ON stories (storyline);
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories (id),
    article_id TEXT NOT NULL PRIMARY KEY REFERENCES articles (id)
);
CREATE INDEX story_articles_story ON story_articles (story_id);
-- What the linker keeps per story so a new article is compared with a
-- story's summary, not with each of its articles: days, centroid vector,
-- term counts, entities, numbers. `data` is the linker's JSON, `vector` a
-- float32 blob; the store does not interpret either.
CREATE TABLE story_features (
    story_id TEXT PRIMARY KEY REFERENCES stories (id),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    vector BLOB,
    data TEXT NOT NULL
);
CREATE INDEX story_features_days ON story_features (last_day, first_day);
-- Per-article features, kept across relinks so a settings change does not
-- recompute embeddings.
CREATE TABLE article_features (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    vector BLOB,
    data TEXT NOT NULL
);
-- Document frequencies for TF-IDF, updated as articles are linked.
CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
