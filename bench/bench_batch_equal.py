"""`storydesk ingest` == `storydesk batch` on all 201 articles of news_stories_2025 (issue 12).

tests/test_batch.py checks the equality of all three engines on 50 of these
articles, and of ingest and the local engine on all of them, in every `make test`;
this runs the check over all of them (plus the bundled examples, the seeds, an
exact copy and a broken line) with timings, and with `--spark` for Spark too:
ingest, then `batch --engine local` with two reading processes, then (with
`--spark`) `batch --engine spark --master local[2]`, each into a fresh
temporary folder, and compares everything a user sees of the stores
(tests.test_batch.dump). Prints the seconds of each run and the differences
(none when the engines agree); exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_batch_equal", description=__doc__.split("\n")[0])
    parser.add_argument("--spark", action="store_true", help="also run the Spark engine (master local[2])")
    args = parser.parse_args(argv)
    from tests.test_batch import differences, dump, ingest_dump, news_corpus, same_vectors, vectors_of

    from storydesk.batch import run_batch
    from storydesk.settings import Settings
    from storydesk.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = news_corpus(folder, None)
        if inputs is None:
            print("skipped: ../shared/data/news_stories_2025 is not present")
            return 0
        start = time.perf_counter()
        expected, summary, vectors = ingest_dump(inputs, folder / "ingest.db")
        print(
            f"ingest: {len(summary.new)} new, {len(summary.near_duplicate)} near-duplicates, "
            f"{len(expected['stories'])} events, {len(expected['storylines'])} storylines "
            f"in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        engines = ["local", "spark"] if args.spark else ["local"]
        session = None
        if args.spark:
            from storydesk.batch.engines import spark_session

            session = spark_session("local[2]", Settings())
        failed = False
        for engine in engines:
            settings = Settings()
            settings.read.processes = 2
            settings.batch.min_tasks = 6
            start = time.perf_counter()
            run_batch(inputs, folder / engine, settings, engine=engine, spark=session)
            seconds = time.perf_counter() - start
            with open_store(folder / engine / "_work" / "store.db") as store:
                found = differences(expected, dump(store))
                if not same_vectors(vectors, vectors_of(store)):
                    found.append("statement vectors differ")
            print(f"{engine}: {seconds:.1f} s, differences from ingest: {found or 'none'}", flush=True)
            failed = failed or bool(found)
        if session is not None:
            session.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
