"""Score the compare stage against the hand-made gold set in eval/gold/compare/.

For each gold story the articles are read from ../shared at run time (AllSides
roundups: one left, centre and right outlet each; the seeds), run through
read + compare, and the findings are matched to the gold items by their
anchors (docs/compare-annotation-guideline.md):

- corroborated: a predicted finding is right when two of its sides, from two
  gold articles, carry the anchors of one gold shared item; recall counts the
  gold shared items some corroborated finding matches;
- single-source: judged only where the gold says something: right when its
  side carries a gold single-source item's anchors, wrong when it carries a
  gold shared item that no corroborated finding found for that article;
- conflicts: right when kind and both sides' anchors match a gold conflict.
  Predicted findings matching an `uncertain` gold item are left out.

    .venv/bin/python -m eval.eval_compare [--shared ../shared] [--stories ID ...]
    .venv/bin/python -m eval.eval_compare --audit 150 520   # conflicts in other roundups, to judge

The seeds story was used while building compare and is reported apart.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storydesk.compare import compare_story
from storydesk.ingest.common import content_hash
from storydesk.ingest.language import with_language
from storydesk.read import read_articles
from storydesk.records import Article, Story
from storydesk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "compare"


def _allsides_articles(shared: Path, gold: dict[str, Any]) -> dict[str, Article]:
    path = shared / "data" / gold["source"]
    with path.open(encoding="utf-8") as handle:
        row = next(r for r in map(json.loads, handle) if r["id"] == gold["story"])
    out = {}
    for side in gold["articles"]:
        news = row["news"][side]
        text = "\n\n".join(p.strip() for p in news["newBody"] if p.strip())
        article = Article(
            id=f"{gold['story']}-{side}",
            source=f"allsides:{gold['story']}:{side}",
            text=text,
            paragraphs=[p.strip() for p in news["newBody"] if p.strip()],
            outlet=news["newsSource"],
            title=news["newsTitle"],
            published=row["date"][:10],
            content_hash=content_hash(text),
        )
        out[side] = with_language(article)
    return out


def _seed_articles(shared: Path, gold: dict[str, Any]) -> dict[str, Article]:
    from storydesk.ingest import iter_inputs

    articles = [with_language(a) for a in iter_inputs([str(shared / "seeds")], Settings().ingest)]
    return {Path(a.source).name[:3]: a for a in articles if Path(a.source).name[:3] in gold["articles"]}


def _carries(text: str, alternatives: list[list[str]]) -> bool:
    low = text.lower()
    return any(all(word.lower() in low for word in words) for words in alternatives)


def _sides_matching(item: dict[str, Any], sides: list[Any], key_of: dict[str, str]) -> set[str]:
    """Gold article keys whose anchors one of `sides` carries."""
    hit = set()
    for side in sides:
        key = key_of.get(side.article)
        if key in item["anchors"] and _carries(side.text, item["anchors"][key]):
            hit.add(key)
    return hit


class Tally:
    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def pr(self, kind: str) -> tuple[float | None, float | None, str]:
        tp, fp, found, gold = (
            self.c[f"{kind}_tp"],
            self.c[f"{kind}_fp"],
            self.c[f"{kind}_found"],
            self.c[f"{kind}_gold"],
        )
        p = tp / (tp + fp) if tp + fp else None
        r = found / gold if gold else None
        return p, r, f"{tp}/{tp + fp} right, {found}/{gold} gold found"


def score_story(gold: dict[str, Any], story: Story, articles: dict[str, Article], tally: Tally) -> None:
    key_of = {a.id: k for k, a in articles.items()}
    uncertain = gold.get("uncertain", [])

    def is_uncertain(sides: list[Any]) -> bool:
        return any(len(_sides_matching(u, sides, key_of)) >= min(2, len(u["articles"])) for u in uncertain)

    # corroborated
    found_shared: dict[int, set[str]] = {}
    for finding in story.corroborated:
        matched = [i for i, g in enumerate(gold["shared"]) if len(_sides_matching(g, finding.sides, key_of)) >= 2]
        if matched:
            tally.c["corroborated_tp"] += 1
            for i in matched:
                found_shared.setdefault(i, set()).update(key_of.get(a, "") for a in finding.articles)
        elif not is_uncertain(finding.sides):
            tally.c["corroborated_fp"] += 1
            _wrong.append(("corroborated", gold["story"], finding.summary))
    tally.c["corroborated_gold"] += len(gold["shared"])
    tally.c["corroborated_found"] += len(found_shared)
    # single source
    found_single: set[int] = set()
    for finding in story.single_source:
        single = [i for i, g in enumerate(gold["single_source"]) if _sides_matching(g, finding.sides, key_of)]
        if single:
            tally.c["single_source_tp"] += 1
            found_single.update(single)
            continue
        for i, g in enumerate(gold["shared"]):
            keys = _sides_matching(g, finding.sides, key_of)
            if keys and not keys <= found_shared.get(i, set()):
                tally.c["single_source_fp"] += 1
                _wrong.append(("single_source", gold["story"], finding.summary))
                break
    tally.c["single_source_gold"] += len(gold["single_source"])
    tally.c["single_source_found"] += len(found_single)
    # conflicts
    found_conflicts: set[int] = set()
    for conflict in story.conflicts:
        matched = [
            i
            for i, g in enumerate(gold["conflicts"])
            if g["kind"] == conflict.kind and len(_sides_matching(g, conflict.sides, key_of)) >= 2
        ]
        if matched:
            tally.c["conflicts_tp"] += 1
            found_conflicts.update(matched)
        elif not is_uncertain(conflict.sides):
            tally.c["conflicts_fp"] += 1
            _wrong.append(("conflict", gold["story"], conflict.summary))
    tally.c["conflicts_gold"] += len(gold["conflicts"])
    tally.c["conflicts_found"] += len(found_conflicts)


_wrong: list[tuple[str, Any, str]] = []


def audit_conflicts(shared: Path, start: int, end: int) -> int:
    """Print every conflict found in AllSides roundups [start:end) outside the gold set, for judging by hand.

    Conflicts are rare, so precision needs more stories than a gold set can
    hold: this lists them with both sides' words; docs/evaluation.md keeps the verdicts.
    """
    gold_ids = {json.loads(p.read_text(encoding="utf-8"))["story"] for p in GOLD.glob("allsides_*.json")}
    source = "allsides_roundups_neus/headline_11_2021-10-19_crawled_all.jsonl"
    with (shared / "data" / source).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    sides = ("left", "center", "right")
    usable = [
        r for r in rows if r["id"] not in gold_ids and all((r["news"].get(s) or {}).get("newBody") for s in sides)
    ]
    settings = Settings()
    stories = {
        r["id"]: _allsides_articles(shared, {"source": source, "story": r["id"], "articles": dict.fromkeys(sides)})
        for r in usable[start:end]
    }
    read_articles([a for articles in stories.values() for a in articles.values()], settings.read)
    count = 0
    for story_id, articles in stories.items():
        story = compare_story(Story(id=str(story_id), title=""), list(articles.values()), settings=settings.compare)
        for conflict in story.conflicts:
            count += 1
            print(f"{story_id} {conflict.kind} ({conflict.confidence:.2f}): {conflict.summary}")
            for side in conflict.sides:
                print(f"    {side.outlet} — {side.speaker or ''}: {side.text}")
    print(f"{len(stories)} stories, {count} conflicts")
    return 0


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def evaluate(shared: Path, *, stories: list[str] | None = None) -> tuple[dict[str, Tally], list[tuple], float]:
    """Read and compare every gold story; (tallies per set, per-story counts, compare seconds)."""
    settings = Settings()
    groups = {"test (AllSides)": Tally(), "dev (seeds)": Tally()}
    per_story = []
    elapsed = 0.0
    for path in sorted(GOLD.glob("*.json")):
        if path.stem == "floors" or (stories and path.stem not in stories):
            continue
        gold = json.loads(path.read_text(encoding="utf-8"))
        loader = _seed_articles if gold["source"] == "seeds" else _allsides_articles
        articles = loader(shared, gold)
        read_articles(list(articles.values()), settings.read)
        started = time.perf_counter()
        story = compare_story(Story(id=path.stem, title=path.stem), list(articles.values()), settings=settings.compare)
        elapsed += time.perf_counter() - started
        group = "dev (seeds)" if gold["source"] == "seeds" else "test (AllSides)"
        score_story(gold, story, articles, groups[group])
        per_story.append((path.stem, len(story.corroborated), len(story.single_source), len(story.conflicts)))
    return groups, per_story, elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_compare", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--stories", nargs="*", help="gold file stems to run (default: all)")
    parser.add_argument("--show-wrong", action="store_true", help="list the findings counted wrong")
    parser.add_argument(
        "--audit",
        type=int,
        nargs=2,
        metavar=("START", "END"),
        help="instead: list the conflicts found in non-gold AllSides roundups START..END, for judging by hand",
    )
    args = parser.parse_args(argv)
    if not (args.shared / "data").exists():
        print(f"skipped: {args.shared} has no data/")
        return 0
    if args.audit:
        return audit_conflicts(args.shared, *args.audit)
    groups, per_story, elapsed = evaluate(args.shared, stories=args.stories)
    print("story                  corroborated  single-source  conflicts")
    for stem, c, s, k in per_story:
        print(f"{stem:22} {c:12d} {s:14d} {k:10d}")
    for name, tally in groups.items():
        print(f"\n{name}")
        print("kind            precision  recall  counts")
        for kind in ("corroborated", "single_source", "conflicts"):
            p, r, counts = tally.pr(kind)
            print(f"{kind:15} {_fmt(p):>9}  {_fmt(r):>6}  {counts}")
    print(f"\ncompare time: {elapsed:.3f} s for {len(per_story)} stories (reading not included)")
    if args.show_wrong:
        print("\ncounted wrong:")
        for kind, story_id, summary in _wrong:
            print(f"  {kind:14} {story_id}: {summary[:140]}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
