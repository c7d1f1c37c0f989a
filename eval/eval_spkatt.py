"""Score the German quote reader on SpkAtt-2023 task 1 (speaker attribution in Bundestag debates).

Gold: ../shared/data/german/spkatt2023_task1/<split>/*.json: per speech, sentences
of tokens and annotations with Cue, Source, Message, Addr, Topic, Medium,
Evidence and PTC (verb particle) token ids ("sentence:token").

The text each speech is read from: its sentences' tokens joined with single
spaces (no space before , . : ; ! ? ) and after „ ( ), sentences joined by a
space, so the reader splits sentences itself. Each gold token keeps its
character offsets; a predicted span covers the gold tokens it overlaps.

Two systems are scored:
  - events (default): the German pipeline's attribution tagger
    (read/de/attribution.py, trained on SpkAtt train), every tagged event with
    its roles; this is what the task annotates (speech, thought and writing);
  - quotes: the quotes the German reader keeps (speech and writing acts with
    content only, issue 9's definition): Cue = the cue word (and its particle,
    PTC, for "teilte ... mit"), Source = `speaker_text`, Message = the quote.
    Quotes that share a cue are one annotation (their messages joined).

Scoring, re-implemented from the task description (the organisers scored on
CodaLab and published no script): proportional (token-overlap) precision and
recall, as for opinion expressions (Johansson & Moschitti 2010). Predicted and
gold annotations are paired by their cues, one to one, largest cue overlap
first. For each role, precision = (sum over predicted spans of the share of
their tokens in the paired gold span) / predicted spans, recall = (sum over
gold spans of the share covered) / gold spans; an unpaired annotation's spans
count 0. "joint" pools cue and all roles (Addr, Topic, Medium, Evidence, which
the reader does not produce, count as misses); "joint (cue, source, message)"
pools only what the reader produces.

Usage: python -m eval.eval_spkatt --split dev [--system events|quotes] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPKATT = ROOT.parent / "shared" / "data" / "german" / "spkatt2023_task1"
ROLES = ("Cue", "PTC", "Source", "Message", "Addr", "Topic", "Medium", "Evidence")
PRODUCED = ("Cue", "PTC", "Source", "Message")


@dataclass(slots=True)
class Speech:
    name: str
    text: str
    offsets: dict[str, tuple[int, int]]  # "s:t" -> (start, end)
    gold: list[dict[str, set[str]]]


@dataclass(slots=True)
class Tally:
    # role -> [precision sum, predicted spans, recall sum, gold spans]
    roles: dict[str, list[float]] = field(default_factory=lambda: {r: [0.0, 0, 0.0, 0] for r in ROLES})

    def add(self, role: str, pred: set[str], gold: set[str]) -> None:
        entry = self.roles[role]
        if pred:
            entry[0] += len(pred & gold) / len(pred)
            entry[1] += 1
        if gold:
            entry[2] += len(pred & gold) / len(gold)
            entry[3] += 1

    def prf(self, roles: Iterable[str]) -> tuple[float, float, float]:
        ps = sum(self.roles[r][0] for r in roles)
        pn = sum(self.roles[r][1] for r in roles)
        rs = sum(self.roles[r][2] for r in roles)
        rn = sum(self.roles[r][3] for r in roles)
        p = ps / pn if pn else 0.0
        r = rs / rn if rn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(split: str, *, limit: int | None = None, root: Path = SPKATT) -> list[Speech]:
    from storydesk.read.de.train_attribution import speech_text

    speeches = []
    for path in sorted((root / split).glob("*.json"))[:limit]:
        data = json.loads(path.read_text(encoding="utf-8"))
        text, offsets = speech_text(data)
        gold = [{role: set(a.get(role) or []) for role in ROLES} for a in data["Annotations"]]
        speeches.append(Speech(name=path.stem, text=text, offsets=offsets, gold=gold))
    return speeches


def _tokens(speech: Speech, start: int | None, end: int | None) -> set[str]:
    if start is None or end is None:
        return set()
    return {tid for tid, (a, b) in speech.offsets.items() if a < end and start < b}


def predictions(speech: Speech, article) -> list[dict[str, set[str]]]:  # type: ignore[no-untyped-def]
    """The reader's quotes as SpkAtt annotations, one per cue."""
    by_cue: dict[tuple[int, int], dict[str, set[str]]] = {}
    for q in article.quotes:
        if q.cue_start is None:
            continue
        key = (q.cue_start, q.cue_end)
        ann = by_cue.setdefault(key, {role: set() for role in ROLES})
        ann["Cue"] |= _tokens(speech, q.cue_start, q.cue_end)
        ann["Source"] |= _tokens(speech, q.speaker_start, q.speaker_end)
        ann["Message"] |= _tokens(speech, q.start, q.end)
        if q.cue and " … " in q.cue:  # "teilte … mit": the particle is the cue's PTC
            particle = q.cue.rsplit(" ", 1)[-1]
            at = speech.text.find(f" {particle}", q.cue_end)
            if at != -1:
                ann["PTC"] |= _tokens(speech, at + 1, at + 1 + len(particle))
    return list(by_cue.values())


def event_predictions(speech: Speech, doc) -> list[dict[str, set[str]]]:  # type: ignore[no-untyped-def]
    """The attribution tagger's events as SpkAtt annotations."""
    from storydesk.read.de.attribution import find_events

    out = []
    for event in find_events(doc):
        ann = {role: set() for role in ROLES}
        ann["Cue"] = _tokens(speech, event.cue.start_char, event.cue.end_char)
        for label, spans in event.roles.items():
            role = "PTC" if label == "PTC" else label.capitalize()
            for span in spans:
                ann[role] |= _tokens(speech, span.start_char, span.end_char)
        out.append(ann)
    return out


def score(speech: Speech, preds: list[dict[str, set[str]]], tally: Tally) -> None:
    pairs = sorted(
        (
            (len(p["Cue"] & g["Cue"]), i, j)
            for i, p in enumerate(preds)
            for j, g in enumerate(speech.gold)
            if p["Cue"] & g["Cue"]
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    matched: dict[int, int] = {}
    for _, i, j in pairs:
        if i in used_p or j in matched:
            continue
        used_p.add(i)
        matched[j] = i
    for j, gold in enumerate(speech.gold):
        pred = preds[matched[j]] if j in matched else {role: set() for role in ROLES}
        for role in ROLES:
            tally.add(role, pred[role], gold[role])
    for i, pred in enumerate(preds):
        if i in used_p:
            continue
        for role in ROLES:
            tally.add(role, pred[role], set())


def evaluate(
    split: str = "dev", *, limit: int | None = None, root: Path = SPKATT, system: str = "events"
) -> dict[str, float]:
    from storydesk.read import read_articles
    from storydesk.read.de.nlp import load_nlp
    from storydesk.records import Article
    from storydesk.settings import ReadSettings

    speeches = load(split, limit=limit, root=root)
    tally = Tally()
    started = time.perf_counter()
    if system == "events":
        nlp = load_nlp()
        for speech, doc in zip(speeches, nlp.pipe(s.text for s in speeches), strict=True):
            score(speech, event_predictions(speech, doc), tally)
    else:
        articles = [Article(id=s.name, source=s.name, text=s.text, language="de") for s in speeches]
        read_articles(articles, ReadSettings())
        for speech, article in zip(speeches, articles, strict=True):
            score(speech, predictions(speech, article), tally)
    seconds = time.perf_counter() - started
    result: dict[str, float] = {}
    for role in ("Cue", "Source", "Message", "PTC", "Addr", "Topic"):
        p, r, f = tally.prf([role])
        result[f"{role.lower()}_p"], result[f"{role.lower()}_r"], result[f"{role.lower()}_f1"] = p, r, f
    result["joint_p"], result["joint_r"], result["joint_f1"] = tally.prf(ROLES)
    result["produced_p"], result["produced_r"], result["produced_f1"] = tally.prf(PRODUCED)
    result["gold_annotations"] = sum(len(s.gold) for s in speeches)
    result["speeches"] = len(speeches)
    result["seconds"] = round(seconds, 1)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_spkatt", description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--system", default="events", choices=["events", "quotes"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not SPKATT.exists():
        print(f"SpkAtt-2023 not found at {SPKATT}; skipping")
        return 0
    result = evaluate(args.split, limit=args.limit, system=args.system)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value:.3f}" if isinstance(value, float) else f"{key:>16}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
