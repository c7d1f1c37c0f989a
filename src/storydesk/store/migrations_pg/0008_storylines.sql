-- PostgreSQL twin of migrations/0008_storylines.sql (issue 10: storylines and
-- the linker's state per storyline; undated articles found by arrival number).
CREATE TABLE storylines (
    id text COLLATE "C" PRIMARY KEY,
    title text COLLATE "C" NOT NULL,
    first_day text COLLATE "C",
    last_day text COLLATE "C",
    data text NOT NULL
);
CREATE INDEX storylines_last_day ON storylines (last_day NULLS FIRST);
CREATE TABLE storyline_features (
    storyline_id text COLLATE "C" PRIMARY KEY REFERENCES storylines (id),
    first_day text COLLATE "C" NOT NULL,
    last_day text COLLATE "C" NOT NULL,
    last_seq bigint NOT NULL DEFAULT 0,
    vector bytea,
    data text NOT NULL
);
CREATE INDEX storyline_features_days ON storyline_features (last_day, first_day);
CREATE INDEX storyline_features_seq ON storyline_features (last_seq);
ALTER TABLE story_features ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX story_features_seq ON story_features (last_seq);
