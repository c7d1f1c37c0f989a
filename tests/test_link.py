"""The link stage on the seeds and through the pipeline (link/__init__.py, issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk import pipeline
from storydesk.records import Entity
from storydesk.settings import Settings
from storydesk.store import SQLiteStore


def _entity_named(store: SQLiteStore, spelling: str) -> Entity:
    hits = [e for e in store.entities.list() if spelling in e.aliases]
    assert len(hits) == 1, [(e.name, e.aliases) for e in hits]
    return hits[0]


def test_seeds_link_into_one_story_with_merged_spellings(store: SQLiteStore, settings: Settings, seeds: Path) -> None:
    summary = pipeline.ingest([str(seeds)], store, settings)
    assert len(summary.new) == 2
    peskov = _entity_named(store, "Dmitri Peskov")
    assert "Dmitri Peskow" in peskov.aliases
    assert len(peskov.articles) == 2
    selenskyj = _entity_named(store, "Volodymyr Selenskyj")
    assert len(selenskyj.articles) == 2
    putin = _entity_named(store, "Putin")
    assert putin.id != peskov.id
    stories = store.stories.list()
    assert len(stories) == 1
    assert sorted(stories[0].articles) == sorted(summary.new)
    # Untitled files without an outlet: "unknown outlet", never a file name, and no independent voice (issues 10, 11).
    assert stories[0].outlets == ["unknown outlet"]
    assert stories[0].independent_outlets == 0
    assert stories[0].storyline is not None  # every event belongs to a storyline (issue 10)
    # Mentions in the stored articles carry their entity.
    article = store.articles.get(summary.new[0])
    assert all(m.entity for m in article.mentions)


def test_incremental_linking_matches_linking_all_at_once(store: SQLiteStore, settings: Settings, seeds: Path) -> None:
    files = sorted(str(p) for p in seeds.iterdir())
    pipeline.ingest(files[:1], store, settings)
    pipeline.ingest(files[1:], store, settings)
    first = {e.id: sorted(e.aliases) for e in store.entities.list()}
    stories = [s.articles for s in store.stories.list()]
    pipeline.relink(store, settings)
    assert {e.id: sorted(e.aliases) for e in store.entities.list()} == first
    assert [sorted(s.articles) for s in store.stories.list()] == [sorted(a) for a in stories]
    assert len(stories) == 1


def test_relink_after_a_settings_change_rebuilds_stories(store: SQLiteStore, settings: Settings, seeds: Path) -> None:
    pipeline.ingest([str(seeds)], store, settings)
    settings.link.event_threshold = 1000.0  # nothing can join anything
    settings.link.merge_threshold = 1000.0
    changed = pipeline.relink(store, settings)
    assert store.stories.count() == 2
    assert len(changed) == 2


def test_linking_with_nothing_new_changes_nothing(store: SQLiteStore, settings: Settings) -> None:
    assert pipeline.update_links(store, settings) == []


def test_stories_and_entities_commands_list_what_was_linked(
    tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from storydesk.cli import main
    from storydesk.cli.common import console

    monkeypatch.setattr(console, "width", 250)  # whole titles on one line

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "-q", "--db", db, str(seeds)]).exit_code == 0
    listed = runner.invoke(main, ["stories", "--db", db])
    assert listed.exit_code == 0
    assert "US Negotiators Head To Russia" in listed.output
    story_id = listed.output.split("s-", 1)[1].split()[0]
    actors = runner.invoke(main, ["entities", "--db", db, "--story", "s-" + story_id])
    assert actors.exit_code == 0
    # one entity under both spellings (aliases in the order the articles were linked)
    (row,) = [line for line in actors.output.splitlines() if "Dmitri Peskow" in line]
    assert "Dmitri Peskov" in row.replace("Dmitri Peskow", "")
    missing = runner.invoke(main, ["entities", "--db", db, "--story", "s-nope"])
    assert missing.exit_code == 1
    assert "no story" in missing.output
