"""CI gate for quote extraction (issue 3): PolNeAR dev scores must not drop below eval/floors.json.

Runs eval/eval_polnear.py on a fixed subset (the first GATE_ARTICLES dev
articles in sorted order) so it fits in CI time; the floors sit a little
under the scores measured on that subset when they were pinned.
"""

from __future__ import annotations

import json

import pytest
from eval.eval_polnear import evaluate

from .conftest import ROOT, SHARED

GATE_ARTICLES = 25
FLOORS = (
    "polnear_dev_content_f1",
    "polnear_dev_content_exact_f1",
    "polnear_dev_source_f1",
    "polnear_dev_speaker_name_precision",
)


@pytest.fixture(scope="module")
def scores():
    polnear = SHARED / "data" / "polnear" / "data"
    if not polnear.exists():
        pytest.skip("PolNeAR is not in ../shared")
    return evaluate("dev", limit=GATE_ARTICLES, root=polnear)


@pytest.fixture(scope="module")
def floors():
    return json.loads((ROOT / "eval" / "floors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", FLOORS)
def test_quote_scores_stay_above_their_floors(scores, floors, key):
    metric = key.removeprefix("polnear_dev_")
    assert scores["articles"] == GATE_ARTICLES
    assert scores[metric] >= floors[key], f"{metric} fell to {scores[metric]:.3f} (floor {floors[key]})"
