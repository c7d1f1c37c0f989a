-- PostgreSQL twin of migrations/0010_story_summaries_events.sql: each event's
-- storyline, days and independent outlets on its summary row.
ALTER TABLE story_summaries ADD COLUMN storyline text COLLATE "C";
ALTER TABLE story_summaries ADD COLUMN first_day text COLLATE "C";
ALTER TABLE story_summaries ADD COLUMN last_day text COLLATE "C";
ALTER TABLE story_summaries ADD COLUMN day_source text COLLATE "C";
ALTER TABLE story_summaries ADD COLUMN n_independent integer NOT NULL DEFAULT 0;
UPDATE story_summaries SET
    storyline = s.storyline,
    first_day = s.data::json ->> 'first_day',
    last_day = s.data::json ->> 'last_day',
    day_source = s.data::json ->> 'day_source',
    n_independent = coalesce((s.data::json ->> 'independent_outlets')::integer, 0)
FROM stories s WHERE s.id = story_summaries.id;
CREATE INDEX story_summaries_storyline ON story_summaries (storyline NULLS FIRST);
