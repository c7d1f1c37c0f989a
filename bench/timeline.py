"""Where an ingest's wall time goes, process by process (issue 13, round 13).

`python -m bench.bench_pipeline --timeline [--articles 300]` runs `storydesk ingest` in a child
process that marks its phases (this module's `child`: the stage functions wrapped where the
pipeline looks them up, each mark a CLOCK_MONOTONIC time written to a file), while this process
samples every `interval` seconds, for the child and every process below it:

- /proc/PID/stat, user + system CPU (clock ticks, 10 ms);
- /proc/PID/task/*/schedstat, summed over its threads: nanoseconds on a CPU and nanoseconds
  runnable but waiting on a run queue (the kernel's sched_info, exact).

A phase's capacity is `cores x wall`. What the ingest's processes spent on a CPU, and waiting
for one (another job held it), is subtracted; the rest is **idle**: a core the pipeline gave
nothing to do. On an idle machine the wait is ~0; on a shared one it says how much of the wall
time was other people's load. Since a serial phase stretches under load (and with it the idle core
beside it), the table also gives each phase's **ideal** wall time, what it would take on an idle
machine: the larger of its busiest process's CPU time and its CPU time over every core; and the
ideal idle share, 1 - CPU / (cores x ideal wall). That one hardly moves with the machine's load.

Roles: `main` (the ingest's process), `reader` (a process started while reading: ReadPool
workers), `tail` (a process started after reading: compare's embedding workers), `other`
(multiprocessing's resource tracker and anything else). Phases (marks in the main process):
start-up (interpreter, imports, the first inputs) up to the reading pool's start; reading up to
`update_links`; link (`link.link_new`); compare's texts ahead (finding the statement texts every
story lacks; before round 13, `compare.embed_ahead` also embedded them all, in its own processes,
before any story was compared; since, `compare.embed.Ahead.start` only sends them, and they are
embedded while the stories are compared); compare (per story, serial); exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.proc import descendants

MARKS_ENV = "STORYDESK_TIMELINE_MARKS"
_TICK = os.sysconf("SC_CLK_TCK")


# -- the child: storydesk ingest with phase marks ------------------------------------------------------


def _mark(name: str) -> None:
    with open(os.environ[MARKS_ENV], "a", encoding="utf-8") as out:
        out.write(json.dumps({"mark": name, "t": time.monotonic()}) + "\n")


def _wrap(owner: Any, name: str, phase: str) -> None:
    """Mark `phase` start and end around `owner.name` (skipped when the code has no such function)."""
    original = getattr(owner, name, None) if owner is not None else None
    if original is None:
        return

    def marked(*args: Any, **kwargs: Any) -> Any:
        _mark(f"{phase}+")
        try:
            return original(*args, **kwargs)
        finally:
            _mark(f"{phase}-")

    setattr(owner, name, marked)


def child(argv: list[str]) -> None:
    """`storydesk ARGV...` with phase marks (run as `python -m bench.timeline ARGV...`)."""
    _mark("start")
    from storydesk import compare, link, pipeline
    from storydesk.read import pool

    _wrap(pool.ReadPool, "__init__", "pool")
    _wrap(pipeline, "update_links", "tail")
    _wrap(link, "link_new", "link")
    _wrap(compare, "embed_ahead", "embed")  # before round 13: embedded every text, then compared
    _wrap(getattr(compare, "Ahead", None), "start", "ahead")  # round 13: the texts found and sent, not yet embedded
    _wrap(compare, "compare_stories", "compare")
    from storydesk.cli import main

    sys.argv = ["storydesk", *argv]
    try:
        main()
    finally:
        _mark("end")


# -- the sampler -----------------------------------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii") as f:
            return f.read()
    except OSError:
        return None


@dataclass(slots=True)
class Proc:
    pid: int
    first: float  # monotonic time first seen
    last: float = 0.0
    ticks: int = 0  # user + system, last sample
    threads: dict[int, tuple[int, int]] = field(default_factory=dict)  # tid -> (ns on CPU, ns waiting)
    series: list[tuple[float, float, float]] = field(default_factory=list)  # (t, s on CPU, s waiting) so far

    @property
    def on_cpu(self) -> float:
        return sum(c for c, _ in self.threads.values()) / 1e9

    @property
    def waiting(self) -> float:
        return sum(w for _, w in self.threads.values()) / 1e9


class Sampler:
    """Sample a process tree's CPU and run-queue wait every `interval` seconds, in a thread."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root, self.interval = root, interval
        self.procs: dict[int, Proc] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def sample(self) -> None:
        now = time.monotonic()
        for pid in [self.root, *descendants(self.root)]:
            stat = _read(f"/proc/{pid}/stat")
            if stat is None:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            proc = self.procs.get(pid)
            if proc is None:
                proc = self.procs[pid] = Proc(pid, now)
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tids:
                sched = _read(f"/proc/{pid}/task/{tid}/schedstat")
                if sched:
                    on, wait, _ = sched.split()
                    proc.threads[int(tid)] = (int(on), int(wait))
            proc.ticks = int(fields[11]) + int(fields[12])
            proc.last = now
            proc.series.append((now, proc.on_cpu, proc.waiting))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run(argv: list[str], marks: Path, *, interval: float = 0.25, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `storydesk ARGV` under the sampler; the processes' samples and the phase marks."""
    marks.unlink(missing_ok=True)
    env = {**(env or os.environ), MARKS_ENV: str(marks)}
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.timeline", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    sampler = Sampler(proc.pid, interval)
    out, err = proc.communicate()
    sampler.stop()
    t1 = time.monotonic()
    if proc.returncode:
        raise RuntimeError(f"storydesk {' '.join(argv)} failed ({proc.returncode}): {err[-2000:]}")
    lines = [json.loads(line) for line in marks.read_text(encoding="utf-8").splitlines()]
    return {"t0": t0, "t1": t1, "root": proc.pid, "procs": sampler.procs, "marks": lines, "out": out}


# -- the table -------------------------------------------------------------------------------------------


def phases(marks: list[dict[str, Any]], t0: float, t1: float) -> list[tuple[str, float, float]]:
    """(name, start, end) of the main process's phases, in order, from its marks."""
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for m in marks:
        first.setdefault(m["mark"], m["t"])
        last[m["mark"]] = m["t"]
    pool = first.get("pool+", first.get("tail+", t1))
    tail, tail_end = first.get("tail+", t1), last.get("tail-", t1)
    link_end = last.get("link-", tail)
    if "ahead-" in last:  # round 13: compare finds the texts and sends them, then compares as they come
        embed0, embed1 = first.get("compare+", link_end), last["ahead-"]
    else:
        embed0, embed1 = first.get("embed+", link_end), last.get("embed-", link_end)
    cuts = [
        ("start-up", t0, pool),
        ("reading", pool, tail),
        ("link", tail, link_end),
        ("compare: texts ahead", embed0, embed1),
        ("compare: stories", embed1, tail_end),
        ("exit", tail_end, t1),
    ]
    return [(name, a, b) for name, a, b in cuts if b > a]


def _at(series: list[tuple[float, float, float]], t: float) -> tuple[float, float]:
    """(s on CPU, s waiting) of a process at time `t`, linearly between samples (0 before the first)."""
    if not series or t <= series[0][0]:
        return 0.0, 0.0
    for (ta, ca, wa), (tb, cb, wb) in zip(series, series[1:], strict=False):
        if ta <= t <= tb:
            share = (t - ta) / (tb - ta) if tb > ta else 1.0
            return ca + share * (cb - ca), wa + share * (wb - wa)
    return series[-1][1], series[-1][2]


def roles(result: dict[str, Any]) -> dict[int, str]:
    """Each sampled process's role (see the module doc), by where it started."""
    tail = next((m["t"] for m in result["marks"] if m["mark"] == "tail+"), result["t1"])
    out = {}
    for pid, proc in result["procs"].items():
        if pid == result["root"]:
            out[pid] = "main"
        elif proc.on_cpu < 0.05:
            out[pid] = "other"  # the resource tracker: it sleeps
        else:
            out[pid] = "reader" if proc.first < tail else "tail"
    return out


ROLES = ("main", "reader", "tail", "other")


def table(result: dict[str, Any], cores: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per phase: wall, per role s on CPU and waiting, idle (capacity less both) and its share; and the total."""
    role_of = roles(result)
    rows = []
    for name, a, b in phases(result["marks"], result["t0"], result["t1"]):
        row: dict[str, Any] = {"phase": name, "wall": b - a}
        for role in ROLES:
            row[role] = [0.0, 0.0]
        longest = 0.0
        for pid, proc in result["procs"].items():
            (ca, wa), (cb, wb) = _at(proc.series, a), _at(proc.series, b)
            row[role_of[pid]][0] += cb - ca
            row[role_of[pid]][1] += wb - wa
            longest = max(longest, cb - ca)
        row["cpu"] = sum(row[r][0] for r in ROLES)
        # On an idle machine the phase would take at least its busiest process's CPU time, and its
        # CPU time spread over every core: the larger of the two, whatever the load of this run.
        row["ideal"] = max(longest, row["cpu"] / cores)
        row["wait"] = sum(row[r][1] for r in ROLES)
        row["idle"] = max(0.0, cores * row["wall"] - row["cpu"] - row["wait"])
        row["idle_share"] = row["idle"] / (cores * row["wall"])
        row["ideal_idle"] = 1 - row["cpu"] / (cores * row["ideal"]) if row["ideal"] else 0.0
        rows.append(row)
    total: dict[str, Any] = {"phase": "all", "wall": result["t1"] - result["t0"]}
    for key in ("cpu", "wait", "idle", "ideal"):
        total[key] = sum(r[key] for r in rows)
    for role in ROLES:
        total[role] = [sum(r[role][0] for r in rows), sum(r[role][1] for r in rows)]
    total["idle_share"] = total["idle"] / (cores * total["wall"])
    total["ideal_idle"] = 1 - total["cpu"] / (cores * total["ideal"])
    return rows, total


def strip(result: dict[str, Any], cores: int, step: float = 1.0) -> list[str]:
    """One line per `step` seconds: cores busy by role, and cores' worth of waiting."""
    role_of = roles(result)
    lines, t = [], result["t0"]
    while t < result["t1"]:
        u = min(t + step, result["t1"])
        busy: dict[str, float] = defaultdict(float)
        wait = 0.0
        for pid, proc in result["procs"].items():
            (ca, wa), (cb, wb) = _at(proc.series, t), _at(proc.series, u)
            busy[role_of[pid]] += (cb - ca) / (u - t)
            wait += (wb - wa) / (u - t)
        bar = "".join(
            ch * round(4 * busy[r]) for r, ch in (("main", "M"), ("reader", "r"), ("tail", "t"), ("other", "o"))
        )
        lines.append(
            f"{t - result['t0']:6.1f} s  main {busy['main']:.2f} reader {busy['reader']:.2f} tail {busy['tail']:.2f}"
            f"  wait {wait:.2f}  |{bar:<{4 * cores}}|"
        )
        t = u
    return lines


def workers(result: dict[str, Any]) -> list[str]:
    """Per process: role, started and ended (s after the run's start), s on CPU, waiting, asleep."""
    role_of = roles(result)
    lines = []
    for pid, proc in sorted(result["procs"].items(), key=lambda kv: kv[1].first):
        alive = proc.last - proc.first
        asleep = max(0.0, alive - proc.on_cpu - proc.waiting)
        lines.append(
            f"{role_of[pid]:<7} pid {pid:<7} {proc.first - result['t0']:7.1f} -> {proc.last - result['t0']:7.1f} s"
            f"  on CPU {proc.on_cpu:7.1f} s  waiting {proc.waiting:6.1f} s  asleep {asleep:7.1f} s"
            f"  (stat {proc.ticks / _TICK:7.1f} s)"
        )
    return lines


def report(result: dict[str, Any], n: int, cores: int, out: Callable[[str], None] = print) -> dict[str, Any]:
    rows, total = table(result, cores)
    out(f"{'phase':<22} {'wall s':>7} {'main cpu/wait':>14} {'readers cpu/wait':>17} {'tail cpu/wait':>14}"
        f" {'CPU s':>7} {'wait s':>7} {'idle s':>7} {'idle':>6} {'ideal s':>7} {'idle':>6}")  # fmt: skip
    for row in [*rows, total]:
        cells = " ".join(f"{row[r][0]:>7.1f}/{row[r][1]:<6.1f}" for r in ("main", "reader", "tail"))
        out(
            f"{row['phase']:<22} {row['wall']:>7.1f} {cells} {row['cpu']:>9.1f} {row['wait']:>7.1f}"
            f" {row['idle']:>7.1f} {row['idle_share']:>6.1%} {row['ideal']:>7.1f} {row['ideal_idle']:>6.1%}"
        )
    wall, cpu = total["wall"], total["cpu"]
    out(
        f"{n} articles: {1000 * wall / n:.1f} wall ms/article, {1000 * cpu / n:.1f} CPU ms/article (on CPU, schedstat),"
        f" CPU/wall {cpu / wall:.2f}, waiting for a core {total['wait'] / wall:.2f} cores,"
        f" idle share {total['idle_share']:.1%} of {cores} cores; on an idle machine (ideal) {1000 * total['ideal'] / n:.1f}"
        f" wall ms/article, CPU/wall {cpu / total['ideal']:.2f}, idle share {total['ideal_idle']:.1%}"
    )
    return {"rows": rows, "total": total}


if __name__ == "__main__":
    child(sys.argv[1:])
