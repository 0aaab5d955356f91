-- khabar store, schema version 3: incremental, stable and curated merging (issue 19).
-- Incidents keep their ids across merges (older ids survive, the others become aliases); each source
-- records why it joined its incident; near-duplicate copies of an article are grouped; users' curation
-- decisions are kept as edits; and a key index lets a new event find its candidate incidents.

-- When each incident id was first made (a smaller number is older), the user's review of it
-- (''|rejected|accepted) and its independent reports (near-duplicate copies counted once).
ALTER TABLE events ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN review TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN n_independent INTEGER NOT NULL DEFAULT 0;
UPDATE events SET created_seq = rowid, n_independent = n_sources;
CREATE INDEX IF NOT EXISTS events_review ON events(review);

-- Why a source joined its incident: the merge rules' reasons as a JSON list of phrases.
ALTER TABLE event_sources ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
-- The source's own start date (ISO), so a full re-merge can sweep the sources in date order.
ALTER TABLE event_sources ADD COLUMN day_start TEXT;
UPDATE event_sources SET day_start = json_extract(data, '$.time.start');
CREATE INDEX IF NOT EXISTS event_sources_day ON event_sources(day_start, source_id);

-- The candidate index: each source under the keys (type family, place cell, time bucket) it is found by.
CREATE TABLE IF NOT EXISTS merge_keys (
    key INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES event_sources(source_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS merge_keys_key ON merge_keys(key);
CREATE INDEX IF NOT EXISTS merge_keys_source ON merge_keys(source_id);

-- Facts about the merge state, e.g. the version of the key scheme the index was built with.
CREATE TABLE IF NOT EXISTS merge_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Ids that were merged into another incident and still resolve to it.
CREATE TABLE IF NOT EXISTS incident_aliases (
    alias TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,             -- the surviving incident id
    at TEXT NOT NULL                    -- UTC time the alias was made
);
CREATE INDEX IF NOT EXISTS incident_aliases_target ON incident_aliases(event_id);

-- Users' curation decisions, replayed as constraints by every merge (never deleted).
CREATE TABLE IF NOT EXISTS incident_edits (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                   -- UTC time of the decision
    user TEXT NOT NULL,                 -- who made it
    action TEXT NOT NULL,               -- merge|split|reject|accept
    incident TEXT NOT NULL,             -- the incident id as it was then
    other TEXT NOT NULL DEFAULT '',     -- merge: the other incident id; split: the document split off
    sources TEXT NOT NULL,              -- JSON list of the source ids the decision binds
    other_sources TEXT NOT NULL DEFAULT '[]'  -- merge: the other incident's sources; split: the rest
);

-- Near-duplicate articles (wire copies, light republications) by MinHash over word shingles.
CREATE TABLE IF NOT EXISTS doc_copies (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    copy_group TEXT NOT NULL,           -- the smallest doc_id among the document's copies
    signature BLOB NOT NULL             -- MinHash values as little-endian unsigned 64-bit integers
);
CREATE INDEX IF NOT EXISTS doc_copies_group ON doc_copies(copy_group);
CREATE TABLE IF NOT EXISTS doc_bands (
    band INTEGER NOT NULL,              -- hash of one LSH band of the signature
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS doc_bands_band ON doc_bands(band);
CREATE INDEX IF NOT EXISTS doc_bands_doc ON doc_bands(doc_id);
