"""Time and memory of linking (and comparing) 1,000 new articles into a store that already holds N articles.

Texts: real AllSides articles (../shared/data/allsides_roundups_neus), read
once by storydesk's reader. Stores are built by repeating them with shifted
dates at a constant density (`--per-day` articles a day, as a real feed
would arrive), inserted directly through the store as pre-read articles
with their features (embedding, terms) precomputed once per distinct text,
then linked. The base stores grow in place: 1,000, then 10,000, then ...

Most real articles carry no publication date (154 of 201 in
news_stories_2025): `--undated` (default 0.75) is the share of the stream's
articles stored without one, which the linker compares with the events that
took articles recently (by arrival) instead of those near their day.

What is timed: `link.link_new` over 1,000 new articles (the next days of the
stream) on top of each base, with their embeddings already in the store, so
the number shows how the store-dependent cost grows (entity lookups, story
candidates, writes). The embedding itself costs the same for every article
whatever the store holds; it is timed separately, once, over `--embed`
articles. Times are CPU seconds of this process (the machine is shared). Then every event the batch changed is compared once (`compare.compare_stories`,
what an ingest does after linking), timed apart; the stream repeats its texts, so each
distinct statement text is embedded once for the run and its encoder time left out (the
count of new texts is printed). Memory: the process's peak resident set size after each step.

`--warm`: the base's events are compared (untimed) before the timed batch, as ingesting every earlier
batch would have, so the batch's compare finds each event's state (compare/memo.py) and aligns only the
new members' pairs (or aligns afresh an event grown by `full_recompare_growth`, counted); the same events
are then compared again in full, timed, for reference.

    nice .venv/bin/python -m bench.bench_link_scale                      # 1k, 10k, 30k
    nice .venv/bin/python -m bench.bench_link_scale --sizes 1000 10000 100000
    nice .venv/bin/python -m bench.bench_link_scale --sizes 1000 10000 --new 500 --texts 300 --embed 20 --warm

`--stream bounded` (issue 13, round 13): the default stream (`repeat`) cycles through its texts one after
the other, so a text comes back every `--texts` articles, always inside linking's windows for events (3 days,
the last 2,000 articles: LinkSettings.story_window_days, event_recent_articles), and the copies of a text join
one event for ever (2,054 articles in one event at 35,600 linked, round 12). Real coverage of a story lasts days,
then moves on. The bounded stream keeps `--active` texts in the news at a time, each copied `--copies` times
over its life (spread over `--copies` x `--active` articles, interleaved with the others), after which its slot
takes the next text; a text comes back only after `--copies` x `--texts` articles. Consecutive texts are one
AllSides roundup's sides (left, centre, right: one story by several outlets), which are in the news together,
and the file runs back in time roundup by roundup (1,200 texts: about five months of 2021). With the defaults an
event of one roundup holds about 3 x 10 = 30 articles over 3 days at 100 a day: the size of news_stories_2025's
largest events (tens of articles); events that linking merges (roundups of one topic in the news together)
hold more. The return must lie well beyond linking's event windows (3 days, the last 2,000 articles:
LinkSettings.story_window_days, event_recent_articles): with `--texts 300` (back after 3,000 articles) the
roundups of one topic (boosters, the debt ceiling) kept an event open from one return to the next, which grew
to 352 articles at 10,000 stored; round 13 uses `--texts 1200` (back after 12,000).

    nice .venv/bin/python -m bench.bench_link_scale --sizes 1000 10000 100000 --new 500 --texts 1200 --embed 20 \
        --warm --no-full --stream bounded --keep /tmp/kept

`--keep DIR` saves, at each size, a copy of the store just before the timed compare (linked, each event's
state as its last batch left it) and the ids of the events to compare (DIR/SIZE.db, DIR/SIZE.json), so that
bench/bench_compare_batch.py can time that one compare with two versions of the code on the same input;
and DIR/SIZE.unlinked.db, the store just before the timed link (the batch stored, not yet linked), for
bench/bench_link_batch.py (issue 13, round 14).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "allsides_roundups_neus" / "headline_11_2021-10-19_crawled_all.jsonl"
START = date(2020, 1, 1)


def real_articles(limit: int):  # type: ignore[no-untyped-def]
    """The first `limit` AllSides articles, read by storydesk's reader."""
    from storydesk.read import read_articles
    from storydesk.records import Article
    from storydesk.settings import Settings

    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for side, news in sorted(row["news"].items()):
            body = [p for p in news.get("newBody") or [] if p.strip()]
            if body:
                out.append(
                    Article(
                        id=f"{row['id']}-{side}",
                        source=news.get("newsLink") or f"{row['id']}-{side}",
                        text="\n\n".join(body),
                        paragraphs=body,
                        title=news.get("newsTitle"),
                        outlet=news.get("newsSource"),
                        language="en",
                    )
                )
        if len(out) >= limit:
            break
    out = out[:limit]
    read_articles(out, Settings().read)
    return out


@dataclass(frozen=True)
class Stream:
    """Which real text article number n of the stream copies, on which day (or undated)."""

    per_day: int = 100
    undated: float = 0.0
    bounded: bool = False
    active: int = 30  # bounded: texts in the news at a time
    copies: int = 10  # bounded: copies of a text over its life

    def text(self, n: int, texts: int) -> int:
        if not self.bounded:
            return n % texts
        # Slot n % active carries one text for `copies` rounds of `active` articles, then the next; the
        # slots' changes are staggered over a text's life so that the news turns over steadily.
        slot, turn = n % self.active, n // self.active
        life = (turn + slot * self.copies // self.active) // self.copies
        return (life * self.active + slot) % texts


def synthetic(base, n: int, stream: Stream):  # type: ignore[no-untyped-def]
    """Article number `n` of the stream: a copy of a real one, on day n // per_day (or undated: the
    share `undated` of the stream, spread evenly)."""
    from storydesk.records import Article

    per_day, undated = stream.per_day, stream.undated
    src = base[stream.text(n, len(base))]
    data = src.to_dict()
    data["id"] = hashlib.sha1(f"bench-{n}".encode()).hexdigest()[:16]
    data["source"] = f"{src.source}#{n}"
    dated = int(n * (1 - undated)) != int((n + 1) * (1 - undated))
    data["published"] = (START + timedelta(days=n // per_day)).isoformat() if dated else None
    data["content_hash"] = hashlib.sha256(f"{n}:{src.text}".encode()).hexdigest()
    return Article.from_dict(data)


def add_articles(store, base, features, start: int, stop: int, stream: Stream) -> None:  # type: ignore[no-untyped-def]
    with store.transaction():
        for n in range(start, stop):
            article = synthetic(base, n, stream)
            store.articles.add(article)
            vector, data = features[stream.text(n, len(base))]
            if article.published:  # the copy's own day (the features were computed on the undated original)
                data = json.dumps({**json.loads(data), "day": article.published})
            store.stories.save_article_features(article.id, vector, data)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--new", type=int, default=1000, help="articles linked and timed at each size")
    parser.add_argument("--texts", type=int, default=600, help="distinct real texts repeated")
    parser.add_argument("--per-day", type=int, default=100, help="articles per day in the stream")
    parser.add_argument("--embed", type=int, default=100, help="articles whose embedding is timed")
    parser.add_argument("--undated", type=float, default=0.75, help="share of articles without a publication date")
    parser.add_argument(
        "--stream",
        choices=["repeat", "bounded"],
        default="repeat",
        help="repeat: the texts one after the other for ever; bounded: each text in the news for a while (see above)",
    )
    parser.add_argument("--active", type=int, default=30, help="bounded: texts in the news at a time")
    parser.add_argument("--copies", type=int, default=10, help="bounded: copies of a text over its life")
    parser.add_argument("--profile", action="store_true", help="print where the timed linking spends its time (stderr)")
    parser.add_argument("--db", type=Path, default=None, help="store file (default: a temporary one)")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="compare the base's events before the timed batch (untimed), as an ingest of every earlier batch "
        "would have; then also time a full compare of the batch's events, for reference (compare/memo.py)",
    )
    parser.add_argument("--keep", type=Path, default=None, help="save each size's store before its timed compare")
    parser.add_argument("--no-full", action="store_true", help="with --warm: skip the full compare for reference")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is not present")
        return 0
    import numpy as np

    from storydesk import compare, link
    from storydesk.link import features as feats_mod
    from storydesk.link.stories import articles_features
    from storydesk.settings import CompareSettings, LinkSettings
    from storydesk.store import open_store

    settings = LinkSettings()
    compare_settings = CompareSettings()
    # The stream repeats its texts: each distinct statement is embedded once for the whole run
    # (counted apart), so the compare column shows what grows with the store, as for linking.
    encoder = {"texts": 0, "seconds": 0.0}
    memo: dict[str, np.ndarray] = {}
    embed = feats_mod.embed

    def embed_once(texts: list[str]):  # type: ignore[no-untyped-def]
        new = [x for x in dict.fromkeys(texts) if x not in memo]
        if new:
            started = time.process_time()
            memo.update(zip(new, embed(new), strict=True))
            encoder["seconds"] += time.process_time() - started
            encoder["texts"] += len(new)
        return np.stack([memo[x] for x in texts]) if texts else embed([])

    t = time.perf_counter()
    base = real_articles(args.texts)
    print(f"read {len(base)} real texts in {time.perf_counter() - t:.1f} s", flush=True)
    tmp = tempfile.TemporaryDirectory()
    store = open_store(args.db or Path(tmp.name) / "bench.db")
    # Features once per distinct text (what reading workers store at ingest); the embedding
    # time is the per-article constant.
    articles_features(base[:1], settings)  # loads the model
    t = time.perf_counter()
    articles_features(base[: args.embed], settings)
    embed_s = (time.perf_counter() - t) / args.embed
    features = articles_features(base, settings)
    # The feature texts were only needed to compute features: start the stream from an empty store.
    store.close()
    store = (
        open_store(Path(tmp.name) / "stream.db") if args.db is None else open_store(args.db.with_suffix(".stream.db"))
    )
    print(
        f"features: {embed_s * 1000:.0f} ms per article (embedding of title + lead, terms, names, numbers, days); "
        f"{args.undated:.0%} of the stream undated",
        flush=True,
    )
    feats_mod.embed = embed_once  # statements only: the leads' features are stored above
    print(
        f"| articles in store | link {args.new:,} new: seconds | ms per article | compare: events | seconds "
        "| ms per article | statement texts embedded | events | storylines | entities | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    stream = Stream(
        per_day=args.per_day,
        undated=args.undated,
        bounded=args.stream == "bounded",
        active=args.active,
        copies=args.copies,
    )
    held = 0
    for size in sorted(args.sizes):
        add_articles(store, base, features, held, size, stream)
        based = link.link_new(
            store, settings
        )  # the base itself, not timed (nor compared: only what the batch changes is)
        if args.warm:  # ... unless each event's state should be as after its last batch
            compare.compare_stories(store, based, compare_settings)
        add_articles(store, base, features, size, size + args.new, stream)
        if args.keep:  # the batch stored, not yet linked: for bench/bench_link_batch.py
            keep(store, args.keep, size, [], args.new, name=f"{size}.unlinked")
        profiler = cProfile.Profile() if args.profile else None
        t = time.process_time()
        if profiler:
            profiler.enable()
        changed = link.link_new(store, settings)
        seconds = time.process_time() - t
        # Each changed event compared once for the whole batch (what an ingest does), from its
        # articles and the statement vectors in the store; new statement texts embedded (memo above).
        before = (encoder["texts"], encoder["seconds"])
        sizes = {s: _full_size(store, s) for s in changed}
        if args.keep:
            keep(store, args.keep, size, changed, args.new)
        t = time.process_time()
        compare.compare_stories(store, changed, compare_settings)
        compare_s = time.process_time() - t - (encoder["seconds"] - before[1])
        afresh = sum(sizes[s] is None or _full_size(store, s) != sizes[s] for s in changed)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        full = ""
        if args.warm and not args.no_full:  # the same events compared again in full, as before compare/memo.py
            spent = encoder["seconds"]
            t = time.process_time()
            compare.compare_stories(store, changed, compare_settings, full=True)
            full_s = time.process_time() - t - (encoder["seconds"] - spent)
            full = f" full compare: {full_s:.1f} s, {full_s * 1000 / args.new:.1f} ms per article"
        held = size + args.new
        print(
            f"| {size:,} | {seconds:.1f} | {seconds * 1000 / args.new:.1f} | {len(changed):,} | {compare_s:.1f} | "
            f"{compare_s * 1000 / args.new:.1f} | {encoder['texts'] - before[0]:,} | {store.stories.count():,} | "
            f"{store.storylines.count():,} | {store.entities.count():,} | {peak_mb():.0f} |"
            f" ({afresh} of the events aligned afresh;{full})",
            flush=True,
        )
    store.close()
    tmp.cleanup()
    return 0


def keep(store, folder: Path, size: int, changed: list[str], new: int, *, name: str = "") -> None:  # type: ignore[no-untyped-def]
    """A copy of the store as it is (SQLite's backup: a consistent copy, write-ahead log included) and the
    events a batch changed, for bench/bench_compare_batch.py (or, named SIZE.unlinked, the store with the
    batch not yet linked, for bench/bench_link_batch.py)."""
    import sqlite3

    folder.mkdir(parents=True, exist_ok=True)
    name = name or str(size)
    target = folder / f"{name}.db"
    target.unlink(missing_ok=True)
    with sqlite3.connect(store.path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    (folder / f"{name}.json").write_text(json.dumps({"changed": changed, "new": new}), encoding="utf-8")


def _full_size(store, story_id: str) -> int | None:  # type: ignore[no-untyped-def]
    """The statement count at the story's last full compare, from compare's state (compare/memo.py)."""
    import zlib

    data = store.stories.compare_state(story_id)
    return None if data is None else int(json.loads(zlib.decompress(data))["full_size"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
