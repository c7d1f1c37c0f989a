"""The brief-line flags of eval/eval_brief_lines.py (round 12): what a fact-checker trips over, line by line."""

from __future__ import annotations

import pytest
from eval.eval_brief_lines import flags


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("He said the response targeted only those jets.", ["pronoun"]),
        ("“We’re bringing industry roaring back,” he said, flanked by steelworkers.", ["pronoun"]),
        ("US markets plunged overnight.", []),
        ("Congratulations to both countries,” Trump posted.", ["quote"]),
        ("Trump stated, “After a long night of talks, I am pleased.", ["quote"]),
        ("“To be part of a night like this is something I’ll never forget.”", ["quote"]),
        ("“… Congratulations to both countries,” Trump posted.", []),
        ("„Wir prüfen das“, sagte Misri.", []),
        ("Barcelona took two saves from goalkeeper Yann Somm", ["fragment"]),
        ("after the white smoke wafted into the sky.", ["fragment"]),
        ("पाकिस्तान ने ऑपरेशन शुरू कर दिया है।", []),
    ],
)
def test_brief_line_flags(line: str, expected: list[str]) -> None:
    assert flags(line) == expected
