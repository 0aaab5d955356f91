"""Run generated hostile inputs through khabar's ingest path and count what becomes of each.

Usage: python scripts/fuzz_ingest.py [--count 10000] [--seed 22] [--json]

Each input is written to a fresh folder (or, for the web classes, served by an in-process mock
HTTP transport behind a stub resolver) and ingested on its own, in this process, with the loaded
pipeline: read, analysed, stored (merging runs once per class). Every input ends as one of:

- stored: at least one document stored (or found already stored);
- refused: no document, and at least one error message that names the input;
- crashed: an exception escaped the ingest path;
- silent: no document and no message (a silent drop).

Separately, an input is ``over`` when the CPU time it cost this process exceeded
``BASE_SECONDS + SECONDS_PER_KB * size`` (CPU time, not wall time: on a shared machine wall time
measures the neighbours' jobs too; both are reported), or its peak resident memory rose more than
``MEMORY_MB`` above what it was before the input (measured by resetting the kernel's high-water
mark, ``/proc/self/clear_refs``, before each input).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from khabar import corpus
from khabar.errors import InputError
from khabar.ingest import Limits, load_reading_aids, read_paths
from khabar.ingest.feeds import read_feeds
from khabar.ingest.fetch import Fetcher, FetchOptions
from khabar.ingest.web import read_urls
from khabar.pipeline import Pipeline
from khabar.records import Document
from khabar.settings import Settings
from khabar.store import Store, open_store

BASE_SECONDS = 10.0
SECONDS_PER_KB = 0.4  # 40 s per 100 KB: the pipeline analyses about 3,000 tokens a second on one slow core
MEMORY_MB = 1_000.0
WATCHDOG_SECONDS = 900
WORDS = ("gunmen", "killed", "police", "officers", "checkpoint", "province", "Monday", "said", "attack", "village",
         "army", "rebels", "two", "12", "wounded", "convoy", "district", "governor", "claimed", "responsibility")
PUNCT = "!?.,;:'\"()[]{}<>-_/\\|@#$%^&*~`+="
SENTENCE = "Gunmen killed {n} police officers at a checkpoint in the {w} district on Monday, officials said."


# --- generators: each returns (name, writer), where writer(folder) makes the input and returns its path ------

Writer = Callable[[Path], Path]


def _story(rng: random.Random) -> str:
    """A short article-like text, different every time."""
    return " ".join(SENTENCE.format(n=rng.randint(2, 99), w=rng.choice(WORDS)) for _ in range(rng.randint(1, 4)))


def _noise(rng: random.Random, size: int) -> str:
    """Text mixing words, punctuation, odd code points and line breaks."""
    alphabet = [*WORDS, *PUNCT, " ", "\n", "\t", "\u2028", "\u200b", "\ufeff", "é", "\u202e", "\x0b", "\U0001f4a5"]
    return "".join(rng.choice(alphabet) + (" " if rng.random() < 0.3 else "") for _ in range(size))


def _alias_bomb(levels: int, width: int) -> str:
    """YAML whose last alias expands to width ** levels values."""
    lines = [f"l0: &l0 [{', '.join(['x'] * width)}]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines) + f"\ntitle: *l{levels - 1}\n"


def _hostile_yaml(rng: random.Random) -> str:
    """One hostile or malformed YAML mapping."""
    n = rng.randint(50, 5000)
    choices = [
        lambda: f"published: {rng.randint(1900, 2100)}-{rng.randint(0, 13):02d}-{rng.randint(0, 40):02d}\n",
        lambda: f"published: 2021-02-30T25:61:00+99:00\ntitle: {_story(rng)[:40]}\n",
        lambda: "n: " + "9" * rng.randint(101, 9000) + "\n",
        lambda: "n: 0x" + "f" * rng.randint(101, 9000) + "\n",
        lambda: "t: " + "[" * n + "]" * n + "\n",
        lambda: "t: " + "{a: " * n + "}" * n + "\n",
        lambda: "t:\n" + "".join("  " * i + "- \n" for i in range(min(n, 400))),
        lambda: _alias_bomb(rng.randint(4, 9), rng.randint(3, 10)),
        lambda: "a: &a [*a]\n",
        lambda: "? [a, b]\n: c\n",
        lambda: "title: !!python/object/apply:os.system ['true']\n",
        lambda: "title: !!binary '%%%'\n",
        lambda: "title: \"\\ud800\"\npublished: 2022-01-02\n",
        lambda: "title: [1, 2, {x: y}]\noutlet: {a: b}\nurl: 7\npublished: yes\n",
        lambda: _noise(rng, rng.randint(1, 400)),
        lambda: "title: " + "x" * rng.randint(70_000, 90_000) + "\n",
    ]
    return rng.choice(choices)()


def _frontmatter(rng: random.Random) -> tuple[str, Writer]:
    """A .md file with hostile front matter (or a broken fence)."""
    kind = rng.random()
    if kind < 0.1:
        text = "---" + "\n" * rng.randint(1, 300_000) + _story(rng)
    elif kind < 0.2:
        text = "---\n" + _hostile_yaml(rng) + _story(rng)  # never closed
    else:
        text = f"---\n{_hostile_yaml(rng)}\n---\n{_story(rng)}\n"
    return "frontmatter", _file("a.md", text.encode("utf-8", "surrogatepass"))


def _sidecar(rng: random.Random) -> tuple[str, Writer]:
    """A .txt file whose sidecar is hostile."""
    suffix = rng.choice([".meta.yaml", ".meta.json"])
    side = _hostile_yaml(rng).encode("utf-8", "surrogatepass") if rng.random() < 0.85 else rng.randbytes(200)

    def write(folder: Path) -> Path:
        (folder / f"a{suffix}").write_bytes(side)
        return _file("a.txt", _story(rng).encode())(folder)

    return "sidecar", write


def _jsonl(rng: random.Random) -> tuple[str, Writer]:
    """A .jsonl file mixing good lines with hostile ones."""
    n = rng.randint(50, 3000)
    hostile = [
        lambda: '{"text": "' + _story(rng) + '", "n": ' + "9" * rng.randint(101, 9000) + "}",
        lambda: '{"text": "' + _story(rng) + '", "n": ' + "[" * n + "]" * n + "}",
        lambda: '{"text": "' + _story(rng) + ' \\ud800 \\udfff", "title": "\\ud83d"}',
        lambda: json.dumps({"text": _story(rng), "published": "2021-02-30", "title": ["a"], "url": {"x": 1}}),
        lambda: json.dumps([_story(rng)]),
        lambda: json.dumps({"title": "no text"}),
        lambda: json.dumps({"text": 12345}),
        lambda: json.dumps({"text": "!" * rng.randint(1000, 30_000)}),
        lambda: json.dumps({"text": _noise(rng, rng.randint(1, 300))}),
        lambda: "{" + _noise(rng, 50),
        lambda: '{"text": "' + "x" * 10 + '", "n": 1e999999}',
        lambda: json.dumps({"text": _story(rng), "published": 10**30}),
    ]
    lines = [json.dumps({"text": _story(rng)}) if rng.random() < 0.3 else rng.choice(hostile)()
             for _ in range(rng.randint(1, 4))]
    return "jsonl", _file("f.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))


def _html(rng: random.Random) -> tuple[str, Writer]:
    """An HTML page, broken or hostile."""
    n = rng.randint(10, 5000)
    pages = [
        lambda: "<html><body><article>" + "".join(f"<p>{_story(rng)}</p>" for _ in range(4)) + "</article></body>",
        lambda: "<div>" * n + _story(rng) + "</div>" * (n // 2),
        lambda: "<p>" + "&amp;" * n + _story(rng) + "</p>",
        lambda: f"<meta name='date' content='2021-02-30'><title>{'&#xd800;' * 3}</title><p>{_story(rng)}</p>",
        lambda: "<script>" + "x" * n + "</script>",
        lambda: f"<p title='{'x' * n * 10}'>{_story(rng)}</p>",
        lambda: "<!DOCTYPE html [<!ENTITY a 'aaaa'>]><p>&a;&a;" + _story(rng) + "</p>",
        lambda: _noise(rng, rng.randint(1, 500)),
    ]
    return "html", _file(rng.choice(["p.html", "p.htm"]), rng.choice(pages)().encode("utf-8", "surrogatepass"))


def _bytes(rng: random.Random) -> tuple[str, Writer]:
    """A file of bytes that are not clean UTF-8 text."""
    story = _story(rng)
    blobs = [
        lambda: rng.randbytes(rng.randint(1, 3000)),
        lambda: story.encode("utf-16"),
        lambda: story.encode("cp1252") + b"\xe9\x80",
        lambda: b"\xef\xbb\xbf" + story.encode(),
        lambda: story.encode() + b"\x00" + story.encode(),
        lambda: b"",
        lambda: b" \n\t\r\n" * rng.randint(1, 100),
        lambda: story.replace(" ", "\r").encode(),
        lambda: story.encode() + b"\x01\x02\x1b[31m\x7f",
    ]
    name = rng.choice(["b.txt", "b.md", "b.jsonl", "b.html"])
    return "bytes", _file(name, rng.choice(blobs)())


def _names(rng: random.Random) -> tuple[str, Writer]:
    """A good article under a strange file name."""
    names = [
        lambda: b"caf\xe9-" + rng.randbytes(3).hex().encode() + b".txt",
        lambda: b"x" * rng.randint(240, 251) + b".txt",
        lambda: b"\xff\xfe\xfd.md",
        lambda: b"line\nbreak.txt",
        lambda: b"-dash.txt",
        lambda: b"\xe2\x80\xaegnp.txt",
        lambda: b"sp ace .txt",
        lambda: b"x" * 250 + b".md",
    ]
    raw = rng.choice(names)()
    return "names", _file(os.fsdecode(raw), _story(rng).encode())


def _special(rng: random.Random) -> tuple[str, Writer]:
    """A directory holding entries that are not plain article files."""
    kind = rng.choice(["fifo", "broken", "dirlink", "empty-dir", "loop", "unsupported", "hidden", "nested"])

    def write(folder: Path) -> Path:
        root = folder / "in"
        root.mkdir()
        if kind == "fifo":
            os.mkfifo(root / "pipe.txt")
        elif kind == "broken":
            (root / "gone.txt").symlink_to(root / "missing.txt")
        elif kind == "dirlink":
            (root / "up").symlink_to(root)
        elif kind == "loop":
            (root / "self.txt").symlink_to(root / "self.txt")
        elif kind == "unsupported":
            (root / "scan.pdf").write_bytes(b"%PDF-1.4")
        elif kind == "hidden":
            (root / ".secret.txt").write_text(_story(rng))
        elif kind == "nested":
            deep = root.joinpath(*["d"] * 30)
            deep.mkdir(parents=True)
            (deep / "a.txt").write_text(_story(rng))
        return root

    return "special", write


def _runs(rng: random.Random) -> tuple[str, Writer]:
    """Text whose words, punctuation runs or sentences are absurdly long."""
    size = rng.choice([2_000, 12_000, 40_000, 100_000])
    texts = [
        lambda: rng.choice(PUNCT) * size,
        lambda: "".join(rng.choice(PUNCT) for _ in range(size)),
        lambda: "a" * size,
        lambda: " ".join(["word"] * (size // 5)),
        lambda: ("x, " * (size // 3)),
        lambda: _story(rng) + " " + "!" * size + " " + _story(rng),
        lambda: "\n".join(rng.choice(PUNCT) * 500 for _ in range(size // 500)),
    ]
    return "runs", _file("r.txt", rng.choice(texts)().encode())


def _large(rng: random.Random) -> tuple[str, Writer]:
    """A long article (150 KB to 900 KB) made of varied sentences, with or without paragraph breaks."""
    target = rng.choice([150_000, 300_000, 600_000, 900_000])
    joiner = rng.choice(["\n\n", " ", "\n"])
    sentences: list[str] = []
    size = 0
    while size < target:
        sentences.append(_story(rng))
        size += len(sentences[-1]) + len(joiner)
    return "large", _file("long.txt", joiner.join(sentences).encode())


def _plain(rng: random.Random) -> tuple[str, Writer]:
    """A small text mixing a story with noise."""
    text = _story(rng) + " " + _noise(rng, rng.randint(0, 200)) if rng.random() < 0.7 else _noise(rng, 100)
    return "plain", _file(rng.choice(["t.txt", "t.md", "t.markdown"]), text.encode("utf-8", "surrogatepass"))


def _file(name: str, data: bytes) -> Writer:
    """A writer of one file."""
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return write


# --- web inputs: a feed or page served by a mock transport ------------------------------------------------------


@dataclass
class WebInput:
    """What the mock site serves for one web input: path -> (status, headers, body)."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    start: str = ""
    feed: bool = True


def _web(rng: random.Random) -> tuple[str, WebInput]:
    """A feed (RSS, Atom, sitemap or junk) listing hostile pages, or one hostile page."""
    site = WebInput()
    html = {"Content-Type": "text/html; charset=utf-8"}
    pages = [
        lambda: (200, html, f"<html><body><article><p>{_story(rng)}</p><p>{_story(rng)}</p></article></body></html>"
                 .encode()),
        lambda: (200, {"Content-Type": "text/plain"}, rng.randbytes(rng.randint(0, 2000))),
        lambda: (200, {"Content-Type": "text/html; charset=bogus"}, _story(rng).encode("utf-16")),
        lambda: (200, {"Content-Type": "image/png"}, b"\x89PNG"),
        lambda: (302, {"Location": "http://127.0.0.1/admin"}, b""),
        lambda: (302, {"Location": "/p0"}, b""),
        lambda: (302, {"Location": "file:///etc/passwd"}, b""),
        lambda: (200, html, b"<p>" + b"x" * 6_000_000 + b"</p>"),
        lambda: (200, {**html, "Content-Length": "99999999999"}, b"<p>short</p>"),
        lambda: (500, html, b""),
        lambda: (200, {**html, "Last-Modified": "Tue, 31 Feb 2022 99:00:00 GMT", "Date": "garbage"},
                 f"<p>{_story(rng)}</p>".encode()),
    ]
    count = rng.randint(1, 3)
    for n in range(count):
        site.routes[f"/p{n}"] = rng.choice(pages)()
    links = "".join(f"<item><title>{_noise(rng, 5)}</title><link>http://news.example/p{n}</link>"
                    f"<pubDate>{rng.choice(['Mon, 07 Mar 2022 10:00:00 GMT', '2021-02-30', _noise(rng, 3)])}</pubDate>"
                    "</item>" for n in range(count))
    feeds = [
        ("application/rss+xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{links}</channel></rss>'),
        ("application/atom+xml", '<feed xmlns="http://www.w3.org/2005/Atom">'
         + "".join(f'<entry><link href="/p{n}"/><updated>2022-13-45</updated></entry>' for n in range(count))
         + "</feed>"),
        ("application/xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + "".join(f"<url><loc>http://news.example/p{n}</loc><lastmod>2021-02-30</lastmod></url>" for n in range(count))
         + "</urlset>"),
        ("application/xml", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
         "<rss><channel><item><title>&lol2;</title><link>http://news.example/p0</link></item></channel></rss>"),
        ("application/rss+xml", "<rss>" * rng.randint(100, 5000) + links),
        ("application/rss+xml", _noise(rng, rng.randint(1, 500))),
        ("text/html", "<html>not a feed</html>"),
    ]
    kind, body = rng.choice(feeds)
    site.feed = rng.random() < 0.7
    if site.feed:
        site.routes["/feed"] = (200, {"Content-Type": kind}, body.encode("utf-8", "surrogatepass"))
        site.start = "http://news.example/feed"
    else:
        site.start = "http://news.example/p0"
    return "web", site


GENERATORS: tuple[tuple[Callable[[random.Random], tuple[str, Any]], int], ...] = (
    (_plain, 12), (_frontmatter, 14), (_sidecar, 10), (_jsonl, 12), (_html, 10), (_bytes, 10), (_names, 6),
    (_special, 6), (_runs, 3), (_web, 10),
)


def generate(count: int, seed: int, large: int) -> Iterator[tuple[str, Any]]:
    """``count`` inputs drawn from the generators by weight, ``large`` of them long articles."""
    rng = random.Random(seed)
    makers = [maker for maker, weight in GENERATORS for _ in range(weight)]
    for n in range(count):
        yield _large(rng) if n < large else rng.choice(makers)(rng)


# --- running ---------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What became of one input."""

    kind: str
    outcome: str
    seconds: float
    peak_mb: float
    size: int
    note: str = ""
    cpu_seconds: float = 0.0

    @property
    def over(self) -> bool:
        """Whether the input cost more CPU time or memory than its bound."""
        return self.cpu_seconds > BASE_SECONDS + SECONDS_PER_KB * self.size / 1000 or self.peak_mb > MEMORY_MB


class WatchdogError(Exception):
    """Raised by the alarm when one input runs past the watchdog."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    """Stop an input that runs far past any bound."""
    raise WatchdogError(f"over {WATCHDOG_SECONDS} s")


def _rss_mb(field_name: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> bool:
    """Reset the kernel's record of this process's peak memory to its current size."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _size(path: Path) -> int:
    """Bytes in a file, or in the files below a directory."""
    if path.is_dir() and not path.is_symlink():
        return sum(p.lstat().st_size for p in path.rglob("*"))
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def _web_fetcher(site: WebInput) -> Fetcher:
    """A fetcher whose requests go to the mock site, behind a resolver that names a public address."""
    def handle(request: httpx.Request) -> httpx.Response:
        status, headers, body = site.routes.get(request.url.path, (404, {"Content-Type": "text/plain"}, b""))
        return httpx.Response(status, headers=headers, content=body)
    client = httpx.Client(transport=httpx.MockTransport(handle), follow_redirects=False)
    return Fetcher(FetchOptions(timeout=20.0), client=client, resolver=lambda host, port: ["93.184.216.34"])


def run_one(kind: str, made: Any, folder: Path, store: Store, pipeline: Pipeline) -> Outcome:
    """Ingest one input and classify what became of it."""
    aids, limits = load_reading_aids(), Limits.from_settings(pipeline.settings)
    fetcher: Fetcher | None = None
    if isinstance(made, WebInput):
        fetcher = _web_fetcher(made)
        where, size = "news.example", sum(len(body) for _, _, body in made.routes.values())
        items: Iterator[Document | InputError] = (read_feeds([made.start], fetcher, aids, limits) if made.feed
                                                  else read_urls([made.start], fetcher, aids, limits))
    else:
        path = made(folder)
        where, size = str(folder), _size(path)
        items = read_paths([path], name_skipped=True, limits=limits, aids=aids)
    measured = _reset_peak()
    before = _rss_mb("VmRSS")
    started, cpu = time.perf_counter(), _cpu()
    signal.alarm(WATCHDOG_SECONDS)
    try:
        report = corpus.ingest_items(items, store, pipeline, merge_after=False)
        outcome = _classify(report, where)
        note = "; ".join(report.errors)[:200]
    except WatchdogError as error:
        outcome, note = "over", str(error)
    except Exception as error:  # counting escapes is the point
        outcome, note = "crashed", "".join(traceback.format_exception_only(error)).strip()[:300]
    finally:
        signal.alarm(0)
        if fetcher is not None:
            fetcher.close()
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak = (_rss_mb("VmHWM") - before) if measured else 0.0
    return Outcome(kind, outcome, seconds, max(0.0, peak), size, note, cpu)


def _cpu() -> float:
    """CPU seconds this process has used (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _classify(report: corpus.IngestReport, where: str) -> str:
    """stored, refused (with a message naming the input: a path below its folder, or its URL) or silent."""
    if report.stored + report.unchanged > 0:
        return "stored"
    return "refused" if any(where in error for error in report.errors) else "silent"


def main() -> None:
    """Generate, run and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--large", type=int, default=8, help="how many of the inputs are long articles")
    parser.add_argument("--workers", type=int, default=1, help="processes, each running every n-th input")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    started = time.perf_counter()
    _Run.pipeline = Pipeline(Settings(processes=1)).warm()
    _Run.args = (args.count, args.seed, args.large, max(1, args.workers))
    if args.workers > 1:
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            shards = pool.map(_shard, range(args.workers))
    else:
        shards = [_shard(0)]
    outcomes = [o for shard, _ in shards for o in shard]
    merged = "; ".join(m for _, m in shards if m)
    _report(outcomes, merged, time.perf_counter() - started, args.json)


class _Run:
    """What every worker of one run shares: the loaded pipeline and the run's arguments (set before forking)."""

    pipeline: Pipeline | None = None
    args: tuple[int, int, int, int] = (0, 0, 0, 1)


def _shard(index: int) -> tuple[list[Outcome], str]:
    """Run every ``workers``-th input, starting at ``index``, into a store of its own; then merge it."""
    count, seed, large, workers = _Run.args
    pipeline = _Run.pipeline
    assert pipeline is not None
    signal.signal(signal.SIGALRM, _alarm)
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(Path(scratch) / "fuzz.db")
        for n, (kind, made) in enumerate(generate(count, seed, large)):
            if n % workers != index:
                continue
            folder = Path(scratch) / f"in{n}"
            folder.mkdir()
            outcomes.append(run_one(kind, made, folder, store, pipeline))
            if len(outcomes) % 1000 == 0:
                print(f"... worker {index}: {len(outcomes)} inputs, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
        merged = _merge(store)
        store.close()
    return outcomes, merged


def _brief(o: Outcome) -> str:
    """One input's class, size, CPU and wall seconds and peak memory."""
    return f"{o.kind} {o.size:,} B {o.cpu_seconds:.1f} CPU s ({o.seconds:.1f} s wall) {o.peak_mb:.0f} MB"


def _merge(store: Store) -> str:
    """Merge everything stored, as an ingest run would at its end; '' when it worked."""
    try:
        corpus.merge(store)
    except Exception as error:  # a crash here is a finding too
        return f"{type(error).__name__}: {error}"
    return ""


def _report(outcomes: list[Outcome], merged: str, seconds: float, as_json: bool) -> None:
    """Print the table by class, the totals and the worst inputs."""
    columns = ("stored", "refused", "crashed", "silent")
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        by_kind[o.kind][o.outcome] += 1
        by_kind[o.kind]["tried"] += 1
        by_kind[o.kind]["over"] += o.over or o.outcome == "over"
    total: Counter[str] = sum(by_kind.values(), Counter())
    worst_time = sorted(outcomes, key=lambda o: o.cpu_seconds, reverse=True)[:5]
    worst_memory = sorted(outcomes, key=lambda o: o.peak_mb, reverse=True)[:5]
    findings = [o for o in outcomes if o.outcome in ("crashed", "silent", "over") or o.over][:20]
    if as_json:
        print(json.dumps({"classes": {k: dict(v) for k, v in sorted(by_kind.items())}, "total": dict(total),
                          "merge_error": merged, "seconds": round(seconds),
                          "worst_time": [vars(o) for o in worst_time], "worst_memory": [vars(o) for o in worst_memory],
                          "findings": [vars(o) for o in findings]}, indent=1))
        return
    header = ("class", "tried", "stored", "refused", "crashed", "silent", "over bound")
    rows = [(k, *(str(c[x]) for x in ("tried", *columns, "over"))) for k, c in sorted(by_kind.items())]
    rows.append(("total", *(str(total[x]) for x in ("tried", *columns, "over"))))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(f"\nmerge after the run: {merged or 'ok'}; {seconds:.0f} s in all")
    print(f"bounds: {BASE_SECONDS:g} CPU s + {SECONDS_PER_KB:g} CPU s per KB of input; peak memory {MEMORY_MB:g} MB "
          "over the resident size before the input")
    print(f"slowest wall time: {max((o.seconds for o in outcomes), default=0):.1f} s")
    print("most CPU time:   " + "; ".join(map(_brief, worst_time)))
    print("most memory:     " + "; ".join(map(_brief, worst_memory)))
    for o in findings:
        print(f"FINDING {o.outcome} {_brief(o)}: {o.note}")
    if findings or merged:
        sys.exit(1)


if __name__ == "__main__":
    main()
