-- "What patients look for": widget searches that found no topic. Counts only: the folded
-- query, its language and when it was first and last missed; nothing that identifies anyone.

CREATE TABLE search_misses (
    lang TEXT NOT NULL,
    query TEXT NOT NULL,
    count BIGINT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (lang, query)
);

CREATE INDEX search_misses_count ON search_misses (count);
