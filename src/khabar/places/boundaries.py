"""Country outlines from the bundled boundaries (``data/boundaries/countries.json``, Natural Earth via TopoJSON).

The file is the one the dashboard draws; the HTML report draws the outlines around its incidents
from it too, as inline SVG. TopoJSON stores each shared border once as a delta-encoded, quantised
arc; a polygon ring lists its arcs by index (a negative index ``~i`` means arc ``i`` reversed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import DataError

BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "boundaries"
COUNTRIES = BOUNDARIES / "countries.json"
Point = tuple[float, float]  # (lon, lat)
Ring = tuple[Point, ...]


@dataclass(slots=True, frozen=True)
class Outline:
    """One country's rings (outer and holes alike), in longitude and latitude, with its bounding box."""

    name: str
    rings: tuple[Ring, ...]
    west: float
    south: float
    east: float
    north: float

    def meets(self, west: float, south: float, east: float, north: float) -> bool:
        """Whether the outline's box overlaps the given box."""
        return self.west <= east and self.east >= west and self.south <= north and self.north >= south


def load_outlines(path: Path = COUNTRIES) -> tuple[Outline, ...]:
    """Every country outline in a TopoJSON file whose first object holds the countries."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        arcs = _decoded_arcs(topology)
        countries = next(iter(topology["objects"].values()))["geometries"]
        return tuple(o for g in countries if (o := _outline(g, arcs)) is not None)
    except (OSError, ValueError, KeyError, TypeError, StopIteration) as exc:
        raise DataError(f"{path}: not a readable TopoJSON of countries ({exc}); rebuild it with "
                        "scripts/vendor_frontend.sh") from exc


def _decoded_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs as absolute longitude/latitude points (quantised arcs are delta-encoded)."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _outline(geometry: dict[str, Any], arcs: list[list[Point]]) -> Outline | None:
    """A country's outline from its Polygon or MultiPolygon geometry (None for anything else)."""
    kind = geometry.get("type")
    polygons = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"] if kind == "MultiPolygon" else []
    rings = tuple(_ring(indexes, arcs) for polygon in polygons for indexes in polygon)
    points = [p for ring in rings for p in ring]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    name = str((geometry.get("properties") or {}).get("name", ""))
    return Outline(name, rings, min(lons), min(lats), max(lons), max(lats))


def _ring(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    """One ring from its arcs, each arc's first point dropped after the first (it repeats the last)."""
    points: list[Point] = []
    for n, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if n == 0 else arc[1:])
    return tuple(points)
