"""`storydesk ingest` vs `storydesk batch --engine local` vs `--engine spark` on the same real articles.

Input: 2,000 real articles by default: the 1,008 PolNeAR articles
(../shared/data/polnear, with their publisher, date and title) and AllSides
roundup articles (../shared/data/allsides_roundups_neus) up to the count, as
one JSONL file (nothing is copied into the repository). Each engine runs the
whole job (read, link, compare; batch also writes Parquet) into a fresh temporary
folder, one after the other in this process, so their ratios come from one run.

Measured per engine: wall seconds, articles/s, the ratio to ingest, and the
CPU seconds of this process and of every process it started (Spark's JVM and
Python workers, read from /proc before the session stops), per article.
Spark's fixed cost is measured apart: the session's start, then a first job
over two small files (workers start and load the spaCy and e5 models once).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.proc import TreeCpu, tree_cpu

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
POLNEAR = DATA / "polnear" / "data"
ALLSIDES = DATA / "allsides_roundups_neus" / "headline_11_2021-10-19_crawled_all.jsonl"


def real_articles(n: int) -> list[dict[str, str]]:
    """PolNeAR articles, then AllSides roundup articles, up to `n` (JSONL records)."""
    meta = {}
    for line in (POLNEAR / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        meta[cols[1]] = cols
    records: list[dict[str, str]] = []
    for path in sorted(POLNEAR.glob("*/text/*.txt")):
        cols = meta.get(path.stem)
        records.append(
            {
                "id": f"polnear-{path.stem}",
                "outlet": cols[4] if cols else path.stem.split("_", 1)[0],
                "published": cols[5] if cols else "",
                "title": cols[7] if cols else "",
                "text": path.read_text(encoding="utf-8"),
            }
        )
    for line in ALLSIDES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for side, news in sorted(row["news"].items()):
            body = [p for p in news.get("newBody") or [] if p.strip()]
            if body:
                records.append(
                    {
                        "id": f"allsides-{row['id']}-{side}",
                        "url": news.get("newsLink") or "",
                        "outlet": news.get("newsSource") or "",
                        "published": row["date"][:10],
                        "title": news.get("newsTitle") or "",
                        "text": "\n\n".join(body),
                    }
                )
    return [{k: v for k, v in r.items() if v} for r in records[:n]]


_CPU: TreeCpu | None = None


def _cpu() -> float:
    """CPU seconds of this process and of every process it started (Spark's JVM and Python workers).

    Sampled (bench/proc.py TreeCpu): PySpark's daemon lets the kernel drop its ended
    workers' times, which `tree_cpu` alone would miss.
    """
    global _CPU
    if _CPU is None:
        _CPU = TreeCpu(os.getpid())
    return _CPU.total()


def _time_loads(out: Path, backends: list[str]) -> None:
    """`storydesk load` of a batch output into each store: articles/s, with the database server's CPU."""
    from tests.pgserver import start_server

    from storydesk.batch.load import load
    from storydesk.settings import Settings
    from storydesk.store import open_store

    for backend in backends:
        server = None
        db: Path | str = out.parent / "loaded.db"
        if backend == "postgresql":
            server = start_server(fsync=True)
            if isinstance(server, str):
                print(f"load into postgresql skipped: {server}")
                continue
            db = server.url()
        try:
            cpu0, server0, wall0 = (
                tree_cpu(os.getpid()),
                tree_cpu(server.postmaster_pid()) if server else 0.0,
                time.perf_counter(),
            )
            with open_store(db) as store:
                summary = load(out, store, Settings())
            wall = time.perf_counter() - wall0
            cpu = tree_cpu(os.getpid()) - cpu0
            server_cpu = (tree_cpu(server.postmaster_pid()) - server0) if server else 0.0
            print(
                f"load into {backend}: {summary.articles} articles in {wall:.1f} s = {summary.articles / wall:.0f} articles/s "
                f"(CPU {cpu:.1f} s here, {server_cpu:.1f} s in the database server)"
            )
        finally:
            if server is not None:
                server.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_batch", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--engines", nargs="+", default=["ingest", "local", "spark"])
    parser.add_argument(
        "--load",
        nargs="*",
        choices=["sqlite", "postgresql"],
        default=[],
        help="then time `storydesk load` of the last batch output into these stores",
    )
    args = parser.parse_args(argv)
    if not POLNEAR.exists() or not ALLSIDES.exists():
        print("skipped: ../shared/data/polnear or allsides_roundups_neus is not present")
        return 0
    from storydesk import pipeline
    from storydesk.batch import run_batch
    from storydesk.settings import Settings
    from storydesk.store import open_store

    records = real_articles(args.articles)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "articles.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        print(f"input: {len(records)} articles, {data.stat().st_size / 1e6:.1f} MB JSONL")
        session = None
        if "spark" in args.engines:
            from storydesk.batch.engines import spark_session

            start = time.perf_counter()
            session = spark_session(args.master, Settings())
            started = time.perf_counter() - start
            small = [str(ROOT / "examples" / "northern_wire.txt"), str(ROOT / "examples" / "valdoria_herald.txt")]
            start = time.perf_counter()
            run_batch(small, folder / "warmup", Settings(), engine="spark", spark=session)
            first = time.perf_counter() - start
            print(f"spark fixed cost: session start {started:.1f} s, first job over 2 files {first:.1f} s")
        for engine in args.engines:
            cpu0, wall0 = _cpu(), time.perf_counter()
            if engine == "ingest":
                db = folder / "ingest.db"
                with open_store(db) as store:
                    summary = pipeline.ingest([str(data)], store, Settings(db=db))
                stored = len(summary.new) + len(summary.near_duplicate)
            else:
                result = run_batch(
                    [str(data)], folder / engine, Settings(), engine=engine, master=args.master, spark=session
                )
                stored = result.new + result.near_duplicate
                print(f"  {engine} steps (s): {result.seconds}")
            wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
            rows.append((engine, stored, wall, cpu))
            print(f"  {engine}: {stored} articles in {wall:.1f} s, CPU {cpu:.1f} s", flush=True)
        if session is not None:
            session.stop()
        if args.load:
            out = folder / [e for e in args.engines if e != "ingest"][-1]
            _time_loads(out, args.load)
    base = rows[0][2]
    print(f"{'engine':<8}{'articles':>9}{'wall s':>9}{'art/s':>8}{'ratio':>7}{'CPU s':>8}{'CPU s/art':>10}")
    for engine, stored, wall, cpu in rows:
        print(
            f"{engine:<8}{stored:>9}{wall:>9.1f}{stored / wall:>8.2f}{base / wall:>7.2f}{cpu:>8.1f}{cpu / stored:>10.3f}"
        )
    print(f"load average (1, 5, 15 min) after the run: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
