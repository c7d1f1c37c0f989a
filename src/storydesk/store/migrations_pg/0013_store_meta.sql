-- PostgreSQL twin of migrations/0013_store_meta.sql: what a store records about itself, a value per key
-- ("statement_engine": the encoder engine that made its statement vectors).
CREATE TABLE store_meta (
    key text COLLATE "C" PRIMARY KEY,
    value text NOT NULL
);
