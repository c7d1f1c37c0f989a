-- What compare keeps of each story's last compare (compare/memo.py): the outcomes of its statement
-- pairs, so that a batch adding members to a large story aligns only the pairs the new ones make.
-- A zlib-compressed JSON document, read and written whole by story; dropped with its story.
CREATE TABLE compare_state (
    story_id TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;
