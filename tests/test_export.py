"""Story reports: JSON contract, Markdown, self-contained HTML, and `storydesk story`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from storydesk.cli import main
from storydesk.compare import compare_stories
from storydesk.export.html import report_html
from storydesk.export.markdown import report_markdown
from storydesk.export.report import build_report, validate_report
from storydesk.records import Story
from storydesk.settings import Settings
from storydesk.store import open_store
from tests.fixtures.compare.build import article

LEAD = "Talks on the truce in Arlen went on through the night in the old palace. "


def _articles():  # type: ignore[no-untyped-def]
    a = article(
        "art-a",
        LEAD + 'U.S. President Jane Roe said: "The door to peace is open <script>alert(1)</script>."',
        outlet="One & Co",
        people=[("Jane Roe", "U.S. President")],
        quotes=[("Jane Roe", "The door to peace is open <script>alert(1)</script>.", "direct")],
    )
    b = article(
        "art-b",
        LEAD
        + 'Former President Jane Roe was there. Max Poe said: "The door to peace is now open <script>alert(1)</script>."',
        outlet="Two",
        people=[("Jane Roe", "Former President"), ("Max Poe", None)],
        quotes=[("Max Poe", "The door to peace is now open <script>alert(1)</script>.", "direct")],
    )
    return [a, b]


def _fill(store) -> None:  # type: ignore[no-untyped-def]
    articles = _articles()
    for a in articles:
        store.articles.add(a)
    store.stories.save(Story(id="story-1", title="Truce <b>talks</b>", articles=[a.id for a in articles]))
    compare_stories(store, ["story-1"], Settings().compare)


def test_json_report_with_findings_validates_against_the_contract(store) -> None:  # type: ignore[no-untyped-def]
    _fill(store)
    report = build_report(store)
    validate_report(report)
    (story,) = report["stories"]
    assert {c["kind"] for c in story["conflicts"]} == {"quote_attribution", "role"}
    assert story["brief"] and story["timeline"] and story["single_source"]
    assert json.loads(json.dumps(report)) == report


def test_markdown_shows_conflicts_with_both_sides_words(store) -> None:  # type: ignore[no-untyped-def]
    _fill(store)
    text = report_markdown(build_report(store))
    for heading in (
        "### Brief",
        "### Conflicts",
        "### Corroborated",
        "### Single source",
        "### Who said what",
        "### Timeline",
    ):
        assert heading in text
    assert "One & Co — Jane Roe: “The door to peace is open <script>alert(1)</script>.”" in text
    assert "Two — Max Poe: “The door to peace is now open" in text
    assert "| statement | One & Co | Two |" in text  # the source-by-statement matrix


def test_html_is_self_contained_and_escapes_article_text(store) -> None:  # type: ignore[no-untyped-def]
    _fill(store)
    page = report_html(build_report(store))
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Truce &lt;b&gt;talks&lt;/b&gt;" in page and "One &amp; Co" in page
    assert "<svg" in page and "<circle" in page  # the source-by-statement matrix
    assert not re.search(r"\b(src|href)\s*=", page)  # nothing to fetch
    assert "default-src 'none'" in page


def test_html_of_an_empty_store(store) -> None:  # type: ignore[no-untyped-def]
    page = report_html(build_report(store))
    assert page.startswith("<!doctype html>") and "No stories" in page


def test_story_command_shows_the_report(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        _fill(store)
    runner = CliRunner()
    result = runner.invoke(main, ["story", "--db", str(db), "story-1"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for words in (
        "Brief",
        "Conflicts (2)",
        "quote_attribution",
        "Max Poe",
        "Jane Roe",
        "Former President",
        "Actors and who said what",
    ):
        assert words in result.output
    everything = runner.invoke(main, ["story", "--db", str(db)], terminal_width=200)
    assert everything.exit_code == 0 and "Truce <b>talks</b>" in everything.output
    missing = runner.invoke(main, ["story", "--db", str(db), "nope"])
    assert missing.exit_code == 1 and "no story" in missing.output


def test_story_command_on_an_empty_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["story", "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 0 and "no stories yet" in result.output


def test_export_html_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        _fill(store)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")
