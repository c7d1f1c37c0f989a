"""Score the German NER (read/de/nlp.py) on GermEval 2014 test: entity F1 for PER, ORG, LOC.

Gold: ../shared/data/german/germeval2014/NER-de-test.tsv (5,100 sentences),
outer level, the PER/ORG/LOC labels; OTH and the *deriv/*part labels are left
out on both sides because storydesk reads actors and places only (the official
GermEval metric scores all twelve labels and both levels, so its numbers are
not comparable one to one). The test file is never used for training
(read/de/train_ner.py reads GermEval dev and SmartData).

Each sentence is given to the pipeline as its gold tokens. Scored: exact
spans with their label, micro-averaged, and per label; `--no-gazetteer`
scores the trained NER alone, without the gazetteer on top of it.

Usage: python -m eval.eval_de_ner [--limit N] [--no-gazetteer] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GERMEVAL = ROOT.parent / "shared" / "data" / "german" / "germeval2014"
LABELS = ("PER", "ORG", "LOC")


def evaluate(*, limit: int | None = None, gazetteer: bool = True, root: Path = GERMEVAL) -> dict[str, float]:
    from spacy.tokens import Doc

    from storydesk.read.de.nlp import load_nlp
    from storydesk.read.de.train_ner import germeval_sentences

    nlp = load_nlp()
    sentences = list(germeval_sentences(root / "NER-de-test.tsv"))[:limit]
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    started = time.perf_counter()
    for words, spans in sentences:
        doc = Doc(nlp.vocab, words=words)
        for name, proc in nlp.pipeline:
            if name == "entity_ruler" and not gazetteer:
                continue
            doc = proc(doc)
        gold = {(a, b, label) for a, b, label in spans}
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in LABELS}
        for *_, label in gold:
            n_gold[label] += 1
        for a, b, label in pred:
            n_pred[label] += 1
            tp[label] += (a, b, label) in gold
    result: dict[str, float] = {}
    for label in (*LABELS, "all"):
        t = sum(tp.values()) if label == "all" else tp[label]
        p_n = sum(n_pred.values()) if label == "all" else n_pred[label]
        g_n = sum(n_gold.values()) if label == "all" else n_gold[label]
        p = t / p_n if p_n else 0.0
        r = t / g_n if g_n else 0.0
        key = "" if label == "all" else f"{label.lower()}_"
        result[f"{key}p"] = p
        result[f"{key}r"] = r
        result[f"{key}f1"] = 2 * p * r / (p + r) if p + r else 0.0
        result[f"{key}gold"] = g_n
    result["sentences"] = len(sentences)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_de_ner", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N test sentences")
    parser.add_argument("--no-gazetteer", action="store_true", help="the trained NER alone")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not GERMEVAL.exists():
        print(f"GermEval 2014 not found at {GERMEVAL}; skipping")
        return 0
    result = evaluate(limit=args.limit, gazetteer=not args.no_gazetteer)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>10}: {value:.3f}" if isinstance(value, float) else f"{key:>10}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
