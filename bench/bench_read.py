"""Speed and memory of the reading stage against the bare spaCy parse of the same texts.

For 1 and 2 processes, on the same PolNeAR articles in the same run:
  bare   list(nlp.pipe(texts))                      the floor any reader pays
  stage  storydesk.read.read_articles(articles)     parse + mentions, quotes, claims, dates, places
and reports words/s, articles/s and the ratio stage/bare throughput (goal >= 0.8).
Then reads `--long` short articles (paragraphs of the same texts, repeated) in
chunks of `--chunk`, sampling the process's resident memory after each chunk:
flat samples mean nothing accumulates per article.

Usage: python -m bench.bench_read [--articles 300] [--long 10000] [--chunk 1000] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR_TEXT = ROOT.parent / "shared" / "data" / "polnear" / "data" / "train" / "text"


def _rss_mb() -> float:
    """Current resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _texts(limit: int) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(POLNEAR_TEXT.glob("*.txt"))[:limit]]


def _articles(texts: list[str]):  # type: ignore[no-untyped-def]
    from storydesk.records import Article

    return [Article(id=str(i), source="bench", text=t, language="en") for i, t in enumerate(texts)]


def speed(texts: list[str], n_process: int) -> dict[str, float]:
    from storydesk.read import read_articles
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    settings = ReadSettings(n_process=n_process)
    nlp = load_nlp(settings.model)
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=n_process):
        pass
    bare = time.perf_counter() - started
    articles = _articles(texts)
    started = time.perf_counter()
    read_articles(articles, settings)
    stage = time.perf_counter() - started
    return {
        "processes": n_process,
        "articles": len(texts),
        "words": words,
        "bare_words_s": words / bare,
        "stage_words_s": words / stage,
        "bare_articles_s": len(texts) / bare,
        "stage_articles_s": len(texts) / stage,
        "ratio": bare / stage,
    }


def memory(texts: list[str], *, total: int, chunk: int) -> list[tuple[int, float]]:
    """RSS (MB) after every `chunk` short articles, up to `total`."""
    from storydesk.read import read_articles
    from storydesk.settings import ReadSettings

    paragraphs = [p for t in texts for p in t.split("\n\n") if len(p.split()) >= 20]
    source = itertools.cycle(paragraphs)
    settings = ReadSettings()
    samples = []
    done = 0
    while done < total:
        batch = _articles([next(source) for _ in range(min(chunk, total - done))])
        read_articles(batch, settings)
        done += len(batch)
        samples.append((done, _rss_mb()))
    return samples


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_read", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--long", type=int, default=10_000, help="short articles for the memory run (0: skip)")
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args(argv)
    if not POLNEAR_TEXT.exists():
        print(f"PolNeAR texts not found at {POLNEAR_TEXT}; skipping")
        return 0
    texts = _texts(args.articles)
    print(
        f"{'proc':>4} {'articles':>8} {'words':>8} {'bare w/s':>9} {'stage w/s':>9} {'bare a/s':>8} {'stage a/s':>9} {'ratio':>6}"
    )
    for n in args.processes:
        r = speed(texts, n)
        print(
            f"{r['processes']:>4} {r['articles']:>8} {r['words']:>8} {r['bare_words_s']:>9.0f} {r['stage_words_s']:>9.0f}"
            f" {r['bare_articles_s']:>8.1f} {r['stage_articles_s']:>9.1f} {r['ratio']:>6.2f}"
        )
    if args.long:
        print(f"memory over {args.long:,} short articles (RSS after each {args.chunk:,}):")
        for done, rss in memory(texts, total=args.long, chunk=args.chunk):
            print(f"  {done:>7,} articles  {rss:7.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
