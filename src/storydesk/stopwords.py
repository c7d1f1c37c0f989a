"""spaCy's stop-word lists, read without importing spaCy (issue 13).

Importing `spacy.lang.xx.stop_words` first imports the `spacy` package (~56 MB resident, docs/benchmarks.md
"Round 8") and runs `spacy.lang.xx` (for French, ~2 s of CPU in its tokenizer exceptions, round 6). The main
process of an ingest that reads in worker processes never parses, and compare's statement workers only embed:
they need these word lists alone, so each list's own file is run by itself.
"""

from __future__ import annotations

import runpy
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path


@lru_cache(maxsize=16)
def spacy_stop_words(language: str) -> frozenset[str]:
    """`spacy.lang.<language>.stop_words.STOP_WORDS`, as spaCy ships it."""
    spec = find_spec("spacy")  # a top-level name: finding it does not import it (find_spec("spacy.lang") would)
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "lang" / language / "stop_words.py"
    return frozenset(runpy.run_path(str(path))["STOP_WORDS"])
