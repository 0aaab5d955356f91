-- khabar store, schema version 1 (PRAGMA user_version = 1).
-- One SQLite file in WAL mode. Every extracted value keeps its provenance: the document, the
-- sentence index and the character span [start, end) in documents.text. Columns named `data`
-- hold the full record as JSON (khabar.records.as_dict) for tools that want every field.

CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,            -- content hash of the normalised text
    path TEXT NOT NULL,                 -- where it was read from (file, or file:line for JSONL)
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    published TEXT,                     -- ISO date, given or inferred
    published_source TEXT NOT NULL,     -- metadata|frontmatter|sidecar|html|url|dateline|header|inferred|unknown
    published_window_start TEXT,        -- for inferred dates: the window the text supports
    published_window_end TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- actor|place|time|quantity
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    ref TEXT NOT NULL DEFAULT '',       -- actor_id, place_id, ISO start date, or quantity kind
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_ref ON mentions(kind, ref);

CREATE TABLE IF NOT EXISTS actors (
    actor_id TEXT PRIMARY KEY,          -- registry id, or provisional:<slug>
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    acled_name TEXT NOT NULL DEFAULT '',
    provisional INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS places (
    place_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    admin1 TEXT NOT NULL DEFAULT '',
    admin2 TEXT NOT NULL DEFAULT '',
    feature TEXT NOT NULL DEFAULT ''
);

-- One row per real-world incident: the merged coding across documents (khabar.merge).
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    family TEXT NOT NULL,               -- violence|political|other
    event_type TEXT NOT NULL DEFAULT '',
    sub_event_type TEXT NOT NULL DEFAULT '',
    plover_type TEXT NOT NULL DEFAULT '',
    actor1 TEXT NOT NULL DEFAULT '',
    actor2 TEXT NOT NULL DEFAULT '',
    place_id TEXT,
    place_name TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    admin1 TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    date_start TEXT,
    date_end TEXT,
    fatalities_low INTEGER,
    fatalities_best INTEGER,
    fatalities_high INTEGER,
    status TEXT NOT NULL,
    claimed_by TEXT NOT NULL DEFAULT '',
    attributed_by TEXT NOT NULL DEFAULT '',
    n_sources INTEGER NOT NULL,
    disagreements TEXT NOT NULL DEFAULT '[]',  -- JSON list of plain-language notes
    data TEXT NOT NULL                         -- the Incident record as JSON
);

-- One row per document's report of an incident, with its own coding and evidence.
CREATE TABLE IF NOT EXISTS event_sources (
    source_id TEXT PRIMARY KEY,         -- the per-document event id
    event_id TEXT REFERENCES events(event_id) ON DELETE SET NULL,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,                 -- the source sentence
    data TEXT NOT NULL                  -- the Event record as JSON
);
CREATE INDEX IF NOT EXISTS event_sources_event ON event_sources(event_id);

CREATE TABLE IF NOT EXISTS claims (
    claim_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    speaker TEXT NOT NULL,
    speaker_text TEXT NOT NULL,
    content TEXT NOT NULL,
    stance TEXT NOT NULL,
    quoted INTEGER NOT NULL,
    disputed INTEGER NOT NULL DEFAULT 0,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    type TEXT NOT NULL,                 -- hostile|allied|cooperative|affiliate_of|leads|breakaway_of|tension|member_of
    directed INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    data TEXT NOT NULL
);

-- Files that could not be ingested, so a batch's problems stay visible after the run.
CREATE TABLE IF NOT EXISTS ingest_errors (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL
);
