-- PostgreSQL twin of migrations/0012_compare_state.sql: compare's per-story state (compare/memo.py),
-- a zlib-compressed JSON document read and written whole by story.
CREATE TABLE compare_state (
    story_id text COLLATE "C" PRIMARY KEY,
    data bytea NOT NULL
);
