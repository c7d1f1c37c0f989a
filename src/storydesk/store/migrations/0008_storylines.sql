-- Two levels (issue 10): a story is one event; a storyline is the developing
-- story its events belong to. A storyline row holds its record as JSON (the
-- events in time order, outlets, languages, timeline); the columns are what
-- lists sort and filter on.
CREATE TABLE storylines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_day TEXT,
    last_day TEXT,
    data TEXT NOT NULL
);
CREATE INDEX storylines_last_day ON storylines (last_day);
-- What the linker keeps per storyline (like story_features): known days ('' when
-- none of its articles is dated), the arrival number of its latest article,
-- centroid vector, and the linker's JSON summary.
CREATE TABLE storyline_features (
    storyline_id TEXT PRIMARY KEY REFERENCES storylines (id),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    vector BLOB,
    data TEXT NOT NULL
);
CREATE INDEX storyline_features_days ON storyline_features (last_day, first_day);
CREATE INDEX storyline_features_seq ON storyline_features (last_seq);
-- Undated articles (most real ones) are compared with the events that took
-- articles recently, by arrival number: no day window can find them.
ALTER TABLE story_features ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX story_features_seq ON story_features (last_seq);
