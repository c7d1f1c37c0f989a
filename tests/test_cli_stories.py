"""`storydesk stories` (issue 10): storylines with their events as a timeline, `--flat` for events alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli import main
from storydesk.records import Story, Storyline, StorylineEvent
from storydesk.store import open_store
from tests.fixtures.compare.build import article


def _fill(db: Path) -> None:
    with open_store(db) as store:
        for n in range(1, 5):
            store.articles.add(article(f"a{n}", f"Article number {n} about something.", outlet=f"Outlet {n}"))
        events = [
            Story(id="s-talks", title="Talks in Riyadh end", articles=["a1", "a2"], storyline="l-truce",
                  first_day="2025-03-11", last_day="2025-03-11", day_source="dated", independent_outlets=2),
            Story(id="s-call", title="Leaders hold a phone call", articles=["a3"], storyline="l-truce",
                  first_day="2025-03-18", last_day="2025-03-18", day_source="mentioned", independent_outlets=1),
            Story(id="s-quake", title="Earthquake in Myanmar", articles=["a4"], storyline="l-quake"),
        ]  # fmt: skip
        for story in events:
            store.stories.save(story)
        store.storylines.save(
            Storyline(
                id="l-truce",
                title="Truce talks",
                events=["s-talks", "s-call"],
                timeline=[
                    StorylineEvent("s-talks", "Talks in Riyadh end", "2025-03-11", "dated", 2, 2, ["en"]),
                    StorylineEvent("s-call", "Leaders hold a phone call", "2025-03-18", "mentioned", 1, 1, ["de"]),
                ],
                article_count=3,
                first_day="2025-03-11",
                last_day="2025-03-18",
            )
        )
        store.storylines.save(
            Storyline(id="l-quake", title="Earthquake", events=["s-quake"],
                      timeline=[StorylineEvent("s-quake", "Earthquake in Myanmar", None, None, 1, 0, [])], article_count=1)
        )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from storydesk.cli.common import console

    monkeypatch.setattr(console, "width", 200)
    path = tmp_path / "s.db"
    _fill(path)
    return path


def test_storylines_with_their_events_in_time_order(db: Path) -> None:
    out = CliRunner().invoke(main, ["stories", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "2 storylines" in out.output and "3 events in them" in out.output
    assert "Truce talks" in out.output and "Earthquake" in out.output
    assert out.output.index("Talks in Riyadh end") < out.output.index("Leaders hold a phone call")
    assert "2025-03-18 (mentioned)" in out.output and "undated" in out.output


def test_one_storyline_by_prefix_and_flat_events(db: Path) -> None:
    one = CliRunner().invoke(main, ["stories", "--db", str(db), "--storyline", "l-tru"])
    assert one.exit_code == 0 and "Talks in Riyadh end" in one.output and "Earthquake" not in one.output
    flat = CliRunner().invoke(main, ["stories", "--db", str(db), "--flat"])
    assert flat.exit_code == 0 and "3 events" in flat.output and "l-truce" in flat.output
    missing = CliRunner().invoke(main, ["stories", "--db", str(db), "--storyline", "l-none"])
    assert missing.exit_code == 1 and "no storyline" in missing.output
