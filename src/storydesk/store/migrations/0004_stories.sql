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
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories (id),
    article_id TEXT NOT NULL PRIMARY KEY REFERENCES articles (id)
);
CREATE INDEX story_articles_story ON story_articles (story_id);
