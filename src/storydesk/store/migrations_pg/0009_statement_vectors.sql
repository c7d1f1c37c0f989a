-- PostgreSQL twin of migrations/0009_statement_vectors.sql: compare's cache of
-- statement vectors (float32 bytes, read back whole by key: no vector index).
CREATE TABLE statement_vectors (
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id),
    span_start integer NOT NULL,
    span_end integer NOT NULL,
    vector bytea NOT NULL,
    PRIMARY KEY (article_id, span_start, span_end)
);
