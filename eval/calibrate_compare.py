"""Calibrate compare's meaning rules on the news_stories_2025 dev split: which statement pairs count as one.

Positives: pairs of the gold corroborated statements' supports (labels.json
`comparison.corroborated`) in two different articles of the split. Negatives:
every other pair of statements (quotes, claims, narrative sentences) from two
articles of one gold event. The gold list is not exhaustive, so a few
"negatives" are true rewordings: the rate of negatives a rule accepts is an
upper bound of its false matches. Gold events are used, not linking's, so the
rules are judged apart from grouping.

For each rule the script prints the share of positive pairs it accepts and the
negatives it accepts per thousand, within one language and across two. The
thresholds in settings.py (compare: event_embedding, paraphrase_*,
cross_embedding) were chosen from this table on dev; the test split was not
used.

    .venv/bin/python -m eval.calibrate_compare --split dev
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from eval.news2025 import DATA, build_store, load_labels


def _pairs(split: str, cache: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from storydesk.compare.actors import ActorIndex
    from storydesk.compare.align import Vectors, Weights
    from storydesk.compare.embed import statement_vectors
    from storydesk.compare.findings import voices
    from storydesk.compare.statements import story_statements
    from storydesk.settings import Settings

    settings = Settings().compare
    store, gold = build_store(split, "none", cache=cache, order_seed=1)
    id_of = {slug: aid for aid, slug in gold.slug_of.items()}
    supports: dict[str, list[tuple[str, int, int]]] = defaultdict(list)  # article -> (item, start, end)
    for item in load_labels()["comparison"]["corroborated"]:
        for s in item["support"]:
            if s["article"] in id_of:
                supports[id_of[s["article"]]].append((item["id"], s["start"], s["end"]))
    by_event: dict[str, list[str]] = defaultdict(list)
    for aid, event in gold.event.items():
        by_event[event].append(aid)
    positives: list[dict[str, Any]] = []
    negatives: list[dict[str, Any]] = []
    for _event, ids in sorted(by_event.items()):
        articles = store.articles.get_many(sorted(ids))
        statements = [s for s in story_statements(articles, ActorIndex(articles, None), settings) if s.kind != "role"]
        voice_of = voices(articles)
        for s in statements:
            s.voice = voice_of[s.article]
        vectors = Vectors(statement_vectors(statements, settings, store), settings)
        weights = Weights(statements)

        def items_of(s: Any) -> set[str]:
            # the stored text may differ from the gold text by cleaned spaces: match by overlap
            return {
                item
                for item, start, end in supports.get(s.article, [])
                if s.start is not None and s.end is not None and s.start < end + 5 and start - 5 < s.end
            }

        tagged = [(s, items_of(s)) for s in statements]
        for (a, ia), (b, ib) in combinations(tagged, 2):
            if a.article == b.article or gold.outlet[a.article] == gold.outlet[b.article]:
                continue
            cosine = vectors.cosine(a, b)
            if cosine is None:
                continue
            score, shared = weights.similarity(a.terms, b.terms)
            row = {
                "cos": cosine,
                "sim": score,
                "shared": shared,
                "cross": a.language != b.language,
                "anchored": bool(a.numbers & b.numbers) or bool(a.names & b.names),
                "kinds": tuple(sorted((a.kind, b.kind))),
                "texts": (a.text[:150], b.text[:150]),
                "copy": a.voice == b.voice or a.text == b.text,
            }
            if ia & ib:
                positives.append(row)
            elif not (ia or ib):
                negatives.append(row)
    return positives, negatives


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="calibrate_compare", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-eval"))
    parser.add_argument("--sample", type=int, default=0, help="print this many negatives the paraphrase rule accepts")
    args = parser.parse_args(argv)
    if not (DATA / "articles.jsonl").exists():
        print(f"skipped: {DATA} is not present")
        return 0
    positives, negatives = _pairs(args.split, args.cache)
    negatives = [n for n in negatives if not n["copy"]]  # a copy and its original say the same by construction
    if args.sample:
        import random

        from storydesk.settings import Settings

        c = Settings().compare
        extra = [
            n
            for n in negatives
            if not n["cross"]
            and n["cos"] >= c.paraphrase_embedding
            and n["sim"] >= c.paraphrase_similarity
            and n["shared"] >= c.paraphrase_shared_terms
            and not (n["cos"] >= c.event_embedding and n["shared"] >= 2)
            and not (n["sim"] >= 0.5 and n["shared"] >= 2)
        ]
        for n in random.Random(1).sample(extra, min(args.sample, len(extra))):
            print(f"- cos {n['cos']:.2f} sim {n['sim']:.2f}: {n['texts'][0]!r}\n      | {n['texts'][1]!r}")
    for cross in (False, True):
        pos = [p for p in positives if p["cross"] == cross]
        neg = [n for n in negatives if n["cross"] == cross]
        print(f"\n{'two languages' if cross else 'one language'}: {len(pos)} positive pairs, {len(neg)} negative pairs")
        print("| rule | positives accepted | negatives accepted per 1000 |")
        print("|---|---|---|")
        rules: list[tuple[str, Any]] = []
        if cross:
            for c in (0.84, 0.85, 0.86, 0.87, 0.88, 0.9):
                rules.append((f"anchored, cos >= {c}", lambda r, c=c: r["anchored"] and r["cos"] >= c))
        else:
            for c in (0.9, 0.92, 0.94):
                rules.append((f"cos >= {c}, shared >= 2", lambda r, c=c: r["cos"] >= c and r["shared"] >= 2))
            for c in (0.86, 0.88, 0.9):
                for s in (0.25, 0.3, 0.35, 0.4):
                    for k in (3, 4):
                        rules.append(
                            (
                                f"cos >= {c}, sim >= {s}, shared >= {k}",
                                lambda r, c=c, s=s, k=k: r["cos"] >= c and r["sim"] >= s and r["shared"] >= k,
                            )
                        )
            rules.append(("words: sim >= 0.5, shared >= 2", lambda r: r["sim"] >= 0.5 and r["shared"] >= 2))
        for name, rule in rules:
            hit = sum(1 for p in pos if rule(p))
            false = sum(1 for n in neg if rule(n))
            print(f"| {name} | {hit}/{len(pos)} | {1000 * false / max(1, len(neg)):.2f} ({false}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
