"""eval/fit_link.py's conditional logit (the linker's weights are fitted with it)."""

from __future__ import annotations

import numpy as np
from eval.fit_link import fit_choice

from storydesk.link.groups import SIGNALS


def _row(embedding: float, right: int, decision: str) -> tuple[list[float], int, str]:
    x = [0.0] * len(SIGNALS)
    x[SIGNALS.index("embedding")] = embedding
    return x, right, decision


def test_issue13_a_decision_with_two_right_candidates_does_not_diverge() -> None:
    """Round 7: the linker's own groups can hold two "right" candidates for one article (an event split
    in halves); unnormalised, the fit's bias ran to the hundreds. Both halves now share the target."""
    rng = np.random.default_rng(1)
    rows = []
    for i in range(60):
        close, far = 0.8 + 0.1 * rng.random(), 0.3 * rng.random()
        rows += [_row(close, 1, f"a{i}"), _row(far, 0, f"a{i}")]
        if i % 3 == 0:
            rows.append(_row(close - 0.05, 1, f"a{i}"))  # the other half of the same event
    for i in range(30):  # articles that start a new group: no candidate is right
        rows += [_row(0.3 * rng.random(), 0, f"n{i}")]
    weights = fit_choice([rows])
    assert abs(weights["bias"]) < 20
    assert 0 < weights["embedding"] < 50
    # it still separates: a close candidate scores above "new" (0), a far one below
    assert weights["bias"] + 0.85 * weights["embedding"] > 0 > weights["bias"] + 0.1 * weights["embedding"]
