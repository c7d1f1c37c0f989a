"""POST /ingest: files, pasted JSONL and URLs, one result per input; size limits; no private fetches."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from tests.conftest import BACKENDS, store_location
from tests.fixtures.web.server import serve
from tests.test_web_safety import executable

HTML = {"accept": "text/html"}
LIMIT = 4000  # bytes: small so a test can go over it
REPORT = (
    "The harbour authority said on Monday that the ferry service would resume next week. "
    "Officials told reporters that repairs to the pier had cost about 2 million euros.\n\n"
    'Captain Mara Lind, who runs the service, said: "We are ready to sail again."'
)
HOSTILE = {
    "title": "<script>window.__pwned = 1</script>Ferry news",
    "text": 'A reader sent <img src=x onerror="window.__pwned = 1"> and <script>window.__pwned = 1</script> to the desk. '
    'The editor said: "<b onmouseover=alert(1)>Nothing here</b> will run."',
    "outlet": '<i onclick="alert(1)">Evil</i>',
    "url": "https://evil.example/x",
}


@pytest.fixture(scope="module", params=BACKENDS)
def ingest_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, Path]]:
    """The app over an empty store, on SQLite and on PostgreSQL (issue 12: jobs and all)."""
    folder = Path(tmp_path_factory.mktemp("web-ingest"))
    settings = Settings(db=store_location(request.param, request, folder))
    settings.web.upload_dir = folder / "uploads"  # beside the store, which a server's store has not
    settings.web.max_upload_bytes = LIMIT
    settings.ingest.allow_private = True  # the web app must refuse private addresses all the same
    open_store(settings.db).close()
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=120) as client:
        # Writes need a CSRF token (issue 11); a script gets one from /csrf.json.
        client.headers["x-csrf-token"] = client.get("/csrf.json").json()["csrf_token"]
        yield client, folder


def finished(client: httpx.Client, response: httpx.Response) -> httpx.Response:
    """The page of the background job a browser's form started, once the job is done."""
    assert response.status_code == 303, response.text
    job = response.headers["location"]
    deadline = time.monotonic() + 120
    while client.get(job + ".json").json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "the ingest job did not finish"
        time.sleep(0.1)
    return client.get(job, headers=HTML)


@pytest.fixture
def client(ingest_client: tuple[httpx.Client, Path]) -> httpx.Client:
    return ingest_client[0]


def test_uploaded_file_is_new_then_duplicate(ingest_client: tuple[httpx.Client, Path]) -> None:
    client, folder = ingest_client
    files = {"files": ("ferry.txt", REPORT.encode(), "text/plain")}
    first = client.post("/ingest", files=files).json()
    assert [(r["input"], r["status"]) for r in first["results"]] == [("ferry.txt", "new")]
    assert first["summary"] == {"new": 1, "duplicate": 0, "near_duplicate": 0, "failed": 0}
    article = client.get(f"/articles/{first['results'][0]['article']}.json").json()["article"]
    assert "ferry service would resume" in article["text"]
    # kept beside the store, named relative to the store's folder (issue 11: no absolute paths)
    assert Path(article["source"]).parent == Path("uploads") and (folder / article["source"]).exists()
    again = client.post("/ingest", files=files).json()
    assert [(r["status"], r["article"]) for r in again["results"]] == [("duplicate", first["results"][0]["article"])]


def test_pasted_jsonl_reports_each_line(client: httpx.Client) -> None:
    lines = [
        json.dumps(
            {"text": "Divers found the old bell of the ferry near the pier on Sunday morning.", "title": "Bell found"}
        ),
        "{not json",
    ]
    data = client.post("/ingest", data={"jsonl": "\n".join(lines)}).json()
    results = {r["input"]: r for r in data["results"]}
    assert {name: r["status"] for name, r in results.items()} == {"pasted JSONL:1": "new", "pasted JSONL:2": "failed"}
    assert results["pasted JSONL:2"]["reason"]


def test_jsonl_body_is_accepted(client: httpx.Client) -> None:
    body = json.dumps({"text": "The night ferry carried a record 900 passengers across the bay on Friday."}) + "\n"
    response = client.post("/ingest", content=body, headers={"content-type": "application/x-ndjson"})
    assert [r["status"] for r in response.json()["results"]] == ["new"]


def test_hostile_article_is_ingested_and_shown_inert(client: httpx.Client) -> None:
    response = finished(client, client.post("/ingest", data={"jsonl": json.dumps(HOSTILE)}, headers=HTML))
    assert response.status_code == 200
    assert executable(response.text) == []
    assert "&lt;script&gt;" in response.text  # the title, escaped, in the results table
    [article] = client.get("/search.json", params={"q": "reader desk"}).json()["items"]
    page = client.get(f"/articles/{article['id']}", headers=HTML)
    assert executable(page.text) == []
    body = page.text.split('<div class="article-body">')[1].split("</div>")[0]
    assert "&lt;img src=x onerror=&#34;window.__pwned = 1&#34;&gt;" in re.sub(r"<[^>]+>", "", body)


def test_form_answer_is_a_page_with_a_line_per_input(client: httpx.Client) -> None:
    files = [("files", ("a.txt", b"too short", "text/plain"))]
    page = finished(client, client.post("/ingest", files=files, data={"urls": "ftp://example.org/x"}, headers=HTML))
    assert page.status_code == 200
    assert "a.txt" in page.text and "ftp://example.org/x" in page.text
    assert page.text.count('<span class="badge failed">') == 2


@pytest.mark.parametrize("line", ["/etc/passwd", "../shared/seeds", "file:///etc/passwd"])
def test_pasted_lines_that_are_not_urls_are_never_read_from_disk(client: httpx.Client, line: str) -> None:
    data = client.post("/ingest", data={"urls": line}).json()
    assert data["results"] == [{"input": line, "status": "failed", "article": None, "reason": "not an http(s) URL"}]


def test_private_addresses_are_not_fetched(client: httpx.Client) -> None:
    # The app's own address: loopback. Its settings allow private addresses; the web app must not.
    url = str(client.base_url.join("/static/style.css"))
    data = client.post("/ingest", data={"urls": url}).json()
    assert [r["status"] for r in data["results"]] == ["failed"]
    assert "loopback" in data["results"][0]["reason"]
    assert "--allow-private" not in data["results"][0]["reason"]  # issue 11: a CLI flag means nothing here
    assert data["summary"]["new"] == 0


def test_upload_over_the_limit_is_413(client: httpx.Client) -> None:
    big = ("x" * 60 + "\n") * (LIMIT // 60 + 10)
    response = client.post("/ingest", files={"files": ("big.txt", big.encode(), "text/plain")})
    assert response.status_code == 413
    assert "limit" in response.json()["error"]


def test_chunked_upload_over_the_limit_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count
        for _ in range(LIMIT // 100 + 5):
            yield (json.dumps({"text": "y" * 80}) + "\n").encode()

    response = client.post("/ingest", content=chunks(), headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 413


def test_chunked_form_upload_is_refused_before_parsing(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"--b\r\nContent-Disposition: form-data; name=urls\r\n\r\nhttps://example.org/x\r\n--b--\r\n"

    response = client.post("/ingest", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 411
    assert "Content-Length" in response.json()["error"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data": {"urls": "  "}}, "nothing to ingest"),
        ({"content": b"hello", "headers": {"content-type": "text/plain"}}, "multipart/form-data"),
    ],
)
def test_bad_ingest_requests_are_422(client: httpx.Client, kwargs: dict, message: str) -> None:
    response = client.post("/ingest", **kwargs)
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_pages_show_what_was_ingested_after_they_were_first_seen(client: httpx.Client) -> None:
    before = client.get("/search.json", params={"q": "lighthouse"})
    assert before.json()["total"] == 0
    text = "The old lighthouse on the breakwater was lit again on Saturday after ten dark years."
    client.post("/ingest", data={"jsonl": json.dumps({"text": text})})
    after = client.get("/search.json", params={"q": "lighthouse"})
    assert after.json()["total"] == 1
    assert after.headers["etag"] != before.headers["etag"]
