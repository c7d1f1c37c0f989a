"""Ingest throughput: JSONL and WARC into a SQLite store, without reading.

What is timed is the ingest+store path of `pipeline.ingest` with stage 4
(reading, spaCy: benchmarked in bench_read.py) and stages 6-7 (linking and
comparing) left out, since those are the next stages' costs:

  1. parse the source (jsonl.read_jsonl_file / warc.read_warc, which runs trafilatura)
  2. language detection (py3langid)
  3. exact-duplicate check (content hash) and near-duplicate lookup (MinHash LSH)
  5. store: the article, its full-text row and its LSH bands in one transaction

into a fresh file-backed store (WAL) in a temporary directory.

Inputs are built from real texts in ../shared/data (never copied into the repo):
  - JSONL: `--jsonl` records, each six paragraphs drawn (seeded) from the PolNeAR
    articles, with a distinct id, outlet, title and date; `--copies` of them are
    exact copies and as many again lightly edited copies (last paragraph cut), so
    both duplicate paths are exercised;
  - WARC: one gzipped WARC written here with warcio from the HTML pages in
    newspaper4k_fixtures/html and article_extraction_benchmark/html.

Usage: python -m bench.bench_ingest [--jsonl 10000] [--copies 0.05] [--warc-repeat 1] [--group 100]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path

from bench.proc import tree_cpu

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
POLNEAR = DATA / "polnear" / "data"
N4K_HTML = DATA / "newspaper4k_fixtures" / "html"
AEB_HTML = DATA / "article_extraction_benchmark" / "html"


def _paragraphs() -> list[tuple[str, str]]:
    """(outlet, paragraph) for every paragraph of every PolNeAR article."""
    out = []
    for path in sorted(POLNEAR.glob("*/text/*.txt")):
        outlet = path.name.split("_", 1)[0]
        for para in path.read_text(encoding="utf-8").split("\n"):
            if len(para.split()) >= 8:
                out.append((outlet, para.strip()))
    return out


def jsonl_records(n: int, copies: float, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    pool = _paragraphs()
    originals = int(n * (1 - 2 * copies))
    records = []
    for i in range(originals):
        paras = [p for _, p in rng.sample(pool, 6)]
        outlet = pool[rng.randrange(len(pool))][0]
        records.append(
            {
                "id": f"bench-{i}",
                "url": f"https://{outlet}.example/{2016 + i % 3}/{i}",
                "outlet": outlet,
                "title": " ".join(paras[0].split()[:10]),
                "published": f"{2016 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "text": "\n\n".join(paras),
            }
        )
    extra = []
    for j in range(n - originals):
        src = records[rng.randrange(originals)]
        if j % 2:  # an exact copy under another URL
            extra.append({**src, "id": f"copy-{j}", "url": src["url"] + "?copy"})
        else:  # a syndicated copy, cut short
            text = "\n\n".join(src["text"].split("\n\n")[:-1])
            extra.append({**src, "id": f"edit-{j}", "url": src["url"] + "-syndicated", "text": text})
    records += extra
    rng.shuffle(records)
    return records


def warc_pages() -> list[tuple[str, bytes]]:
    pages = [(f"https://n4k.example/{p.stem}", p.read_bytes()) for p in sorted(N4K_HTML.glob("*.html"))]
    pages += [
        (f"https://aeb.example/{p.name[:16]}", gzip.decompress(p.read_bytes()))
        for p in sorted(AEB_HTML.glob("*.html.gz"))
    ]
    return pages


def write_warc(path: Path, pages: list[tuple[str, bytes]], repeat: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for r in range(repeat):
            for uri, body in pages:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    f"{uri}?r={r}" if r else uri,
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
                writer.write_record(record)


def run(items: Iterable, db: Path | str, *, group: int = 1, server_pids: list[int] | None = None) -> dict[str, float]:  # type: ignore[type-arg]
    """Stages 1, 2, 3 and 5 of pipeline.ingest over `items`; seconds per stage and outcomes.

    `server_pids`: a database server's processes (PostgreSQL), whose CPU time is reported too.

    `group` > 1 commits that many articles per transaction instead of one (the
    pipeline's choice); each article is still whole or absent after a crash.
    """
    from storydesk.errors import InputError
    from storydesk.ingest import dedup
    from storydesk.ingest.language import with_language
    from storydesk.settings import IngestSettings
    from storydesk.store import open_store

    settings = IngestSettings()
    spent: defaultdict[str, float] = defaultdict(float)
    outcome: Counter[str] = Counter()
    store = open_store(db)
    # Stages are timed in CPU seconds: on a shared machine, wall time per stage mostly measures the neighbours.
    clock = time.process_time
    it: Iterator = iter(items)  # type: ignore[type-arg]
    started, cpu_started = time.perf_counter(), clock()
    server_started = _server_cpu(server_pids)
    outer = None
    done = 0
    while True:
        if group > 1 and done % group == 0:
            if outer is not None:
                outer.__exit__(None, None, None)
            outer = store.transaction()
            outer.__enter__()
        done += 1
        t = clock()
        item = next(it, None)
        spent["parse"] += clock() - t
        if item is None:
            break
        if isinstance(item, InputError):
            outcome["failed"] += 1
            continue
        t = clock()
        article = with_language(item)
        spent["language"] += clock() - t
        t = clock()
        if store.articles.id_for_hash(article.content_hash) is not None:
            store.articles.add(article)
            outcome["duplicate"] += 1
            spent["dedup"] += clock() - t
            continue
        with store.transaction():
            dedup.mark_near_duplicate(article, store, settings)
            t2 = clock()
            spent["dedup"] += t2 - t
            store.articles.add(article)
            dedup.index_article(article, store, settings)
        spent["store"] += clock() - t2
        outcome["near_duplicate" if article.duplicate_of else "new"] += 1
    if outer is not None:
        outer.__exit__(None, None, None)
    total, cpu = time.perf_counter() - started, clock() - cpu_started
    store.close()
    server = _server_cpu(server_pids) - server_started
    return {
        "seconds": total,
        "cpu_seconds": cpu,
        "server_cpu_seconds": server,
        **{f"s_{k}": v for k, v in spent.items()},
        **outcome,
    }


def _server_cpu(pids: list[int] | None) -> float:
    """CPU seconds of the database server (the postmaster, its backends, those it has reaped)."""
    return sum(tree_cpu(pid) for pid in pids or [])


def _report(name: str, result: dict[str, float]) -> None:
    n = sum(result.get(k, 0) for k in ("new", "duplicate", "near_duplicate"))
    stages = "CPU s per stage: " + ", ".join(
        f"{k[2:]} {result[k]:.1f}" for k in ("s_parse", "s_language", "s_dedup", "s_store") if k in result
    )
    server = result.get("server_cpu_seconds", 0.0)
    print(
        f"{name}: {n} articles stored or matched in {result['seconds']:.1f} s = {n / result['seconds']:,.0f} articles/s "
        f"(CPU time {result['cpu_seconds']:.1f} s = {n / result['cpu_seconds']:,.0f} articles/s"
        + (
            f"; database server CPU {server:.1f} s, together {n / (result['cpu_seconds'] + server):,.0f} articles/s"
            if server
            else ""
        )
        + ") "
        f"(new {result.get('new', 0)}, duplicate {result.get('duplicate', 0)}, "
        f"near-duplicate {result.get('near_duplicate', 0)}, failed {result.get('failed', 0)}); {stages}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsonl", type=int, default=10_000, help="JSONL records")
    parser.add_argument("--copies", type=float, default=0.05, help="share of exact copies (and again of edited copies)")
    parser.add_argument(
        "--warc-repeat", type=int, default=1, help="times each HTML page goes into the WARC (0: no WARC run)"
    )
    parser.add_argument("--group", type=int, default=100, help="also run JSONL with this many articles per transaction")
    parser.add_argument(
        "--backends",
        nargs="+",
        choices=["sqlite", "postgresql"],
        default=["sqlite"],
        help="stores the JSONL runs go into (postgresql: a throwaway server, tests/pgserver.py)",
    )
    args = parser.parse_args(argv)
    if not POLNEAR.exists():
        print(f"skipped: {POLNEAR} is not present")
        return 0
    from storydesk.ingest.jsonl import read_jsonl_file
    from storydesk.ingest.warc import read_warc
    from storydesk.settings import IngestSettings

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl = folder / "bench.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            for record in jsonl_records(args.jsonl, args.copies):
                out.write(json.dumps(record) + "\n")
        print(f"JSONL input: {jsonl.stat().st_size / 1e6:.1f} MB")
        for backend in args.backends:
            pg, pids = None, None
            if backend == "postgresql":
                from tests.pgserver import start_server

                pg = start_server(fsync=True)
                if isinstance(pg, str):
                    print(f"postgresql skipped: {pg}")
                    continue
                pids = [pg.postmaster_pid()]
            try:
                for group in (1, args.group) if args.group > 1 else (1,):
                    db: Path | str = pg.url(schema=pg.fresh_schema()) if pg else folder / f"jsonl-{group}.db"
                    result = run(read_jsonl_file(jsonl, settings=IngestSettings()), db, group=group, server_pids=pids)
                    how = "one transaction per article" if group == 1 else f"{group} articles per transaction"
                    _report(f"[{backend}] JSONL ({args.jsonl:,} records, {how})", result)
            finally:
                if pg is not None:
                    pg.stop()

        if args.warc_repeat < 1:
            return 0
        pages = warc_pages()
        warc = folder / "bench.warc.gz"
        write_warc(warc, pages, args.warc_repeat)
        print(f"WARC input: {len(pages) * args.warc_repeat} HTML responses, {warc.stat().st_size / 1e6:.1f} MB gzipped")
        result = run(read_warc(warc, settings=IngestSettings()), folder / "warc.db")
        _report("WARC (HTML through trafilatura)", result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
