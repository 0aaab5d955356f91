"""The report as one self-contained HTML page: inline SVG timeline and map, print CSS, no script, no network.

Every value from a source passes ``escape.h``; links are made only for http(s) URLs; a Content
Security Policy forbids scripts and remote loads, as a second guard. The map is an equirectangular
plot of incident points over the bundled country outlines (Natural Earth) and a graticule; the
timeline plots incidents per week (per month over longer periods, every period in the span drawn,
empty ones too) as bars and deaths as a line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from khabar.export.common import SourceDoc, country_name
from khabar.places.boundaries import Outline
from khabar.records import Evidence, Incident
from khabar.report.escape import h, safe_url
from khabar.report.markdown import (
    actors_text,
    filters_text,
    kind_text,
    responsibility_text,
    toll_text,
    when_text,
    where_text,
)
from khabar.report.model import NotableClaim, Report, Section, Tally

Projection = Callable[[float, float], tuple[float, float]]
WIDTH, HEIGHT = 720, 200
MAP_HEIGHT = 360
COLOURS = {"violence": "#b2182b", "political": "#2166ac", "other": "#666666"}
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.7rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
td.n,th.n{text-align:right}.scope{background:#f4f4f4;padding:.5rem .8rem}.id{font-family:monospace;color:#666}
article{border-left:3px solid #ddd;padding-left:.8rem;margin:1rem 0;break-inside:avoid}
.disagree{color:#8a4b00}.more{font-style:italic}blockquote{margin:.2rem 0 .2rem 1rem;color:#333}
svg{max-width:100%;height:auto;border:1px solid #eee}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media print{body{max-width:none;margin:0;font-size:11pt}a{color:inherit;text-decoration:none}
h2{break-after:avoid}article,table,svg{break-inside:avoid}.noprint{display:none}}
"""


def render(report: Report, outlines: Sequence[Outline] = ()) -> str:
    """The whole report as an HTML page (``outlines``: the country outlines its map draws)."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
             f"<title>{h(report.title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{h(report.title)}</h1>", f'<p class="scope">{_scope(report)}</p>']
    parts += _summary(report, outlines)
    for section in report.sections:
        parts += _section(section, report.names)
    parts += _claims(report)
    parts += _relations(report)
    if report.errors:
        parts += ["<h2>Files not ingested</h2><ul>", *[f"<li>{h(m)}</li>" for m in report.errors], "</ul>"]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _scope(report: Report) -> str:
    """The scope line: period, area, incidents, articles, outlets and filters."""
    period = f"{report.first} to {report.last}" if report.first and report.last else "undated"
    places = ", ".join(f"{h(country_name(c))} ({n})" for c, n in report.countries.most_common(5))
    given = filters_text(report)
    return (f"<b>Scope:</b> {period}; {places or 'no placed incidents'}; {report.total.incidents} incidents from "
            f"{report.articles} articles by {report.outlets} outlets"
            + (f"; filters: {h(given)}" if given else "") + ".")


def _summary(report: Report, outlines: Sequence[Outline]) -> list[str]:
    """Totals, breakdowns, the timeline, the map, and the most active actors and dyads."""
    if not report.total.incidents:
        return ["<p>No incident matches.</p>"]
    t = report.total
    parts = ["<h2>Summary</h2>", f"<p>{t.incidents} incidents; deaths {t.best} (range {t.low}-{t.high}).</p>",
             f"<h3>Incidents per {report.period_unit}</h3>", timeline_svg(report), "<h3>Map</h3>",
             map_svg(report, outlines)]
    parts.append('<div class="pair">')
    parts += _tally_table("Type", sorted(report.by_type.items(), key=lambda kv: (-kv[1].incidents, kv[0])))
    areas = sorted(report.by_area.items(), key=lambda kv: (-kv[1].incidents, kv[0]))
    parts += _tally_table("Area (admin1)", areas[:15], len(areas) - 15)
    parts.append("</div>")
    if report.actors:
        parts += ["<h3>Most active actors</h3><table><tr><th>actor</th><th class=n>incidents</th><th class=n>deaths"
                  "</th><th>first</th><th>last</th></tr>"]
        parts += [f"<tr><td>{h(a.actor.name)}</td><td class=n>{a.incidents}</td><td class=n>{a.deaths}</td>"
                  f"<td>{a.first or ''}</td><td>{a.last or ''}</td></tr>" for a in report.actors]
        parts.append("</table>")
    if report.dyads:
        parts += ["<h3>Most active dyads</h3><table><tr><th>side 1</th><th>side 2</th><th class=n>incidents</th>"
                  "<th class=n>deaths</th></tr>"]
        parts += [f"<tr><td>{h(report.names.get(d.actor1, d.actor1))}</td><td>{h(report.names.get(d.actor2, d.actor2))}"
                  f"</td><td class=n>{d.incidents}</td><td class=n>{d.deaths}</td></tr>" for d in report.dyads]
        parts.append("</table>")
    return parts


def _tally_table(heading: str, rows: list[tuple[str, Tally]], more: int = 0) -> list[str]:
    """A table of incidents and deaths (best, low, high) by a key."""
    parts = [f"<div><table><tr><th>{h(heading)}</th><th class=n>incidents</th><th class=n>deaths</th>"
             "<th class=n>low</th><th class=n>high</th></tr>"]
    parts += [f"<tr><td>{h(key)}</td><td class=n>{t.incidents}</td><td class=n>{t.best}</td><td class=n>{t.low}</td>"
              f"<td class=n>{t.high}</td></tr>" for key, t in rows]
    parts.append("</table>" + (f'<p class="more">{more} more areas.</p>' if more > 0 else "") + "</div>")
    return parts


def timeline_svg(report: Report) -> str:
    """Incidents per period as bars, deaths as a line, with the first and last period labelled."""
    periods = list(report.by_period.items())
    if not periods:
        return "<p>No dated incidents.</p>"
    top = max(t.incidents for _, t in periods) or 1
    most = max(t.best for _, t in periods) or 1
    step = (WIDTH - 40) / len(periods)
    bars, line = [], []
    for n, (_, t) in enumerate(periods):
        x = 30 + n * step
        height = (HEIGHT - 50) * t.incidents / top
        bars.append(f'<rect x="{x:.1f}" y="{HEIGHT - 30 - height:.1f}" width="{max(step - 1, 1):.1f}" '
                    f'height="{height:.1f}" fill="#888"/>')
        line.append(f"{x + step / 2:.1f},{HEIGHT - 30 - (HEIGHT - 50) * t.best / most:.1f}")
    first, last = periods[0][0], periods[-1][0]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="incidents per {report.period_unit}">'
            f'<line x1="30" y1="{HEIGHT - 30}" x2="{WIDTH - 10}" y2="{HEIGHT - 30}" stroke="#444"/>{"".join(bars)}'
            f'<polyline points="{" ".join(line)}" fill="none" stroke="#b2182b" stroke-width="1.5"/>'
            f'<text x="30" y="{HEIGHT - 12}" font-size="11">{first}</text>'
            f'<text x="{WIDTH - 10}" y="{HEIGHT - 12}" font-size="11" text-anchor="end">{last}</text>'
            f'<text x="30" y="14" font-size="11">bars: incidents (max {top}); line: deaths (max {most})</text></svg>')


def map_svg(report: Report, outlines: Sequence[Outline] = ()) -> str:
    """Incident points on an equirectangular plot of their area, over country outlines and a graticule."""
    if not report.points:
        return "<p>No placed incidents.</p>"
    lats = [p[0] for p in report.points]
    lons = [p[1] for p in report.points]
    south, north, west, east = _bounds(min(lats), max(lats), min(lons), max(lons))
    scale = min((WIDTH - 20) / (east - west), (MAP_HEIGHT - 20) / (north - south))
    width, height = (east - west) * scale + 20, (north - south) * scale + 20

    def xy(lat: float, lon: float) -> tuple[float, float]:
        """Pixel coordinates of a point."""
        return 10 + (lon - west) * scale, 10 + (north - lat) * scale

    grid = _countries(outlines, (west, south, east, north), xy) + _graticule(south, north, west, east, xy)
    dots = []
    for lat, lon, deaths, family in report.points:
        x, y = xy(lat, lon)
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.5 + math.sqrt(deaths):.1f}" '
                    f'fill="{COLOURS.get(family, COLOURS["other"])}" fill-opacity="0.55"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-label="map of incidents"><defs><clipPath id="frame"><rect x="10" y="10" width="{width - 20:.0f}" '
            f'height="{height - 20:.0f}"/></clipPath></defs><g clip-path="url(#frame)">{grid}{"".join(dots)}</g></svg>'
            '<p class="more">Red: violence; blue: political; grey: other. Circle area grows with deaths.</p>')


def _countries(outlines: Sequence[Outline], box: tuple[float, float, float, float], project: Projection) -> str:
    """The outlines that reach into the map, as one SVG path each, points closer than half a pixel dropped."""
    paths = []
    for outline in outlines:
        if not outline.meets(*box):
            continue
        rings = [_ring_path(ring, project) for ring in outline.rings]
        drawn = "".join(r for r in rings if r)
        if drawn:
            paths.append(f'<path d="{drawn}" fill="#f2f1ec" stroke="#9a9a9a" stroke-width="0.6" '
                         f'fill-rule="evenodd"><title>{h(outline.name)}</title></path>')
    return "".join(paths)


def _ring_path(ring: Sequence[tuple[float, float]], project: Projection) -> str:
    """One closed ring as SVG path commands ("" when it shrinks below a pixel)."""
    points: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = project(lat, lon)
        if not points or abs(x - points[-1][0]) + abs(y - points[-1][1]) >= 0.5:
            points.append((x, y))
    if len(points) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z"


def _bounds(south: float, north: float, west: float, east: float) -> tuple[float, float, float, float]:
    """The map's extent: the points' box padded by a tenth, at least two degrees each way."""
    pad_lat, pad_lon = max((north - south) * 0.1, 1.0), max((east - west) * 0.1, 1.0)
    return max(south - pad_lat, -90), min(north + pad_lat, 90), max(west - pad_lon, -180), min(east + pad_lon, 180)


def _graticule(south: float, north: float, west: float, east: float, project: Projection) -> str:
    """Parallels and meridians every 1, 5, 10 or 30 degrees, labelled."""
    span = max(north - south, east - west)
    step = next(s for s in (1, 5, 10, 30, 60) if span / s <= 12)
    lines = []
    for lat in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step):
        (x1, y), (x2, _) = project(lat, west), project(lat, east)
        lines.append(f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{x1 + 2:.1f}" y="{y - 2:.1f}" font-size="9" fill="#999">{lat}°</text>')
    for lon in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step):
        (x, y1), (_, y2) = project(north, lon), project(south, lon)
        lines.append(f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}" stroke="#ddd"/>'
                     f'<text x="{x + 2:.1f}" y="{y2 - 2:.1f}" font-size="9" fill="#999">{lon}°</text>')
    return "".join(lines)


def _section(section: Section, names: Mapping[str, str]) -> list[str]:
    """A section's key incidents in date order, and how many more match."""
    parts = [f"<h2>{h(section.title)}</h2>"]
    if section.more:
        parts.append(f'<p class="more">Key incidents in date order: {len(section.shown)} of '
                     f"{len(section.shown) + section.more}; {section.more} more incidents; "
                     "use --limit to show more.</p>")
    for key in section.shown:
        parts.append(incident_html(key.incident, names, {d.doc_id: d for d in key.docs}))
    return parts


def incident_html(incident: Incident, names: Mapping[str, str], docs: Mapping[str, SourceDoc]) -> str:
    """One incident as an article element."""
    e = incident.event
    heading = f"{h(when_text(e))}: {h(kind_text(e))}, {h(where_text(e))}"
    rows = [f"<h3>{heading} <span class=id>{h(incident.incident_id)}</span></h3>",
            f"<p>Actors: {h(actors_text(e, names))}<br>Status: {h(e.status + responsibility_text(e, names))}"]
    if incident.fatalities or incident.injuries:
        rows.append(f"<br>Toll: killed {h(toll_text(incident.fatalities))}; injured {h(toll_text(incident.injuries))}")
    independent = incident.independent or len(incident.sources)
    rows.append(f"<br>Confidence {e.confidence:.2f}; {independent} independent of {len(incident.sources)} reports</p>")
    rows += [f'<p class="disagree">Sources disagree: {h(note)}</p>' for note in incident.disagreements]
    rows += [_quote(s.evidence[0], docs) for s in incident.sources if s.evidence]
    return "<article>" + "".join(rows) + "</article>"


def _quote(evidence: Evidence, docs: Mapping[str, SourceDoc]) -> str:
    """A source sentence with its outlet (linked when its URL is http(s)), date and span."""
    doc = docs.get(evidence.doc_id)
    label = h((doc.outlet or doc.path) if doc else evidence.doc_id)
    url = safe_url(doc.url) if doc else ""
    outlet = f'<a href="{h(url)}" rel="noopener noreferrer">{label}</a>' if url else label
    published = f", {doc.published}" if doc and doc.published else ""
    return (f"<blockquote>“{h(evidence.text)}” ({outlet}{published}; "
            f"<span class=id>{h(evidence.doc_id)}@{evidence.start}-{evidence.end}</span>)</blockquote>")


def _claims(report: Report) -> list[str]:
    """Notable claims grouped by speaker, and disputes side by side."""
    if not report.claims:
        return []
    parts = ["<h2>Claims</h2>", "<p>Claims by a named speaker that give a figure, attribute an act, or deny or "
             "dispute one, grouped by speaker.</p>"]
    speaker = None
    for c in report.claims:
        if c.speaker != speaker:
            parts.append(("</ul>" if speaker is not None else "") + f"<h3>{h(c.speaker)}</h3><ul>")
            speaker = c.speaker
        parts.append(f"<li>{h(c.why)}: {_claim_quote(c)}</li>")
    parts.append("</ul>")
    if report.more_claims:
        parts.append(f'<p class="more">{report.more_claims} more notable claims; narrow the filters to see them.</p>')
    disputed = [c for c in report.claims if c.disputed_by]
    if disputed:
        parts += ["<h3>Disputes</h3><table><tr><th>claim</th><th>disputed by</th></tr>"]
        parts += [f"<tr><td>{h(c.speaker)}: {_claim_quote(c)}</td><td>{h(', '.join(c.disputed_by))}</td></tr>"
                  for c in disputed]
        parts.append("</table>")
    return parts


def _claim_quote(c: NotableClaim) -> str:
    """A claim's sentence and its article."""
    return _quote(c.claim.evidence, {c.doc.doc_id: c.doc} if c.doc else {})


def _relations(report: Report) -> list[str]:
    """Deduplicated relations with their evidence counts."""
    if not report.relations:
        return []
    parts = ["<h2>Relations</h2><table><tr><th>actor</th><th>relation</th><th>actor</th><th class=n>evidence</th>"
             "<th class=n>documents</th><th>seen</th></tr>"]
    for r in report.relations:
        seen = f"{r.start} to {r.end}" if r.start and r.end and r.start != r.end else str(r.start or "")
        parts.append(f"<tr><td>{h(report.names.get(r.a, r.a))}</td><td>{h(r.type)}</td>"
                     f"<td>{h(report.names.get(r.b, r.b))}</td><td class=n>{r.evidence_count}</td>"
                     f"<td class=n>{len(r.doc_ids)}</td><td>{seen}</td></tr>")
    parts.append("</table>")
    if report.more_relations:
        parts.append(f'<p class="more">{report.more_relations} more relations; use <code>khabar relations</code>.</p>')
    return parts
