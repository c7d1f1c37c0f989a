"""The batch job's read tasks: one per input file, or per split of a big JSONL file.

Tasks are listed on the driver in the order `storydesk ingest` reads the same
inputs (inputs as given, folders and globs sorted), so the job's arrival order
is ingest's. A JSONL file is split at line starts, each split knowing the
number of its first line, so errors name the same `file:line` as ingest.
Paths on this machine are read by the task itself; any other URI
(`s3a://`, `gs://`, `hdfs://`, `file://`) is read by Spark's Hadoop file
system and handed to the task as bytes.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest import JSONL_SUFFIXES, Item, expand, is_url, iter_file, suffix_of
from storydesk.ingest.sources import source_label
from storydesk.settings import IngestSettings

_SCAN = 1 << 20  # bytes read at a time when counting lines to place a split


@dataclass(frozen=True, slots=True)
class Task:
    path: str  # a local path, or a URI Spark reads (`uri` True)
    start: int = 0  # a JSONL split: byte range [start, end) starting at a line start
    end: int | None = None
    first_line: int = 1
    uri: bool = False
    error: str | None = None  # an input that names nothing: reported as failed, read by no one

    @property
    def label(self) -> str:
        return self.path if self.end is None else f"{self.path}:{self.first_line}+"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def is_hadoop_uri(value: str) -> bool:
    return "://" in value and not is_url(value)


def plan(
    inputs: list[str], *, split_bytes: int, min_tasks: int = 1, uri_files: dict[str, list[str]] | None = None
) -> list[Task]:
    """The read tasks for `inputs`, in ingest's order.

    `uri_files` maps a URI input to the files it names (listed by Spark's file
    system on the driver); without Spark, URI inputs are refused.
    """
    tasks: list[Task] = []
    for value in inputs:
        if value == "-" or is_url(value):
            tasks.append(Task(value, error="a batch job reads files; use `storydesk ingest` for URLs and stdin"))
        elif is_hadoop_uri(value):
            files = (uri_files or {}).get(value)
            if files is None:
                tasks.append(Task(value, error="a URI input needs --engine spark (Hadoop file systems)"))
            elif not files:
                tasks.append(Task(value, error="no such file, folder or glob match"))
            tasks += [Task(f, uri=True) for f in files or []]
        else:
            paths = expand(value)
            if paths is None:
                tasks.append(Task(value, error="no such file, folder or glob match"))
                continue
            tasks += [Task(str(p)) for p in paths]
    return _split_jsonl(tasks, split_bytes=split_bytes, min_tasks=min_tasks)


def _split_jsonl(tasks: list[Task], *, split_bytes: int, min_tasks: int) -> list[Task]:
    jsonl = [t for t in tasks if not t.uri and not t.error and suffix_of(Path(t.path)) in {".jsonl", ".ndjson"}]
    sizes = {t.path: Path(t.path).stat().st_size for t in jsonl}
    total = sum(sizes.values())
    # Split so that there are at least `min_tasks` tasks (one big file keeps every core busy)
    # and no split is over split_bytes.
    spare = max(0, min_tasks - len(tasks))
    target = min(split_bytes, max(1, total // max(1, spare + len(jsonl)))) if spare else split_bytes
    out: list[Task] = []
    for task in tasks:
        size = sizes.get(task.path)
        if size is None or size <= target:
            out.append(task)
        else:
            out += _splits(task.path, size, target)
    return out


def _splits(path: str, size: int, target: int) -> list[Task]:
    """Byte ranges of about `target` bytes, each starting at a line start, with its first line's number."""
    bounds = [(0, 1)]
    with open(path, "rb") as f:
        line, pos, want = 1, 0, target
        while want < size:
            # Count the lines up to `want`, then move on to the next line start.
            while pos < want:
                chunk = f.read(min(_SCAN, want - pos))
                if not chunk:
                    break
                line += chunk.count(b"\n")
                pos += len(chunk)
            rest = f.readline()
            pos += len(rest)
            line += rest.endswith(b"\n")
            if pos >= size:
                break
            bounds.append((pos, line))
            want = pos + target
    edges = [b[0] for b in bounds[1:]] + [size]
    return [Task(path, start=s, end=e, first_line=n) for (s, n), e in zip(bounds, edges, strict=True)]


def task_items(task: Task, settings: IngestSettings, data: bytes | None = None) -> Iterator[Item]:
    """The articles and errors of one task, as ingest would read them (`data`: a URI's bytes)."""
    if task.error:
        yield InputError(task.path, task.error)
    elif task.end is not None:
        yield from _read_split(task, settings)
    elif data is not None:
        yield from _read_bytes(task.path, data, settings)
    else:
        yield from iter_file(_local_path(task, settings), settings)


def _local_path(task: Task, settings: IngestSettings) -> Path:
    """The task's file. A relative path is the driver's: a Spark worker runs in a folder of its own,
    so it is taken from `source_base` (the driver's working directory, set by `run_batch`), which
    also names articles as ingest does, relative to where the job was started."""
    path = Path(task.path)
    if not path.is_absolute() and settings.source_base is not None:
        return settings.source_base / path
    return path


def _read_split(task: Task, settings: IngestSettings) -> Iterator[Item]:
    from storydesk.ingest.jsonl import read_jsonl_stream

    assert task.end is not None
    path = _local_path(task, settings)
    try:
        with open(path, "rb") as raw:
            raw.seek(task.start)
            part = io.BytesIO(raw.read(task.end - task.start))
    except OSError as exc:
        yield InputError(source_label(path, settings.source_base), f"cannot read file ({exc.strerror or exc})")
        return
    stream = io.TextIOWrapper(part, encoding="utf-8", errors="replace")
    # Named as ingest names the file (ingest/sources.py), so errors and sources say the same `file:line`.
    label = source_label(path, settings.source_base)
    yield from read_jsonl_stream(stream, source=label, settings=settings, first_line=task.first_line)


def _read_bytes(uri: str, data: bytes, settings: IngestSettings) -> Iterator[Item]:
    """A URI's bytes through the same readers, under the URI's name (they read files: one is made)."""
    name = uri.rstrip("/").rsplit("/", 1)[-1] or "input"
    with tempfile.TemporaryDirectory(prefix="storydesk-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        prefix = source_label(path, settings.source_base)  # what iter_file names it
        for item in iter_file(path, settings):
            if isinstance(item, InputError):
                yield InputError(uri + item.input[len(prefix) :], item.reason)
            else:
                if item.source.startswith(prefix):
                    item.source = uri + item.source[len(prefix) :]
                yield item


__all__ = ["JSONL_SUFFIXES", "Task", "is_hadoop_uri", "plan", "task_items"]
