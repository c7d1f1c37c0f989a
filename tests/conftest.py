from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storydesk.settings import Settings
from storydesk.store import SQLiteStore, open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def store() -> SQLiteStore:
    """An in-memory store, migrated."""
    s = open_store(":memory:")
    yield s
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
