"""CI gate for numeric claims: NewsQuant value and value+unit F1 must not drop below eval/floors.json (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval import eval_newsquant


def test_newsquant_above_floors(shared: Path, floors: dict[str, float]) -> None:
    data = shared / "data" / "cqe_newsquant" / "data"
    if not data.exists():
        pytest.skip("NewsQuant is not present")
    result = eval_newsquant.evaluate("NewsQuant", data=data)
    for key, kind in (("newsquant_value_f1", "value"), ("newsquant_value_unit_f1", "value+unit")):
        assert result[kind]["F1"] >= floors[key], (
            f"NewsQuant {kind} F1 {result[kind]['F1']} fell below the floor {floors[key]}"
        )


def test_scoring_counts_like_cqe() -> None:
    """A value match counts once per gold quantity; the unit must match too for value+unit."""
    gold = [
        {
            "text": "x",
            "quantities": [
                {"value": "5", "normalized_unit": "percentage"},
                {"value": "5-10", "normalized_unit": "dollar"},
            ],
        }
    ]
    system = [[{"value": 5.0, "normalized_unit": "dollar"}, {"value": (5.0, 10.0), "normalized_unit": "dollar"}]]
    result = eval_newsquant.score(gold, system)
    assert result["value"]["F1"] == 1.0
    assert result["value+unit"]["F1"] == 0.5
