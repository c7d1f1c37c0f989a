"""Duplicates (issue 2): exact copies stored once, lightly edited wire copies marked, distinct reports kept apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from storydesk.ingest import dedup
from storydesk.ingest.common import make_article
from storydesk.ingest.text import read_text_file
from storydesk.records import Article
from storydesk.settings import IngestSettings
from storydesk.store import SQLiteStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SETTINGS = IngestSettings()


def _store(article: Article, store: SQLiteStore) -> str:
    """What the pipeline's store step does: mark, add, index, in one transaction."""
    with store.transaction():
        dedup.mark_near_duplicate(article, store, SETTINGS)
        outcome = store.articles.add(article)
        if outcome == "new":
            dedup.index_article(article, store, SETTINGS)
    return outcome


def _wire() -> Article:
    return read_text_file(EXAMPLES / "northern_wire.txt")


def _reprint(original: Article, *, source: str, outlet: str) -> Article:
    """A syndicated copy: new dateline and title, a word changed here and there, the last paragraph cut."""
    paragraphs = [
        p.replace("BRENNICK, Valdoria (Northern Wire) - ", "")
        .replace("officials said", "according to officials")
        .replace("news conference", "press conference")
        for p in original.paragraphs[:-1]
    ]
    return make_article(
        source=source, url=source, outlet=outlet, title="Valley flooded as dam gate fails", paragraphs=paragraphs
    )


def test_lightly_edited_wire_copy_under_another_url_is_stored_and_marked(store: SQLiteStore) -> None:
    wire = _wire()
    assert _store(wire, store) == "new"
    copy = _reprint(wire, source="https://gazette.example/valley-flooded", outlet="Gazette")
    assert copy.content_hash != wire.content_hash
    assert _store(copy, store) == "new"
    stored = store.articles.get(copy.id)
    assert stored.duplicate_of == wire.id
    assert stored.outlet == "Gazette"  # kept as evidence of who published it
    assert store.articles.count() == 2


def test_a_copy_of_a_copy_points_at_the_original(store: SQLiteStore) -> None:
    wire = _wire()
    _store(wire, store)
    first = _reprint(wire, source="https://a.example/1", outlet="A")
    _store(first, store)
    second = make_article(source="https://b.example/2", paragraphs=[*first.paragraphs[:-1], "Updated at 18:00."])
    _store(second, store)
    assert store.articles.get(second.id).duplicate_of == wire.id


@pytest.mark.parametrize("other", ["valdoria_herald.txt", "brennick_courier.txt"])
def test_distinct_reports_of_the_same_event_are_not_duplicates(store: SQLiteStore, other: str) -> None:
    _store(_wire(), store)
    article = read_text_file(EXAMPLES / other)
    assert _store(article, store) == "new"
    assert store.articles.get(article.id).duplicate_of is None


def test_exact_copy_is_stored_once_and_both_sources_are_known(store: SQLiteStore, tmp_path: Path) -> None:
    wire = _wire()
    _store(wire, store)
    # the same text saved again elsewhere, with different line wrapping and spacing
    resaved = tmp_path / "copy.txt"
    resaved.write_text(
        (EXAMPLES / "northern_wire.txt").read_text(encoding="utf-8").replace(". ", ".  "), encoding="utf-8"
    )
    again = read_text_file(resaved)
    assert again.content_hash == wire.content_hash
    assert _store(again, store) == "duplicate"
    assert store.articles.count() == 1
    assert sorted(store.articles.sources(wire.id)) == sorted([wire.source, str(resaved)])


def test_reused_id_for_other_content_keeps_both(store: SQLiteStore) -> None:
    first = make_article(
        source="dump.jsonl:1", id="42", paragraphs=["The harbour bridge was closed to lorries on Monday."]
    )
    second = make_article(
        source="dump.jsonl:2", id="42", paragraphs=["The ferry to Oskel will resume on Friday, the port said."]
    )
    assert (_store(first, store), _store(second, store)) == ("new", "new")
    assert store.articles.count() == 2
    assert second.id.startswith("42-")


def test_signature_is_datasketchs_minhash() -> None:
    """The vectorised sketch computes exactly what datasketch's MinHash does for the same shingle hashes."""
    hashes = dedup.shingle_hashes(_wire().text, SETTINGS.shingle_size)
    reference = MinHash(
        num_perm=SETTINGS.minhash_perm,
        seed=1,
        scheme="affine32",
        hashfunc=int,
        permutations=dedup._permutations(SETTINGS.minhash_perm),
    )
    reference.update_batch(hashes.tolist())
    assert np.array_equal(dedup.signature(hashes, SETTINGS.minhash_perm), reference.hashvalues)


def test_shingles_tell_word_order_apart() -> None:
    """Same words, other order: mostly other shingles, so a reshuffled text is no copy."""
    text = "the minister said the dam gate failed after the storm on tuesday night"
    reordered = "on tuesday night after the storm the dam gate failed the minister said"
    a, b = (dedup.shingle_hashes(t, 5) for t in (text, reordered))
    assert len(a) == len(text.split()) - 4
    assert len(np.intersect1d(a, b)) <= 2


def _update(original: Article, *, source: str, title: str | None) -> Article:
    """A later version of a story: the lead kept with a new figure, two paragraphs rewritten, one added."""
    paragraphs = [p.replace("More than 1,100", "More than 2,400") for p in original.paragraphs]
    paragraphs[-1] = "Schools across the valley reopened on Friday as the water receded from the last village."
    paragraphs[-2] = "Engineers from Aldmoor Hydro began repairs on Thursday; the gate is expected to work by June."
    paragraphs[-3] = "The interior ministry doubled its emergency aid, officials told reporters in the capital."
    paragraphs.append(
        "Insurers said claims were being handled within a week, according to the regional insurers' union."
    )
    return make_article(source=source, url=source, title=title, paragraphs=paragraphs)


def test_updated_version_of_a_story_counts_as_its_copy_issue10(store: SQLiteStore) -> None:
    """An update that kept its lead and half its sentences (new toll) is one voice with the first version."""
    wire = _wire()
    _store(wire, store)
    update = _update(
        wire, source="https://aggregator.example/news/dam-gate-failure-floods-valdorian-valley-live", title=None
    )
    sig, size = dedup.minhash(update.text, SETTINGS)
    other, other_size = dedup.minhash(wire.text, SETTINGS)
    score = dedup.containment(dedup.jaccard(sig, other), size, other_size)
    assert SETTINGS.version_containment <= score < SETTINGS.near_dup_threshold  # not a copy by shingles alone
    _store(update, store)
    assert store.articles.get(update.id).duplicate_of == wire.id


def test_versions_found_by_their_url_slug_across_domains_issue10(store: SQLiteStore) -> None:
    """A republisher keeps the original's slug; the lead sentence changed too, so only the slug finds it."""
    base = "https://first.example/news/dam-gate-failure-floods-valdorian-valley-no-deaths"
    wire = _wire()
    first = make_article(source=base, url=base, paragraphs=wire.paragraphs)
    _store(first, store)
    update = _update(
        wire, source="https://other.example/dam-gate-failure-floods-valdorian-valley-no-deaths-other", title=None
    )
    kept = [p for p in update.paragraphs if "Farmers count" not in p and "(Northern Wire)" not in p]
    update = make_article(source=update.source, url=update.url, paragraphs=kept)
    assert {band for band, _ in set(dedup.version_keys(update)) & set(dedup.version_keys(first))} == {-2}
    _store(update, store)
    assert store.articles.get(update.id).duplicate_of == first.id


def test_same_opening_sentence_without_shared_text_is_not_a_copy_issue10(store: SQLiteStore) -> None:
    """A version key only proposes a candidate: two reports that share one stock sentence stay apart."""
    wire = _wire()
    _store(wire, store)
    herald = read_text_file(EXAMPLES / "valdoria_herald.txt")
    opening = next(p for p in wire.paragraphs if len(p.split()) > 12)
    other = make_article(source="https://herald.example/x", paragraphs=[opening, *herald.paragraphs])
    assert set(dedup.version_keys(other)) & set(dedup.version_keys(wire))
    _store(other, store)
    assert store.articles.get(other.id).duplicate_of is None


def test_the_store_step_makes_version_keys_and_sketch_once(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lookup and the index share one sketch and one set of version keys per stored article."""
    from storydesk import pipeline
    from storydesk.settings import Settings

    calls = {"keys": 0, "minhash": 0}
    keys, minhash = dedup.version_keys, dedup.minhash

    def counted_keys(article: Article) -> list[tuple[int, str]]:
        calls["keys"] += 1
        return keys(article)

    def counted_minhash(text: str, settings: IngestSettings) -> tuple[np.ndarray, int]:
        calls["minhash"] += 1
        return minhash(text, settings)

    monkeypatch.setattr(dedup, "version_keys", counted_keys)
    monkeypatch.setattr(dedup, "minhash", counted_minhash)
    wire = _wire()
    assert pipeline.store_article(wire, store, Settings()) == "new"
    copy = _reprint(wire, source="https://gazette.example/valley-flooded", outlet="Gazette")
    assert pipeline.store_article(copy, store, Settings()) == "near_duplicate"
    assert store.articles.get(copy.id).duplicate_of == wire.id
    assert calls == {"keys": 2, "minhash": 2}
