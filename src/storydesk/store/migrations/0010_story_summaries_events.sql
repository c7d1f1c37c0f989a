-- Two levels (issue 10): a story is one event of a storyline. The stories list
-- shows each event's days (most articles carry no publication date: the days
-- its articles give or mention) and its storyline from the summary row, and a
-- storyline page reads its events' summaries by id.
ALTER TABLE story_summaries ADD COLUMN storyline TEXT;
ALTER TABLE story_summaries ADD COLUMN first_day TEXT;
ALTER TABLE story_summaries ADD COLUMN last_day TEXT;
ALTER TABLE story_summaries ADD COLUMN day_source TEXT;
ALTER TABLE story_summaries ADD COLUMN n_independent INTEGER NOT NULL DEFAULT 0;
UPDATE story_summaries SET
    storyline = (SELECT s.storyline FROM stories s WHERE s.id = story_summaries.id),
    first_day = (SELECT json_extract(s.data, '$.first_day') FROM stories s WHERE s.id = story_summaries.id),
    last_day = (SELECT json_extract(s.data, '$.last_day') FROM stories s WHERE s.id = story_summaries.id),
    day_source = (SELECT json_extract(s.data, '$.day_source') FROM stories s WHERE s.id = story_summaries.id),
    n_independent = coalesce(
        (SELECT json_extract(s.data, '$.independent_outlets') FROM stories s WHERE s.id = story_summaries.id), 0);
CREATE INDEX story_summaries_storyline ON story_summaries (storyline);
