"""The user's registry file and the unknown names worth adding to it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from khabar.actors.coding import load_coding
from khabar.actors.entries import ACTOR_FILE, parse_actor
from khabar.actors.normalise import slug
from khabar.datafiles import read_yaml_file
from khabar.errors import DataError
from khabar.records import Actor, ActorMention


def add_user_actor(
    path: Path, name: str, type: str, aliases: list[str], country: str = "", acled_name: str = ""
) -> Actor:
    """Append an actor to a user registry YAML file (created if missing) and return it."""
    entry: dict[str, Any] = {"name": name, "type": type, "aliases": list(aliases)}
    if country:
        entry["country"] = country
    if acled_name:
        entry["acled"] = acled_name
    actor, _ = parse_actor(entry, f"{path} (new entry)", load_coding())
    data = read_yaml_file(path, schema=ACTOR_FILE) if path.exists() else {}
    entries = data.get("actors") or []
    if any(slug(str(e.get("name", ""))) == actor.actor_id for e in entries):
        raise DataError(f"{path}: an actor named {name!r} already exists; edit it instead of adding it again")
    entries.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"actors": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return actor


def rank_unknown(mentions: Iterable[ActorMention]) -> list[tuple[str, int]]:
    """Provisional names by frequency, most frequent first: candidates for the user registry."""
    counts = Counter(m.name for m in mentions if m.kind == "provisional" or m.actor_id.startswith("provisional:"))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
