-- khabar store, schema version 4: full-text search (SQLite FTS5) over the sentences that report events
-- and over claims, for `--text` filters (khabar.query). No table or column changes.
-- Both indexes are external-content FTS5 tables: they keep only the index, the text stays in
-- event_sources.text and claims.content, and triggers keep the index in step with every write.
-- Words are matched after Porter stemming, ignoring case and diacritics ("bombings" finds "bombing").

CREATE VIRTUAL TABLE IF NOT EXISTS source_search USING fts5(
    text, content = 'event_sources', content_rowid = 'rowid', tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS claim_search USING fts5(
    content, content = 'claims', content_rowid = 'rowid', tokenize = 'porter unicode61 remove_diacritics 2'
);

-- INSERT OR REPLACE deletes the row it replaces without firing delete triggers (recursive triggers are
-- off), so the row about to be replaced leaves the index before the insert.
CREATE TRIGGER IF NOT EXISTS source_search_replace BEFORE INSERT ON event_sources BEGIN
    INSERT INTO source_search (source_search, rowid, text)
        SELECT 'delete', rowid, text FROM event_sources WHERE source_id = new.source_id;
END;
CREATE TRIGGER IF NOT EXISTS source_search_insert AFTER INSERT ON event_sources BEGIN
    INSERT INTO source_search (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS source_search_delete AFTER DELETE ON event_sources BEGIN
    INSERT INTO source_search (source_search, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER IF NOT EXISTS source_search_update AFTER UPDATE OF text ON event_sources BEGIN
    INSERT INTO source_search (source_search, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO source_search (rowid, text) VALUES (new.rowid, new.text);
END;

CREATE TRIGGER IF NOT EXISTS claim_search_replace BEFORE INSERT ON claims BEGIN
    INSERT INTO claim_search (claim_search, rowid, content)
        SELECT 'delete', rowid, content FROM claims WHERE claim_id = new.claim_id;
END;
CREATE TRIGGER IF NOT EXISTS claim_search_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claim_search (rowid, content) VALUES (new.rowid, new.content);
END;
CREATE TRIGGER IF NOT EXISTS claim_search_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claim_search (claim_search, rowid, content) VALUES ('delete', old.rowid, old.content);
END;
CREATE TRIGGER IF NOT EXISTS claim_search_update AFTER UPDATE OF content ON claims BEGIN
    INSERT INTO claim_search (claim_search, rowid, content) VALUES ('delete', old.rowid, old.content);
    INSERT INTO claim_search (rowid, content) VALUES (new.rowid, new.content);
END;

-- Index what a store of an earlier version already holds.
INSERT INTO source_search (source_search) VALUES ('rebuild');
INSERT INTO claim_search (claim_search) VALUES ('rebuild');
