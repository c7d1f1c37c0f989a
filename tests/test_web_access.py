"""Who may reach the web app and write to it (issue 11): host allowlist, CSRF, same origin, tokens, read-only.

Raw requests against a real server on loopback; tests/test_browser.py does the
same from Chromium.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner

from storydesk.cli import main
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from storydesk.web.deps import require_csrf
from storydesk.web.security import Access, SecurityConfigError, check_exposure, read_users
from tests.fixtures.web.sample import STORY_ID, build_sample
from tests.fixtures.web.server import serve

HTML = {"accept": "text/html"}
WRITER = "writer-token-0123456789"
READER = "reader-token-0123456789"
ARTICLE = json.dumps({"text": "The ferry to the island sailed again on Monday after a week of storms at sea."})


def _store(folder: Path) -> Path:
    db = folder / "store.db"
    with open_store(db) as store:
        build_sample(store, hostile=False)
    return db


@pytest.fixture(scope="module")
def open_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The laptop default: loopback, no token."""
    settings = Settings(db=_store(tmp_path_factory.mktemp("open")))
    settings.web.allowed_hosts = ("desk.example.org", ".newsroom.example")
    with serve(create_app(settings)) as base:
        yield base


@pytest.fixture(scope="module")
def locked_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A desk with a users file: one writer, one reader."""
    folder = tmp_path_factory.mktemp("locked")
    users = folder / "users"
    users.write_text(f"# name role token\nwanda write {WRITER}\nrick read {READER}\n", encoding="utf-8")
    settings = Settings(db=_store(folder))
    settings.web.users_file = users
    with serve(create_app(settings)) as base:
        yield base


def _token(client: httpx.Client) -> str:
    return client.get("/csrf.json").json()["csrf_token"]


# -- Host allowlist (DNS rebinding) ------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 400),
        ("evil.example:8000", 400),
        ("127.0.0.1.evil.example", 400),
        ("localhost.evil.example", 400),
        ("newsroom.example.evil.example", 400),
        ("127.0.0.1", 200),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("[::1]:8000", 200),
        ("desk.example.org", 200),
        ("desk.example.org.", 200),
        ("wire.newsroom.example", 200),
    ],
)
def test_every_request_needs_an_allowed_host(open_desk: str, host: str, status: int) -> None:
    response = httpx.get(open_desk + "/stories.json", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        assert "is not served here" in response.json()["error"]


def test_a_request_without_a_host_header_is_refused(open_desk: str) -> None:
    parts = urlsplit(open_desk)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GET /stories.json HTTP/1.0\r\n\r\n")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400")


# -- CSRF and same origin ----------------------------------------------------


def test_a_write_without_a_csrf_token_is_refused(open_desk: str) -> None:
    """Issue 11: a page on another origin could auto-submit a form to POST /ingest and plant an article."""
    with httpx.Client(base_url=open_desk, timeout=60) as client:
        before = client.get("/articles.json").json()["total"]
        planted = client.post("/ingest", data={"jsonl": ARTICLE, "outlet": "Reuters"})
        assert planted.status_code == 403
        assert "CSRF token" in planted.json()["error"]
        forged = client.post("/ingest", data={"jsonl": ARTICLE, "csrf_token": "1.abc.0123456789abcdef"})
        assert forged.status_code == 403
        assert client.get("/articles.json").json()["total"] == before


def test_a_write_with_a_token_from_csrf_json_goes_through(open_desk: str) -> None:
    with httpx.Client(base_url=open_desk, timeout=120) as client:
        token = _token(client)
        as_field = client.post("/ingest", data={"jsonl": ARTICLE, "csrf_token": token})
        assert as_field.status_code == 200 and as_field.json()["summary"]["new"] == 1
        as_header = client.post(
            "/ingest", content=ARTICLE + "\n", headers={"content-type": "application/x-ndjson", "x-csrf-token": token}
        )
        assert as_header.status_code == 200 and as_header.json()["summary"]["duplicate"] == 1


def test_an_expired_csrf_token_is_refused(open_desk: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with httpx.Client(base_url=open_desk, timeout=60) as client:
        token = _token(client)
        issued, rest = token.split(".", 1)
        access = Access(Settings().web)
        assert not access.csrf_valid(token, None)  # another server's secret
        monkeypatch.setattr(time, "time", lambda: int(issued) + 25 * 3600)
        response = client.post("/ingest", data={"jsonl": ARTICLE, "csrf_token": token})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"referer": "http://evil.example/attack.html"},
    ],
)
def test_a_cross_site_write_is_refused_even_with_a_token(open_desk: str, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=open_desk, timeout=60) as client:
        token = _token(client)
        response = client.post("/ingest", data={"jsonl": ARTICLE, "csrf_token": token}, headers=headers)
    assert response.status_code == 403
    assert "cross-site request refused" in response.json()["error"]


def test_a_same_origin_browser_write_goes_through(open_desk: str) -> None:
    with httpx.Client(base_url=open_desk, timeout=120) as client:
        token = _token(client)
        same = {"origin": open_desk, "sec-fetch-site": "same-origin", "referer": open_desk + "/ingest"}
        text = json.dumps({"text": "The island's harbour master said the new pier would open in the spring."})
        response = client.post("/ingest", data={"jsonl": text, "csrf_token": token}, headers=same)
    assert response.status_code == 200


def test_every_write_route_requires_a_csrf_token(tmp_path: Path) -> None:
    """Any future write route must declare the CSRF dependency: this test lists those that do not."""
    app = create_app(Settings(db=tmp_path / "s.db"))

    def routes(items):  # type: ignore[no-untyped-def]
        for route in items:
            if hasattr(route, "original_router"):
                yield from routes(route.original_router.routes)
            else:
                yield route

    unsafe = [r for r in routes(app.routes) if set(getattr(r, "methods", ())) - {"GET", "HEAD", "OPTIONS"}]
    assert {r.path for r in unsafe} == {"/ingest", "/login", "/logout"}
    missing = [r.path for r in unsafe if require_csrf not in [d.call for d in r.dependant.dependencies]]
    assert missing == []


# -- Access tokens and roles -------------------------------------------------


def test_without_a_credential_nothing_is_served(locked_desk: str) -> None:
    for path in ("/stories.json", f"/stories/{STORY_ID}.json", "/search.json?q=wall", "/actors.json", "/csrf.json"):
        response = httpx.get(locked_desk + path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert (
        httpx.get(locked_desk + "/stories.json", headers={"authorization": "Bearer wrong-token-000000000"}).status_code
        == 401
    )
    page = httpx.get(locked_desk + f"/stories/{STORY_ID}", headers=HTML)
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=%2Fstories%2F{STORY_ID}"
    assert httpx.get(locked_desk + "/static/style.css").status_code == 200  # the login page's CSS


def test_a_bearer_token_reads_and_a_writer_writes(locked_desk: str) -> None:
    reader = {"authorization": f"Bearer {READER}"}
    writer = {"authorization": f"Bearer {WRITER}"}
    assert httpx.get(locked_desk + "/stories.json", headers=reader).json()["total"] == 1
    refused = httpx.post(locked_desk + "/ingest", data={"jsonl": ARTICLE}, headers=reader, timeout=60)
    assert refused.status_code == 403 and "may read but not write" in refused.json()["error"]
    # A Bearer header is never attached by a browser on its own: no CSRF token needed.
    written = httpx.post(locked_desk + "/ingest", data={"jsonl": ARTICLE}, headers=writer, timeout=120)
    assert written.status_code == 200 and written.json()["summary"]["failed"] == 0


def test_a_browser_logs_in_with_its_token_and_gets_a_session(locked_desk: str) -> None:
    with httpx.Client(base_url=locked_desk, timeout=60) as client:
        form = client.get("/login?next=/actors", headers=HTML)
        assert form.status_code == 200 and 'name="token"' in form.text
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        wrong = client.post("/login", data={"token": "not-the-token-000000", "csrf_token": token, "next": "/actors"})
        assert wrong.status_code == 401
        ok = client.post("/login", data={"token": READER, "csrf_token": token, "next": "//evil.example/x"})
        assert ok.status_code == 303 and ok.headers["location"] == "/stories"  # never off-site
        cookie = ok.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert client.get("/stories", headers=HTML).status_code == 200
        assert client.post("/ingest", data={"jsonl": ARTICLE, "csrf_token": _token(client)}).status_code == 403
        tampered = client.cookies["storydesk_session"].replace(".", "x.", 1)
        client.cookies.clear()
        client.cookies.set("storydesk_session", tampered)
        assert client.get("/stories.json").status_code == 401


def test_binding_beyond_loopback_needs_a_token() -> None:
    web = Settings().web
    with pytest.raises(SecurityConfigError, match="needs an access token"):
        check_exposure("0.0.0.0", web)
    check_exposure("127.0.0.1", web)
    check_exposure("::1", web)
    web.access_token = WRITER
    check_exposure("0.0.0.0", web)


def test_serve_refuses_a_public_bind_without_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYDESK_TOKEN", raising=False)
    monkeypatch.delenv("STORYDESK_USERS", raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "needs an access token" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ana admin 0123456789abcdef0123\n", "role read or write"),
        ("ana write\n", "expected 'name role token'"),
        ("ana write short\n", "at least 16 characters"),
        ("ana write sha256:abc\n", "64 hex digits"),
        ("# nobody\n", "no users"),
    ],
)
def test_a_bad_users_file_is_an_error_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "users"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SecurityConfigError, match=message):
        read_users(path)


def test_a_users_file_may_hold_token_hashes(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "users"
    path.write_text(f"ana write sha256:{hashlib.sha256(WRITER.encode()).hexdigest()}\n", encoding="utf-8")
    web = Settings().web
    web.users_file = path
    user = Access(web).user_for_token(WRITER)
    assert user is not None and user.name == "ana" and user.can_write


# -- Read-only ---------------------------------------------------------------


def test_read_only_serves_no_write_route(tmp_path: Path) -> None:
    settings = Settings(db=_store(tmp_path))
    settings.web.read_only = True
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/stories.json").json()["total"] == 1
        assert client.get("/ingest", headers=HTML).status_code == 404
        response = client.post("/ingest", data={"jsonl": ARTICLE, "csrf_token": _token(client)})
        assert response.status_code in (404, 405)
        assert 'href="/ingest"' not in client.get("/stories", headers=HTML).text
        assert "/ingest" not in client.get("/openapi.json").json()["paths"]


def test_token_command_prints_a_token_and_its_users_file_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["token", "--name", "ana", "--role", "write"])
    assert result.exit_code == 0
    value = result.stdout.strip()
    assert len(value) >= 16
    users = tmp_path / "users"
    users.write_text(result.stderr.split("users-file line: ")[1], encoding="utf-8")
    web = Settings().web
    web.users_file = users
    user = Access(web).user_for_token(value)
    assert user is not None and (user.name, user.role) == ("ana", "write")
