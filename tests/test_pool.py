"""Reading in worker processes (read/pool.py, pipeline.ingest; issue 13): the same store as reading in-process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storydesk import encoder, pipeline
from storydesk.pipeline import reading_processes
from storydesk.read.pool import ReadPool, cpu_count
from storydesk.settings import ReadSettings, Settings
from storydesk.store import open_store

TEXTS = [
    "Kremlin spokesperson Dmitri Peskov said on Tuesday that Russia would study the proposal for a 30-day ceasefire.",
    '"We will evaluate it carefully," Peskov told reporters in Moscow, adding that 1,100 square kilometers were at stake.',
    "The ferry to Oskel resumes on Friday after the storm, the port authority said in a statement on March 12.",
    "Mayor Anna Berg, a former engineer, announced that the city would spend $4.5 million on new bridges last week.",
    "Officials in Valdoria said about 200 people had been evacuated, according to the regional government.",
    "Peskov said the Kremlin had not received the text. Senator Jane Doe called the plan 'a positive step'.",
]


def _jsonl(folder: Path, copies: bool = True) -> Path:
    path = folder / "in.jsonl"
    records = [
        {"id": f"a{i}", "title": text.split(",")[0], "published": f"2025-03-{10 + i % 3:02d}", "outlet": f"o{i % 3}",
         "text": text}
        for i, text in enumerate(TEXTS)
    ]  # fmt: skip
    if copies:  # an exact copy in a later chunk than its original, while the original may still be in a worker
        records.append({**records[0], "id": "copy-of-a0"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _snapshot(db: Path) -> dict[str, object]:
    with open_store(db) as store:
        articles = {
            a.id: (
                [(m.text, m.type, m.name, m.role) for m in a.mentions],
                [(q.text, q.kind, q.speaker) for q in a.quotes],
                [(c.quantity, c.value, c.unit) for c in a.claims],
                [(d.text, d.date) for d in a.dates],
                store.stories.story_of(a.id),
            )
            for a in store.articles.iter_all()
        }
        features = store.stories.article_features(sorted(articles))  # type: ignore[attr-defined]
    return {"articles": articles, "features": {k: (v[0] is not None, v[1]) for k, v in features.items()}}


def test_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    source = _jsonl(tmp_path)
    results = []
    # Issue 13 (bounded memory): workers replaced after every chunk read as one process does too.
    for processes, recycle in ((1, 0), (2, 0), (2, 1)):
        settings = Settings(db=tmp_path / f"p{processes}-{recycle}.db")
        settings.read.processes = processes
        settings.read.pool_chunk = 2  # several chunks in flight, so order and copies are exercised
        settings.read.pool_chunks_per_worker = recycle
        with open_store(settings.db) as store:
            summary = pipeline.ingest([str(source)], store, settings)
        assert summary.line == "6 new, 1 duplicate, 0 near-duplicate, 0 failed"
        results.append(_snapshot(settings.db))
    assert results[0] == results[1] == results[2]
    assert len(results[1]["features"]) == 6  # the workers' features were stored with the articles


@pytest.mark.parametrize(("chunks", "limit"), [(0, None), (1, 1), (50, 50)])
def test_workers_are_recycled_after_the_set_number_of_chunks(chunks: int, limit: int | None) -> None:
    read = ReadSettings(pool_chunks_per_worker=chunks)
    with ReadPool[None](read, None, 1) as pool:
        assert pool._executor._max_tasks_per_child == limit  # type: ignore[attr-defined]  # 0 = never


@pytest.mark.parametrize(
    ("processes", "inputs", "expected"),
    [
        (1, 10_000, 1),  # the flag that turns workers off
        (3, 5, 3),  # an explicit count is taken as given
        (0, 10, 1),  # auto: too few articles to repay starting workers
        (0, 64, cpu_count()),  # auto: one per core
    ],
)
def test_reading_processes(processes: int, inputs: int, expected: int) -> None:
    assert reading_processes(ReadSettings(processes=processes, pool_min_articles=64), inputs) == expected


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_workers_end_when_the_ingest_is_killed(tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    records = [{"id": f"m{i}", "text": f"{TEXTS[i % len(TEXTS)]} Report {i} of {i * 7} words."} for i in range(400)]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    storydesk = Path(sys.executable).parent / "storydesk"
    proc = subprocess.Popen(
        [str(storydesk), "ingest", "--quiet", "--processes", "2", "--db", str(tmp_path / "k.db"), str(source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = [p for p in _children(proc.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
        assert proc.poll() is None, "the ingest ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert len(workers) == 2, "the workers did not start"
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{p}").exists() for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{p}").exists() for p in workers)


def test_a_near_duplicate_is_not_embedded_by_a_worker(tmp_path: Path) -> None:
    """Issue 13: a near-copy of a stored article joins its original's event without the encoder."""
    body = " ".join(TEXTS)
    original = {"id": "orig", "title": "Peskov on the ceasefire", "outlet": "o1", "text": body}
    near = {**original, "id": "near", "outlet": "o2", "text": body + " Reporting by Jane Roe."}
    settings = Settings(db=tmp_path / "s.db")
    settings.read.processes = 2
    with open_store(settings.db) as store:
        for name, record in (("first", original), ("second", near)):
            source = tmp_path / f"{name}.jsonl"
            source.write_text(json.dumps(record) + "\n", encoding="utf-8")
            pipeline.ingest([str(source)], store, settings)
        (near_id,) = [a.id for a in store.articles.iter_all() if a.duplicate_of]
        (orig_id,) = [a.id for a in store.articles.iter_all() if not a.duplicate_of]
        features = store.stories.article_features([orig_id, near_id])  # type: ignore[attr-defined]
        assert features[orig_id][0] is not None and features[near_id][0] is None
        assert store.stories.story_of(near_id) == store.stories.story_of(orig_id)


def test_workers_embed_the_statements_compare_embeds(tmp_path: Path) -> None:
    """Issue 13 (the serial tail): reading workers embed each article's statements, the same spans
    and vectors compare would embed itself, and compare's report is the same as without them."""
    import numpy as np

    from storydesk.compare.actors import ActorIndex
    from storydesk.compare.embed import embedded
    from storydesk.compare.statements import story_statements
    from storydesk.link.features import embed_statements as embed

    source = _jsonl(tmp_path, copies=False)
    reports = []
    for ahead in (False, True):
        settings = Settings(db=tmp_path / f"ahead-{ahead}.db")
        settings.read.processes = 2
        settings.read.pool_chunk = 2
        settings.compare.statement_embed_in_reading = ahead  # off by default
        with open_store(settings.db) as store:
            pipeline.ingest([str(source)], store, settings)
            articles = list(store.articles.iter_all())
            stored = store.stories.statement_vectors(sorted(a.id for a in articles), encoder.statement_engine())
            story_ids = sorted({store.stories.story_of(a.id) or "" for a in articles})
            reports.append([store.stories.get(s).to_dict() for s in story_ids])
    wanted = embedded(story_statements(articles, ActorIndex(articles), settings.compare), settings.compare)
    assert set(stored) == {(s.article, s.start, s.end) for s in wanted}  # a claim's sentence is an event too
    fresh = embed([s.text[: settings.compare.statement_embed_chars] for s in wanted])
    for s, vector in zip(wanted, fresh, strict=True):
        assert np.allclose(np.frombuffer(stored[s.article, s.start, s.end], dtype=np.float32), vector, atol=1e-6)
    assert reports[0] == reports[1]


def test_issue13_a_near_duplicate_linked_before_its_original_is_embedded_by_its_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a near-copy dated before its original, which is stored (not linked) when the copy
    is sent to reading, is linked first and compared like any article, so it needs its own vector:
    its reading worker computes it, and linking's process runs no encoder. The stored vectors and
    the events are those of an ingest read in one process (where linking embeds the copy)."""
    body = " ".join(TEXTS)
    original = {"id": "orig", "title": "Peskov on the ceasefire", "outlet": "o1", "published": "2025-03-12",
                "text": body}  # fmt: skip
    near = {**original, "id": "near", "outlet": "o2", "published": "2025-03-10", "text": body + " By Jane Roe."}
    late = {**original, "id": "late", "outlet": "o3", "published": "2025-03-14", "text": body + " By Ann Lee."}
    # One article a chunk: the original's chunk is stored once 2 * processes chunks are in flight.
    records = [original, *({"id": f"f{i}", "outlet": "f", "published": "2025-03-11", "text": t}
                           for i, t in enumerate(FILLERS)), near, late]  # fmt: skip
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    results = {}
    for processes in (1, 2):
        settings = Settings(db=tmp_path / f"p{processes}.db")
        settings.read.processes, settings.read.pool_chunk = processes, 1
        with open_store(settings.db) as store, monkeypatch.context() as patch:
            if processes == 2:  # linking's process must not embed; the workers are other processes
                patch.setattr("storydesk.link.features.embed", _no_encoder)
            pipeline.ingest([str(source)], store, settings)
            by_outlet = {a.outlet: a for a in store.articles.iter_all()}
            assert by_outlet["o2"].duplicate_of == by_outlet["o3"].duplicate_of == by_outlet["o1"].id
            ids = [by_outlet[o].id for o in ("o1", "o2", "o3")]
            vectors = {k: v[0] for k, v in store.stories.article_features(ids).items()}  # type: ignore[attr-defined]
            results[processes] = ([vectors[i] for i in ids], [store.stories.story_of(i) for i in ids])
    assert results[2][0][1] is not None, "the worker did not embed the copy linked first"
    assert results[2][0][2] is None, "a copy linked after its original needs no vector"
    assert results[2] == results[1]


FILLERS = [
    "The ferry to Oskel resumes on Friday after the storm, the port authority said.",
    "Farmers in the northern valley expect a smaller wheat harvest after a dry spring.",
    "A museum in Lisbon reopened its tile collection to visitors after two years of repairs.",
    "The national football team named a new coach, a former goalkeeper, on Wednesday.",
    "Engineers tested a tidal turbine off the coast of Orkney through the winter months.",
]


def _no_encoder(texts: list[str]) -> object:
    raise AssertionError(f"linking's process embedded {len(texts)} texts")
