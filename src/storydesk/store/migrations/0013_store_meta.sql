-- What a store records about itself, a value per key: "statement_engine", the encoder engine that made
-- its statement vectors (store/stories.py `statement_vectors`: a store never mixes two engines' vectors).
CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
