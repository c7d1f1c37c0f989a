"""Time the compare stage on stories of 3, 10 and 50 articles (goal: under 1 s for 50).

Articles are AllSides roundup articles from ../shared (left, centre and right
outlets of roundups on one topic, so they share actors and vocabulary, as a
story does), read once beforehand; only `compare_story` is timed, the median
of a few runs.

    .venv/bin/python -m bench.bench_compare [--sizes 3 10 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from storydesk.compare import compare_story
from storydesk.ingest.common import content_hash
from storydesk.read import read_articles
from storydesk.records import Article, Story
from storydesk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ROUNDUPS = "data/allsides_roundups_neus/headline_11_2021-10-19_crawled_all.jsonl"


def load_articles(shared: Path, count: int) -> list[Article]:
    """`count` articles from roundups of the most common topic, newest first."""
    with (shared / ROUNDUPS).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    topic = Counter(r["topic"] for r in rows).most_common(1)[0][0]
    out: list[Article] = []
    for row in (r for r in rows if r["topic"] == topic):
        for side, news in sorted(row["news"].items()):
            body = [p.strip() for p in news.get("newBody") or [] if p.strip()]
            if not body:
                continue
            text = "\n\n".join(body)
            out.append(
                Article(
                    id=f"{row['id']}-{side}",
                    source=f"allsides:{row['id']}:{side}",
                    text=text,
                    paragraphs=body,
                    outlet=news.get("newsSource"),
                    title=news.get("newsTitle"),
                    published=row["date"][:10],
                    language="en",
                    content_hash=content_hash(text),
                )
            )
            if len(out) == count:
                return out
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_compare", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--sizes", type=int, nargs="*", default=[3, 10, 50])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if not (args.shared / ROUNDUPS).exists():
        print(f"skipped: {args.shared / ROUNDUPS} is missing")
        return 0
    settings = Settings()
    articles = load_articles(args.shared, max(args.sizes))
    read_articles(articles, settings.read)
    print("articles  statements-in  corroborated  single-source  conflicts  brief  timeline  median s  max s")
    for size in args.sizes:
        members = articles[:size]
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            story = compare_story(Story(id=f"bench-{size}", title="bench"), members, settings=settings.compare)
            times.append(time.perf_counter() - started)
        inputs = sum(len(a.quotes) + len(a.claims) + len(a.mentions) for a in members)
        print(
            f"{len(members):8d}  {inputs:13d}  {len(story.corroborated):12d}  {len(story.single_source):13d}  "
            f"{len(story.conflicts):9d}  {len(story.brief):5d}  {len(story.timeline):8d}  "
            f"{statistics.median(times):8.3f}  {max(times):5.3f}"
        )
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
