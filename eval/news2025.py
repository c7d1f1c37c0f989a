"""news_stories_2025 (../shared/data/news_stories_2025): loading, ingesting into a cached store, gold labels.

Shared by eval/eval_events.py (grouping) and eval/eval_news_compare.py
(comparison). The texts are read from ../shared at run time and written
only to a temporary JSONL file outside the repository, which storydesk's
own JSONL ingester then reads, so the eval exercises the real pipeline:
language detection, near-duplicate marking, reading, storing.

Article ids are opaque (a hash of the slug): the slugs name the gold event,
and ids decide the order in which undated articles are linked, so slug ids
would hand the linker its articles sorted by event.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "news_stories_2025"
DateMode = Literal["none", "published", "bare"]
# none: no publication date given (the texts keep the " date YYYY-MM-DD" page line many begin with);
# published: the gold publication date given as metadata where the text states one;
# bare: no publication date and the leading page date line removed from the text as well.
DATE_MODES: tuple[DateMode, ...] = ("none", "published", "bare")


@dataclass(slots=True)
class Gold:
    slug_of: dict[str, str]  # opaque id -> slug
    event: dict[str, str]  # opaque id -> gold event
    storyline: dict[str, str]  # opaque id -> gold storyline (each distractor event its own storyline)
    language: dict[str, str]  # opaque id -> gold language
    duplicate_of: dict[str, str | None]  # opaque id -> opaque id of the original
    outlet: dict[str, str]
    rows: dict[str, dict[str, Any]]  # slug -> the JSONL row


def opaque(slug: str, salt: str = "") -> str:
    return hashlib.sha1(f"{salt}{slug}".encode()).hexdigest()[:16]


def load_rows(split: str | None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if split in (None, "all") or r["split"] == split]


def load_labels() -> dict[str, Any]:
    return json.loads((DATA / "labels.json").read_text(encoding="utf-8"))


def gold_for(rows: list[dict[str, Any]], salt: str = "") -> Gold:
    ids = {r["id"]: opaque(r["id"], salt) for r in rows}
    return Gold(
        slug_of={v: k for k, v in ids.items()},
        event={ids[r["id"]]: r["event"] for r in rows},
        # "distractors" are six unrelated events: each is its own storyline.
        storyline={ids[r["id"]]: r["event"] if r["storyline"] == "distractors" else r["storyline"] for r in rows},
        language={ids[r["id"]]: r["language"] for r in rows},
        duplicate_of={ids[r["id"]]: ids.get(r["duplicate_of"]) if r["duplicate_of"] else None for r in rows},
        outlet={ids[r["id"]]: r["outlet"] for r in rows},
        rows={r["id"]: r for r in rows},
    )


def _strip_date_line(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("date ") and len(stripped) > 5 and stripped[5:6].isdigit():
        return stripped[5:].split(" ", 1)[1] if " " in stripped[5:] else ""
    return text


def record(row: dict[str, Any], mode: DateMode, salt: str = "") -> dict[str, Any]:
    """The JSONL record storydesk ingests: id, url, outlet, text (and the publication date in "published" mode).

    No language and no title: storydesk detects the one, and the stored texts have none of the other.
    """
    out: dict[str, Any] = {"id": opaque(row["id"], salt), "url": row["url"], "outlet": row["outlet"]}
    out["text"] = _strip_date_line(row["text"]) if mode == "bare" else row["text"]
    if mode == "published" and row["published"]:
        out["published"] = row["published"]
    return out


def build_store(split: str, mode: DateMode, *, cache: Path, order_seed: int = 0, refresh: bool = False):  # type: ignore[no-untyped-def]
    """A store holding the split's articles, ingested (read, not linked) by storydesk's pipeline; cached.

    `order_seed` shuffles the arrival order (and salts the opaque ids, which
    order undated articles of one ingest second); 0 keeps the file order.
    """
    from storydesk import pipeline
    from storydesk.settings import Settings
    from storydesk.store import open_store

    salt = f"{order_seed}:" if order_seed else ""
    rows = load_rows(split)
    if order_seed:
        random.Random(order_seed).shuffle(rows)
    gold = gold_for(rows, salt)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"news2025-{split}-{mode}-o{order_seed}.db"
    if refresh and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    store = open_store(path)
    if store.articles.count() != len(rows):
        settings = Settings(db=path)
        with tempfile.TemporaryDirectory() as tmp:
            jsonl = Path(tmp) / f"news2025-{split}.jsonl"
            jsonl.write_text(
                "".join(json.dumps(record(r, mode, salt), ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
            )
            summary = pipeline.ingest([str(jsonl)], store, settings, link_and_compare=False)
        if summary.failed:
            raise RuntimeError(f"ingest failed: {summary.failed[:3]}")
    return store, gold
