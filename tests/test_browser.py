"""The web app in a real browser: Playwright driving Debian's Chromium (`make browser` installs it).

Skips, saying why, only where no Chromium is installed. Screenshots of the
sample story go to a temporary folder, or to docs/screenshots/ for the README
with `make screenshots` (STORYDESK_SCREENSHOTS=docs/screenshots): a plain test
run leaves the checkout as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
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
SCREENSHOTS = Path(os.environ.get("STORYDESK_SCREENSHOTS") or tempfile.mkdtemp(prefix="storydesk-shots-"))
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
        confident = settings.compare.confident_conflict  # the page shows these by default
        stories = [
            s
            for s in store.stories.list()
            if any(len({x.article for x in c.sides}) == 2 and c.confidence >= confident for c in s.conflicts)
        ]
        stored = store.articles.count()
    if not stories:
        pytest.skip("the examples' store has no story with a two-article conflict (link/compare output changed?)")
    story = stories[0]
    shown = [c for c in story.conflicts if c.confidence >= confident]
    conflict = next(c for c in shown if len({x.article for x in c.sides}) == 2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serve(create_app(settings)) as base:
        # issue 10: storylines with their events as a timeline, reached from the navigation
        page.goto(base + "/stories")
        page.locator("header nav").get_by_role("link", name="Storylines").click()
        page.wait_for_url("**/storylines")
        assert page.locator(f'.event-timeline a[href="/stories/{story.id}"]').count() == 1
        page.screenshot(path=str(SCREENSHOTS / "storylines.png"), full_page=True)
        page.goto(base + "/stories")
        page.screenshot(path=str(SCREENSHOTS / "stories.png"), full_page=True)
        page.locator("a.story-link").filter(has_text=story.title).click()
        page.wait_for_url(f"**/stories/{story.id}")
        card = page.locator("article.conflict-card").nth(shown.index(conflict))
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
        # issue 11: the indexes of articles and actors, reached from the navigation
        page.goto(base + "/stories")
        page.locator("header nav").get_by_role("link", name="Articles").click()
        page.wait_for_url("**/articles")
        assert page.locator("table.articles tbody tr").count() == stored
        assert "unknown outlet" not in page.locator("table.articles").inner_text()  # every example names its outlet
        page.screenshot(path=str(SCREENSHOTS / "articles.png"), full_page=True)
        page.locator("header nav").get_by_role("link", name="Actors").click()
        page.wait_for_url("**/actors")
        page.get_by_label("Type").select_option("person")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/actors?type=person*")
        assert page.locator("table.actors tbody tr").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "actors.png"), full_page=True)
        # the story page's export buttons download the report
        page.goto(base + f"/stories/{story.id}")
        with page.expect_download() as download:
            page.locator("nav.exports").get_by_role("link", name="Markdown").click()
        assert download.value.suggested_filename == f"story-{story.id[:12]}.md"
        assert Path(download.value.path()).read_text(encoding="utf-8").startswith("# storydesk report")


def test_ingest_form_reports_each_input(page, sample_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The form carries its CSRF token; the ingest runs in the background and its status line follows it."""
    uploads = []
    for n, place in enumerate(("north pier", "south quay", "old lighthouse")):
        upload = tmp_path / f"pier{n}.txt"
        upload.write_text(
            f"The harbour master said on Friday that the {place} would reopen to ferries next month after repairs. "
            f"Crews worked through the night on the {place}, the port authority said in a statement.",
            encoding="utf-8",
        )
        uploads.append(str(upload))
    page.goto(sample_url + "/ingest")
    assert page.locator("input[name=csrf_token]").get_attribute("value")
    page.get_by_label("Files").set_input_files(uploads)  # issue 11: every field has a working label
    page.get_by_label("URLs, one per line").fill("not a url")
    page.get_by_label("Outlet (optional)").fill("Harbour Radio")
    page.get_by_role("button", name="Ingest").click()
    page.wait_for_url("**/ingest/jobs/*")
    status = page.locator("p.status")
    first = status.inner_text()
    from playwright.sync_api import expect

    expect(status).to_have_text(re.compile(r"^Done"), timeout=120_000)  # the page's script polls the job
    assert status.inner_text() != first  # the line changed while the job ran
    rows = page.locator("section.results tbody tr")
    assert rows.count() == 4
    text = page.locator("section.results").inner_text()
    assert "pier0.txt" in text and "new" in text
    assert "not a url" in text and "not an http(s) URL" in text
    page.locator("section.results a[href^='/articles/']").first.click()
    assert "Harbour Radio" in page.locator("p.meta").first.inner_text()


def test_a_page_on_another_origin_cannot_plant_an_article(page, sample_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: a page elsewhere auto-submitted a form to POST /ingest and planted "PLANTED: ...", outlet Reuters."""
    import http.server
    import threading

    attack = (
        f'<form id=f method=post action="{sample_url}/ingest" enctype="multipart/form-data">'
        '<textarea name=jsonl>{"text": "PLANTED: the council rejects the ceasefire, officials said on Monday.", '
        '"outlet": "Reuters"}</textarea><input name=csrf_token value="1700000000.x.forged"></form>'
        "<script>document.getElementById('f').submit()</script>"
    )
    (tmp_path / "attack.html").write_text(attack, encoding="utf-8")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=evil.serve_forever, daemon=True)
    thread.start()
    try:
        # "localhost" is another origin than the app's 127.0.0.1, as any other site would be.
        page.goto(f"http://localhost:{evil.server_address[1]}/attack.html")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        assert "cross-site request refused" in page.locator("body").inner_text()
    finally:
        evil.shutdown()
        evil.server_close()
    page.goto(sample_url + "/search?q=PLANTED")
    assert "0 articles match" in page.locator("main").inner_text()


def test_a_dns_rebinding_name_gets_nothing(browser, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: any Host was served, so a rebinding page could read the store. Chromium is told that
    rebind.test is 127.0.0.1, as a rebinding DNS server would, and asks the app under that name."""
    port = sample_url.rsplit(":", 1)[1]
    rebinding = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"]
    )
    context = rebinding.new_context()
    tab = context.new_page()
    try:
        response = tab.goto(f"http://rebind.test:{port}/stories.json")
        assert response is not None and response.status == 400
        assert "is not served here" in tab.locator("body").inner_text()
        tab.goto(f"http://rebind.test:{port}/stories/{STORY_ID}")
        assert "Harbour flood wall" not in tab.content()
    finally:
        context.close()
        rebinding.close()


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


def test_a_locked_desk_asks_for_the_token_and_remembers_it(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: beyond loopback a desk needs an access token; a reader can read but not ingest."""
    db = tmp_path / "store.db"
    with open_store(db) as store:
        build_sample(store, hostile=False)
    users = tmp_path / "users"
    users.write_text("rick read reader-token-0123456789\n", encoding="utf-8")
    settings = Settings(db=db)
    settings.web.users_file = users
    with serve(create_app(settings)) as base:
        page.goto(base + f"/stories/{STORY_ID}")
        page.wait_for_url("**/login?next=*")
        page.get_by_label("Access token").fill("wrong-token-000000000")
        page.get_by_role("button", name="Log in").click()
        assert "not valid" in page.locator("main").inner_text()
        page.get_by_label("Access token").fill("reader-token-0123456789")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"**/stories/{STORY_ID}")
        assert page.locator("h1").inner_text() == "Harbour flood wall approved"
        page.goto(base + "/ingest")
        page.get_by_label("JSONL, one article per line").fill(
            '{"text": "A reader tries to add an article to the desk today."}'
        )
        page.get_by_role("button", name="Ingest").click()
        assert "may read but not write" in page.locator("body").inner_text()


def test_read_only_desk_has_no_ingest(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "store.db"
    with open_store(db) as store:
        build_sample(store, hostile=False)
    settings = Settings(db=db)
    settings.web.read_only = True
    with serve(create_app(settings)) as base:
        page.goto(base + "/stories")
        assert page.locator("header nav a").all_inner_texts() == ["Storylines", "Stories", "Articles", "Actors", "API"]
        response = page.goto(base + "/ingest")
        assert response is not None and response.status == 404


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
