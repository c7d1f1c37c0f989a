"""The quote model: which candidates are quotes, of which kind, and which speaker option is right.

Three logistic regressions over features of the parse, trained by
`make train-quotes` (train/train_quotes.py: PolNeAR train with speech cues
plus the dev split of news_stories_2025, fixed seed) and stored as plain
weights in `read/models/quotes.json` (a few hundred kB), so reading needs no
learning library and the model loads in milliseconds:

    accept   candidate -> probability that it is a quote (docs/quotes.md)
    kind     text between marks -> probability that it is direct rather than partial
    speaker  (candidate, speaker option) -> probability that the option is its speaker

The features use only what the reader already has: the candidate's tokens and
cue, its sentence and paragraph, the article's mentions and quotation marks;
no second parse and nothing per article beyond the candidates. What the parse
must give them: tags, lemmas, dependencies, entities and sentences of the
sentences holding candidates (and of the one before, for speakers).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from storydesk.read.cues import cue_class
from storydesk.read.nlp import doc_text

if TYPE_CHECKING:
    from storydesk.read.candidates import Candidate
    from storydesk.read.speakers import Speaker

MODEL_PATH = Path(__file__).resolve().parent / "models" / "quotes.json"
Features = dict[str, float]


@dataclass(slots=True)
class Linear:
    """A logistic regression as weights by feature name."""

    bias: float
    weights: dict[str, float]

    def prob(self, features: Features) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(slots=True)
class QuoteModel:
    accept: Linear
    kind: Linear
    speaker: Linear
    meta: dict[str, object]


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> QuoteModel:
    """The trained model (the bundled one unless a path is given), loaded once per process."""
    data = json.loads((path or MODEL_PATH).read_text(encoding="utf-8"))
    parts = {
        name: Linear(float(data[name]["bias"]), dict(data[name]["weights"])) for name in ("accept", "kind", "speaker")
    }
    return QuoteModel(meta=data.get("meta", {}), **parts)


# -- features ---------------------------------------------------------------------------------------
def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n < edge:
            return f"<{edge}"
    return f">={edges[-1]}"


def _char_class(ch: str) -> str:
    if ch in ("", "\n"):
        return "para"
    if ch in ",:;.!?":
        return ch
    if ch in "—–-(":
        return "dash"
    if ch.isalpha():
        return "lower" if ch.islower() else "upper"
    return "other"


def _paragraph(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : len(text) if end < 0 else end]


def candidate_features(doc: Doc, cand: Candidate, speaker: Speaker | None) -> Features:
    """Features of one candidate for the accept and kind models."""
    text = doc_text(doc)
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    tokens = [t for t in span if not t.is_space] if span is not None else []
    words = [t for t in tokens if not t.is_punct]
    n = len(words)
    con = cand.construction
    f: Features = {f"con={con}": 1.0, f"kind={cand.kind}": 1.0, "len_log": math.log1p(n)}
    f[f"len{_bucket(n, (2, 4, 7, 12, 25, 50))}"] = 1.0
    f[f"con={con}|len{_bucket(n, (2, 4, 7, 12, 25))}"] = 1.0
    finite = any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in words)
    f["finite"] = float(finite)
    f[f"con={con}|finite={finite}"] = 1.0
    if words:
        first = words[0]
        f[
            f"first={first.lower_ if first.lower_ in ('that', 'whether', 'if', 'how', 'to', 'the', 'a') else first.pos_}"
        ] = 1.0
        f["starts_upper"] = float(first.text[:1].isupper())
        alpha = [t for t in words if t.is_alpha]
        if alpha:
            title = sum(1 for t in alpha if t.text[:1].isupper()) / len(alpha)
            f["title_share"] = title
            f[f"titlecase={title >= 0.8}|len{_bucket(n, (3, 7))}"] = 1.0
        has_subject = any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in words)
        f["has_subject"] = float(has_subject)
        # A direct quote forms a clause of its own; a partial one is a fragment of the writer's sentence.
        f[f"full_clause={finite and has_subject}"] = 1.0
        f["first_person"] = float(any(t.lower_ in ("i", "we", "my", "our", "us", "me") for t in words))
    body = text[cand.start : cand.end]
    f["ends_sentence"] = float(body.rstrip()[-1:] in ".!?")
    f["has_digit"] = float(any(ch.isdigit() for ch in body))
    cue = cand.cue
    if cue is not None:
        lemma = "according" if cue.lower_ == "according" else cue.lemma_.lower()
        naming = con == "quoted" and lemma in _NAMING and cue_class(cue) != "prep"
        f[f"cueclass={'naming' if naming else cue_class(cue)}"] = 1.0
        f[f"lemma={lemma}"] = 1.0
        f[f"con={con}|lemma={lemma}"] = 1.0
        f[f"cuetag={cue.tag_}"] = 1.0
        f[f"cuedep={cue.dep_}"] = 1.0
        f["cue_after"] = float(cue.idx >= cand.end)
        f["negated"] = float(any(c.dep_ == "neg" for c in cue.children))
        f["cue_conditional"] = float(
            any(c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless") for c in cue.children)
        )
        f["cue_modal"] = float(any(c.dep_ == "aux" and c.tag_ == "MD" for c in cue.children))
        f["cue_passive"] = float(any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children))
        f["cue_question"] = float(cue.sent.text.rstrip().endswith("?"))
        dist = min(abs(cue.idx - cand.start), abs(cue.idx - cand.end))
        f[f"cuedist{_bucket(dist, (3, 20, 60, 150))}"] = 1.0
    else:
        f["no_cue"] = 1.0
        f[f"con={con}|no_cue"] = 1.0
    # The quote's place in the text: headings and captions are short lines without a final stop.
    para = _paragraph(text, cand.start)
    para_words = len(para.split())
    heading = para_words < 20 and para.rstrip()[-1:] not in '.!?"”’:'
    f["heading"] = float(heading)
    f[f"para{_bucket(para_words, (8, 20, 60))}"] = 1.0
    f["first_line"] = float(text.find("\n") < 0 or cand.start < text.find("\n"))
    if con == "quoted":
        before = text[: cand.start].rstrip(" \t\"“„«‘'")[-1:]
        after = text[cand.end : cand.end + 3].lstrip(" \"”»’'")[:1]
        f[f"pre={_char_class(before)}"] = 1.0
        f[f"post={_char_class(after)}"] = 1.0
        f[f"pre={_char_class(before)}|post={_char_class(after)}"] = 1.0
        f[f"pre={_char_class(before)}|len{_bucket(n, (3, 7))}"] = 1.0
        f[f"pre={_char_class(before)}|full_clause={f.get('has_subject', 0.0) > 0 and finite}"] = 1.0
        # Scare quotes and names sit inside a noun phrase: "its “unreliable entity” list", the
        # U.S. “reciprocal” tariff; a quote is a clause or a phrase of its own.
        pre_tok = _neighbour(doc, cand.start, -1)
        post_tok = _neighbour(doc, cand.end, 1)
        pre_pos = pre_tok.pos_ if pre_tok is not None else "none"
        post_pos = post_tok.pos_ if post_tok is not None else "none"
        f[f"pre_pos={pre_pos}"] = 1.0
        f[f"post_pos={post_pos}"] = 1.0
        f[f"pre_pos={pre_pos}|len{_bucket(n, (3, 7))}"] = 1.0
        f[f"post_pos={post_pos}|len{_bucket(n, (3, 7))}"] = 1.0
        f["closed"] = float(cand.closed)
        f["continued"] = float(cand.continued)
        f["inside_clause"] = float(cand.inside_clause)
        f[f"inside_clause|len{_bucket(n, (3, 7))}"] = float(cand.inside_clause)
        if cue is not None:
            f[f"quoted_cue={'naming' if cue.lemma_.lower() in _NAMING else 'speech'}"] = 1.0
    if speaker is not None and speaker.name is not None:
        f["speaker"] = 1.0
        f[f"speaker={speaker.type}|{speaker.via}"] = 1.0
        f[f"speaker_named={speaker.named}"] = 1.0
    else:
        f["no_speaker"] = 1.0
        f[f"con={con}|no_speaker"] = 1.0
    return f


def _neighbour(doc: Doc, offset: int, step: int) -> Token | None:
    """The word token next to an offset on its line, past quotation marks and spaces (step -1:
    the one before it), or None."""
    i = _token_at(doc, offset if step > 0 else offset - 1)
    while i is not None and 0 <= i < len(doc):
        token = doc[i]
        if not (token.is_space or token.is_quote or token.text in "“”‘’\"'«»„"):
            lo, hi = sorted((token.idx, offset))
            return None if "\n" in doc_text(doc)[lo:hi] else token
        i += step
    return None


def _token_at(doc: Doc, offset: int) -> int | None:
    if offset < 0 or offset >= len(doc_text(doc)):
        return None
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else None


_NAMING = frozenset("call label describe dub brand term characterize characterise name".split())  # noqa: SIM905


def speaker_features(doc: Doc, cand: Candidate, option: str, speaker: Speaker, distance: int) -> Features:
    """Features of one speaker option of a candidate, for the speaker model."""
    f: Features = {f"opt={option}": 1.0, f"via={speaker.via}": 1.0, f"type={speaker.type}": 1.0}
    f[f"opt={option}|via={speaker.via}"] = 1.0
    f[f"opt={option}|con={cand.construction}"] = 1.0
    f[f"opt={option}|type={speaker.type}"] = 1.0
    f[f"named={speaker.named}"] = 1.0
    f[f"dist{_bucket(distance, (1, 2, 4, 8))}"] = 1.0
    f[f"opt={option}|cue={cand.cue is not None}"] = 1.0
    f[f"opt={option}|continued={cand.continued}"] = 1.0
    if speaker.name is None:
        f["unresolved"] = 1.0
    return f


def sentence_distance(doc: Doc, a: int, b: int) -> int:
    """How many sentence starts lie between two character offsets."""
    lo, hi = sorted((a, b))
    span = doc.char_span(lo, max(lo + 1, hi), alignment_mode="expand")
    if span is None:
        return 0
    first: Span = span[0].sent
    count = 0
    token: Token = span[-1]
    while first.end <= token.i and count < 9:
        first = doc[first.end].sent
        count += 1
    return count
