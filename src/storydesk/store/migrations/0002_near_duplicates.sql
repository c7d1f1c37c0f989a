-- MinHash LSH bands, kept in SQL so near-duplicate lookup needs no in-memory
-- index rebuilt at start-up and survives a killed run: a candidate is any
-- article sharing one band hash with the new one.
-- WITHOUT ROWID: the key is the whole row, so each insert writes one b-tree
-- instead of a table and an index beside it.
CREATE TABLE minhash_bands (
    band INTEGER NOT NULL,
    hash TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id),
    PRIMARY KEY (band, hash, article_id)
) WITHOUT ROWID;
CREATE TABLE minhash_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    signature BLOB NOT NULL
) WITHOUT ROWID;
