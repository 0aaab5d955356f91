"""GraphML: the actor graph, for Gephi, yEd, networkx or igraph.

Nodes are actors (name, type, country). Edges are of two kinds, told apart by ``relation``: each
deduplicated relation between two actors (``hostile``, ``member_of``, ...) with the span it was seen
(``start``, ``end``), its evidence count and its number of documents; and, with ``relation`` =
``incident``, each pair of actors on opposite sides of incidents, with how many and their deaths.
Edges are written first, as they stream, and the nodes they touched after (GraphML allows either
order), so only the set of actor ids is kept.
"""

from __future__ import annotations

import re
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from khabar.export.common import Names
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters

NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
KEYS = (("node", "name", "string"), ("node", "type", "string"), ("node", "country", "string"),
        ("edge", "relation", "string"), ("edge", "directed", "boolean"), ("edge", "start", "string"),
        ("edge", "end", "string"), ("edge", "evidence", "int"), ("edge", "documents", "int"),
        ("edge", "incidents", "int"), ("edge", "deaths", "int"))


def write_graphml(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """The actor graph of what the filters keep."""
    names = Names(archive)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for target, name, kind in KEYS:
        stream.write(f'  <key id="{name}" for="{target}" attr.name="{name}" attr.type="{kind}"/>\n')
    stream.write('  <graph id="actors" edgedefault="directed">\n')
    touched: set[str] = set()
    n = 0
    for r in archive.relation_summaries(filters):
        _edge(stream, f"r{n}", r.a, r.b, {"relation": r.type, "directed": str(r.directed).lower(),
                                         "start": _iso(r.start), "end": _iso(r.end), "evidence": r.evidence_count,
                                         "documents": len(r.doc_ids)})
        touched |= {r.a, r.b}
        n += 1
    for d in archive.dyads(filters):
        _edge(stream, f"d{n}", d.actor1, d.actor2, {"relation": "incident", "directed": "true", "start": _iso(d.first),
                                                   "end": _iso(d.last), "incidents": d.incidents, "deaths": d.deaths})
        touched |= {d.actor1, d.actor2}
        n += 1
    for actor_id in sorted(touched):
        info = names.info(actor_id)
        data = "".join(_data(k, v) for k, v in (("name", info.name), ("type", info.type), ("country", info.country)))
        stream.write(f"    <node id={quoteattr(_clean(actor_id))}>{data}</node>\n")
    stream.write("  </graph>\n</graphml>\n")


def _edge(stream: TextIO, ident: str, source: str, target: str, data: dict[str, object]) -> None:
    """One edge with its data."""
    cells = "".join(_data(k, v) for k, v in data.items() if v not in ("", None))
    stream.write(f'    <edge id="{ident}" source={quoteattr(_clean(source))} target={quoteattr(_clean(target))}>'
                 f"{cells}</edge>\n")


def _data(key: str, value: object) -> str:
    """One data element, its text escaped for XML."""
    return f'<data key="{key}">{escape(_clean(str(value)))}</data>'


def _clean(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold."""
    return NOT_XML.sub("", text)


def _iso(day: object) -> str:
    """A date as ISO text ("" for none)."""
    return day.isoformat() if hasattr(day, "isoformat") else ""


FORMAT = ExportFormat("graphml", "the actor graph: relations and incident dyads with spans and evidence counts",
                      ".graphml", write=write_graphml)
