"""Score quote extraction on PolNeAR (Newell et al., LREC 2018): content and source spans.

Gold: ../shared/data/polnear/data/<split>/attributions/*.ann (brat standoff,
one file per annotator; the first in sorted order is taken per article, so
the choice is deterministic). Every attribution with a Content span counts.

Matching: each gold attribution is paired with the predicted quote whose
content shares the most word tokens with it (a prediction is used once).
  - content, token overlap: precision = mean over predictions of the share of
    its tokens inside its paired gold content (0 when unpaired); recall = mean
    over gold of the share of its tokens covered; F1 of the two (citron's
    "overlap" measure)
  - content, exact: the word tokens of both spans are identical
  - source, token overlap: the same measure on the speaker_text span of each
    paired quote against the gold Source span, over quotes/attributions that
    have one
  - speaker name: among found quotes whose gold Source span holds exactly one
    person/organisation mention, how often our speaker is that actor's name
    (accuracy: over all of them; precision: over those we named at all)
  - speaker accuracy (issue 9, the measure of eval/eval_quotes.py): over the same
    quotes, how often our speaker names the actor the gold source names, compared
    as eval_quotes compares names (word sets, one inside the other, or fuzzy) with
    the surface name in the source, titles stripped (link/names.py clean_name); the
    actor is one when all its mentions in the source share a surname key. Unlike
    "speaker name" it does not trust our own fullest-name step: "Lt Gen Chaudhry"
    resolved to "Ahmed Sharif Chaudhry" is right, "Chaudhry" resolved to another
    Chaudhry is wrong. Null speakers count as wrong.
Per kind: gold kind is derived from the text (direct = content wholly inside
quotation marks, partial = content holds a quoted part, indirect = none) and
recall is reported per gold kind.

Speech subset (`--speech`, issue 9): only attributions whose cue is a speech act
count as gold, the definition of docs/quotes.md; PolNeAR's beliefs and stances
("backs Cruz", "wants to win") are left out.

Usage: python -m eval.eval_polnear --split dev [--limit N] [--speech] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data"
_WORD = re.compile(r"\w+")
_MARKS = '"“”„«»'


@dataclass(slots=True)
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Doc:
    name: str
    text: str
    gold: list[Gold]


def load(split: str, *, limit: int | None = None, root: Path = POLNEAR) -> list[Doc]:
    """Articles of a split with the first annotator's attributions (sorted file names)."""
    text_dir, ann_dir = root / split / "text", root / split / "attributions"
    docs = []
    for text_path in sorted(text_dir.glob("*.txt"))[: limit or None]:
        anns = sorted(ann_dir.glob(f"{text_path.stem}_*.ann"))
        if not anns:
            continue
        docs.append(Doc(text_path.stem, text_path.read_text(encoding="utf-8"), _parse_ann(anns[0])))
    return docs


def _parse_ann(path: Path) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and "\t" in line:  # a span's text may run over lines: only T lines count
            tid, info, *_ = line.split("\t")
            label, offsets = info.split(" ", 1)
            pieces = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            spans[tid] = (label, pieces)  # type: ignore[assignment]
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            events.append(dict(a.split(":", 1) for a in args.split()))
    gold = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        if content is None:
            continue
        source = spans.get(event.get("Source", ""))
        cue = spans.get(event.get("Cue", ""))
        gold.append(Gold(content=content[1], source=source[1] if source else [], cue=cue[1] if cue else []))
    return gold


def _tokens(text: str, pieces: list[tuple[int, int]]) -> set[int]:
    """Start offsets of the word tokens inside the pieces: a token set comparable across spans."""
    out: set[int] = set()
    for a, b in pieces:
        out.update(a + m.start() for m in _WORD.finditer(text[a:b]))
    return out


def gold_kind(text: str, pieces: list[tuple[int, int]]) -> str:
    body = " ".join(text[a:b] for a, b in pieces).strip()
    inner = body.strip(" .,;:")
    if inner[:1] in _MARKS + "‘'" and inner[-1:] in _MARKS + "’'" and len(inner) > 2:
        return "direct"
    return "partial" if any(c in body for c in _MARKS) else "indirect"


@dataclass(slots=True)
class Scores:
    pred: int = 0
    gold: int = 0
    p_overlap: float = 0.0
    r_overlap: float = 0.0
    exact: int = 0
    src_pred: int = 0
    src_gold: int = 0
    src_p: float = 0.0
    src_r: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # kind -> [gold count, recall sum]
    named_gold: int = 0  # found quotes whose gold source names one actor
    named_given: int = 0  # ... for which we gave a speaker name
    named_right: int = 0  # ... and it was that actor
    speaker_checked: int = 0  # found quotes whose gold source names one actor (by surname key)
    speaker_right: int = 0  # ... whose speaker names that actor (eval_quotes.same_speaker)
    speaker_null: int = 0  # ... to which we gave no speaker
    errors: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        p = self.p_overlap / self.pred if self.pred else 0.0
        r = self.r_overlap / self.gold if self.gold else 0.0
        ep = self.exact / self.pred if self.pred else 0.0
        er = self.exact / self.gold if self.gold else 0.0
        sp = self.src_p / self.src_pred if self.src_pred else 0.0
        sr = self.src_r / self.src_gold if self.src_gold else 0.0
        out = {
            "content_p": p,
            "content_r": r,
            "content_f1": f1(p, r),
            "content_exact_f1": f1(ep, er),
            "source_p": sp,
            "source_r": sr,
            "source_f1": f1(sp, sr),
            "predicted": self.pred,
            "gold": self.gold,
        }
        out["speaker_name_accuracy"] = self.named_right / self.named_gold if self.named_gold else 0.0
        out["speaker_name_precision"] = self.named_right / self.named_given if self.named_given else 0.0
        out["speaker_name_checked"] = self.named_gold
        out["speaker_accuracy"] = self.speaker_right / self.speaker_checked if self.speaker_checked else 0.0
        out["speaker_null_share"] = self.speaker_null / self.speaker_checked if self.speaker_checked else 0.0
        out["speaker_checked"] = self.speaker_checked
        for kind, (count, recall) in sorted(self.by_kind.items()):
            out[f"recall_{kind}"] = recall / count if count else 0.0
            out[f"gold_{kind}"] = count
        return out


def score(doc: Doc, article, scores: Scores) -> None:  # type: ignore[no-untyped-def]
    text = doc.text
    preds = [(_tokens(text, [(q.start, q.end)]), q) for q in article.quotes]
    preds = [(toks, q) for toks, q in preds if toks]
    golds = [(_tokens(text, g.content), g) for g in doc.gold]
    golds = [(toks, g) for toks, g in golds if toks]
    scores.pred += len(preds)
    scores.gold += len(golds)
    # Pair greedily by shared tokens, largest overlaps first.
    pairs = sorted(
        ((len(pt & gt), i, j) for i, (pt, _) in enumerate(preds) for j, (gt, _) in enumerate(golds) if pt & gt),
        reverse=True,
    )
    used_p: set[int] = set()
    matched: dict[int, int] = {}
    for _, i, j in pairs:
        if i in used_p or j in matched:
            continue
        used_p.add(i)
        matched[j] = i
    for j, (gt, g) in enumerate(golds):
        kind = gold_kind(text, g.content)
        entry = scores.by_kind.setdefault(kind, [0, 0.0])
        entry[0] += 1
        gold_src = _tokens(text, g.source)
        if gold_src:
            scores.src_gold += 1
        if j not in matched:
            continue
        pt, q = preds[matched[j]]
        shared = len(pt & gt)
        scores.p_overlap += shared / len(pt)
        scores.r_overlap += shared / len(gt)
        entry[1] += shared / len(gt)
        scores.exact += pt == gt
        _score_name(article, g, q, scores)
        pred_src = _tokens(text, [(q.speaker_start, q.speaker_end)]) if q.speaker_start is not None else set()
        if pred_src and gold_src:
            both = len(pred_src & gold_src)
            scores.src_p += both / len(pred_src)
            scores.src_r += both / len(gold_src)
    scores.src_pred += sum(1 for _, q in preds if q.speaker_start is not None)


def _score_name(article, gold: Gold, quote, scores: Scores) -> None:  # type: ignore[no-untyped-def]
    """Speaker name checks where the gold source itself names a person or organisation we found."""
    from eval.eval_quotes import same_speaker
    from storydesk.link.names import clean_name, surname_key

    inside = [
        m
        for m in article.mentions
        if m.type in ("person", "organization") and any(a <= m.start and m.end <= b for a, b in gold.source)
    ]
    heads = [m for m in inside if _heads_source(article.text, gold.source, m)]
    actors = {surname_key(m.text) if m.type == "person" else m.text.lower() for m in heads}
    if len(actors) == 1:
        surface = max((m.text for m in heads), key=len)
        gold_name = clean_name(surface, person=heads[0].type == "person")
        right = quote.speaker is not None and (
            same_speaker(quote.speaker, gold_name) or _acronym_of(gold_name, quote.speaker)
        )
        scores.speaker_checked += 1
        scores.speaker_right += right
        scores.speaker_null += quote.speaker is None
        if not right:
            source = " ".join(article.text[a:b] for a, b in gold.source)
            scores.errors.append(
                f"{article.id}  who  [{quote.speaker} / gold {gold_name}] source {source[:40]!r} "
                f"quote {quote.text[:70]!r}"
            )
    names = {m.name for m in inside}
    if len(names) != 1:
        return  # no name, or several ("Trump and Clinton"): nothing single to check against
    scores.named_gold += 1
    scores.named_right += quote.speaker in names
    scores.named_given += quote.speaker is not None


def _heads_source(text: str, source: list[tuple[int, int]], mention) -> bool:  # type: ignore[no-untyped-def]
    """Whether a mention is who the source span names: it ends one of the span's comma- or
    bracket-separated parts, cut before a preposition, relative or conjunction ("Tulsa police
    Chief Chuck Jordan", "A lawyer for the outlets, David Schulz", "Mr. Morgan of the Sierra
    Club"), not a modifier inside a description ("one GOP source", "Ivana Trump's brief", "the
    chair of the DNC")."""
    for a, b in source:
        for part in re.finditer(r"[^,()]+", text[a:b]):
            body = _HEAD_CUT.split(part.group(), maxsplit=1)[0]
            end = a + part.start() + len(body.rstrip(" .;:"))
            if mention.end == end and a + part.start() <= mention.start:
                return True
    return False


_HEAD_CUT = re.compile(r"\s(?:of|from|at|for|with|in|on|by|who|which|that|whose|and|&)\s")


def _acronym_of(a: str, b: str) -> bool:
    """Whether one name is the other's acronym ("IMF", "International Monetary Fund"): we
    expand acronyms to the name the article spells out, PolNeAR's sources keep the surface."""
    for short, full in ((a, b), (b, a)):
        letters = short.replace(".", "")
        words = [w for w in re.split(r"[\s-]+", full) if w[:1].isupper()]
        if letters.isupper() and len(words) > 1 and "".join(w[0] for w in words) == letters:
            return True
    return False


def speech_only(docs: list[Doc]) -> list[Doc]:
    """The same articles with only the attributions whose cue is a speech act (a lemma of
    read/cues.py SPEECH_LEMMAS, "according to" or a colon): what docs/quotes.md calls a quote."""
    from storydesk.read.cues import SPEECH_LEMMAS
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    nlp = load_nlp(ReadSettings().model)
    cues = [" ".join(doc.text[a:b] for a, b in g.cue) for doc in docs for g in doc.gold]
    speech = iter(
        ":" in cue or "according" in cue.lower() or any(t.lemma_.lower() in SPEECH_LEMMAS for t in parsed)
        for cue, parsed in zip(cues, nlp.pipe(cues), strict=True)
    )
    return [Doc(d.name, d.text, [g for g in d.gold if next(speech)]) for d in docs]


def evaluate(
    split: str, *, limit: int | None = None, root: Path = POLNEAR, speech: bool = False, errors: list[str] | None = None
) -> dict[str, float]:
    """Run reading on a split and return its metrics (also timing: seconds, articles).

    With `speech`, the gold is the speech-cue subset (see `speech_only`); `errors`, when
    given, receives the wrong speakers."""
    from storydesk.read import read_articles
    from storydesk.records import Article
    from storydesk.settings import ReadSettings

    docs = load(split, limit=limit, root=root)
    if speech:
        docs = speech_only(docs)
    articles = [Article(id=d.name, source=d.name, text=d.text, language="en") for d in docs]
    started = time.perf_counter()
    read_articles(articles, ReadSettings())
    scores = Scores()
    for doc, article in zip(docs, articles, strict=True):
        score(doc, article, scores)
    if errors is not None:
        errors.extend(scores.errors)
    result = scores.metrics()
    result["articles"] = len(docs)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_polnear", description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by name)")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--speech", action="store_true", help="score against the speech-cue attributions only")
    parser.add_argument("--errors", type=int, default=0, help="list up to N wrong speakers")
    args = parser.parse_args(argv)
    if not POLNEAR.exists():
        print(f"PolNeAR not found at {POLNEAR}; skipping")
        return 0
    errors: list[str] = []
    result = evaluate(args.split, limit=args.limit, speech=args.speech, errors=errors)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value:.3f}" if isinstance(value, float) else f"{key:>22}: {value}")
    for line in errors[: args.errors]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
