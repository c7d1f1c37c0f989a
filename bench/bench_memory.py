"""Where an ingest's memory goes: resident memory per process and per phase (issue 13, round 8).

Runs `storydesk ingest` on PolNeAR articles (or, with `--generated`, bench_ingest's generated
ones) in a child process whose pipeline functions are wrapped to write a timestamped mark at
each phase (the reading pool's start and end, linking, compare's statement pool
`compare.embed.embed_ahead`, comparing), and samples every process of its tree from /proc
every half second: VmRSS, and each process's command line to tell the main process from the
workers. Prints

- per process: its role (the main process; a worker named after the phase it started in),
  when it lived and its peak RSS;
- per phase: the peak RSS of the whole tree, of the main process and of the workers, and
  how many processes were alive at the tree's peak;
- what the main process had loaded at each mark (spaCy's pipeline, the encoder).

RSS counts each process's shared libraries again; the issue's bound (1.5 GB on 10,000
articles) is on this sum, as `bench_pipeline --rss` measures it.

Usage: python -m bench.bench_memory [--articles 200] [--generated] [--processes N] [--every 60] [--db KEEP.db]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_pipeline import POLNEAR, polnear_records
from bench.proc import communicate_sampling, descendants, rss_mb

# The child: storydesk's CLI with its phases marked. Each mark is "time name state", where state
# says what the main process holds: spaCy's pipeline loaded (nlp), the encoders loaded (enc), spaCy imported.
CHILD = r"""
import sys, time, functools
marks = open(sys.argv[1], "a", buffering=1)

def state():  # without importing anything the ingest would not (read.nlp imports spaCy)
    nlp, encoder = sys.modules.get("storydesk.read.nlp"), sys.modules.get("storydesk.encoder")
    loaded = lambda module, name: getattr(module, name).cache_info().currsize if module else 0
    spacy = int("spacy" in sys.modules)
    # enc: the encoders loaded (one per engine since round 15: leads' and statements' engines may differ)
    return f"nlp={loaded(nlp, 'load_nlp')} enc={loaded(encoder, 'load_engine')} spacy={spacy}"

def mark(name):
    marks.write(f"{time.time():.3f} {name} {state()}\n")

def around(owner, attr, name):
    inner = getattr(owner, attr)
    @functools.wraps(inner)
    def wrapped(*args, **kwargs):
        mark(name + " start")
        try:
            return inner(*args, **kwargs)
        finally:
            mark(name + " end")
    setattr(owner, attr, wrapped)

from storydesk import compare, link
from storydesk.compare import embed
from storydesk.read import pool
around(pool.ReadPool, "__init__", "read pool")
around(pool.ReadPool, "close", "read pool close")
around(link, "link_new", "link")
around(compare, "compare_stories", "compare")
around(embed.EmbedPool, "__init__", "statement pool")
mark("main start")
from storydesk.cli import main
sys.argv = ["storydesk", *sys.argv[2:]]
try:
    main()
finally:
    mark("main exit")
"""


@dataclass
class Proc:
    pid: int
    command: str
    first: float
    last: float = 0.0
    peak_mb: float = 0.0


@dataclass
class Samples:
    """Every process of a tree, sampled from /proc."""

    root: int
    procs: dict[int, Proc] = field(default_factory=dict)
    series: list[tuple[float, dict[int, float]]] = field(default_factory=list)  # (time, pid -> RSS MB)

    def sample(self) -> float:
        """Sample every process of the tree; their total RSS in MB."""
        now = time.time()
        tree = [self.root, *descendants(self.root)]
        rss: dict[int, float] = {}
        for pid in tree:
            mb = rss_mb(pid)
            if mb is None:
                continue
            rss[pid] = mb
            proc = self.procs.get(pid)
            if proc is None:
                proc = self.procs[pid] = Proc(pid, _command(pid), now)
            proc.last, proc.peak_mb = now, max(proc.peak_mb, mb)
        self.series.append((now, rss))
        return sum(rss.values())


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def run(jsonl: Path, db: Path, marks: Path, extra: list[str], every: float) -> tuple[Samples, list[str], float]:
    cmd = [sys.executable, "-c", CHILD, str(marks), "ingest", "--quiet", "--db", str(db), str(jsonl), *extra]
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = Samples(proc.pid)
    _out, err = communicate_sampling(proc, samples.sample, every=every)
    if proc.returncode:
        raise RuntimeError(f"ingest failed ({proc.returncode}): {err[-2000:]}")
    return samples, marks.read_text().splitlines(), t0


def phases(lines: list[str]) -> list[tuple[str, float, float]]:
    """(phase, start, end) from the child's marks, in time order."""
    at = {}
    for line in lines:
        stamp, rest = line.split(" ", 1)
        name = rest.rsplit(" nlp=", 1)[0]
        at.setdefault(name, float(stamp))  # the first time each mark was written
    order = [
        ("start-up, first inputs", "main start", "read pool start"),
        ("reading (pool)", "read pool start", "read pool close end"),
        ("linking", "link start", "link end"),
        ("compare: gathering, statement pool", "compare start", "statement pool end"),
        ("compare: stories", "statement pool end", "compare end"),
        ("compare: stories", "compare start", "compare end"),
        ("exit", "compare end", "main exit"),
    ]
    out, seen = [], set()
    for name, first, last in order:
        if first in at and last in at and name not in seen:
            out.append((name, at[first], at[last]))
            seen.add(name)
    return out


def report(samples: Samples, lines: list[str], t0: float) -> None:
    spans = phases(lines)
    root = samples.root

    def phase_at(moment: float) -> str:
        return next((name for name, a, b in spans if a <= moment <= b), "between phases")

    print("\nper process (RSS sampled every 0.5 s; times from the ingest's start):")
    print(f"{'pid':>8} {'role':<46} {'from s':>7} {'to s':>7} {'peak MB':>8}")
    for proc in sorted(samples.procs.values(), key=lambda p: p.first):
        if proc.pid == root:
            role = "main process"
        elif "resource_tracker" in proc.command:
            role = "multiprocessing resource tracker"
        else:
            role = f"worker, started in {phase_at(proc.first)}"
        print(f"{proc.pid:>8} {role:<46} {proc.first - t0:>7.1f} {proc.last - t0:>7.1f} {proc.peak_mb:>8.0f}")
    print("\nper phase:")
    print(f"{'phase':<36} {'from s':>7} {'to s':>7} {'tree peak MB':>12} {'main MB':>8} {'others MB':>9} {'procs':>6}")
    for name, a, b in spans:
        inside = [(t, r) for t, r in samples.series if a <= t <= b]
        if not inside:
            print(f"{name:<36} {a - t0:>7.1f} {b - t0:>7.1f} {'(no sample)':>12}")
            continue
        t, rss = max(inside, key=lambda s: sum(s[1].values()))
        main = rss.get(root, 0.0)
        print(
            f"{name:<36} {a - t0:>7.1f} {b - t0:>7.1f} {sum(rss.values()):>12.0f} {main:>8.0f}"
            f" {sum(rss.values()) - main:>9.0f} {len(rss):>6}"
        )
    peak_t, peak = max(samples.series, key=lambda s: sum(s[1].values()))
    print(f"\npeak RSS of the tree: {sum(peak.values()):.0f} MB at {peak_t - t0:.1f} s ({phase_at(peak_t)})")
    print("\nthe main process at each mark (nlp: spaCy's pipeline loaded; enc: encoders loaded; spacy: imported):")
    for line in lines:
        stamp, rest = line.split(" ", 1)
        print(f"  {float(stamp) - t0:7.1f} s  {rest}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--generated", action="store_true", help="bench_ingest's generated articles, not PolNeAR")
    parser.add_argument("--processes", help="pass --processes to the ingest")
    parser.add_argument("--every", type=float, default=0, help="print the tree's RSS every this many seconds")
    parser.add_argument("--db", type=Path, help="keep the store here (to export and compare runs)")
    args = parser.parse_args(argv)
    if args.generated:
        from bench.bench_ingest import jsonl_records

        records = jsonl_records(args.articles, 0.05)
    elif not POLNEAR.exists():
        print(f"PolNeAR not found at {POLNEAR}; skipping")
        return 0
    else:
        records = polnear_records(args.articles)
    with tempfile.TemporaryDirectory(prefix="bench_memory_") as tmp:
        folder = Path(tmp)
        jsonl = folder / "articles.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record) + "\n")
        extra = ["--processes", args.processes] if args.processes else []
        print(f"{len(records):,} articles; load average {os.getloadavg()[0]:.1f}", flush=True)
        started = time.perf_counter()
        samples, lines, t0 = run(jsonl, args.db or folder / "memory.db", folder / "marks.txt", extra, args.every)
        print(f"ingest: {time.perf_counter() - started:.1f} s wall; load average {os.getloadavg()[0]:.1f}")
        report(samples, lines, t0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
