-- PostgreSQL twin of migrations/0007_fold_invisible.sql: search folds zero-width
-- and bidi control characters (ingest/common.py INVISIBLE) out of what it indexes;
-- articles stored before that are re-indexed here (the tsvector follows its columns).
UPDATE articles_fts
    SET title = regexp_replace(title, '[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]', '', 'g'),
        text = regexp_replace(text, '[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]', '', 'g')
    WHERE title ~ '[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]'
       OR text ~ '[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]';
