"""The web app in a real browser: Playwright driving Debian's Chromium (`make browser` installs it).

Skips, saying why, only where no Chromium is installed. Screenshots of the
sample story go to docs/screenshots/ for the README.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storydesk import pipeline
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from tests.fixtures.web.sample import MAYOR, STORY_ID, build_sample
from tests.fixtures.web.server import serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium, or `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _served(folder: Path, *, hostile: bool) -> Iterator[str]:
    db = folder / "store.db"
    with open_store(db) as store:
        build_sample(store, hostile=hostile)
    with serve(create_app(Settings(db=db))) as base:
        yield base


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _served(tmp_path_factory.mktemp("browser-sample"), hostile=False)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _served(tmp_path_factory.mktemp("browser-hostile"), hostile=True)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def test_from_the_stories_list_to_a_conflict_and_an_actor(page, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(sample_url + "/stories")
    assert page.locator("h1").inner_text().startswith("Stories")

    page.get_by_role("link", name="Harbour flood wall approved").click()
    page.wait_for_url(f"**/stories/{STORY_ID}")
    attribution = page.locator("article.conflict-card").filter(has_text="Who said").first
    sides = attribution.locator("mark.side")
    assert sides.all_inner_texts() == [
        "The money is on the table.",
        "The money is on the table, but the timetable is not.",
    ]
    assert sides.first.is_visible() and sides.last.is_visible()
    assert "Harbour Herald" in attribution.inner_text() and "Coastal Courier" in attribution.inner_text()
    assert page.locator("svg.chart .bar").count() == 2

    attribution.get_by_role("link", name="Lena Ortiz").click()  # the side's speaker
    page.wait_for_url(f"**/actors/{MAYOR}")
    assert page.locator("h1").inner_text().startswith("Lena Ortiz")
    assert "Where outlets disagree about Lena Ortiz" in page.locator("#disagreements").inner_text()

    page.locator("#quotes").get_by_role("link", name="article").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".article-body mark.quote").first.inner_text() == "The money is on the table."


def test_bundled_examples_story_in_the_browser_and_screenshots(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`make demo`'s story: ingest examples/, open its conflict, follow an actor; the README's screenshots."""
    settings = Settings(db=tmp_path / "examples.db")
    with open_store(settings.db) as store:
        pipeline.ingest([str(ROOT / "examples")], store, settings)
        stories = [s for s in store.stories.list() if any(len({x.article for x in c.sides}) == 2 for c in s.conflicts)]
    if not stories:
        pytest.skip("the examples' store has no story with a two-article conflict (link/compare output changed?)")
    story = stories[0]
    conflict = next(c for c in story.conflicts if len({x.article for x in c.sides}) == 2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serve(create_app(settings)) as base:
        page.goto(base + "/stories")
        page.screenshot(path=str(SCREENSHOTS / "stories.png"), full_page=True)
        page.locator("a.story-link").filter(has_text=story.title).click()
        page.wait_for_url(f"**/stories/{story.id}")
        card = page.locator("article.conflict-card").nth(story.conflicts.index(conflict))
        marked = card.locator("mark.side").all_inner_texts()
        assert [m.strip() for m in marked] == [s.text.strip() for s in conflict.sides]
        assert card.locator("mark.side").last.is_visible()
        page.screenshot(path=str(SCREENSHOTS / "story.png"), full_page=True)
        # the actor page of a speaker in the conflict, when the story lists one
        speakers = [x.speaker for x in conflict.sides if x.speaker]
        named = page.locator("#actors a").filter(has_text=speakers[0]) if speakers else None
        (named.first if named is not None and named.count() else page.locator("#actors a").first).click()
        page.wait_for_url("**/actors/*")
        assert page.locator("#spellings li").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "actor.png"), full_page=True)
        page.goto(base + f"/articles/{conflict.sides[0].article}")
        assert page.locator(".article-body mark, .article-body a").count() > 0
        page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=True)


def test_ingest_form_reports_each_input(page, sample_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    upload = tmp_path / "pier.txt"
    upload.write_text(
        "The harbour master said on Friday that the north pier would reopen to ferries next month after repairs.",
        encoding="utf-8",
    )
    page.goto(sample_url + "/ingest")
    page.set_input_files("input[name=files]", str(upload))
    page.fill("textarea[name=urls]", "not a url")
    page.get_by_role("button", name="Ingest").click()
    page.wait_for_selector("section.results")
    rows = page.locator("section.results tbody tr")
    assert rows.count() == 2
    text = page.locator("section.results").inner_text()
    assert "pier.txt" in text and "new" in text
    assert "not a url" in text and "not an http(s) URL" in text


def test_hostile_markup_never_runs(page, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(hostile_url + f"/stories/{STORY_ID}")
    hostile_article = page.locator("#articles a").filter(has_text="Hostile").get_attribute("href")
    for path in ("/stories", f"/stories/{STORY_ID}", hostile_article, "/actors/ent-hostile", "/search?q=message"):
        page.goto(hostile_url + str(path))
        page.locator("main a, main mark").first.hover()  # an onmouseover would fire here
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("main script, main img").count() == 0, path
    assert dialogs == [] and errors == []


@pytest.mark.shared
def test_seeds_story_shows_the_ball_in_court_conflict(page, seeds: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(db=tmp_path / "seeds.db")
    with open_store(settings.db) as store:
        pipeline.ingest([str(seeds)], store, settings)
        found = [
            (story, conflict)
            for story in store.stories.list()
            for conflict in story.conflicts
            if conflict.kind == "quote_attribution" and any("court" in side.text for side in conflict.sides)
        ]
    if not found:
        pytest.skip("the store built from ../shared/seeds has no quote_attribution conflict about the ball's court yet")
    story, conflict = found[0]
    with serve(create_app(settings)) as base:
        page.goto(base + f"/stories/{story.id}")
        card = page.locator("article.conflict-card").filter(has_text="court").first
        marked = card.locator("mark.side").all_inner_texts()
        assert len(marked) >= 2
        assert all("court" in words for words in marked[:2])
        assert len({side.article for side in conflict.sides}) == 2


@pytest.mark.parametrize("renderer", ["python-markdown", "markdown-it"])
def test_markdown_export_opened_in_chromium_runs_nothing(page, tmp_path: Path, renderer: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: the Markdown export, rendered by a real Markdown library and opened in Chromium, runs no script."""
    from tests.test_export import _rendered, hostile_markdown

    html = _rendered(hostile_markdown(tmp_path), renderer)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    target = tmp_path / "report.html"
    target.write_text(f"<!doctype html><meta charset=utf-8><body>{html}</body>", encoding="utf-8")
    page.goto(target.as_uri())
    page.wait_for_load_state("load")
    for link in page.locator("a").all():
        link.click(no_wait_after=True)  # a javascript: link would run here
    page.locator("body").hover()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script, img, iframe, svg").count() == 0
    assert "<script>window.__pwned = 1</script>" in page.locator("body").inner_text()  # shown as text
    assert dialogs == []
