from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storydesk.settings import Settings
from storydesk.store import SQLiteStore, open_store
from tests.pgserver import REQUIRE_ENV, PgServer, start_server

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server per test run (tests/pgserver.py); each test gets its own schema."""
    server = start_server()
    if isinstance(server, str):
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(server)
        pytest.skip(server)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of an empty PostgreSQL store of this test's own."""
    schema = pg_server.fresh_schema()
    yield pg_server.url(schema=schema)
    pg_server.drop_schema(schema)


SPARK_ENV = "STORYDESK_REQUIRE_SPARK"  # set by `make test`: no Java is then an error, not a skip


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local Spark session (2 cores) for the whole test run: a session costs seconds to start."""
    import shutil

    from storydesk.batch.engines import SparkUnavailable, spark_session

    reason = None if shutil.which("java") else "no Java runtime (Debian default-jre-headless; `make test` installs it)"
    session = None
    if reason is None:
        try:
            session = spark_session("local[2]", Settings())
        except SparkUnavailable as exc:
            reason = str(exc)
    if session is None:
        if os.environ.get(SPARK_ENV):
            pytest.fail(reason or "Spark did not start")
        pytest.skip(reason or "Spark did not start")
    yield session
    session.stop()


BACKENDS = ["sqlite", "postgresql"]


def store_location(backend: str, request: pytest.FixtureRequest, folder: Path) -> Path | str:
    """Where a new store for `backend` goes: a SQLite file in `folder`, or an empty schema
    on the test run's PostgreSQL server (what tests parametrized over BACKENDS open)."""
    if backend == "sqlite":
        return folder / "store.db"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.url(schema=server.fresh_schema())


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A new store's location, once on SQLite and once on PostgreSQL."""
    return store_location(request.param, request, tmp_path)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[SQLiteStore]:
    """A migrated store: every test that takes one runs on SQLite (in memory) and on PostgreSQL."""
    s = open_store(":memory:" if request.param == "sqlite" else request.getfixturevalue("pg_url"))
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "test.db")


@pytest.fixture
def shared() -> Path:
    """../shared/ from the project root; tests that need it skip where it is absent."""
    if not SHARED.exists():
        pytest.skip("../shared/ is not present on this machine")
    return SHARED


@pytest.fixture
def seeds(shared: Path) -> Path:
    path = shared / "seeds"
    if not path.exists():
        pytest.skip("../shared/seeds is not present")
    return path


@pytest.fixture(scope="session")
def floors() -> dict[str, Any]:
    """The CI eval gates' pinned floors (eval/floors.json)."""
    return json.loads((ROOT / "eval" / "floors.json").read_text(encoding="utf-8"))
