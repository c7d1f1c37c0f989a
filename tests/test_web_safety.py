"""Article text is untrusted: pages escape it everywhere and forbid scripts; the server binds to loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from storydesk.cli import main
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from tests.fixtures.web.sample import HOSTILE_ENTITY, STORY_ID, build_sample
from tests.fixtures.web.server import serve

HTML = {"accept": "text/html"}


class Executable(HTMLParser):
    """Collects what a browser would run: script/img/iframe elements (but the app's own /static scripts),
    on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        own_script = tag == "script" and (dict(attrs).get("src") or "").startswith("/static/")
        if tag in ("script", "img", "iframe", "object", "embed") and not own_script:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def executable(page: str) -> list[str]:
    parser = Executable()
    parser.feed(page)
    return parser.found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, list[str]]]:
    db = Path(tmp_path_factory.mktemp("web-safety")) / "store.db"
    with open_store(db) as store:
        story = build_sample(store, hostile=True)
    with serve(create_app(Settings(db=db))) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client, story.articles


def _pages(articles: list[str]) -> list[str]:
    return [
        "/stories",
        f"/stories/{STORY_ID}",
        f"/articles/{articles[-1]}",
        f"/actors/{HOSTILE_ENTITY}",
        "/search?q=message",
        "/stories?q=pwned",
    ]


@pytest.mark.parametrize("index", range(6))
def test_hostile_text_is_shown_as_text_never_as_markup(hostile: tuple[httpx.Client, list[str]], index: int) -> None:
    client, articles = hostile
    page = client.get(_pages(articles)[index], headers=HTML)
    assert page.status_code == 200
    assert executable(page.text) == []
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text  # shown, escaped


def test_json_keeps_the_text_as_it_was(hostile: tuple[httpx.Client, list[str]]) -> None:
    client, articles = hostile
    data = client.get(f"/articles/{articles[-1]}.json").json()
    assert "<script>window.__pwned = 1</script>" in data["article"]["text"]
    assert client.get(f"/articles/{articles[-1]}.json").headers["content-type"] == "application/json"


def test_pages_forbid_inline_scripts_and_other_origins(hostile: tuple[httpx.Client, list[str]]) -> None:
    client, _ = hostile
    headers = client.get("/stories", headers=HTML).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"


def test_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000


def test_serve_exposed_needs_a_token_and_then_says_who_may_use_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 11: --host 0.0.0.0 used to serve with only a warning; now it needs an access token."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    monkeypatch.delenv("STORYDESK_TOKEN", raising=False)
    monkeypatch.delenv("STORYDESK_USERS", raising=False)
    args = ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "needs an access token" in refused.output
    monkeypatch.setenv("STORYDESK_TOKEN", "a-long-enough-token-0123")
    served = CliRunner().invoke(main, [*args, "--allowed-host", "desk.example.org"])
    assert served.exit_code == 0, served.output
    assert "access token required" in served.output and "desk.example.org" in served.output


@pytest.mark.parametrize(
    "markup",
    [
        "<script>x()</script>",
        '<script src="https://cdn.example/x.js"></script>',
        '<img src=x onerror="x()">',
        '<a href="javascript:x()">a</a>',
        '<b onclick="x()">b</b>',
    ],
)
def test_the_check_above_finds_executable_markup(markup: str) -> None:
    assert executable(f"<p>{markup}</p>") != []


def test_serve_with_workers_hands_the_store_to_each_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    monkeypatch.delenv("STORYDESK_DB", raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "w.db"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen["app"] == "storydesk.web.app:app_from_env" and seen["workers"] == 2 and seen["factory"] is True
    assert os.environ["STORYDESK_DB"] == str(tmp_path / "w.db")
    monkeypatch.delenv("STORYDESK_DB")
