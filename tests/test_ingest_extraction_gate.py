"""CI gate for HTML ingestion (issue 2): body, title and date quality on real pages must not drop below pinned floors.

The floors sit a little under what eval/eval_extraction.py measured (docs/evaluation.md,
"HTML extraction"), so a trafilatura upgrade or a change in ingest/html.py that costs
quality fails here instead of passing silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eval.eval_extraction import score_aeb, score_newspaper4k, storydesk_extract

# measured 2026-11-22: AEB F1 0.960; newspaper4k title 0.650, date 1.000, body token F1 0.924
FLOORS = {"aeb_f1": 0.95, "title_accuracy": 0.6, "date_accuracy": 0.9, "token_f1": 0.9}


@pytest.fixture
def pages(shared: Path) -> Path:
    if not (shared / "data" / "article_extraction_benchmark").exists():
        pytest.skip("article_extraction_benchmark is not present")
    return shared / "data"


def test_article_bodies_above_floor(pages: Path) -> None:
    result = score_aeb(storydesk_extract, errors=0)
    assert result["aeb_f1"] >= FLOORS["aeb_f1"], result


def test_titles_dates_and_bodies_above_floors(pages: Path) -> None:
    result = score_newspaper4k(storydesk_extract)
    for key in ("title_accuracy", "date_accuracy", "token_f1"):
        assert result[key] >= FLOORS[key], (key, result)
