-- khabar store, schema version 2: indexes for the store's filtered queries.
-- Per-document lookups (and ON DELETE CASCADE from documents) no longer scan whole tables, and an
-- actor's incidents are found without scanning every event. No table or column changes.

CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id);
CREATE INDEX IF NOT EXISTS event_sources_doc ON event_sources(doc_id);
CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc_id);
CREATE INDEX IF NOT EXISTS relations_doc ON relations(doc_id);
CREATE INDEX IF NOT EXISTS events_actor1 ON events(actor1);
CREATE INDEX IF NOT EXISTS events_actor2 ON events(actor2);
CREATE INDEX IF NOT EXISTS events_date ON events(date_start, date_end);
