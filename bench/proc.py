"""CPU time of processes from Linux's /proc, for benchmarks that run servers or workers beside themselves.

CPU time hardly moves with what else a shared machine runs, where wall time
does, so benchmarks report it beside the wall clock.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """User + system CPU time of a process so far (0 when it is gone); `reaped` adds its waited-for children's."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    return sum(int(f) for f in fields[11 : 15 if reaped else 13]) / _TICK


def descendants(pid: int) -> list[int]:
    """Every running process below `pid`."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children.get(child, [])
    return out


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (its VmRSS), None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def pss_mb(pid: int) -> float | None:
    """Proportional memory of a process in MB (smaps_rollup's Pss: each shared page divided among the processes
    mapping it), None when it is gone. Summed over a process tree it counts a file several processes map, as
    the encoder's word table, once; VmRSS sums count it in each (issue 13 round 14: memory)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def communicate_sampling(
    proc: subprocess.Popen[str], sample: Callable[[], float], *, every: float = 0
) -> tuple[str, str]:
    """`proc.communicate()` while a thread calls `sample` every 0.5 s; every `every` seconds (0: never) it also
    prints the tree RSS `sample` returned and the peak so far, for long runs."""
    done = threading.Event()
    start = time.perf_counter()

    def loop() -> None:
        peak, last = 0.0, time.perf_counter()
        while not done.wait(0.5):
            now = sample()
            peak = max(peak, now)
            if every and time.perf_counter() - last >= every:
                last = time.perf_counter()
                print(f"  {last - start:6.0f} s: tree RSS {now:.0f} MB, peak {peak:.0f} MB", flush=True)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    out, err = proc.communicate()
    done.set()
    thread.join()
    return out, err


def tree_cpu(pid: int) -> float:
    """CPU seconds of `pid` and everything below it, including what its descendants have reaped.

    Processes that ended without being waited for by one of these are not counted:
    take it before a server or a Spark session stops.
    """
    return cpu_seconds(pid, reaped=True) + sum(cpu_seconds(p, reaped=True) for p in descendants(pid))


class TreeCpu:
    """CPU seconds of `pid` and everything below it, sampled while it runs.

    `tree_cpu` misses processes that end unreaped by a watched parent: PySpark's
    daemon sets SIGCHLD to SIG_IGN, so the kernel drops its finished Python
    workers' times. Here each process's last sample is kept after it ends; what a
    process spends between its last sample and its end (under `interval`) is lost.
    """

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self._last: dict[int, float] = {}  # pid -> its own CPU at the last sample (not its reaped children's)
        self._ended = 0.0  # processes whose pid was reused by a newer one
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        seen = {p: cpu_seconds(p) for p in [self.pid, *descendants(self.pid)]}
        with self._lock:
            for p, cpu in seen.items():
                if cpu < self._last.get(p, 0.0):  # a new process under an old pid
                    self._ended += self._last[p]
                self._last[p] = cpu

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def total(self) -> float:
        """CPU seconds so far of every process seen under `pid` (ended ones at their last sample)."""
        self._sample()
        with self._lock:
            return self._ended + sum(self._last.values())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
