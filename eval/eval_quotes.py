"""Score quotes and speakers on news_stories_2025 (issue 9): the definition of docs/quotes.md.

Gold: ../shared/data/news_stories_2025/labels.json -> quotes (227 quotes in 24
English articles, split dev/test per article in articles.jsonl). Direct spans
are the words inside the marks, partial ones the quoted fragment, indirect ones
the reported clause (the dataset's README).

Matching (the measure of eval/eval_polnear.py): predicted and gold spans are
paired one to one, greedily, largest number of shared word tokens first.
  - quote P/R/F1: a pair is a hit when it shares at least one word token;
    P = paired predictions / predictions, R = paired gold / gold
  - token-overlap P/R/F1 (citron's measure): the share of each prediction's
    tokens inside its paired gold (0 when unpaired), and of each gold's tokens
    covered, averaged
  - per kind: P over predictions of that kind, R over gold of that kind
    (paired to any kind); `kind accuracy` is the share of pairs with the same kind
  - speaker accuracy: over pairs whose gold has a speaker, how often our
    `speaker` names it (names compared as normalised word sets, one inside the
    other, or a fuzzy ratio >= 90 for spelling variants: "Peskov"/"Peskow")
  - attributed P/R/F1: hits whose speaker also matches (a gold speaker of null
    needs a null prediction)
  - null speakers: the share of predictions with no speaker

Seeds (`--seeds`): the two seeds in ../shared/seeds, read as `storydesk ingest` reads
them, against a hand-judged list (eval/gold/quotes/seeds.json, 29 quotes), with
every quote found listed for judging by eye.

Judged (`--judged`, issue 9): the English dev articles of news_stories_2025 that
have no quote labels (57 articles), read by storydesk, and every quote it found
judged by hand (eval/gold/quotes/news_dev_judged.json: offsets, whether it is a
quote by docs/quotes.md, and its speaker's fullest name). A larger dev signal for
speakers in the news the test split comes from; it measures precision and
speaker accuracy of what is found, not recall. Predictions are paired with the
judged spans as above; one that pairs with none is "unjudged" (listed, to be
judged and added), a judged quote no longer found is "lost".

Usage: python -m eval.eval_quotes --split dev|test [--system storydesk|baseline] [--errors N] [--json]
       python -m eval.eval_quotes --seeds
       python -m eval.eval_quotes --judged [--errors N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news_stories_2025"
SEEDS = ROOT.parent / "shared" / "seeds"
SEEDS_GOLD = ROOT / "eval" / "gold" / "quotes" / "seeds.json"
JUDGED_GOLD = ROOT / "eval" / "gold" / "quotes" / "news_dev_judged.json"
_WORD = re.compile(r"\w+")
_NAME_STOP = frozenset("the a an of s his her its their".split())  # noqa: SIM905
KINDS = ("direct", "partial", "indirect")


@dataclass(slots=True)
class GoldQuote:
    start: int
    end: int
    kind: str
    speaker: str | None
    text: str = ""


@dataclass(slots=True)
class Doc:
    name: str
    text: str
    gold: list[GoldQuote]


@dataclass(slots=True)
class Pred:
    """What the scorer needs of a predicted quote (storydesk's Quote or the baseline's)."""

    start: int
    end: int
    kind: str
    speaker: str | None
    text: str = ""


def load(split: str, *, root: Path = NEWS) -> list[Doc]:
    """The annotated articles of one split, in id order."""
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))["quotes"]
    docs = []
    with (root / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if article["id"] in labels and article["split"] == split:
                gold = [
                    GoldQuote(q["start"], q["end"], q["kind"], q["speaker"], q["text"]) for q in labels[article["id"]]
                ]
                docs.append(Doc(article["id"], article["text"], gold))
    return sorted(docs, key=lambda d: d.name)


def tokens(text: str, start: int, end: int) -> frozenset[int]:
    """Start offsets of the word tokens in text[start:end]: comparable across spans."""
    return frozenset(start + m.start() for m in _WORD.finditer(text[start:end]))


def name_words(name: str) -> set[str]:
    words = _WORD.findall(anyascii(name).lower().replace("'s ", " "))
    return {w for w in words if w not in _NAME_STOP}


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Whether a predicted speaker names the gold one (both null counts as the same)."""
    if pred is None or gold is None:
        return pred is None and gold is None
    p, g = name_words(pred), name_words(gold)
    if p and g and (p <= g or g <= p):
        return True
    return fuzz.ratio(anyascii(pred).lower(), anyascii(gold).lower()) >= 90


@dataclass(slots=True)
class Scores:
    pred: int = 0
    gold: int = 0
    hits: int = 0
    p_overlap: float = 0.0
    r_overlap: float = 0.0
    kind_same: int = 0
    speaker_checked: int = 0
    speaker_right: int = 0
    attributed: int = 0
    null_speakers: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [pred, pred hit, gold, gold hit]
    errors: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        def ratio(a: float, b: float) -> float:
            return a / b if b else 0.0

        p, r = ratio(self.hits, self.pred), ratio(self.hits, self.gold)
        op, orr = ratio(self.p_overlap, self.pred), ratio(self.r_overlap, self.gold)
        ap, ar = ratio(self.attributed, self.pred), ratio(self.attributed, self.gold)
        out: dict[str, float] = {
            "quote_p": p,
            "quote_r": r,
            "quote_f1": f1(p, r),
            "overlap_p": op,
            "overlap_r": orr,
            "overlap_f1": f1(op, orr),
            "speaker_accuracy": ratio(self.speaker_right, self.speaker_checked),
            "attributed_p": ap,
            "attributed_r": ar,
            "attributed_f1": f1(ap, ar),
            "null_speaker_share": ratio(self.null_speakers, self.pred),
            "kind_accuracy": ratio(self.kind_same, self.hits),
            "predicted": self.pred,
            "gold": self.gold,
        }
        for kind in KINDS:
            n_pred, pred_hit, n_gold, gold_hit = self.by_kind.get(kind, [0, 0, 0, 0])
            kp, kr = ratio(pred_hit, n_pred), ratio(gold_hit, n_gold)
            out.update({f"{kind}_p": kp, f"{kind}_r": kr, f"{kind}_f1": f1(kp, kr)})
            out.update({f"{kind}_predicted": n_pred, f"{kind}_gold": n_gold})
        return out


def score(doc: Doc, preds: Iterable[Pred], scores: Scores) -> None:
    text = doc.text
    ptoks = [(tokens(text, q.start, q.end), q) for q in preds]
    ptoks = [(t, q) for t, q in ptoks if t]
    gtoks = [(tokens(text, g.start, g.end), g) for g in doc.gold]
    scores.pred += len(ptoks)
    scores.gold += len(gtoks)
    pairs = sorted(
        ((len(pt & gt), i, j) for i, (pt, _) in enumerate(ptoks) for j, (gt, _) in enumerate(gtoks) if pt & gt),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used: set[int] = set()
    matched: dict[int, int] = {}
    for _, i, j in pairs:
        if i not in used and j not in matched:
            used.add(i)
            matched[j] = i
    for _, q in ptoks:
        entry = scores.by_kind.setdefault(q.kind, [0, 0, 0, 0])
        entry[0] += 1
        scores.null_speakers += q.speaker is None
    for i, (_, q) in enumerate(ptoks):
        if i in used:
            scores.by_kind[q.kind][1] += 1
        else:
            scores.errors.append(f"{doc.name}  extra {q.kind:8} [{q.speaker}] {text[q.start : q.end][:110]!r}")
    for j, (gt, g) in enumerate(gtoks):
        entry = scores.by_kind.setdefault(g.kind, [0, 0, 0, 0])
        entry[2] += 1
        if j not in matched:
            scores.errors.append(f"{doc.name}  miss  {g.kind:8} [{g.speaker}] {g.text[:110]!r}")
            continue
        pt, q = ptoks[matched[j]]
        entry[3] += 1
        scores.hits += 1
        shared = len(pt & gt)
        scores.p_overlap += shared / len(pt)
        scores.r_overlap += shared / len(gt)
        scores.kind_same += q.kind == g.kind
        right = same_speaker(q.speaker, g.speaker)
        if g.speaker is not None:
            scores.speaker_checked += 1
            scores.speaker_right += right
            if not right:
                scores.errors.append(f"{doc.name}  who   {g.kind:8} [{q.speaker} / gold {g.speaker}] {g.text[:80]!r}")
        scores.attributed += right


def storydesk_quotes(docs: list[Doc], settings: Any = None) -> list[list[Pred]]:
    """Read the articles with the whole reading stage and return their quotes."""
    from storydesk.read import read_articles
    from storydesk.records import Article
    from storydesk.settings import ReadSettings

    articles = [Article(id=d.name, source=d.name, text=d.text, language="en") for d in docs]
    read_articles(articles, settings or ReadSettings())
    return [[Pred(q.start, q.end, q.kind, q.speaker, q.text) for q in a.quotes] for a in articles]


def baseline_quotes(docs: list[Doc], settings: Any = None) -> list[list[Pred]]:
    from eval.quote_baseline import baseline

    return baseline([d.text for d in docs])


SYSTEMS: dict[str, Callable[..., list[list[Pred]]]] = {"storydesk": storydesk_quotes, "baseline": baseline_quotes}


def evaluate(split: str, *, system: str = "storydesk", root: Path = NEWS, settings: Any = None) -> dict[str, Any]:
    docs = load(split, root=root)
    started = time.perf_counter()
    predictions = SYSTEMS[system](docs, settings)
    scores = Scores()
    for doc, preds in zip(docs, predictions, strict=True):
        score(doc, preds, scores)
    result: dict[str, Any] = scores.metrics()
    result["articles"] = len(docs)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["errors"] = scores.errors
    return result


def evaluate_seeds(*, root: Path = SEEDS, settings: Any = None) -> dict[str, Any]:
    """The seeds against eval/gold/quotes/seeds.json, with the list of quotes found."""
    from storydesk.ingest.text import read_text_file
    from storydesk.read import read_articles
    from storydesk.settings import ReadSettings

    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    articles = {key: read_text_file(root / name) for key, name in gold["articles"].items()}
    for article in articles.values():
        article.language = "en"
    read_articles(list(articles.values()), settings or ReadSettings())
    scores = Scores()
    found: list[str] = []
    for key, article in articles.items():
        quotes = []
        for q in gold["quotes"]:
            if q["article"] == key:
                start = article.text.index(q["text"])
                quotes.append(GoldQuote(start, start + len(q["text"]), q["kind"], q["speaker"], q["text"]))
        doc = Doc(key, article.text, quotes)
        errors_before = len(scores.errors)
        score(doc, [Pred(q.start, q.end, q.kind, q.speaker, q.text) for q in article.quotes], scores)
        wrong = "\n".join(scores.errors[errors_before:])
        for q in article.quotes:
            mark = "EXTRA" if f"extra {q.kind:8} [{q.speaker}] {q.text[:110]!r}" in wrong else "ok"
            found.append(f"{key}  {mark:5} {q.kind:8} [{q.speaker}] {q.text[:90]!r}")
    result: dict[str, Any] = scores.metrics()
    result["found"] = found
    result["errors"] = scores.errors
    return result


def pair(text: str, preds: list[Pred], spans: list[tuple[int, int]]) -> dict[int, int]:
    """Predictions paired one to one with spans, largest word overlap first: {span index: prediction index}."""
    ptoks = [tokens(text, q.start, q.end) for q in preds]
    stoks = [tokens(text, a, b) for a, b in spans]
    # Largest overlap first; of equal overlaps the closer fit (a partial quote and the clause
    # holding it both overlap the partial's span).
    pairs = sorted(
        (
            (len(pt & st), len(pt & st) / len(pt | st), i, j)
            for i, pt in enumerate(ptoks)
            for j, st in enumerate(stoks)
            if pt & st
        ),
        key=lambda x: (-x[0], -x[1], x[2], x[3]),
    )
    used: set[int] = set()
    matched: dict[int, int] = {}
    for _, _, i, j in pairs:
        if i not in used and j not in matched:
            used.add(i)
            matched[j] = i
    return matched


def evaluate_judged(*, root: Path = NEWS, settings: Any = None, gold_path: Path = JUDGED_GOLD) -> dict[str, Any]:
    """Precision and speaker accuracy of the quotes found in the hand-judged dev articles."""
    judged = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    texts = {}
    with (root / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if article["id"] in judged:
                texts[article["id"]] = article["text"]
    docs = [Doc(name, texts[name], []) for name in sorted(judged)]
    predictions = storydesk_quotes(docs, settings)
    found = right = false = lost = checked = speaker_right = null = 0
    errors: list[str] = []
    for doc, preds in zip(docs, predictions, strict=True):
        preds = [q for q in preds if tokens(doc.text, q.start, q.end)]
        entries = judged[doc.name]
        matched = pair(doc.text, preds, [(e["start"], e["end"]) for e in entries])
        found += len(preds)
        null += sum(q.speaker is None for q in preds)
        for j, e in enumerate(entries):
            hint = e.get("hint", "")
            if j not in matched:
                lost += e["quote"]
                if e["quote"]:
                    errors.append(f"{doc.name}  lost  [{e['speaker']}] {hint!r}")
                continue
            q = preds[matched[j]]
            if not e["quote"]:
                false += 1
                errors.append(f"{doc.name}  false {q.kind:8} [{q.speaker}] {q.text[:90]!r}")
                continue
            right += 1
            if e["speaker"] is not None:
                checked += 1
                ok = same_speaker(q.speaker, e["speaker"])
                speaker_right += ok
                if not ok:
                    errors.append(f"{doc.name}  who   [{q.speaker} / judged {e['speaker']}] {q.text[:80]!r}")
        paired = set(matched.values())
        for i, q in enumerate(preds):
            if i not in paired:
                errors.append(f"{doc.name}  unjudged {q.start}-{q.end} {q.kind} [{q.speaker}] {q.text[:90]!r}")
    judged_true = sum(e["quote"] for es in judged.values() for e in es)
    return {
        "articles": len(docs),
        "found": found,
        "judged_quotes": judged_true,
        "quote_p": right / (right + false) if right + false else 0.0,
        "speaker_accuracy": speaker_right / checked if checked else 0.0,
        "speaker_checked": checked,
        "null_speaker_share": null / found if found else 0.0,
        "lost_share": lost / judged_true if judged_true else 0.0,
        "unjudged": found - right - false,
        "errors": errors,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_quotes", description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--system", default="storydesk", choices=sorted(SYSTEMS))
    parser.add_argument("--errors", type=int, default=0, help="list up to N misses, extras and wrong speakers")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--model", type=Path, default=None, help="a quote model file other than the bundled one")
    parser.add_argument("--seeds", action="store_true", help="score the two seeds against eval/gold/quotes/seeds.json")
    parser.add_argument(
        "--judged", action="store_true", help="score the hand-judged dev articles (news_dev_judged.json)"
    )
    args = parser.parse_args(argv)
    if not NEWS.exists():
        print(f"news_stories_2025 not found at {NEWS}; skipping")
        return 0
    from storydesk.settings import QuoteSettings, ReadSettings

    settings = ReadSettings(quotes=QuoteSettings(model_path=args.model))
    if args.judged:
        result = evaluate_judged(settings=settings)
    elif args.seeds:
        result = evaluate_seeds(settings=settings)
        for line in result.pop("found"):
            print(line)
    else:
        result = evaluate(args.split, system=args.system, settings=settings)
    errors = result.pop("errors")
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
