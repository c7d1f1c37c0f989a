"""Score entity linking: name-key signals on name pairs, and cross-document merges on MEANTIME.

1. Name keys (eval/name_pairs.tsv, written for this project: true variants
   such as Selenskyj/Zelensky and near-misses such as Peskov/Pesko): for each
   signal, precision and recall of "same name" over the pairs.
2. MEANTIME (../shared/data/meantime_cdcr, English, 120 Wikinews articles):
   the gold named person and organisation mentions (head is a proper noun)
   are given to storydesk's EntityLinker as reading would give them (the
   proper-noun run around the head as the name, the rest of the span as the
   role), article by article in document order. Merge precision and recall
   over pairs of mentions in different documents: a pair is merged when both
   mentions got the same entity, and correct when both are in one gold chain.
   Only the linking is scored here, not mention detection. Gold identity is
   the MEANTIME instance id (the chain id without the "cross_"/"intra_"
   prefixes the preprocessing adds to one instance's mentions).

    .venv/bin/python -m eval.eval_entities              # both parts
    .venv/bin/python -m eval.eval_entities --errors 10  # also show wrong merges and misses
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = Path(__file__).resolve().parent / "name_pairs.tsv"
MEANTIME = ROOT.parent / "shared" / "data" / "meantime_cdcr" / "MEANTIME-prep" / "output_data" / "en"


def name_signals() -> dict[str, object]:
    from storydesk.link import names

    return {
        "exact (case-folded)": lambda a, b: a.casefold() == b.casefold(),
        "anyascii fold": lambda a, b: names.fold(a) == names.fold(b),
        "metaphone of fold": lambda a, b: (
            " ".join(map(names.jellyfish.metaphone, names.fold(a).split()))
            == " ".join(map(names.jellyfish.metaphone, names.fold(b).split()))
        ),
        "Jaro-Winkler >= 0.85": lambda a, b: names.similarity(a, b) >= 0.85,
        "Jaro-Winkler >= 0.90": lambda a, b: names.similarity(a, b) >= 0.90,
        "Jaro-Winkler >= 0.95": lambda a, b: names.similarity(a, b) >= 0.95,
        "name_key (used)": lambda a, b: names.name_key(a) == names.name_key(b),
        "metaphone of name_key": lambda a, b: names.phonetic_key(a) == names.phonetic_key(b),
        "name_key or JW(key) >= 0.90": lambda a, b: (
            names.name_key(a) == names.name_key(b)
            or names.JaroWinkler.similarity(names.name_key(a), names.name_key(b)) >= 0.90
        ),
    }


def eval_names(errors: int) -> None:
    rows = [r for r in csv.reader(PAIRS.open(encoding="utf-8"), delimiter="\t") if r and not r[0].startswith("#")]
    pos = sum(r[2] == "1" for r in rows)
    print(f"Name pairs: {len(rows)} ({pos} true variants, {len(rows) - pos} near-misses)")
    print("| signal | precision | recall | F1 | false merges | misses |")
    print("|---|---|---|---|---|---|")
    for name, same in name_signals().items():
        tp = fp = fn = 0
        wrong: list[str] = []
        for a, b, gold, *_ in rows:
            said = bool(same(a, b))  # type: ignore[operator]
            if said and gold == "1":
                tp += 1
            elif said:
                fp += 1
                wrong.append(f"merged {a} / {b}")
            elif gold == "1":
                fn += 1
                wrong.append(f"missed {a} / {b}")
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {fp} | {fn} |")
        for line in wrong[:errors]:
            print(f"|   {line} | | | | | |")


def _name_and_role(tokens: list[str], head: str) -> tuple[str, str | None]:
    """The proper-noun run around the head (what reading calls the name) and the rest (the role)."""
    i = max((k for k, t in enumerate(tokens) if t == head), default=len(tokens) - 1)
    lo = hi = i
    while lo > 0 and tokens[lo - 1][:1].isupper():
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1][:1].isupper():
        hi += 1
    name = " ".join(tokens[lo : hi + 1])
    rest = " ".join(tokens[:lo] + tokens[hi + 1 :]).strip(" ,")
    return name, (rest or None)


def _instance(chain: str) -> str:
    """The MEANTIME instance a chain id names: the preprocessing prefixes one instance's id
    with "cross_", "intra_" or "cross_intra_" depending on where its mentions occur."""
    return re.sub(r"^(?:cross_intra_|cross_|intra_)", "", chain)


def eval_meantime(errors: int) -> None:
    from storydesk.link.entities import EntityLinker
    from storydesk.records import Article, Mention
    from storydesk.settings import LinkSettings
    from storydesk.store import open_store

    data = json.loads((MEANTIME / "entities_mentions.json").read_text(encoding="utf-8"))
    gold_mentions = [m for m in data if m["mention_type"] in ("PER", "ORG") and m["mention_head_pos"] == "PROPN"]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for m in gold_mentions:
        by_doc[m["doc_id"]].append(m)
    store = open_store(":memory:")
    linker = EntityLinker(store, LinkSettings())
    pred: dict[str, str] = {}
    gold: dict[str, str] = {}
    doc_of: dict[str, str] = {}
    surface: dict[str, str] = {}
    for doc_id in sorted(by_doc):
        mentions = []
        for k, m in enumerate(sorted(by_doc[doc_id], key=lambda m: (m["sent_id"], m["tokens_number"][0]))):
            name, role = _name_and_role(m["tokens_str"].replace(" - ", "-").split(), m["mention_head"])
            kind = "person" if m["mention_type"] == "PER" else "organization"
            mentions.append(Mention(text=name, start=k, end=k + 1, type=kind, name=name, role=role))
            mid = m["mention_id"] + f"#{k}"
            gold[mid], doc_of[mid], surface[mid] = _instance(m["coref_chain"]), doc_id, m["tokens_str"]
        text = " ".join(m.text for m in mentions)
        article = Article(
            id=hashlib.sha1(doc_id.encode()).hexdigest()[:16],
            source=doc_id,
            text=text,
            content_hash=hashlib.sha256(doc_id.encode()).hexdigest(),
        )
        article.mentions = mentions
        store.articles.add(article)
        with store.transaction():
            linker.link(article)
            linker.flush()
        for k, m in enumerate(sorted(by_doc[doc_id], key=lambda m: (m["sent_id"], m["tokens_number"][0]))):
            pred[m["mention_id"] + f"#{k}"] = mentions[k].entity or ""
    tp = fp = fn = 0
    wrong_merges: dict[tuple[str, str], int] = defaultdict(int)
    misses: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in itertools.combinations(sorted(gold), 2):
        if doc_of[a] == doc_of[b]:
            continue
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        if same_pred and same_gold:
            tp += 1
        elif same_pred:
            fp += 1
            wrong_merges[tuple(sorted((surface[a], surface[b])))] += 1  # type: ignore[index]
        elif same_gold:
            fn += 1
            misses[tuple(sorted((surface[a], surface[b])))] += 1  # type: ignore[index]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"MEANTIME (en): {len(gold)} named PER/ORG mentions in {len(by_doc)} documents, "
        f"{len(set(gold.values()))} gold chains, {len(set(pred.values()))} entities"
    )
    print("| cross-document mention pairs | precision | recall | F1 |")
    print("|---|---|---|---|")
    print(f"| storydesk EntityLinker | {p:.3f} | {r:.3f} | {f:.3f} |")
    for title, table in (("wrong merges", wrong_merges), ("misses", misses)):
        for (a, b), n in sorted(table.items(), key=lambda kv: -kv[1])[:errors]:
            print(f"  {title}: {a!r} / {b!r} ({n} pairs)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", type=int, default=0, help="show this many errors per table")
    parser.add_argument("--part", choices=("names", "meantime", "both"), default="both")
    args = parser.parse_args(argv)
    if args.part in ("names", "both"):
        eval_names(args.errors)
    if args.part in ("meantime", "both"):
        if not MEANTIME.exists():
            print(f"skipped: {MEANTIME} is not present")
        else:
            eval_meantime(args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
