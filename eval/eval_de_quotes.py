"""Score German quotes on the German dev articles of news_stories_2025 (hand-annotated gold).

Gold: eval/gold/news_stories_de_quotes.json: article id, offsets, kind, speaker
(the fullest name, or a description with speaker_named false), cue; written
to the definition in ../shared/data/news_stories_2025/README.md (speech and
writing acts only). It covers every non-duplicate German article of the dev
split (15; the German test articles are for story grouping only and are
never read here). The texts are read from ../shared.

Matching, as in the English quote evals: a predicted quote and a gold quote
match when they share a word token; pairs are made one to one, largest
overlap first. Precision = matched predictions / predictions, recall = matched
gold / gold. Speaker accuracy: over matched gold quotes with a named speaker,
the share whose predicted speaker is that name (same name key, or the same
surname key when one name is part of the other). Attributed F1: matches with
the right named speaker (unnamed gold speakers count as right when the
prediction names nobody).

Usage: python -m eval.eval_de_quotes [--errors] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT.parent / "shared" / "data" / "news_stories_2025"
GOLD = ROOT / "eval" / "gold" / "news_stories_de_quotes.json"
_WORD = re.compile(r"\w+")


def _words(text: str, start: int, end: int) -> set[int]:
    return {m.start() + start for m in _WORD.finditer(text[start:end])}


def same_speaker(predicted: str | None, gold: dict) -> bool:
    from storydesk.link.names import name_key, surname_key
    from storydesk.read.de.lexicon import countries

    if predicted is None:
        return False
    # a country is named in English by the reader ("Indien" -> "India"), as the gold may write it in German
    for name in [gold["speaker"], *gold.get("speaker_alternatives", [])]:
        name = countries().get(name.lower(), name)
        if name_key(predicted) == name_key(name):
            return True
        a, b = set(name_key(predicted).split()), set(name_key(name).split())
        if a and b and (a <= b or b <= a) and surname_key(predicted) == surname_key(name):
            return True
    return False


def evaluate(*, stories: Path = STORIES, gold_path: Path = GOLD, errors: bool = False) -> dict[str, float]:
    from storydesk.read import read_articles
    from storydesk.records import Article
    from storydesk.settings import ReadSettings

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    rows = {}
    for line in (stories / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] in gold["articles"]:
            assert row["split"] == "dev" and row["language"] == "de", row["id"]
            rows[row["id"]] = row
    articles = [Article(id=i, source=i, text=rows[i]["text"], language="de") for i in gold["articles"]]
    read_articles(articles, ReadSettings())
    n_pred = n_gold = matched = named = named_right = attributed = nulls = 0
    by_kind: dict[str, list[int]] = {}
    for article in articles:
        text = article.text
        golds = [g for g in gold["quotes"] if g["article"] == article.id]
        preds = article.quotes
        n_pred += len(preds)
        n_gold += len(golds)
        nulls += sum(1 for p in preds if p.speaker is None)
        gw = [_words(text, g["start"], g["end"]) for g in golds]
        pw = [_words(text, p.start, p.end) for p in preds]
        pairs = sorted(
            ((len(pw[i] & gw[j]), i, j) for i in range(len(preds)) for j in range(len(golds)) if pw[i] & gw[j]),
            reverse=True,
        )
        used_p: set[int] = set()
        match: dict[int, int] = {}
        for _, i, j in pairs:
            if i not in used_p and j not in match:
                used_p.add(i)
                match[j] = i
        for j, g in enumerate(golds):
            entry = by_kind.setdefault(g["kind"], [0, 0])
            entry[0] += 1
            if j not in match:
                if errors:
                    print(f"MISSED  {article.id} {g['kind']:8} {g['speaker']!r}: {text[g['start'] : g['end']][:90]!r}")
                continue
            entry[1] += 1
            matched += 1
            p = preds[match[j]]
            if g["speaker_named"]:
                named += 1
                right = same_speaker(p.speaker, g)
                named_right += right
                attributed += right
                if errors and not right:
                    print(f"SPEAKER {article.id} gold {g['speaker']!r} got {p.speaker!r} ({p.speaker_text!r})")
            else:
                attributed += p.speaker is None or same_speaker(p.speaker, g)
        if errors:
            for i, p in enumerate(preds):
                if i not in used_p:
                    print(f"EXTRA   {article.id} {p.kind:8} {p.speaker!r} [{p.cue}]: {p.text[:90]!r}")
    precision = matched / n_pred if n_pred else 0.0
    recall = matched / n_gold if n_gold else 0.0
    ap = attributed / n_pred if n_pred else 0.0
    ar = attributed / n_gold if n_gold else 0.0
    result = {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "speaker_accuracy": named_right / named if named else 0.0,
        "speaker_checked": named,
        "attributed_f1": 2 * ap * ar / (ap + ar) if ap + ar else 0.0,
        "null_speaker_share": nulls / n_pred if n_pred else 0.0,
        "predicted": n_pred,
        "gold": n_gold,
        "articles": len(articles),
    }
    for kind, (count, found) in sorted(by_kind.items()):
        result[f"recall_{kind}"] = found / count if count else 0.0
        result[f"gold_{kind}"] = count
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_de_quotes", description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list missed, extra and wrongly attributed quotes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not STORIES.exists():
        print(f"news_stories_2025 not found at {STORIES}; skipping")
        return 0
    result = evaluate(errors=args.errors)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value:.3f}" if isinstance(value, float) else f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
