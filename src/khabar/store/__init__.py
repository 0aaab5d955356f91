"""The store: one plain SQLite file (WAL mode) with a documented, numbered schema.

Any SQLite tool can read it (sqlite3, Datasette, DuckDB, pandas). The tables and their columns
are described in ``README.md`` beside this module; the schema is built by the numbered migrations
in ``migrations/`` (``migrations.py`` applies them), and the number of the last one applied is
the database's ``PRAGMA user_version``, currently ``SCHEMA_VERSION`` = 4.

Modules::

    database.py     Store (writes in one transaction each; filtered, streaming queries) and open_store
    tables.py       records to named-column rows and back
    migrations.py   the migration runner; opening a newer database than khabar knows is a StoreError
    merging.py      the merge tables: candidate index, incident ids and aliases, users' edits, near-duplicates
    codec.py        fast JSON forms of records, equal to records.as_dict/from_dict, for bulk paths
"""

from khabar.store.database import Store, open_store
from khabar.store.migrations import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "open_store"]
