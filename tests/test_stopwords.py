"""spaCy's stop-word lists without importing spaCy (issue 13, round 8)."""

from __future__ import annotations

import subprocess
import sys

from spacy.lang.de.stop_words import STOP_WORDS as GERMAN
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

from storydesk.stopwords import spacy_stop_words


def test_the_lists_are_spacys() -> None:
    assert spacy_stop_words("en") == frozenset(ENGLISH)
    assert spacy_stop_words("de") == frozenset(GERMAN)


def test_issue13_a_process_that_never_parses_does_not_import_spacy() -> None:
    """An ingest's main process, when workers read, only stores, links and compares: importing the pipeline,
    linking and comparing, and their stop words, must not import spaCy (~56 MB resident per process)."""
    code = (
        "import sys; import storydesk.cli, storydesk.pipeline, storydesk.link, storydesk.compare;"
        " from storydesk.compare import findings, statements, embed; from storydesk.link import features;"
        " features._stop_words(); findings._sentence_start_lowered('The toll rose');"
        " print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False"]
