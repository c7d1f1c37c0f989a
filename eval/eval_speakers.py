"""Score the speaker a user sees: the ENTITY the store gives a quote's speaker (issue 10, round 7).

eval/eval_quotes.py scores the speaker name reading writes on a quote. A user
sees something else: the entity linking made of it, on the story page and in
the JSON export, under its canonical name and type, with every quote of that
entity across articles. This eval ingests a split of news_stories_2025 (as
eval/news2025.py does: no publication dates, storydesk's own JSONL ingester),
links it (link.relink), and for every gold quote of labels.json with a named
speaker finds the stored quote (the stored quote sharing most words with the
gold span, at least half of the gold's words: the ingester cleans spaces, so
offsets differ) and scores its speaker entity:

- name: the entity's canonical name names the gold speaker (eval_quotes'
  `same_speaker`, against any spelling of the gold actor);
- type: a gold person is a `person` entity; a gold organisation, country or
  outlet is an `organization` or `place` entity, never a `person`;
- splits: a gold actor whose rightly named quotes sit on more than one entity
  (one count per extra entity);
- merges: an entity holding the quotes of more than one gold actor (one count
  per extra actor);
- entity accuracy: quotes whose entity is named right, typed right, and is the
  one entity that holds most of its gold actor's quotes.

Which gold spellings are one actor ("Ahmad"/"Ahmed Sharif Chaudhry" in the
labels), and which named speakers are not people, is judged by hand in
eval/gold/speakers/entities.json.

`--listing` also lists, across the whole store of the split, the speaker
entities a user would doubt: typed `place`, or named with page-label debris
(" - ", "|", "Quick Looks", an all-capitals word of four letters or more that
is a section word, not an acronym), with their quote counts.

    .venv/bin/python -m eval.eval_speakers --split dev --listing [--errors] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from eval.eval_quotes import same_speaker
from eval.news2025 import DATA, build_store, load_labels, opaque

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "speakers" / "entities.json"
_WORD = re.compile(r"\w+")
# Page-label debris in an entity's name: a separator of a page's label line, the label itself.
_DEBRIS = re.compile(
    r" - | – |\||\bQuick Looks?\b|\bLIVE\b|\bUPDATES?\b|\bWATCH\b|\bVIDEO\b|\bEXCLUSIVE\b|\bBREAKING\b"
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def load_gold(path: Path = GOLD) -> tuple[dict[str, str], set[str], set[str]]:
    """Gold spelling -> actor (its first spelling); the spellings that are not people; those that are no actor."""
    data = json.loads(path.read_text(encoding="utf-8"))
    actor = {name: group[0] for group in data["same"] for name in group}
    return actor, set(data["not_person"]), set(data["not_actor"])


def pair_quotes(stored: list[Any], gold: list[dict[str, Any]]) -> dict[int, Any]:
    """Gold index -> the stored quote sharing most of its words (at least half), one to one, greedily."""
    bags = [Counter(_words(q.text)) for q in stored]
    pairs = []
    for j, g in enumerate(gold):
        words = Counter(_words(g["text"]))
        total = sum(words.values())
        for i, bag in enumerate(bags):
            shared = sum((words & bag).values())
            if total and shared >= 0.5 * total:
                pairs.append((shared / total, j, i))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used: set[int] = set()
    out: dict[int, Any] = {}
    for _, j, i in pairs:
        if j not in out and i not in used:
            out[j] = stored[i]
            used.add(i)
    return out


def score(store, split: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Entity-level speaker scores over the split's gold quotes with a named speaker."""
    actor_of, not_person, not_actor = load_gold()
    labels = load_labels()["quotes"]
    rows = {json.loads(line)["id"]: json.loads(line) for line in (DATA / "articles.jsonl").open(encoding="utf-8")}
    slugs = sorted(s for s in labels if rows[s]["split"] == split)
    # The store was built with order seed 1: ids are salted.
    salt = "1:"
    entities: dict[str, Any] = {}
    seen: list[dict[str, Any]] = []  # one row per scored gold quote
    counts = Counter()
    for slug in slugs:
        article = store.articles.get(opaque(slug, salt))
        gold = [g for g in labels[slug] if g["speaker"] and g.get("speaker_named") and g["speaker"] not in not_actor]
        counts["gold"] += len(gold)
        paired = pair_quotes(article.quotes, gold)
        for j, g in enumerate(gold):
            quote = paired.get(j)
            if quote is None:
                counts["quote_missing"] += 1
                continue
            if not quote.speaker_entity:
                counts["no_entity"] += 1
                seen.append({"slug": slug, "gold": g["speaker"], "entity": None, "speaker": quote.speaker})
                continue
            if quote.speaker_entity not in entities:
                entities[quote.speaker_entity] = store.entities.get(quote.speaker_entity, articles=False)
            seen.append({"slug": slug, "gold": g["speaker"], "entity": quote.speaker_entity, "speaker": quote.speaker})
    rights: list[dict[str, Any]] = []
    for row in seen:
        gold_actor = actor_of.get(row["gold"], row["gold"])
        row["actor"] = gold_actor
        spellings = [k for k, v in actor_of.items() if v == gold_actor] or [row["gold"]]
        entity = entities.get(row["entity"]) if row["entity"] else None
        row["name_ok"] = entity is not None and any(same_speaker(entity.name, s) for s in spellings)
        if entity is None:
            row["type_ok"] = False
        elif gold_actor in not_person:
            row["type_ok"] = entity.type in ("organization", "place")
        else:
            row["type_ok"] = entity.type == "person"
        row["name"] = entity.name if entity else None
        row["type"] = entity.type if entity else None
        if row["name_ok"]:
            rights.append(row)
    # Splits: a gold actor's rightly named quotes on several entities; merges: an entity holding several actors.
    by_actor: dict[str, Counter] = defaultdict(Counter)
    for row in rights:
        by_actor[row["actor"]][row["entity"]] += 1
    by_entity: dict[str, set[str]] = defaultdict(set)
    for row in seen:
        if row["entity"]:
            by_entity[row["entity"]].add(row["actor"])
    splits = {a: c for a, c in by_actor.items() if len(c) > 1}
    merges = {e: a for e, a in by_entity.items() if len(a) > 1}
    main_entity = {a: c.most_common(1)[0][0] for a, c in by_actor.items()}
    right = [r for r in seen if r["name_ok"] and r["type_ok"] and main_entity.get(r["actor"]) == r["entity"]]
    checked = len(seen)
    return {
        "gold_named": counts["gold"],
        "quote_found": checked,
        "quote_missing": counts["quote_missing"],
        "no_entity": counts["no_entity"],
        "name_accuracy": sum(r["name_ok"] for r in seen) / checked if checked else 0.0,
        "type_accuracy": sum(r["type_ok"] for r in seen) / checked if checked else 0.0,
        "entity_accuracy": len(right) / checked if checked else 0.0,
        "actors": len(by_actor),
        "splits": sum(len(c) - 1 for c in splits.values()),
        "merges": sum(len(a) - 1 for a in merges.values()),
        "split_detail": {
            a: {entities[e].name + f" ({entities[e].type})": n for e, n in c.items()} for a, c in splits.items()
        },
        "merge_detail": {f"{entities[e].name} ({entities[e].type})": sorted(a) for e, a in merges.items()},
        "rows": seen,
    }


def debris(name: str) -> bool:
    """Whether an entity's name carries page-label debris: a label separator or section word."""
    if _DEBRIS.search(name):
        return True
    words = name.split()
    caps = [w for w in words if len(w) >= 4 and w.isupper() and w.isalpha()]
    return bool(caps) and len(words) > len(caps)  # "WORLD Trump": a section word glued to a name


def listing(store) -> list[tuple[str, str, int, str]]:  # type: ignore[no-untyped-def]
    """Speaker entities typed place or named with debris: (name, type, quotes, why), most quotes first."""
    quotes: Counter = Counter()
    for article in store.articles.iter_all():
        for q in article.quotes:
            if q.speaker_entity:
                quotes[q.speaker_entity] += 1
    out = []
    for eid, n in quotes.items():
        entity = store.entities.get(eid, articles=False)
        why = [w for w, bad in (("place", entity.type == "place"), ("debris", debris(entity.name))) if bad]
        if why:
            out.append((entity.name, entity.type, n, "+".join(why)))
    return sorted(out, key=lambda r: (-r[2], r[0]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_speakers", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-eval"))
    parser.add_argument("--refresh", action="store_true", help="ingest again (after a change to reading)")
    parser.add_argument("--listing", action="store_true", help="list doubtful speaker entities of the whole store")
    parser.add_argument("--errors", action="store_true", help="print every wrong row")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (DATA / "articles.jsonl").exists():
        print(f"skipped: {DATA} is not present")
        return 0
    from storydesk import link
    from storydesk.settings import LinkSettings

    store, _gold = build_store(args.split, "none", cache=args.cache, order_seed=1, refresh=args.refresh)
    started = time.perf_counter()
    link.relink(store, LinkSettings())
    print(f"news_stories_2025, {args.split} split, linked in {time.perf_counter() - started:.1f} s")
    out: dict[str, Any] = {}
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    for split in splits:
        result = score(store, split)
        out[split] = {k: v for k, v in result.items() if k != "rows"}
        print(
            f"{split}: named gold speakers {result['gold_named']}, quote found {result['quote_found']}, "
            f"no entity {result['no_entity']}; entity name {result['name_accuracy']:.3f}, "
            f"type {result['type_accuracy']:.3f}, entity accuracy {result['entity_accuracy']:.3f}; "
            f"actors {result['actors']}, splits {result['splits']}, merges {result['merges']}"
        )
        for actor, where in result["split_detail"].items():
            print(f"  split  {actor}: {where}")
        for entity, actors in result["merge_detail"].items():
            print(f"  merge  {entity}: {actors}")
        if args.errors:
            for r in result["rows"]:
                if not (r["name_ok"] and r["type_ok"]):
                    print(
                        f"  wrong  {r['slug'][:40]:40} gold {r['gold']!r} -> {r['name']!r} ({r['type']}) [{r['speaker']}]"
                    )
    if args.listing:
        rows = listing(store)
        out["listing"] = rows
        print(f"doubtful speaker entities in the store ({len(rows)}):")
        for name, kind, n, why in rows:
            print(f"  {n:4d}  {name!r} ({kind}) {why}")
    if args.json:
        print(json.dumps(out, indent=1, default=str))
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
