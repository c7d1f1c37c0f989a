"""A naive quote finder to measure storydesk against (issue 9): quote marks plus the nearest "said" name.

1. Text between paired double marks in one paragraph is a quote: direct when it
   opens its paragraph or follows "," or ":", else partial.
2. A sentence with a "say"-like verb and no marks is an indirect quote: the
   words after the verb (and "that") to the sentence end, or, when the verb
   closes the sentence ("..., he said."), the words before its last comma.
3. The speaker is the person or organisation named nearest to the quote in its
   sentence, else the last person named before it.
"""

from __future__ import annotations

import re

from eval.eval_quotes import Pred

_QUOTED = re.compile(r"[\"“]([^\"“”\n]{3,}?)[\"”]")
_SAY = frozenset("say tell announce claim add state".split())  # noqa: SIM905
_NAMES = ("PERSON", "ORG", "GPE", "NORP")


def baseline(texts: list[str]) -> list[list[Pred]]:
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    nlp = load_nlp(ReadSettings().model)
    return [_quotes(text, doc) for text, doc in zip(texts, nlp.pipe(texts), strict=True)]


def _quotes(text: str, doc) -> list[Pred]:  # type: ignore[no-untyped-def]
    found = []
    for m in _QUOTED.finditer(text):
        before = text[: m.start()].rstrip(" ")
        kind = "direct" if before[-1:] in ("", "\n", ",", ":") else "partial"
        found.append((m.start(1), m.end(1), kind))
    for sent in doc.sents:
        if any(c in sent.text for c in '"“”'):
            continue
        verb = next((t for t in sent if t.lemma_ in _SAY and t.pos_ == "VERB"), None)
        if verb is None:
            continue
        if verb.i >= sent.end - 3:
            comma = text.rfind(",", sent.start_char, verb.idx)
            start, end = sent.start_char, comma
        else:
            after = doc[verb.i + 1]
            start = (after.idx + len(after.text) + 1) if after.lower_ == "that" else after.idx
            end = sent.end_char - (1 if sent.text.endswith(".") else 0)
        if end - start > 15:
            found.append((start, end, "indirect"))
    people = [e for e in doc.ents if e.label_ in _NAMES]
    preds = []
    for start, end, kind in found:
        span = doc.char_span(start, end, alignment_mode="expand")
        sent = span.sent if span is not None and len(span) else None
        near = [e for e in people if sent is not None and sent.start <= e.start < sent.end]
        near = [e for e in near if not (start <= e.start_char < end)]
        if near:
            speaker = min(near, key=lambda e: min(abs(e.start_char - start), abs(e.start_char - end))).text
        else:
            earlier = [e for e in people if e.label_ == "PERSON" and e.end_char <= start]
            speaker = earlier[-1].text if earlier else None
        preds.append(Pred(start, end, kind, speaker, text[start:end]))
    return preds
