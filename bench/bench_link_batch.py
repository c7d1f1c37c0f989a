"""Time one batch's linking on a store kept by bench_link_scale (`--keep DIR`), to set two versions of the
code side by side on the same input (issue 13, round 14).

`bench.bench_link_scale --keep DIR` saves, at each size, DIR/SIZE.unlinked.db: the base linked, the next
`--new` articles of the stream stored with their features but not yet linked. This links them
(`link.link_new`, what an ingest does after reading) on a copy of that store and prints CPU seconds and ms
per new article; `--profile` prints where the time goes, `--dump` writes the whole store afterwards as
`storydesk export --format json` does (without `ingested_at`), to diff two versions' decisions. Run it with
each version of the code (e.g. a `git archive` of main's src/ first on PYTHONPATH), one after the other:

    nice .venv/bin/python -m bench.bench_link_scale --sizes 1000 10000 --new 500 --texts 1200 --embed 20 \\
        --no-full --stream bounded --keep /tmp/kept
    nice .venv/bin/python -m bench.bench_link_batch /tmp/kept/1000.unlinked.db /tmp/kept/10000.unlinked.db
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stores", type=Path, nargs="+", help="SIZE.unlinked.db files kept by bench_link_scale --keep")
    parser.add_argument("--profile", action="store_true", help="print where linking spends its time (stderr)")
    parser.add_argument("--dump", type=Path, default=None, help="write the store after linking (JSON), to diff")
    args = parser.parse_args(argv)
    from storydesk import link
    from storydesk.export.report import build_report
    from storydesk.read.places import load_gazetteer
    from storydesk.settings import LinkSettings
    from storydesk.store import open_store

    load_gazetteer()  # built once per process (reading has built it in an ingest's): not linking's cost
    print("| store | new articles | link: CPU s | ms per new article | events changed | events | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for kept in args.stores:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / kept.name
            shutil.copyfile(kept, copy)
            store = open_store(copy)
            new = len(store.articles.unlinked_ids())
            profiler = cProfile.Profile() if args.profile else None
            started = time.process_time()
            if profiler:
                profiler.enable()
            changed = link.link_new(store, LinkSettings())
            if profiler:
                profiler.disable()
            seconds = time.process_time() - started
            if args.dump:
                report = build_report(store)
                for article in report["articles"]:
                    article.pop("ingested_at", None)
                out = args.dump.with_suffix(f".{kept.name.split('.')[0]}.json")
                out.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
            events = store.stories.count()
            store.close()
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {kept.name} | {new:,} | {seconds:.2f} | {seconds * 1000 / max(new, 1):.1f} | {len(changed):,} "
            f"| {events:,} | {peak:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
