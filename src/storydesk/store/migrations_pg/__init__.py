"""PostgreSQL twins of `store/migrations/`: one file of the same name for each SQLite migration.

Adding a SQLite migration NNNN_x.sql (any issue) means adding NNNN_x.sql here;
tests/test_store_postgres.py fails until the twin exists and makes the same
tables (same columns, same order), indexes and triggers. Writing one is
mechanical:

- types: TEXT -> text COLLATE "C" for anything compared or sorted (byte order,
  as SQLite), plain text for JSON; INTEGER -> integer/bigint; BLOB -> bytea;
  drop WITHOUT ROWID. A table whose SQL orders by `rowid` gets
  `rowid bigint GENERATED ALWAYS AS IDENTITY` as its last column.
- indexes: a nullable column sorted ascending is `NULLS FIRST`, descending
  `DESC NULLS LAST` (SQLite's NULL order, which store/postgres.py `adapt`
  gives every ORDER BY), so the planner can use the index.
- backfills: `json_extract(x, '$.a')` -> `x::json ->> 'a'` (or `-> 'a'` for a
  JSON value); `json_each(x, '$.a')` with its 0-based `key` ->
  `json_array_elements(x::json -> 'a') WITH ORDINALITY e (value, n)` and `n - 1`;
  `json_array_length(x, '$.a')` -> `json_array_length(x::json -> 'a')`;
  `group_concat(v, char(10))` -> `string_agg(v, E'\n')`; `INSERT OR IGNORE ... SELECT`
  -> `INSERT ... SELECT ... ON CONFLICT DO NOTHING`.
- triggers: a plpgsql function plus `CREATE TRIGGER ... FOR EACH ROW EXECUTE
  FUNCTION`, the trigger under SQLite's name (see 0006_web_indexes.sql).
- full text: articles_fts is a table with a generated tsvector here; an FTS5
  change has its counterpart in `PostgresArticles` (store/postgres.py).

Repository SQL needs no twin when it keeps to what `adapt` translates
(placeholders, INSERT OR IGNORE/REPLACE, LIMIT -1, INDEXED BY, NULL order);
a SQLite-only function in it goes into a class attribute that the PostgreSQL
subclass overrides (`SQLiteEntities.ALIAS_LIKE`, `SQLiteJobs.SET_ERROR`), and
the store tests, which run on both, show where one was missed.
"""
