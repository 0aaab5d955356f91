"""The HTTP API through the ASGI test client, on the demo corpus ingested once per module."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from khabar import corpus
from khabar.api import Service, create_app, is_loopback, load_token
from khabar.errors import ConfigError
from khabar.pipeline import Pipeline
from khabar.settings import Settings
from khabar.store import open_store

with warnings.catch_warnings():  # starlette suggests httpx2 for its test client; httpx works the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"
TOKEN = "t" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AIRPORT = "07cb7f15ca01"  # the Kabul airport bombing: three reports that disagree on the toll
AIRPORT_DOCS = ["2bebc8596ff86e4b", "3b9d1747025e64c3", "f648fd5cab2f221c"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    """The demo corpus ingested into a store, once for the module."""
    db = tmp_path_factory.mktemp("api") / "demo.db"
    with open_store(db) as store:
        corpus.ingest([EXAMPLES], store, pipeline)
    return db


def _client(db: Path, pipeline: Pipeline | None = None, open_reads: bool = True, max_mb: float = 10) -> TestClient:
    """A test client over an app serving ``db``."""
    service = Service(Settings(db=str(db), processes=1), TOKEN, open_reads=open_reads,
                      max_upload_bytes=int(max_mb * 1024 * 1024), analyser=pipeline)
    return TestClient(create_app(service), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(demo_db: Path) -> TestClient:
    """A client that only reads the module's store."""
    return _client(demo_db)


@pytest.fixture
def writable(demo_db: Path, tmp_path: Path, pipeline: Pipeline) -> Iterator[TestClient]:
    """A client over a private copy of the store, for tests that write."""
    copy = tmp_path / "copy.db"
    shutil.copy(demo_db, copy)
    yield _client(copy, pipeline)


def _error(response: object, status: int) -> str:
    """The message of a JSON error response, after checking its status and shape."""
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert "Traceback" not in body["error"]["message"]
    return str(body["error"]["message"])


def test_incidents_lists_every_incident_oldest_first_with_a_total(client: TestClient) -> None:
    body = client.get("/incidents", params={"limit": 3}).json()
    assert body["total"] == 43
    assert [i["incident_id"] for i in body["items"]] == ["b4b4be5e9e77", "721762889b43", "824c8b053852"]
    assert body["next_offset"] == 3


def test_incidents_pages_with_limit_and_offset(client: TestClient) -> None:
    everything = [i["incident_id"] for i in client.get("/incidents", params={"limit": 100}).json()["items"]]
    pages = [client.get("/incidents", params={"limit": 10, "offset": n}).json() for n in range(0, 50, 10)]
    assert [i["incident_id"] for p in pages for i in p["items"]] == everything
    assert len(everything) == 43 and pages[-1]["next_offset"] is None and pages[0]["next_offset"] == 10


@pytest.mark.parametrize(("params", "total"), [
    ({"country": "AF"}, 25),
    ({"country": "Afghanistan", "admin1": "Kabul"}, 11),
    ({"type": "Battles"}, 11),
    ({"since": "2022", "until": "2022"}, 14),
])
def test_incident_filters_match_the_query_layer(client: TestClient, params: dict[str, str], total: int) -> None:
    body = client.get("/incidents", params={**params, "limit": 100}).json()
    assert body["total"] == total and len(body["items"]) == total


def test_incidents_sort(client: TestClient) -> None:
    newest = client.get("/incidents", params={"sort": "-date", "limit": 3}).json()["items"]
    deadliest = client.get("/incidents", params={"sort": "deaths", "limit": 3}).json()["items"]
    assert [i["incident_id"] for i in newest] == ["824f31a8214f", "3c99927abce8", "0ff1f27a3ac3"]
    assert [i["incident_id"] for i in deadliest] == ["1e146fdabe6d", "9604b92d4b8c", AIRPORT]


def test_bad_filter_values_are_400_and_name_the_filter(client: TestClient) -> None:
    assert "country 'Narnia'" in _error(client.get("/incidents", params={"country": "Narnia"}), 400)
    assert "sort 'bad'" in _error(client.get("/incidents", params={"sort": "bad"}), 400)
    assert "no actor named" in _error(client.get("/incidents", params={"actor": "Nobody At All"}), 400)
    assert "limit" in _error(client.get("/incidents", params={"limit": "many"}), 422)


def test_an_incident_has_its_sources_evidence_disagreements_and_merge_notes(client: TestClient) -> None:
    body = client.get(f"/incidents/{AIRPORT}").json()
    assert body["incident_id"] == AIRPORT
    assert [s["document"]["doc_id"] for s in body["sources"]] == AIRPORT_DOCS
    assert all(s["evidence"] and s["evidence"][0]["doc_id"] == s["event"]["doc_id"] for s in body["sources"])
    assert body["disagreements"][0] == "fatalities differ: 92 (2bebc859), 73 (3b9d1747), 170 (f648fd5c)"
    assert body["explanation"][0] == "## How this incident was merged"
    assert "- 3 sources, each an independent report:" in body["explanation"]
    assert "path" not in body["sources"][0]["document"]


def test_an_incident_by_unique_prefix_and_an_unknown_one(client: TestClient) -> None:
    assert client.get(f"/incidents/{AIRPORT[:8]}").json()["incident_id"] == AIRPORT
    assert "no single incident matches 'ffffffffffff'" in _error(client.get("/incidents/ffffffffffff"), 404)


def test_a_document_marks_its_evidence_as_offsets_into_its_text(client: TestClient) -> None:
    body = client.get(f"/documents/{AIRPORT_DOCS[1]}").json()
    assert body["text"].startswith("KABUL, Afghanistan (Aug. 26, 2021)")
    assert body["published"] == "2021-08-26" and "path" not in body
    kinds = {s["kind"] for s in body["spans"]}
    assert {"event", "claim"} <= kinds
    for span in body["spans"]:
        assert body["text"][span["start"]:span["end"]] == span["text"]
    assert any(s["field"] == "fatalities" for s in body["spans"])


@pytest.mark.parametrize("doc_id", ["..%2F..%2Fetc%2Fpasswd", "..", "%2Fetc%2Fpasswd", "examples%2Fcorpus%2F"
                                    "01_kabul_airport_wire.txt", "3b9d1747025e64c", "3B9D1747025E64C3"])
def test_documents_cannot_be_reached_by_path_or_a_near_id(client: TestClient, doc_id: str) -> None:
    response = client.get(f"/documents/{doc_id}")
    if response.url.path == "/":  # the client resolves /documents/.. to / before sending: the dashboard page
        assert response.text.startswith("<!doctype html>") and "khabar dashboard" in response.text
    else:
        _error(response, 404)
    assert "root:" not in response.text and "KABUL" not in response.text


def test_actors_places_claims_relations_on_the_demo_store(client: TestClient) -> None:
    actors = client.get("/actors", params={"limit": 3}).json()["items"]
    assert [a["actor"]["actor_id"] for a in actors] == ["taliban", "state:AFG", "islamic-state-khorasan-province"]
    assert actors[0]["incidents"] == 14
    places = client.get("/places", params={"limit": 3}).json()["items"]
    assert [p["name"] for p in places] == ["Kabul", "Panjshir", "Nangarhar"] and places[0]["incidents"] == 9
    assert len(client.get("/claims", params={"limit": 1000}).json()["items"]) == 98
    assert len(client.get("/claims", params={"actor": "taliban", "limit": 1000}).json()["items"]) == 14
    relations = client.get("/relations", params={"limit": 1000}).json()["items"]
    assert len(relations) == 54
    assert relations[0]["a"] == "ahmad-massoud" and relations[0]["type"] == "leads"


def test_other_lists_page_too(client: TestClient) -> None:
    first = client.get("/claims", params={"limit": 5}).json()
    second = client.get("/claims", params={"limit": 5, "offset": 5}).json()
    every = client.get("/claims", params={"limit": 10}).json()["items"]
    assert first["items"] + second["items"] == every and first["next_offset"] == 5


def test_stats_count_by_type_admin1_week_and_actor(client: TestClient) -> None:
    body = client.get("/stats").json()
    assert body["incidents"] == 43
    assert body["by_type"]["Battles"] == 11 and body["by_admin1"]["Kabul"] == 11
    assert sum(body["by_week"].values()) == 43 and body["by_week"]["2021-W34"] >= 1
    assert next(iter(body["by_actor"])) == "Taliban"
    assert client.get("/stats", params={"country": "AF"}).json()["incidents"] == 25


@pytest.mark.parametrize(("fmt", "kind"), [("jsonl", "ndjson"), ("csv", "text/csv"), ("acled", "text/csv"),
                                           ("ucdp", "text/csv"), ("stix", "json"), ("geojson", "geo+json"),
                                           ("graphml", "xml")])
def test_export_every_stream_format_with_filters(client: TestClient, fmt: str, kind: str) -> None:
    response = client.get("/export", params={"format": fmt, "country": "AF"})
    assert response.status_code == 200 and kind in response.headers["content-type"]
    assert f"khabar-{fmt}" in response.headers["content-disposition"]
    if fmt == "jsonl":
        assert len(response.text.splitlines()) == 25
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(response.text)))) == 25


def test_export_parquet_comes_as_a_zip_of_its_folder(client: TestClient) -> None:
    response = client.get("/export", params={"format": "parquet"})
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "actors/part-0.parquet" in names and any(n.startswith("incidents/month=2021-08/") for n in names)


def test_export_of_an_unknown_format_names_the_known_ones(client: TestClient) -> None:
    assert "known formats: acled, csv" in _error(client.get("/export", params={"format": "pdf"}), 400)
    _error(client.get("/export"), 422)


def test_openapi_and_an_offline_docs_page(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/incidents", "/incidents/{incident_id}", "/documents/{doc_id}", "/actors", "/places", "/claims",
            "/relations", "/stats", "/export", "/ingest", "/incidents/{incident_id}/merge"} <= set(paths)
    page = client.get("/docs").text
    assert "/incidents/{incident_id}/split" in page and "<script" not in page and "http" not in page.split("<h1>")[1]
    assert client.get("/redoc").status_code == 404


def test_unknown_routes_and_methods_use_the_json_shape(client: TestClient) -> None:
    _error(client.get("/nowhere"), 404)
    _error(client.delete("/incidents"), 405)


def test_no_cors_headers_are_sent(client: TestClient) -> None:
    response = client.get("/stats", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_reads_need_no_token_on_loopback_but_do_on_another_interface(demo_db: Path) -> None:
    public = _client(demo_db, open_reads=False)
    assert "Bearer" in _error(public.get("/incidents"), 401)
    assert public.get("/incidents", headers=AUTH).json()["total"] == 43
    assert _client(demo_db).get("/incidents").status_code == 200


@pytest.mark.parametrize(("host", "local"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                             ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.4", False),
                                             ("example.org", False)])
def test_loopback_binds(host: str, local: bool) -> None:
    assert is_loopback(host) is local


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": TOKEN}])
def test_writes_need_the_token(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(f"/incidents/{AIRPORT}/reject", headers=headers)
    _error(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get(f"/incidents/{AIRPORT}").json()["incident"]["review"] == ""


def test_the_token_file_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "demo.db.token"
    token, created = load_token(path)
    assert created and len(token) >= 40 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_token(path) == (token, False)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_token(path)


def test_an_oversized_upload_is_413(demo_db: Path) -> None:
    small = _client(demo_db, max_mb=0.01)
    _error(small.post("/ingest", headers=AUTH, json={"text": "x" * 20_000}), 413)
    chunks = iter([b"{\"text\": \"", b"y" * 20_000, b"\"}"])
    streamed = small.post("/ingest", headers={**AUTH, "Content-Type": "application/json"}, content=chunks)
    assert "--max-upload-mb" in _error(streamed, 413)


@pytest.mark.parametrize(("kwargs", "status", "words"), [
    ({"json": {"title": "no text"}}, 422, "text"),
    ({"json": {"text": "   "}}, 422, "text is empty"),
    ({"json": {"text": "x", "published": "yesterday"}}, 422, "published"),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422, "json"),
    ({"content": b"text", "headers": {"Content-Type": "text/plain"}}, 415, "application/json"),
    ({"files": {"files": ("report.pdf", b"%PDF-1.4", "application/pdf")}}, 422, "report.pdf"),
    ({"files": {"other": ("a.txt", b"words", "text/plain")}}, 422, "files"),
    ({"files": {"files": ("a.txt", b"\n\n", "text/plain")}}, 422, "upload/a.txt"),
])
def test_a_malformed_upload_is_refused_with_a_json_error(client: TestClient, kwargs: dict[str, object],
                                                         status: int, words: str) -> None:
    headers = {**AUTH, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    message = _error(client.post("/ingest", headers=headers, **kwargs), status)  # type: ignore[arg-type]
    assert words.lower() in message.lower()
    assert "/tmp" not in message


ARTICLE = ("KABUL, Afghanistan (Reuters) - Gunmen killed four police officers at a checkpoint in Jalalabad on "
           "Tuesday, a provincial spokesman said. <script>alert('x')</script> No group claimed the attack.")


def test_ingest_json_stores_and_merges_and_script_tags_stay_data(writable: TestClient) -> None:
    response = writable.post("/ingest", headers=AUTH, json={"text": ARTICLE, "title": "<b>Checkpoint</b> attack",
                                                            "published": "2023-03-07"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == 1 and body["unchanged"] == 0 and body["errors"] == [] and body["incidents"] > 43
    assert response.headers["content-type"] == "application/json"
    found = writable.get("/incidents", params={"since": "2023-03-07", "until": "2023-03-07"}).json()["items"]
    assert len(found) == 1 and found[0]["killed"] == 4
    detail = writable.get(f"/incidents/{found[0]['incident_id']}").json()
    document = detail["sources"][0]["document"]
    assert document["title"] == "<b>Checkpoint</b> attack"
    text = writable.get(f"/documents/{document['doc_id']}")
    assert text.headers["content-type"] == "application/json"
    assert "<script>alert('x')</script>" in text.json()["text"]
    again = writable.post("/ingest", headers=AUTH, json={"text": ARTICLE})
    assert again.json()["stored"] == 0 and again.json()["unchanged"] == 1


def test_ingest_multipart_files_are_read_like_khabar_ingest(writable: TestClient) -> None:
    line = json.dumps({"text": ARTICLE.replace("four", "six"), "published": "2023-03-08"})
    files = [("files", ("../../etc/wire.txt", ARTICLE.replace("four", "five").encode(), "text/plain")),
             ("files", ("batch.jsonl", f"{line}\n{{broken\n".encode(), "application/x-ndjson"))]
    body = writable.post("/ingest", headers=AUTH, files=files).json()
    assert body["stored"] == 2
    assert body["errors"] == ["upload/batch.jsonl:2: malformed JSON (Expecting property name enclosed in double "
                              "quotes) (fix or remove it)"]


def test_curation_reject_accept_split_and_merge(writable: TestClient) -> None:
    rejected = writable.post(f"/incidents/{AIRPORT}/reject", headers=AUTH, json={"user": "analyst"})
    assert rejected.json()["incident"]["review"] == "rejected"
    assert writable.get("/incidents").json()["total"] == 42
    assert writable.get("/incidents", params={"rejected": "true"}).json()["total"] == 43
    assert writable.post(f"/incidents/{AIRPORT}/accept", headers=AUTH).json()["incident"]["review"] == "accepted"
    left = writable.post(f"/incidents/{AIRPORT}/split", headers=AUTH, json={"doc": AIRPORT_DOCS[2][:8]}).json()
    assert [s["document"]["doc_id"] for s in left["sources"]] == AIRPORT_DOCS[:2]
    assert writable.get("/incidents").json()["total"] == 44
    split_off = next(i["incident_id"] for i in writable.get("/incidents", params={"limit": 100}).json()["items"]
                     if i["incident_id"] != AIRPORT and i["date"] == "2021-08-26" and i["place"].startswith("Hamid"))
    merged = writable.post(f"/incidents/{AIRPORT}/merge", headers=AUTH, json={"other": split_off}).json()
    assert [s["document"]["doc_id"] for s in merged["sources"]] == AIRPORT_DOCS
    assert writable.get("/incidents").json()["total"] == 43


def test_curation_errors(writable: TestClient) -> None:
    assert "ffffffffffff" in _error(writable.post("/incidents/ffffffffffff/reject", headers=AUTH), 404)
    assert "same incident" in _error(writable.post(f"/incidents/{AIRPORT}/merge", headers=AUTH,
                                                   json={"other": AIRPORT}), 409)
    assert "names no document" in _error(writable.post(f"/incidents/{AIRPORT}/split", headers=AUTH,
                                                       json={"doc": "0000"}), 409)
    _error(writable.post(f"/incidents/{AIRPORT}/merge", headers=AUTH, json={}), 422)


def test_an_unexpected_failure_is_a_500_without_a_traceback(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret internals at /srv/khabar")

    monkeypatch.setattr("khabar.api.reads.stats", broken)
    response = _client(demo_db).get("/stats")
    assert "see its log" in _error(response, 500)
    assert "secret" not in response.text and "RuntimeError" not in response.text


def test_a_missing_store_is_503_saying_how_to_make_one(tmp_path: Path) -> None:
    assert "khabar ingest" in _error(_client(tmp_path / "none.db").get("/incidents"), 503)


def test_overview_draws_the_kept_incidents_on_a_map_a_timeline_and_a_graph(client: TestClient) -> None:
    body = client.get("/overview").json()
    assert body["incidents"] == 43
    points = body["points"]
    fields = points["fields"]
    assert len(points["items"]) + points["unplaced"] == 43 and not points["truncated"]
    airport = next(p for p in points["items"] if p[fields.index("id")] == AIRPORT)
    assert airport[fields.index("event_type")] == "Explosions/Remote violence"
    assert 34.4 < airport[fields.index("lat")] < 34.7 and 69.0 < airport[fields.index("lon")] < 69.4
    timeline = body["timeline"]
    assert sum(timeline["incidents"]) + timeline["undated"] == 43
    assert len(timeline["periods"]) == len(timeline["incidents"]) == len(timeline["deaths"])
    assert timeline["periods"] == sorted(timeline["periods"])
    stats = client.get("/stats").json()
    assert sum(timeline["incidents"]) == sum(stats["by_week"].values())
    graph = body["graph"]
    ids = {n["id"] for n in graph["nodes"]}
    assert "taliban" in ids and graph["nodes"][0]["name"] == next(iter(stats["by_actor"]))
    assert graph["edges"] and all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert {"incident"} <= {e["kind"] for e in graph["edges"]}


def test_overview_follows_the_filters_and_its_bucket(client: TestClient) -> None:
    kabul = client.get("/overview", params={"admin1": "Kabul", "bucket": "week"}).json()
    assert kabul["incidents"] == client.get("/incidents", params={"admin1": "Kabul"}).json()["total"] == 11
    assert kabul["timeline"]["bucket"] == "week"
    assert all(date.fromisoformat(p).weekday() == 0 for p in kabul["timeline"]["periods"])
    day = client.get("/overview", params={"since": "2021-08-26", "until": "2021-08-31", "bucket": "day"}).json()
    # an incident known only to the month overlaps the period and is drawn at its month's first day
    assert day["timeline"]["bucket"] == "day" and day["timeline"]["periods"][-1] <= "2021-08-31"
    assert sum(day["timeline"]["incidents"]) + day["timeline"]["undated"] == day["incidents"] > 0
    assert "bucket" in _error(client.get("/overview", params={"bucket": "fortnight"}), 400)
    assert "since" in _error(client.get("/overview", params={"since": "yesterday-ish"}), 400)


def test_the_dashboard_page_and_its_files_are_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert 'src="/static/app.js"' in page.text and "http" not in page.text.split("<footer>")[0]  # nothing remote
    for path in ("/static/app.js", "/static/vendor/leaflet.js", "/static/vendor/cytoscape.min.js",
                 "/static/vendor/uPlot.iife.min.js", "/static/vendor/licences/leaflet.txt",
                 "/static/geo/countries.json"):
        assert client.get(path).status_code == 200, path
    admin1 = client.get("/static/geo/admin1.json").json()
    assert admin1["type"] == "Topology" and len(admin1["objects"]["admin1"]["geometries"]) > 3000
    assert client.get("/static/../api/app.py").status_code == 404
    assert client.get("/static/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
