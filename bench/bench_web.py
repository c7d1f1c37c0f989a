"""Load benchmark of the web app: requests/s and p50/p95 latency of each kind of page.

    nice .venv/bin/python -m bench.bench_web [--articles 10000] [--requests 1000] [--clients 10 50] [--pages ...]
                                             [--backends sqlite postgresql]

Pages (issue 11 asked for the lists, search, actor and article pages too):
story HTML/JSON (a random story), stories (the list, one of its first 20 pages),
stories by outlet (filtered by a random outlet), search (a random surname of a
stored actor), actor (an actor drawn in proportion to the articles it is in: the
big ones are the ones a reader meets), article (a random article), articles
and actors (the indexes, one of their first 20 pages).

1. Build a store of `--articles` articles from real news texts (PolNeAR, in
   ../shared/data/polnear): each text is used several times with its
   paragraphs rotated, so every stored article has its own content. Articles
   are stored pre-read (quotes and names found with two regular expressions,
   not spaCy, to keep the build to seconds) and grouped by date into stories
   of `--per-story` articles, with findings, conflicts, brief and timeline
   built from their sentences at real offsets, and entities across articles.
2. Start `storydesk`'s app with uvicorn in a subprocess on 127.0.0.1.
3. For each page (HTML, JSON) and each client count, send a fixed number of
   requests for random stories from that many concurrent clients (threads with
   keep-alive connections of the standard library's http.client) and report requests/s, p50 and p95 latency,
   errors, and the server process's CPU time per request (from /proc: unlike the latencies, it hardly
   moves with what else the machine runs, so it is the number to compare code changes by).

With `--backends sqlite postgresql` the same store is built in each and
measured in turn; PostgreSQL is a throwaway server (tests/pgserver.py, fsync
on, synchronous_commit off), whose CPU is counted with the app's.

The load generator shares the machine with the server, so the numbers are a
floor for what the server alone would do.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.proc import cpu_seconds, tree_cpu
from storydesk.ingest.common import make_article
from storydesk.records import (
    Article,
    BriefSentence,
    Conflict,
    Entity,
    Finding,
    Mention,
    Quote,
    Side,
    Story,
    TimelineEntry,
)
from storydesk.store import SQLiteStore, open_store

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data"
QUOTE = re.compile(r"[\"“]([^\"“”]{20,300})[\"”]")
NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b")
SENTENCE = re.compile(r"[^.!?\n]{40,300}[.!?]")
GOAL_P95_MS = 200.0


def _texts() -> list[tuple[str, str, str, list[str]]]:
    """(outlet, date, title, paragraphs) for every PolNeAR article."""
    meta: dict[str, tuple[str, str, str]] = {}
    for line in (POLNEAR / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        meta[cols[1]] = (cols[4], cols[5], cols[7])
    out = []
    for path in sorted(POLNEAR.glob("*/text/*.txt")):
        outlet, day, title = meta.get(path.stem, (path.stem.split("_")[0], path.stem.split("_")[1], path.stem))
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        if len(paragraphs) >= 3:
            out.append((outlet, day, title, paragraphs))
    return out


def _read(article: Article) -> Article:
    """Quotes and names by regular expression: enough to give records their real size."""
    text = article.text
    names = [m for m in NAME.finditer(text)][:40]
    article.mentions = [
        Mention(
            text=m.group(1),
            start=m.start(1),
            end=m.end(1),
            type="person",
            name=m.group(1),
            entity=_entity_id(m.group(1)),
        )
        for m in names
    ]
    article.quotes = [
        Quote(
            text=m.group(1),
            start=m.start(1),
            end=m.end(1),
            kind="direct",
            cue="said",
            speaker=names[0].group(1) if names else None,
            speaker_entity=_entity_id(names[0].group(1)) if names else None,
        )
        for m in QUOTE.finditer(text)
    ][:20]
    return article


def _entity_id(name: str) -> str:
    return "e-" + re.sub(r"\W+", "-", name.lower())


def build_store(db: Path | str, *, articles: int, per_story: int, seed: int) -> list[str]:
    """Fill a new store at `db`; returns the story ids."""
    rng = random.Random(seed)
    texts = _texts()
    made: list[Article] = []
    seen: set[str] = set()
    variant = 0
    while len(made) < articles:
        for outlet, day, title, paragraphs in texts:
            if len(made) >= articles:
                break
            k = variant % len(paragraphs)
            rotated = paragraphs[k:] + paragraphs[:k] + ([f"(Update {variant}.)"] if variant >= len(paragraphs) else [])
            article = make_article(
                source=f"bench:{outlet}/{day}/{variant}/{title[:40]}",
                paragraphs=rotated,
                title=title,
                outlet=outlet,
                published=day,
                published_source="metadata",
                language="en",
            )
            if article.content_hash in seen:
                continue
            seen.add(article.content_hash)
            made.append(_read(article))
        variant += 1
    made.sort(key=lambda a: (a.published or "", a.id))
    entities: dict[str, Entity] = {}
    for article in made:
        for mention in article.mentions:
            entity = entities.setdefault(
                mention.entity or "",
                Entity(id=mention.entity or "", name=mention.name, type="person", key=mention.name.lower()),
            )
            if not entity.articles or entity.articles[-1] != article.id:
                entity.articles.append(article.id)
    stories = [_story(made[i : i + per_story], rng) for i in range(0, len(made), per_story)]
    with open_store(db) as store, store.transaction():
        for article in made:
            store.articles.add(article)
        store.entities.upsert(entities.values())
        for story in stories:
            store.stories.save(story)
    return [s.id for s in stories]


def _story(members: list[Article], rng: random.Random) -> Story:
    """A story over `members` with findings, conflicts, brief and timeline at real offsets."""
    sentences = [(a, m) for a in members for m in SENTENCE.finditer(a.text)]
    rng.shuffle(sentences)

    def side(pair: tuple[Article, re.Match[str]]) -> Side:
        article, match = pair
        speaker = article.quotes[0].speaker if article.quotes else None
        return Side(
            article=article.id,
            text=match.group(0).strip(),
            outlet=article.outlet,
            start=match.start(),
            end=match.end(),
            speaker=speaker,
        )

    def finding(pairs: list[tuple[Article, re.Match[str]]]) -> Finding:
        return Finding(
            summary=pairs[0][1].group(0).strip(),
            articles=[a.id for a, _ in pairs],
            outlets=list(dict.fromkeys(a.outlet or "" for a, _ in pairs)),
            sides=[side(p) for p in pairs],
        )

    corroborated = [finding(sentences[i : i + 3]) for i in range(0, min(len(sentences), 30), 3)]
    single = [finding([p]) for p in sentences[30:60]]
    conflicts = [
        Conflict(kind="statement", summary="Outlets differ", sides=[side(sentences[i]), side(sentences[i + 1])])
        for i in range(60, min(len(sentences) - 1, 66), 2)
    ]
    days = sorted({a.published or "" for a in members})
    return Story(
        id="s-" + members[0].id[:12],
        title=members[0].title or "story",
        articles=[a.id for a in members],
        outlets=list(dict.fromkeys(a.outlet or "" for a in members)),
        languages=["en"],
        first_published=days[0],
        last_published=days[-1],
        corroborated=corroborated,
        single_source=single,
        conflicts=conflicts,
        brief=[BriefSentence(f.summary, f.articles) for f in corroborated[:8]],
        timeline=[
            TimelineEntry(day, f"Reports on {day}", [a.id for a in members if a.published == day]) for day in days
        ],
    )


@dataclass(slots=True)
class Targets:
    stories: list[str]
    articles: list[str]
    outlets: list[str]
    actors: list[str]  # entity ids
    actor_weights: list[int]  # articles per entity: bigger actors are met more often
    words: list[str]  # surnames of stored actors, for search


def _targets(store: SQLiteStore) -> Targets:
    stories, _ = store.stories.summaries(limit=1_000_000)
    articles, _ = store.articles.summary_page(limit=1_000_000)
    actors, _ = store.entities.summary_page(limit=1_000_000)
    words = sorted({a.name.split()[-1] for a in actors[:2000] if a.name.split()[-1].isalpha()})
    return Targets(
        stories=[s.id for s in stories],
        articles=[a.id for a in articles],
        outlets=store.articles.outlets(),
        actors=[a.id for a in actors],
        actor_weights=[max(1, a.articles) for a in actors],
        words=words,
    )


def _page(n: int) -> str:
    return f"offset={50 * n}" if n else ""


PAGES: dict[str, Callable[[random.Random, Targets], str]] = {
    "story HTML": lambda r, t: f"/stories/{r.choice(t.stories)}",
    "story JSON": lambda r, t: f"/stories/{r.choice(t.stories)}.json",
    "stories": lambda r, t: f"/stories?{_page(r.randrange(20))}",
    "stories by outlet": lambda r, t: f"/stories?outlet={quote(r.choice(t.outlets))}",
    "search": lambda r, t: f"/search?q={quote(r.choice(t.words))}",
    "actor": lambda r, t: f"/actors/{r.choices(t.actors, weights=t.actor_weights)[0]}",
    "article": lambda r, t: f"/articles/{r.choice(t.articles)}",
    "articles": lambda r, t: f"/articles?{_page(r.randrange(20))}",
    "actors": lambda r, t: f"/actors?{_page(r.randrange(20))}",
}


def _load(port: int, paths: list[str], clients: int) -> tuple[float, list[float], int]:
    """Send every path once from `clients` threads, each with one keep-alive connection.

    (wall seconds, latencies, errors). The standard library's client costs the
    shared CPU far less per request than an asyncio httpx client, which at 50
    connections was slower than the server it measured.
    """
    queue = iter(paths)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                break
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - start)
            errors[0] += response.status != 200
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, errors[0]


DB_PIDS: list[int] = []  # the database server's processes, whose CPU counts with the app's (PostgreSQL)


def _db_cpu() -> float:
    return sum(tree_cpu(pid) for pid in DB_PIDS)


def _measure(
    server: subprocess.Popen[bytes], mode: str, label: str, port: int, paths: list[str], clients: int
) -> float:
    """Load the server with `paths` and print one result line; returns its p95 in ms."""
    cpu = cpu_seconds(server.pid) + _db_cpu()
    wall, latencies, errors = _load(port, paths, clients)
    cpu_ms = (cpu_seconds(server.pid) + _db_cpu() - cpu) / len(paths) * 1000
    cuts = statistics.quantiles(latencies, n=100)
    p50, p95 = cuts[49] * 1000, cuts[94] * 1000
    print(
        f"{mode:<7}{label:<20}{clients:>8}{len(latencies):>10}{len(latencies) / wall:>9.1f}{p50:>9.1f}{p95:>9.1f}"
        f"{cpu_ms:>9.2f}{errors:>8}"
    )
    return p95


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(db: Path | str, port: int, *, cache: bool, src: Path | None = None) -> subprocess.Popen[bytes]:
    """The app in a subprocess; `src` runs another checkout's code (a "before" for a before/after)."""
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    code = (
        "import uvicorn; from storydesk.settings import Settings; from storydesk.web.app import create_app; "
        f"settings = Settings(db={str(db)!r}); settings.web.cache_bytes = settings.web.cache_bytes if {cache} else 0; "
        f"uvicorn.run(create_app(settings), host='127.0.0.1', port={port}, log_level='warning')"
    )
    return subprocess.Popen([sys.executable, "-c", code], env=env)


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            if httpx.get(base + "/stories.json?limit=1", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_web", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-story", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1000, help="requests per (page, clients) run")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--db", type=Path, help="reuse (or build) the SQLite store here instead of a temporary one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", nargs="+", choices=["cold", "warm"], default=["cold", "warm"])
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite"])
    parser.add_argument(
        "--server-src", type=Path, help="serve another checkout's src/ (e.g. `git archive` of main) for a before/after"
    )
    args = parser.parse_args(argv)
    if not POLNEAR.exists():
        print(f"skipped: {POLNEAR} is not present")
        return 0
    print(f"load average (1, 5, 15 min) before the run: {os.getloadavg()}")
    worst: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends:
            pg = None
            if backend == "postgresql":
                from tests.pgserver import start_server

                pg = start_server(fsync=True)
                if isinstance(pg, str):
                    print(f"postgresql skipped: {pg}")
                    continue
                db: Path | str = pg.url()
                DB_PIDS[:] = [pg.postmaster_pid()]
            else:
                db = args.db or Path(tmp) / "bench.db"
                DB_PIDS[:] = []
            try:
                worst.update(_bench(db, backend, args))
            finally:
                if pg is not None:
                    pg.stop()
    print(f"load average (1, 5, 15 min) after the run: {os.getloadavg()}")
    for what, p95 in worst.items():
        verdict = "met" if p95 < GOAL_P95_MS else "NOT met"
        print(f"goal p95 < {GOAL_P95_MS:.0f} ms at {max(args.clients)} clients, {what}: {verdict} ({p95:.0f} ms)")
    return 0


def _bench(db: Path | str, backend: str, args: argparse.Namespace) -> dict[str, float]:
    """Build (or reuse) the store at `db` and measure every page on it; the p95 at most clients per page."""
    started = time.perf_counter()
    if isinstance(db, Path) and db.exists():
        print(f"[{backend}] store: {db} (reused)")
    else:
        story_ids = build_store(db, articles=args.articles, per_story=args.per_story, seed=args.seed)
        print(
            f"[{backend}] store: {args.articles} articles, {len(story_ids)} stories built in "
            f"{time.perf_counter() - started:.1f} s"
        )
    with open_store(db) as store:
        print(
            f"stored: {store.articles.count()} articles, {store.entities.count()} entities, {store.stories.count()} stories"
        )
        targets = _targets(store)
    rng = random.Random(args.seed)
    worst: dict[str, float] = {}
    print(
        f"{'cache':<7}{'page':<20}{'clients':>8}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'cpu ms':>9}{'errors':>8}"
    )
    # cold: the page cache is off, every request reads the store and renders;
    # warm: the cache is on and each requested page was viewed once before (the store unchanged since).
    for mode in args.modes:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _start_server(db, port, cache=mode == "warm", src=args.server_src)
        try:
            _wait_ready(base, server)
            if mode == "warm":  # the harness's own floor here: a static file, no store, no rendering
                for clients in args.clients:
                    _measure(server, "static", "style.css", port, ["/static/style.css"] * args.requests, clients)
            for label in args.pages:
                pick = PAGES[label]
                _load(port, [pick(rng, targets) for _ in range(50)], 10)
                for clients in args.clients:
                    paths = [pick(rng, targets) for _ in range(args.requests)]
                    if mode == "warm":
                        _load(port, sorted(set(paths)), 10)
                    p95 = _measure(server, mode, label, port, paths, clients)
                    if clients == max(args.clients):
                        worst[f"{backend} {mode} {label}"] = p95
        finally:
            server.terminate()
            server.wait(timeout=30)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
