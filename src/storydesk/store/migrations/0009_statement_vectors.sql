-- Sentence vectors of compared statements (compare/embed.py), kept so that
-- comparing a story again never runs the encoder again for the same words.
CREATE TABLE statement_vectors (
    article_id TEXT NOT NULL REFERENCES articles (id),
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, span_start, span_end)
) WITHOUT ROWID;
