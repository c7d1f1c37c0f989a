"""The PostgreSQL store (store/postgres.py, issue 12): what differs from SQLite, and what must not.

The store tests proper (test_store.py, test_dedup.py, test_entities.py,
test_stories.py, test_link.py, ...) run against both stores through the
`store` fixture; these tests cover the PostgreSQL side's own promises.
"""

from __future__ import annotations

import threading
import time
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk import pipeline
from storydesk.errors import StoreUnavailable
from storydesk.ingest.common import make_article
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.store.postgres import PostgresStore, Schema, adapt
from tests.pgserver import PgServer

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _names(folder: str) -> set[str]:
    return {p.name for p in (resources.files("storydesk.store") / folder).iterdir() if p.name.endswith(".sql")}


def test_every_sqlite_migration_has_a_postgresql_twin_of_the_same_name() -> None:
    # A migration added for SQLite (by any issue) fails here until its PostgreSQL twin exists.
    assert _names("migrations") == _names("migrations_pg")


def _sqlite_schema() -> tuple[dict[str, list[str]], set[str], set[str]]:
    with open_store(":memory:") as store:
        names = {
            (r[0], r[1])
            for r in store.execute("SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL")
            if not r[1].startswith(("sqlite_", "articles_fts_"))  # FTS5's own shadow tables
        }
        tables = {n: [c[1] for c in store.execute(f"PRAGMA table_info({n})")] for t, n in names if t == "table"}
    return tables, {n for t, n in names if t == "index"}, {n for t, n in names if t == "trigger"}


def test_the_postgresql_twins_make_the_same_tables_columns_indexes_and_triggers(pg_url: str) -> None:
    # What a twin must keep (store/postgres.py reads SQLite's SQL against it): every table with
    # SQLite's columns in SQLite's order (`INSERT ... VALUES` without a column list relies on it),
    # every index and trigger under its name. PostgreSQL may add generated and identity columns
    # (the tsvector, `rowid`) and indexes of its own.
    tables, indexes, triggers = _sqlite_schema()
    with open_store(pg_url) as store:
        assert isinstance(store, PostgresStore)
        columns = {t: list(c) for t, c in store.schema.columns.items()}
        pg_indexes = {
            r[0] for r in store.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        }
        pg_triggers = {
            r[0]
            for r in store.execute(
                "SELECT DISTINCT trigger_name FROM information_schema.triggers WHERE trigger_schema = current_schema()"
            )
        }
    assert columns == tables
    assert indexes <= pg_indexes
    assert triggers == pg_triggers


_SCHEMA = Schema({"story_articles": ("article_id",), "term_df": ("term",)}, frozenset({"published", "title"}))


@pytest.mark.parametrize(
    "sqlite, postgres",
    [
        (
            "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)",
            "INSERT INTO entity_keys (key, entity_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        ),
        (
            "INSERT OR REPLACE INTO story_articles (story_id, article_id) VALUES (?, ?)",
            "INSERT INTO story_articles (story_id, article_id) VALUES (%s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id = EXCLUDED.story_id",
        ),
        # SQLite sorts NULL first; only nullable columns need saying so
        (
            "SELECT a.* FROM articles a ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?",
            "SELECT a.* FROM articles a ORDER BY a.published DESC NULLS LAST, a.id LIMIT NULLIF(%s, -1) OFFSET %s",
        ),
        (
            "SELECT id FROM articles ORDER BY published, id",
            "SELECT id FROM articles ORDER BY published NULLS FIRST, id",
        ),
        (
            "SELECT x FROM entity_articles INDEXED BY entity_articles_recent WHERE entity_id = ?",
            "SELECT x FROM entity_articles WHERE entity_id = %s",
        ),
        ("SELECT * FROM stories WHERE id LIKE ? LIMIT 2", "SELECT * FROM stories WHERE id ILIKE %s LIMIT 2"),
    ],
)
def test_sqlite_sql_is_adapted_to_the_same_meaning(sqlite: str, postgres: str) -> None:
    assert adapt(sqlite, _SCHEMA) == postgres


def _article(text: str, **kw: object):  # type: ignore[no-untyped-def]
    return make_article(source=str(kw.pop("source", "mem.txt")), paragraphs=[text], **kw)  # type: ignore[arg-type]


def test_undated_articles_sort_as_in_sqlite(pg_url: str) -> None:
    stores = [open_store(":memory:"), open_store(pg_url)]
    for store in stores:
        store.articles.add(_article("Dated article about the dam, long enough.", published="2025-03-12"))
        store.articles.add(_article("Undated article about the dam, long enough."))
        store.articles.add(_article("Later article about the dam, long enough.", published="2025-03-13"))
    sqlite, postgres = ([a.text[:5] for a in s.articles.list()] for s in stores)
    assert sqlite == postgres == ["Later", "Dated", "Undat"]
    assert stores[0].articles.unlinked_ids() == stores[1].articles.unlinked_ids()
    for store in stores:
        store.close()


def test_migrations_are_applied_once(pg_url: str) -> None:
    with open_store(pg_url) as s:
        s.articles.add(_article("Persisted article text, long enough."))
    with open_store(pg_url) as s:
        assert s.articles.count() == 1
        names = [r[0] for r in s.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == sorted(_names("migrations_pg"))


def test_readers_are_not_blocked_by_the_writer_and_a_second_writer_waits(pg_url: str) -> None:
    writer, other = PostgresStore(pg_url), PostgresStore(pg_url)
    writer.articles.add(_article("A committed article that readers see, long enough."))
    in_tx, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with writer.transaction():
            writer.articles.add(_article("An article written in a long transaction."))
            in_tx.set()
            release.wait(10)
            order.append("first commits")

    def second() -> None:
        with other.transaction():  # the writer lock: waits for `first`
            order.append("second writes")

    t1 = threading.Thread(target=first)
    t1.start()
    assert in_tx.wait(10)
    t2 = threading.Thread(target=second)
    t2.start()
    # Many readers at once while the write transaction is open: they see the committed state.
    counts: list[int] = []
    readers = [threading.Thread(target=lambda: counts.append(other.articles.count())) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join(10)
    assert counts == [1] * 8
    time.sleep(0.3)
    assert order == []  # the second writer is still waiting
    release.set()
    t1.join(10)
    t2.join(10)
    assert order == ["first commits", "second writes"]
    assert other.articles.count() == 2
    writer.close()
    other.close()


def _kill_connections(server: PgServer) -> None:
    server.admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'storydesk' AND pid <> pg_backend_pid()"
    )


def test_a_connection_lost_mid_ingest_keeps_what_was_committed_and_a_rerun_completes(
    pg_server: PgServer, pg_url: str, tmp_path: Path
) -> None:
    settings = Settings(db=pg_url)
    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    committed: list[str] = []

    def lose_connection(kind: str, item: object) -> None:
        committed.append(kind)
        if len(committed) == 1:
            _kill_connections(pg_server)  # right after the first article's commit

    with open_store(pg_url) as store, pytest.raises(StoreUnavailable, match="lost the connection"):
        pipeline.ingest(files, store, settings, on_item=lose_connection)
    with open_store(pg_url) as store:
        assert store.articles.count() == 1  # the committed article is there, nothing half-written
        again = pipeline.ingest(files, store, settings)
        assert (len(again.new), len(again.duplicate)) == (len(files) - 1, 1)
        assert store.articles.count() == len(files)
        assert store.stories.count() >= 1


def test_cli_commands_and_the_environment_variable_take_a_postgresql_url(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "-q", "--db", pg_url, str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "new" in result.output
    monkeypatch.setenv("STORYDESK_DB", pg_url)
    listed = runner.invoke(main, ["articles"])
    assert listed.exit_code == 0 and "Valdoria" in listed.output
    found = runner.invoke(main, ["search", "dam"])
    assert found.exit_code == 0 and "matches" in found.output
    assert runner.invoke(main, ["stories"]).exit_code == 0
    exported = runner.invoke(main, ["export", "--format", "json"])
    assert exported.exit_code == 0 and '"stories"' in exported.output


def test_an_unreachable_server_is_one_line_and_exit_code_1() -> None:
    from storydesk.cli import main

    result = CliRunner().invoke(main, ["articles", "--db", "postgresql://nobody:secret@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot connect to postgresql://nobody:***@127.0.0.1:1/none" in result.output
    assert "secret" not in result.output


def test_web_pages_and_search_over_postgresql_and_the_cache_follows_writes(pg_url: str) -> None:
    import httpx

    from storydesk.web.app import create_app
    from tests.fixtures.web.server import serve

    settings = Settings(db=pg_url)
    with open_store(pg_url) as store:
        pipeline.ingest([str(EXAMPLES)], store, settings)
        story_id = store.stories.list()[0].id
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get(f"/stories/{story_id}").status_code == 200
        hits = client.get("/search.json", params={"q": "dam"}).json()
        first = client.get("/stories.json").json()["total"]
        with open_store(pg_url) as store:
            store.articles.add(_article("A new article on an unrelated matter, long enough to keep."))
            pipeline.update_links(store, settings)
        assert client.get("/stories.json").json()["total"] == first + 1  # not a cached page
    assert hits
