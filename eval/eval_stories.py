"""Score incremental story grouping on the AllSides roundups: B-cubed and pairwise P/R/F1.

Each AllSides roundup is one story told by (up to) three outlets, left,
centre and right. All roundups' articles are mixed, with the roundup's date
as their publication date, into one stream in date order (ties in a random
but fixed order, so a story's articles do not arrive side by side), and
linked incrementally by storydesk's link stage. Gold cluster = roundup.

The stream is split by date: the dev part (roundups before 2021-08-15) was
one of the sets LinkSettings' weights and thresholds were fitted on
(`python -m eval.fit_link`), the test part (from 2021-08-15) is reported. Articles are read by storydesk's reader once
and cached with their embeddings in a store under --cache.

    .venv/bin/python -m eval.eval_stories                    # test part, current settings
    .venv/bin/python -m eval.eval_stories --no-embeddings    # without the e5 signal
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "allsides_roundups_neus" / "headline_11_2021-10-19_crawled_all.jsonl"
SPLIT_DAY = "2021-08-15"


def load_articles(path: Path):  # type: ignore[no-untyped-def]
    """Articles with their gold story (the roundup id), in stream order."""
    from storydesk.records import Article

    out: list[tuple[Article, str]] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        day = row["date"][:10]
        for side, news in sorted(row["news"].items()):
            body = [p for p in news.get("newBody") or [] if p.strip()]
            text = "\n\n".join(body)
            digest = hashlib.sha256(text.encode()).hexdigest()
            if not text or digest in seen:  # an article two roundups share is kept once
                continue
            seen.add(digest)
            aid = hashlib.sha1(f"{row['id']}-{side}".encode()).hexdigest()[:16]
            out.append(
                (
                    Article(
                        id=aid,
                        source=news.get("newsLink") or aid,
                        text=text,
                        paragraphs=body,
                        title=news.get("newsTitle"),
                        outlet=news.get("newsSource"),
                        published=day,
                        published_source="metadata",
                        language="en",
                        content_hash=digest,
                    ),
                    str(row["id"]),
                )
            )
    out.sort(key=lambda pair: (pair[0].published, pair[0].id))
    return out


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, c in pred.items():
        by_pred[c].add(item)
    for item, c in gold.items():
        by_gold[c].add(item)
    p = r = 0.0
    for item in gold:
        a, b = by_pred[pred[item]], by_gold[gold[item]]
        p += len(a & b) / len(a)
        r += len(a & b) / len(b)
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    items = sorted(gold)
    tp = fp = fn = 0
    by_pred = defaultdict(list)
    for item in items:
        by_pred[pred[item]].append(item)
    for members in by_pred.values():
        for a, b in itertools.combinations(members, 2):
            if gold[a] == gold[b]:
                tp += 1
            else:
                fp += 1
    by_gold = defaultdict(list)
    for item in items:
        by_gold[gold[item]].append(item)
    gold_pairs = sum(len(m) * (len(m) - 1) // 2 for m in by_gold.values())
    fn = gold_pairs - tp
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def build_store(part: str, cache: Path, limit: int | None):  # type: ignore[no-untyped-def]
    """A store holding the part's articles, read once; embeddings stay cached in it across runs."""
    from storydesk.read import read_articles
    from storydesk.settings import Settings
    from storydesk.store import open_store

    pairs = [(a, g) for a, g in load_articles(DATA) if (a.published < SPLIT_DAY) == (part == "dev")]
    if limit:
        stories = sorted({g for _, g in pairs})[:limit]
        pairs = [(a, g) for a, g in pairs if g in set(stories)]
    gold = {a.id: g for a, g in pairs}
    cache.mkdir(parents=True, exist_ok=True)
    store = open_store(cache / f"allsides-{part}-{limit or 'all'}.db")
    if store.articles.count() != len(pairs):
        articles = [a for a, _ in pairs]
        read_articles(articles, Settings().read)
        for article in articles:
            if store.articles.id_for_hash(article.content_hash) is None:
                store.articles.add(article)
    return store, gold


def run(store, gold: dict[str, str], link_settings) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from storydesk import link

    start = time.perf_counter()
    link.relink(store, link_settings)
    seconds = time.perf_counter() - start
    pred = {aid: store.stories.story_of(aid) or aid for aid in gold}
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    return {
        "b3_p": bp, "b3_r": br, "b3_f1": bf, "pair_p": pp, "pair_r": pr, "pair_f1": pf,
        "stories": len(set(pred.values())), "gold": len(set(gold.values())), "seconds": seconds,
    }  # fmt: skip


def _line(name: str, m: dict[str, float]) -> str:
    return (
        f"| {name} | {m['b3_p']:.3f} | {m['b3_r']:.3f} | {m['b3_f1']:.3f} | {m['pair_p']:.3f} | "
        f"{m['pair_r']:.3f} | {m['pair_f1']:.3f} | {m['stories']} / {m['gold']} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("dev", "test"), default="test")
    parser.add_argument("--no-embeddings", action="store_true", help="leave out the e5 signal")
    parser.add_argument("--limit", type=int, default=None, help="only the first N roundups (by id)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-eval"))
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is not present")
        return 0
    from storydesk.settings import LinkSettings

    store, gold = build_store(args.part, args.cache, args.limit)
    base = LinkSettings(embeddings=not args.no_embeddings)
    print(f"AllSides roundups, {args.part} part: {len(gold)} articles, {len(set(gold.values()))} stories")
    print("| setting | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 | stories / gold |")
    print("|---|---|---|---|---|---|---|---|")
    configs: list[tuple[str, LinkSettings]] = [("storydesk (settings.py)", base)]
    for name, link_settings in configs:
        print(_line(name, run(store, gold, link_settings)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
