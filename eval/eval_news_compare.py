"""Score per-event comparison on news_stories_2025: gold conflicts and corroborations, and lists to judge by hand.

The split's articles are ingested by storydesk's pipeline (eval/news2025.py,
no publication dates given), linked into events and compared, as a user's
ingest would. Then:

- conflicts: every reported conflict is printed (event, kind, confidence,
  both sides in context) for judging by hand with
  docs/compare-annotation-guideline.md; recall against the 14 gold conflicts
  of labels.json: a gold conflict is found when one reported conflict has two
  sides carrying two of its claims with different values (a side carries a
  claim when it holds 80 % of the claim's words);
- corroboration: a gold corroborated statement is found when one
  corroborated finding has sides carrying two of its supports from different
  articles;
- single-source: `--audit N` prints N single-source findings (the top-ranked
  ones of the largest events in turn), each with the three closest
  sentences of the event's other outlets, for judging by hand.

Gold items count only where the split holds two of their claims (supports)
from different outlets; how many of those lie inside one gold event is
printed too, since comparison runs per event.

    .venv/bin/python -m eval.eval_news_compare --split test --audit 20
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.news2025 import DATA, build_store, load_labels

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def carries(side_text: str, claim_text: str) -> bool:
    """Whether a side holds 80 % of a gold claim's words (offsets differ: the ingester cleans spaces)."""
    claim = _words(claim_text)
    have = set(_words(side_text))
    return bool(claim) and sum(w in have for w in claim) >= 0.8 * len(claim)


def _context(text: str, start: int | None, end: int | None, width: int = 60) -> str:
    if start is None or end is None:
        return ""
    return (text[max(0, start - width) : start] + "[[" + text[start:end] + "]]" + text[end : end + width]).replace(
        "\n", " "
    )


def run(split: str, cache: Path, refresh: bool) -> tuple[Any, Any, dict[str, Any], float, float]:  # type: ignore[no-untyped-def]
    from storydesk import compare, link
    from storydesk.link import features
    from storydesk.settings import Settings

    settings = Settings()
    store, gold = build_store(split, "none", cache=cache, order_seed=1, refresh=refresh)
    link.relink(store, settings.link)
    ids = [s.id for s in store.stories.list()]
    # Time the encoder inside comparing (statement vectors), apart from the rest.
    encoder = {"s": 0.0}
    original = features.embed_statements

    def timed(texts):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return original(texts)
        finally:
            encoder["s"] += time.perf_counter() - t

    features.embed_statements = timed  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        compare.compare_stories(store, ids, settings.compare)
        seconds = time.perf_counter() - started
    finally:
        features.embed_statements = original  # type: ignore[assignment]
    return store, gold, {"stories": ids}, seconds, encoder["s"]


def gold_matches(store, gold, labels: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The gold conflicts and corroborations the split can show (two claims from different outlets),
    each with whether some reported conflict or corroborated finding carries it; and the reported
    conflicts whose sides lie in different gold events (comparison runs per event: there must be none)."""
    id_of = {slug: aid for aid, slug in gold.slug_of.items()}
    stories = store.stories.list()
    event_of = {a: s.id for s in stories for a in s.articles}
    conflicts = []
    for item in labels["comparison"]["conflicts"]:
        claims = [c for c in item["claims"] if c["article"] in id_of]
        if len({gold.outlet[id_of[c["article"]]] for c in claims}) < 2 or len({c["value"] for c in claims}) < 2:
            continue
        hit = None
        for story in stories:
            for conflict in story.conflicts:
                matched = {
                    (c["article"], c["value"])
                    for c in claims
                    for side in conflict.sides
                    if side.article == id_of[c["article"]] and carries(side.text, c["text"])
                }
                if len({v for _a, v in matched}) >= 2:
                    hit = conflict
        conflicts.append(
            {
                "item": item,
                "claims": len(claims),
                "gold_events": len({gold.event[id_of[c["article"]]] for c in claims}),
                "predicted_events": len({event_of.get(id_of[c["article"]]) for c in claims}),
                "hit": hit,
            }
        )
    corroborations = []
    for item in labels["comparison"]["corroborated"]:
        supports = [c for c in item["support"] if c["article"] in id_of]
        if len({gold.outlet[id_of[c["article"]]] for c in supports}) < 2:
            continue
        # Comparison runs per event: can one gold event show it (two outlets' supports in it)?
        per_event: dict[str, set[str]] = {}
        for c in supports:
            per_event.setdefault(gold.event[id_of[c["article"]]], set()).add(gold.outlet[id_of[c["article"]]])
        hit = None
        for story in stories:
            for finding in story.corroborated:
                arts = {
                    c["article"]
                    for c in supports
                    for side in finding.sides
                    if side.article == id_of[c["article"]] and carries(side.text, c["text"])
                }
                if len(arts) >= 2:
                    hit = finding
        corroborations.append(
            {
                "item": item,
                "supports": len(supports),
                "languages": sorted({gold.language[id_of[c["article"]]] for c in supports}),
                "in_one_event": max(len(v) for v in per_event.values()) >= 2,
                "hit": hit,
            }
        )
    across = [
        (story, c) for story in stories for c in story.conflicts if len({gold.event[s.article] for s in c.sides}) > 1
    ]
    return {"conflicts": conflicts, "corroborations": corroborations, "across_events": across}


def print_found(what: str, rows: list[dict[str, Any]], showable: Callable[[dict[str, Any]], bool], how: str) -> None:
    """One summary line: gold items found, over all and over those per-event comparison can show."""
    found = sum(r["hit"] is not None for r in rows)
    one = [r for r in rows if showable(r)]
    print(f"{what} found: {found}/{len(rows)} ({sum(r['hit'] is not None for r in one)}/{len(one)} of those {how})")


def score_gold(store, gold, labels: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = gold_matches(store, gold, labels)
    print("\n## Gold conflicts (labels.json comparison.conflicts)")
    for r in result["conflicts"]:
        item, hit = r["item"], r["hit"]
        print(
            f"- {item['id']} {item['type']} ({item['topic']}): {r['claims']} claims in the split, "
            f"{r['gold_events']} gold event(s), {r['predicted_events']} predicted event(s): "
            + (f"FOUND as {hit.kind} ({hit.confidence:.2f})" if hit else "missed")
        )
    print_found("gold conflicts", result["conflicts"], lambda r: r["gold_events"] == 1, "inside one gold event")
    print("\n## Gold corroborations (labels.json comparison.corroborated)")
    for r in result["corroborations"]:
        item, hit = r["item"], r["hit"]
        print(
            f"- {item['id']} {item['statement']} ({r['supports']} supports in the split, {'/'.join(r['languages'])}"
            f"{'' if r['in_one_event'] else '; no gold event holds two outlets of it'}): "
            + (f"FOUND ({hit.reason})" if hit else "missed")
        )
    print_found("gold corroborations", result["corroborations"], lambda r: r["in_one_event"], "one gold event can show")
    print(f"reported conflicts whose sides lie in different gold events: {len(result['across_events'])}")
    return result


def list_conflicts(store, gold) -> None:  # type: ignore[no-untyped-def]
    print("\n## Every reported conflict (judge each by hand)")
    n = 0
    for story in sorted(store.stories.list(), key=lambda s: -len(s.articles)):
        for conflict in story.conflicts:
            n += 1
            events = {gold.event[s.article] for s in conflict.sides}
            print(
                f"\n{n}. [{conflict.kind}, confidence {conflict.confidence:.2f}] event {story.id} "
                f"({len(story.articles)} articles; gold events of the sides: {', '.join(sorted(events))})"
            )
            print(f"   {conflict.summary}")
            print(f"   why: {conflict.reason}")
            for side in conflict.sides:
                article = store.articles.get(side.article)
                print(f"   - {gold.slug_of[side.article]}: …{_context(article.text, side.start, side.end)}…")
    print(f"\n{n} conflicts reported")


def audit_single(store, gold, count: int) -> None:  # type: ignore[no-untyped-def]
    """The top-ranked single-source findings of the largest events in turn, with the nearest other-outlet sentences."""
    from storydesk.compare.statements import split_sentences
    from storydesk.link.features import embed_statements as embed

    stories = [s for s in sorted(store.stories.list(), key=lambda s: -len(s.articles)) if s.single_source]
    queues = [list(s.single_source) for s in stories]
    picked: list[tuple[Any, Any]] = []
    while len(picked) < count and any(queues):
        for story, queue in zip(stories, queues, strict=True):
            if queue and len(picked) < count:
                picked.append((story, queue.pop(0)))
    print(f"\n## Single-source audit: {len(picked)} findings (judge each: does another outlet of the event carry it?)")
    for n, (story, finding) in enumerate(picked, start=1):
        own = {s.article for s in finding.sides}
        outlet = finding.outlets[0] if finding.outlets else ""
        others = [
            (a, text)
            for a in story.articles
            if a not in own and gold.outlet[a] != outlet
            for _s, _e, text in split_sentences(store.articles.get(a).text)
        ]
        print(
            f"\n{n}. event {story.id} ({len(story.articles)} articles), importance {finding.importance:.2f}, {outlet}"
        )
        print(f"   {finding.summary}")
        if others:
            vectors = embed([finding.sides[0].text] + [t[:300] for _a, t in others])
            cosines = vectors[1:] @ vectors[0]
            for i in cosines.argsort()[::-1][:3]:
                a, text = others[int(i)]
                print(f"   ~ {cosines[i]:.2f} {gold.slug_of[a]}: {text[:200]}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_news_compare", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--audit", type=int, default=0, help="single-source findings to print for judging")
    parser.add_argument("--no-conflicts", action="store_true", help="do not list every conflict")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-eval"))
    parser.add_argument("--refresh", action="store_true")
    args = parser.parse_args(argv)
    if not (DATA / "articles.jsonl").exists():
        print(f"skipped: {DATA} is not present")
        return 0
    store, gold, _info, seconds, encoder = run(args.split, args.cache, args.refresh)
    stories = store.stories.list()
    print(f"news_stories_2025 {args.split}: {len(gold.event)} articles, {len(stories)} events")
    print(
        f"compare: {seconds:.1f} s for all events, of which the encoder (statement vectors) {encoder:.1f} s; "
        f"{sum(len(s.corroborated) for s in stories)} corroborated, "
        f"{sum(len(s.single_source) for s in stories)} single-source, {sum(len(s.conflicts) for s in stories)} conflicts"
    )
    score_gold(store, gold, load_labels())
    if not args.no_conflicts:
        list_conflicts(store, gold)
    if args.audit:
        audit_single(store, gold, args.audit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
