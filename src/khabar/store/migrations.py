"""Numbered schema migrations, applied in order, each in its own transaction.

Each migration is a file ``migrations/NNNN_name.sql`` beside this module. A database's
``PRAGMA user_version`` is the number of the last migration applied to it, which is also its
schema version; a new database runs them all from 0001. A released migration never changes: a
schema change is a new file with the next number, and ``SCHEMA_VERSION`` raised to match.

Foreign keys are off while migrations run (SQLite ignores that pragma inside a transaction, and a
table rebuild needs it off), and each migration checks them with ``PRAGMA foreign_key_check``
before it commits (a migration may not add dangling references).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from khabar.errors import StoreError

SCHEMA_VERSION = 4
MIGRATION_NAME = re.compile(r"(\d{4})_(\w+)\.sql")


@dataclass(slots=True, frozen=True)
class Migration:
    """One schema step: its number, its name and the SQL that makes it."""

    version: int
    name: str
    sql: str

    @property
    def label(self) -> str:
        """The migration's file stem, e.g. ``0002_lookup_indexes``."""
        return f"{self.version:04d}_{self.name}"

    def statements(self) -> list[str]:
        """The SQL split into single statements (comments kept with the statement they precede)."""
        statements: list[str] = []
        pending = ""
        for line in self.sql.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                statements.append(pending.strip())
                pending = ""
        if pending.strip() and not _only_comments(pending):
            raise StoreError(f"store migration {self.label} ends in an unfinished statement; reinstall khabar")
        return statements


def load_migrations() -> list[Migration]:
    """The packaged migrations in order, checked to run 1..SCHEMA_VERSION without a gap."""
    folder = resources.files("khabar.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    numbers = [m.version for m in found]
    if numbers != list(range(1, SCHEMA_VERSION + 1)):
        raise StoreError(f"khabar's store migrations are {numbers}, expected 1 to {SCHEMA_VERSION}; reinstall khabar")
    return found


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version recorded in a database (0 for a new one)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, path: Path, migrations: Sequence[Migration] | None = None) -> int:
    """Apply every migration newer than the database, in order; returns the version it started at."""
    steps = load_migrations() if migrations is None else migrations
    newest = steps[-1].version if steps else 0
    start = schema_version(connection)
    if start > SCHEMA_VERSION:
        raise StoreError(f"{path} has schema version {start}, newer than this khabar's {SCHEMA_VERSION}; "
                         "upgrade khabar to open it, or give --db another path")
    if start < newest:
        connection.execute("PRAGMA foreign_keys=OFF")
        for migration in steps:
            if migration.version > start:
                apply_migration(connection, migration, path)
    return start


def apply_migration(connection: sqlite3.Connection, migration: Migration, path: Path) -> None:
    """Run one migration and record its number, all in one transaction; a failure changes nothing."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(connection) < migration.version:  # another process may have applied it meanwhile
            _run(connection, migration, path)
        connection.commit()
    except sqlite3.Error as exc:
        connection.rollback()
        raise StoreError(f"{path}: store migration {migration.label} failed ({exc}); the database is unchanged "
                         f"at schema version {schema_version(connection)}; report this as a khabar bug") from exc
    except StoreError:
        connection.rollback()
        raise


def _run(connection: sqlite3.Connection, migration: Migration, path: Path) -> None:
    """Execute a migration's statements, check foreign keys still hold, and set the new version."""
    dangling = len(connection.execute("PRAGMA foreign_key_check").fetchall())
    for statement in migration.statements():
        connection.execute(statement)
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if len(broken) > dangling:
        raise StoreError(f"{path}: store migration {migration.label} would leave rows with a dangling reference "
                         f"(in table {broken[0][0]}); the database is unchanged; report this as a khabar bug")
    connection.execute(f"PRAGMA user_version = {migration.version:d}")


def _only_comments(sql: str) -> bool:
    """Whether SQL text holds nothing but ``--`` comments and blank lines."""
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())
