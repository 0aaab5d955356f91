"""The dashboard in a real headless Chromium (the distribution's package, driven by Playwright).

`khabar serve` runs over the demo corpus plus one hostile article (script tags, markup, Markdown
control sequences, a javascript: address); the browser loads the page, filters, brushes the
timeline, clicks an actor, opens incidents, curates one, and must never run the hostile article's
code. Screenshots go to test-artifacts/dashboard/. Without Chromium these tests are skipped and
the run ends with a loud banner saying so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from khabar import corpus
from khabar.pipeline import Pipeline
from khabar.store import open_store

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "corpus"
CHROMIUM = os.environ.get("KHABAR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
Serve = Callable[..., AbstractContextManager[tuple[str, Path]]]

if CHROMIUM is None:
    pytest.skip("BROWSER TESTS NOT RUN: no Chromium (install Debian's `chromium` or set KHABAR_CHROMIUM)",
                allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402 - only once Chromium is known

HOSTILE = """---
title: "<script>window.__khabarRan = 'title'</script> Market attack"
outlet: "<img src=x onerror=\\"window.__khabarRan = 'outlet'\\"> Valley Courier"
url: "javascript:window.__khabarRan = 'url'"
published: 2022-05-10
---
# Breaking <script>window.__khabarRan = 'heading'</script>

Gunmen opened fire on a crowded market in Jalalabad on Tuesday, killing five shoppers, a provincial police
spokesman said. &lt;img src=x onerror="window.__khabarRan = 'escaped'"&gt; [more](javascript:window.__khabarRan='link')
<img src=x onerror="window.__khabarRan = 'raw'"> **No group** claimed the attack on the market.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline, serve: Serve) -> Iterator[tuple[str, str]]:
    """The dashboard over the demo corpus and the hostile article: base URL and write token."""
    folder = tmp_path_factory.mktemp("dashboard")
    hostile = folder / "hostile.md"
    hostile.write_text(HOSTILE, encoding="utf-8")
    db = folder / "demo.db"
    with open_store(db) as store:
        corpus.ingest([EXAMPLES, hostile], store, pipeline)
    with serve(db) as (base, _):
        yield base, db.with_name("demo.db.token").read_text().strip()


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    """Where the screenshots go."""
    folder = artifacts / "dashboard"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab that fails the test on any script error or dialog."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield tab
    context.close()
    assert problems == []


def _open(page: Page, url: str) -> None:
    """Load a dashboard URL and wait until every panel is drawn."""
    page.goto(url)
    _drawn(page)


def _drawn(page: Page) -> None:
    """Wait until the page's last refresh has finished without an error."""
    page.wait_for_selector("body[data-ready=yes]", timeout=30_000)
    assert page.inner_text("#message") == ""


def _api(base: str, path: str, **params: Any) -> Any:
    """A JSON answer of the API."""
    return httpx.get(f"{base}{path}", params=params, timeout=30).json()


def _query(page: Page) -> dict[str, str]:
    """The page's URL parameters."""
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _shown_total(page: Page) -> int:
    """The incident count the table header shows."""
    return int(page.inner_text("#count").split()[0])


def test_the_dashboard_draws_map_timeline_graph_and_table(site: tuple[str, str], page: Page, shots: Path) -> None:
    base, _ = site
    _open(page, base + "/")
    overview = _api(base, "/overview")
    assert _shown_total(page) == overview["incidents"] == _api(base, "/incidents")["total"]
    assert page.evaluate("view.markers.getLayers().length") == len(overview["points"]["items"]) > 10
    assert page.locator("#map .leaflet-marker-icon").count() > 0
    assert page.locator("#map path.leaflet-interactive, #map svg path").count() > 100  # country boundaries
    assert page.evaluate("view.timeline.data[1].reduce((a, b) => a + b, 0)") == sum(overview["timeline"]["incidents"])
    assert page.evaluate("view.graph.nodes().length") == len(overview["graph"]["nodes"]) > 5
    assert page.locator("#incidents tbody tr").count() == 25
    page.screenshot(path=shots / "overview.png", full_page=True)


def test_a_filter_narrows_every_panel_and_the_url_shares_it(site: tuple[str, str], page: Page) -> None:
    base, _ = site
    _open(page, base + "/")
    page.fill("input[name=admin1]", "Kabul")
    page.click("#apply")
    _drawn(page)
    kabul = _api(base, "/overview", admin1="Kabul")
    assert _query(page) == {"admin1": "Kabul"}
    assert _shown_total(page) == kabul["incidents"] == _api(base, "/incidents", admin1="Kabul")["total"]
    assert 0 < kabul["incidents"] < _api(base, "/incidents")["total"]
    assert page.evaluate("view.markers.getLayers().length") == len(kabul["points"]["items"])
    shared = page.url
    page.goto("about:blank")
    _open(page, shared)
    assert page.input_value("input[name=admin1]") == "Kabul" and _shown_total(page) == kabul["incidents"]
    page.click("#clear")
    _drawn(page)
    assert _query(page) == {} and _shown_total(page) == _api(base, "/incidents")["total"]


def test_opening_an_incident_highlights_its_evidence_sentence(site: tuple[str, str], page: Page, shots: Path) -> None:
    base, _ = site
    _open(page, base + "/?sort=sources")
    chosen = _api(base, "/incidents", sort="sources", limit=1)["items"][0]
    page.click(f"#incidents tbody tr[data-incident='{chosen['incident_id']}']")
    page.wait_for_selector("mark.evidence", timeout=30_000)
    assert page.inner_text("#detail-id") == chosen["incident_id"]
    assert _query(page)["incident"] == chosen["incident_id"]
    detail = _api(base, f"/incidents/{chosen['incident_id']}")
    assert page.locator("#sources article.source").count() == len(detail["sources"]) >= 2
    quoted = {" ".join(e["text"].split()) for s in detail["sources"] for e in s["evidence"]}
    marked = [" ".join(m.split()) for m in page.locator("mark.evidence").all_inner_texts()]
    assert marked and all(any(m in q or q in m for q in quoted) for m in marked)
    assert page.locator("mark.evidence").first.is_visible()
    page.screenshot(path=shots / "incident.png", full_page=True)
    page.reload()
    _drawn(page)
    page.wait_for_selector("mark.evidence", timeout=30_000)  # the open incident is part of the shared URL
    assert page.inner_text("#detail-id") == chosen["incident_id"]


def test_dragging_across_the_timeline_selects_a_period(site: tuple[str, str], page: Page) -> None:
    base, _ = site
    _open(page, base + "/")
    box = page.locator("#timeline .u-over").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.80, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    _drawn(page)
    period = _query(page)
    assert period["since"] <= period["until"]
    assert _shown_total(page) == _api(base, "/incidents", since=period["since"], until=period["until"])["total"]
    assert page.input_value("input[name=since]") == period["since"]


def test_clicking_an_actor_filters_by_it(site: tuple[str, str], page: Page, shots: Path) -> None:
    base, _ = site
    _open(page, base + "/")
    x, y, name = page.evaluate("""() => {
        const node = view.graph.nodes().max((n) => n.data('weight')).ele;
        const at = node.renderedPosition(), box = view.graph.container().getBoundingClientRect();
        return [box.left + at.x, box.top + at.y, node.data('label')];
    }""")
    page.mouse.click(x, y)
    _drawn(page)
    assert _query(page) == {"actor": name}
    assert _shown_total(page) == _api(base, "/incidents", actor=name)["total"] > 0
    page.screenshot(path=shots / "actor-filter.png", full_page=True)


def test_a_hostile_article_is_inert_in_every_view(site: tuple[str, str], page: Page, shots: Path) -> None:
    base, _ = site
    _open(page, base + "/?since=2022-05-10&until=2022-05-10")
    rows = page.locator("#incidents tbody tr")
    assert rows.count() >= 1
    rows.first.click()
    page.wait_for_selector("#sources .document-text", timeout=30_000)
    page.locator("#map .leaflet-marker-icon").first.click()  # its map popup, built from the same record
    text = page.inner_text("#sources")
    assert "<script>window.__khabarRan = 'title'</script> Market attack" in text
    assert "onerror" in text and "javascript:" in text
    assert page.evaluate("window.__khabarRan") is None
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("#sources img, #sources script, #coding img, .leaflet-popup img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.screenshot(path=shots / "hostile-article.png", full_page=True)


def test_curation_from_the_detail_view_needs_the_token(site: tuple[str, str], page: Page) -> None:
    base, token = site
    target = _api(base, "/incidents", since="2022-05-10", until="2022-05-10")["items"][0]["incident_id"]
    _open(page, f"{base}/?incident={target}")
    page.wait_for_selector("#sources .document-text", timeout=30_000)
    page.click("#curation button[data-action=reject]")
    assert "token" in page.inner_text("#curation-result")
    page.fill("#token", "not-the-token")
    page.dispatch_event("#token", "change")
    page.click("#curation button[data-action=reject]")
    page.locator("#curation-result", has_text="failed").wait_for()
    assert _api(base, f"/incidents/{target}")["incident"]["review"] == ""
    page.fill("#token", token)
    page.dispatch_event("#token", "change")
    page.click("#curation button[data-action=reject]")
    page.locator("#curation-result", has_text="done").wait_for()
    assert _api(base, f"/incidents/{target}")["incident"]["review"] == "rejected"
    _drawn(page)
    assert target not in [r["incident_id"] for r in _api(base, "/incidents", limit=1000)["items"]]
    page.check("input[name=rejected]")
    page.click("#apply")
    _drawn(page)
    assert _query(page)["rejected"] == "true"
    assert page.locator(f"#incidents tbody tr[data-incident='{target}']").count() == 1


def test_a_place_and_radius_filter_like_the_cli(site: tuple[str, str], page: Page) -> None:
    base, _ = site
    _open(page, base + "/")
    page.fill("input[name=place]", "Kabul")
    page.fill("input[name=within_km]", "150")
    page.fill("input[name=min_confidence]", "0.3")
    page.click("#apply")
    _drawn(page)
    assert _query(page) == {"place": "Kabul", "within_km": "150", "min_confidence": "0.3"}
    near = _api(base, "/incidents", place="Kabul", within_km=150, min_confidence=0.3)["total"]
    assert _shown_total(page) == near and 0 < near < _api(base, "/incidents", place="Kabul", within_km=150)["total"]
