-- PostgreSQL twin of migrations/0002_near_duplicates.sql: MinHash LSH bands and signatures.
CREATE TABLE minhash_bands (
    band integer NOT NULL,
    hash text COLLATE "C" NOT NULL,
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id),
    PRIMARY KEY (band, hash, article_id)
);
CREATE TABLE minhash_signatures (
    article_id text COLLATE "C" PRIMARY KEY REFERENCES articles (id),
    signature bytea NOT NULL
);
