-- MinHash LSH bands, kept in SQL so near-duplicate lookup needs no in-memory
-- index rebuilt at start-up and survives a killed run: a candidate is any
-- article sharing one band hash with the new one.
CREATE TABLE minhash_bands (
    band INTEGER NOT NULL,
    hash TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id)
);
CREATE INDEX minhash_bands_lookup ON minhash_bands (band, hash);
CREATE TABLE minhash_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    signature BLOB NOT NULL
);
