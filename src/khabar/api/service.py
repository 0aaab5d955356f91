"""What every request needs, built once per server and passed in: settings, token, caps, pipeline.

Each request opens its own connection to the store (SQLite in WAL mode lets readers run beside a
writer) and closes it before the response is sent; writes also hold ``write_lock`` so that one
ingest or curation edit runs at a time and the pipeline's model is never used by two threads.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import stat
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from khabar.actors import Registry, load_registry
from khabar.errors import ConfigError, StoreError
from khabar.pipeline import Pipeline
from khabar.query import Archive, open_archive
from khabar.settings import Settings
from khabar.store import Store, open_store

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@dataclass
class Service:
    """The server's resources: settings (with the store path), the token, and limits."""

    settings: Settings
    token: str
    open_reads: bool = True
    max_upload_bytes: int = 10 * 1024 * 1024
    user: str = "api"
    # the analysis pipeline; built from the settings on the first ingest when not given
    analyser: Pipeline | None = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _load_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def db(self) -> Path:
        """The store's path."""
        return Path(self.settings.db)

    def archive(self, with_registry: bool = False) -> Archive:
        """A fresh read connection to the store (with the actor registry for aliases and ACLED codes)."""
        if not self.db.is_file():
            raise StoreError(f"{self.db} does not exist; create it with `khabar ingest --db {self.db} FILES...`")
        return open_archive(self.db, self.registry if with_registry else None)

    def store(self) -> Store:
        """A fresh connection to the store for writing (it is created when missing)."""
        return open_store(self.db)

    @cached_property
    def registry(self) -> Registry:
        """The actor registry the settings name, loaded on first use."""
        with self._load_lock:
            return load_registry(Path(self.settings.registry) if self.settings.registry else None)

    def pipeline(self) -> Pipeline:
        """The analysis pipeline, built on first use (its models load then)."""
        with self._load_lock:
            if self.analyser is None:
                self.analyser = Pipeline(self.settings)
            return self.analyser


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_path(db: Path, given: Path | None = None) -> Path:
    """Where the write token lives: the given file, else ``<db>.token`` beside the store."""
    return given if given is not None else db.with_name(db.name + ".token")


def load_token(path: Path) -> tuple[str, bool]:
    """The token in ``path``, creating it (mode 0600) when missing; also whether it was just created."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_token(path), False
    except OSError as exc:
        raise ConfigError(f"cannot create the token file {path} ({exc.strerror}); choose another with --token-file"
                          ) from exc
    token = secrets.token_urlsafe(32)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return token, True


def _read_token(path: Path) -> str:
    """A stored token, refused when other users could read it or when it is empty."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"token file {path} is readable by other users (mode {mode:o}); run `chmod 600 {path}`")
    token = path.read_text(encoding="utf-8").strip()
    if len(token) < 16:
        raise ConfigError(f"token file {path} holds no token of 16 characters or more; delete it to make a new one")
    return token
