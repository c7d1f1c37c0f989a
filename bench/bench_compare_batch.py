"""Time one batch's compare on a store kept by bench_link_scale (`--keep DIR`), to set two versions of the
code side by side on the same input (issue 13, round 10).

`bench.bench_link_scale --warm --keep DIR` saves, at each size, the store just before its timed compare:
the batch linked, every earlier event's compare state (compare/memo.py) as its last batch left it. This
compares the batch's events once, as an ingest does, on a copy of that store, and prints CPU seconds and
ms per new article. New statement texts are embedded by the encoder, whose time is left out (as in
bench_link_scale: it is the same per article whatever the store holds). Run it with each version of the
code (e.g. a `git archive` of main's src/ first on PYTHONPATH), one after the other:

    nice .venv/bin/python -m bench.bench_link_scale --sizes 1000 10000 --new 500 --texts 300 --embed 20 \\
        --warm --no-full --keep /tmp/kept
    nice .venv/bin/python -m bench.bench_compare_batch /tmp/kept/1000.db /tmp/kept/10000.db
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
    parser.add_argument("stores", type=Path, nargs="+", help="SIZE.db files kept by bench_link_scale --keep")
    parser.add_argument("--profile", action="store_true", help="print where compare spends its time (stderr)")
    parser.add_argument("--dump", type=Path, default=None, help="write the compared events' reports (JSON), to diff")
    args = parser.parse_args(argv)
    from storydesk import compare
    from storydesk.link import features as feats_mod
    from storydesk.settings import CompareSettings
    from storydesk.store import open_store

    encoder = {"texts": 0, "seconds": 0.0}
    embed = feats_mod.embed

    def timed_embed(texts: list[str]):  # type: ignore[no-untyped-def]
        started = time.process_time()
        out = embed(texts)
        encoder["seconds"] += time.process_time() - started
        encoder["texts"] += len(texts)
        return out

    feats_mod.embed = timed_embed
    embed(["load the encoder"])  # its loading is not compare's
    print(
        "| store | events compared | their members (largest) | compare: CPU s | ms per new article "
        "| statement texts embedded | peak RSS MB | compare state bytes (before / after) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kept in args.stores:
        batch = json.loads(kept.with_suffix(".json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / kept.name
            shutil.copyfile(kept, copy)
            store = open_store(copy)
            before = (encoder["texts"], encoder["seconds"])
            state_before = _state_bytes(store, batch["changed"])
            members = [len(story.articles) for story in store.stories.get_many(batch["changed"])]
            profiler = cProfile.Profile() if args.profile else None
            started = time.process_time()
            if profiler:
                profiler.enable()
            compare.compare_stories(store, batch["changed"], CompareSettings())
            if profiler:
                profiler.disable()
            seconds = time.process_time() - started - (encoder["seconds"] - before[1])
            if args.dump:
                reports = {s.id: s.to_dict() for s in store.stories.get_many(batch["changed"])}
                args.dump.with_suffix(f".{kept.stem}.json").write_text(json.dumps(reports, indent=1, sort_keys=True))
            state_after = _state_bytes(store, batch["changed"])
            store.close()
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {kept.name} | {len(batch['changed']):,} | {sum(members):,} ({max(members, default=0):,}) | {seconds:.1f} | {seconds * 1000 / batch['new']:.1f} "
            f"| {encoder['texts'] - before[0]:,} | {peak:.0f} | {state_before:,} / {state_after:,} |",
            flush=True,
        )
    return 0


def _state_bytes(store, story_ids: list[str]) -> int:  # type: ignore[no-untyped-def]
    """The stored compare states of these events, in bytes as stored (zlib'd JSON, compare/memo.py)."""
    return sum(len(store.stories.compare_state(story_id) or b"") for story_id in story_ids)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
