"""Score events and storylines on news_stories_2025: B-cubed P/R/F1, cross-lingual joins, arrival order.

The split's articles are ingested by storydesk's pipeline (eval/news2025.py)
in a shuffled arrival order, then linked (link.relink) with the settings in
settings.py. Scored against the gold labels:

- event B-cubed P/R/F1 (an article's predicted event = its story);
- storyline B-cubed P/R/F1 (each distractor event counts as its own storyline);
- non-English joined: the share of non-English articles whose gold event has
  English articles in the split and whose predicted event is the one holding
  most of those English articles;
- arrival order: the same scores over several shuffled orders (min/max), and
  the B-cubed F1 between the groupings of two orders.

Date modes: `none` (no publication dates given; texts as stored), `published`
(the gold publication date as metadata where the text states one), `bare` (no
publication date, and the leading " date YYYY-MM-DD" page line removed).

    .venv/bin/python -m eval.eval_events --split dev
    .venv/bin/python -m eval.eval_events --split test --orders 3
    .venv/bin/python -m eval.eval_events --split dev --mode none --errors   # list wrong groupings
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from eval.news2025 import DATA, DATE_MODES, Gold, build_store, load_labels

_MONTHS = {
    m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)
}
# "22-23 Apr 2025: ...", "23 Apr 2025 (reported ...)": the gold event's days, from labels.json.
_GOLD_DAYS = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))? ([A-Z][a-z]{2}) (\d{4})")


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item, c in pred.items():
        by_pred[c].add(item)
    for item, c in gold.items():
        by_gold[c].add(item)
    p = r = 0.0
    for item in gold:
        a, b = by_pred[pred[item]], by_gold[gold[item]]
        p += len(a & b) / len(a)
        r += len(a & b) / len(b)
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cross_lingual_joined(pred: dict[str, str], gold: Gold) -> tuple[int, int]:
    """(joined, eligible): non-English articles placed in the event that holds most of their gold event's English articles."""
    english: dict[str, Counter[str]] = defaultdict(Counter)
    for aid, event in gold.event.items():
        if gold.language[aid] == "en":
            english[event][pred[aid]] += 1
    joined = eligible = 0
    for aid, event in gold.event.items():
        if gold.language[aid] == "en" or not english[event]:
            continue
        eligible += 1
        top = max(english[event].values())
        joined += english[event][pred[aid]] == top
    return joined, eligible


def predictions(store, gold: Gold) -> tuple[dict[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """(event, storyline) predicted per article id."""
    event = {aid: store.stories.story_of(aid) or aid for aid in gold.event}
    storyline_of: dict[str, str] = {}
    for sid in set(event.values()):
        try:
            story = store.stories.get(sid)
        except Exception:  # an article left unlinked is its own event and storyline
            storyline_of[sid] = sid
            continue
        storyline_of[sid] = story.storyline or sid
    return event, {aid: storyline_of[s] for aid, s in event.items()}


def score(store, gold: Gold) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    event, storyline = predictions(store, gold)
    joined, eligible = cross_lingual_joined(event, gold)
    return {
        "event": bcubed(event, gold.event),
        "storyline": bcubed(storyline, gold.storyline),
        "events": len(set(event.values())),
        "gold_events": len(set(gold.event.values())),
        "storylines": len(set(storyline.values())),
        "gold_storylines": len(set(gold.storyline.values())),
        "joined": (joined, eligible),
        "pred": event,
        "pred_storyline": storyline,
    }


def gold_days() -> dict[str, tuple[date, date]]:
    """Each gold event's first and last day, as labels.json gives them."""
    out = {}
    for event, text in load_labels()["events"].items():
        m = _GOLD_DAYS.match(text)
        if m:
            first, last, month, year = m.groups()
            start = date(int(year), _MONTHS[month], int(first))
            out[event] = (start, start.replace(day=int(last or first)))
    return out


def event_days(store, gold: Gold, pred: dict[str, str]) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """Per day source ("dated", "mentioned", "undated"): [events, events whose day is right, articles in them,
    articles in right ones]. A day is right when it lies within a day of the gold days of the event most of the
    predicted event's articles belong to (an event a day or two long is reported on the day after too)."""
    days = gold_days()
    members: dict[str, list[str]] = defaultdict(list)
    for aid, sid in pred.items():
        members[sid].append(aid)
    out: dict[str, list[int]] = {k: [0, 0, 0, 0] for k in ("dated", "mentioned", "undated")}
    for sid, aids in members.items():
        try:
            story = store.stories.get(sid)
        except Exception:  # an unlinked article: no event, no day
            continue
        source = story.day_source if story.first_day else "undated"
        row = out[source or "undated"]
        row[0] += 1
        row[2] += len(aids)
        majority = Counter(gold.event[a] for a in aids).most_common(1)[0][0]
        if story.first_day and majority in days:
            low, high = days[majority]
            if low - timedelta(days=1) <= date.fromisoformat(story.first_day) <= high + timedelta(days=1):
                row[1] += 1
                row[3] += len(aids)
    return out


def errors(store, gold: Gold, result: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Each predicted event with its members' gold events and languages."""
    members: dict[str, list[str]] = defaultdict(list)
    for aid, sid in result["pred"].items():
        members[sid].append(aid)
    by_line: dict[str, list[str]] = defaultdict(list)
    for sid in members:
        by_line[result["pred_storyline"][members[sid][0]]].append(sid)
    for line, sids in sorted(by_line.items(), key=lambda kv: -sum(len(members[s]) for s in kv[1])):
        print(
            f"storyline {line}: "
            + ", ".join(
                f"{k} {v}" for k, v in Counter(gold.storyline[a] for s in sids for a in members[s]).most_common()
            )
        )
        for sid in sorted(sids, key=lambda s: -len(members[s])):
            counts = Counter(gold.event[a] for a in members[sid])
            langs = Counter(gold.language[a] for a in members[sid])
            print(f"   {sid}: {dict(counts.most_common())}  {dict(langs.most_common())}")


def _fmt(prf: tuple[float, float, float]) -> str:
    return " | ".join(f"{x:.3f}" for x in prf)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_events", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--mode", choices=DATE_MODES, action="append", help="date modes (default: all three)")
    parser.add_argument("--orders", type=int, default=1, help="shuffled arrival orders to run (seeds 1..N)")
    parser.add_argument("--errors", action="store_true", help="print every predicted event's gold make-up")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-eval"))
    parser.add_argument("--refresh", action="store_true", help="ingest again (after a change to reading)")
    args = parser.parse_args(argv)
    if not (DATA / "articles.jsonl").exists():
        print(f"skipped: {DATA} is not present")
        return 0
    from storydesk import link
    from storydesk.settings import LinkSettings

    settings = LinkSettings()
    out: dict[str, Any] = {}
    print(f"news_stories_2025, {args.split} split")
    print(
        "| dates | order | event B3 P | R | F1 | storyline B3 P | R | F1 | events / gold | storylines / gold | non-English joined | link s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mode in args.mode or list(DATE_MODES):
        runs = []
        for seed in range(1, args.orders + 1):
            store, gold = build_store(args.split, mode, cache=args.cache, order_seed=seed, refresh=args.refresh)
            started = time.perf_counter()
            link.relink(store, settings)
            seconds = time.perf_counter() - started
            result = score(store, gold)
            result["seconds"] = seconds
            runs.append((result, gold))
            j, n = result["joined"]
            print(
                f"| {mode} | {seed} | {_fmt(result['event'])} | {_fmt(result['storyline'])} | "
                f"{result['events']} / {result['gold_events']} | {result['storylines']} / {result['gold_storylines']} | "
                f"{j}/{n} = {j / n if n else 0:.2f} | {seconds:.1f} |",
                flush=True,
            )
            result["days"] = event_days(store, gold, result["pred"])
            print(
                f"  {mode} {seed}: event days right (events, articles in them): "
                + "; ".join(f"{k} {v[1]}/{v[0]} ({v[3]}/{v[2]})" for k, v in result["days"].items()),
                flush=True,
            )
            if args.errors:
                errors(store, gold, result)
            store.close()
        agreement = []
        for (a, ga), (b, gb) in zip(runs, runs[1:], strict=False):
            # the same article under two salts: map through the slug
            pa = {ga.slug_of[k]: v for k, v in a["pred"].items()}
            pb = {gb.slug_of[k]: v for k, v in b["pred"].items()}
            agreement.append(bcubed(pa, pb)[2])
        if agreement:
            print(f"  {mode}: B3 F1 between consecutive arrival orders: " + ", ".join(f"{x:.3f}" for x in agreement))
        out[mode] = [{k: v for k, v in r.items() if k not in ("pred", "pred_storyline")} for r, _g in runs] + [
            {"order_agreement": agreement}
        ]
    if args.json:
        print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
