"""Reading khabar's packaged data files (registry, gazetteer, lexicons, tables)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from khabar.errors import DataError

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~10x faster when present


def read_packaged_yaml(*parts: str) -> dict[str, Any]:
    """A YAML mapping from ``khabar/data/<parts>``, or a DataError saying what is wrong with it."""
    source = resources.files("khabar").joinpath("data", *parts)
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{'/'.join(parts)}: cannot read ({exc}); reinstall khabar or restore the file") from exc
    if not isinstance(data, dict):
        raise DataError(f"{'/'.join(parts)}: expected a mapping at the top level; see the file's header comment")
    return data
