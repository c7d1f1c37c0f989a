"""Fit the event and storyline weights of link/groups.py on development data, then choose the thresholds.

Development data only: the news_stories_2025 dev split (three date modes,
eval/news2025.py) and the AllSides dev part (roundups before 2021-08-15,
eval/eval_stories.py; events only: AllSides has no storylines).

1. Oracle rows. Articles are taken in linking order; each is compared, with
   link/groups.py's `signals`, with the gold groups built so far from the
   gold labels (not from the linker's decisions):
   - event rows: the article against every candidate gold event (the
     linker's candidate rules: near its day, or recent by arrival);
   - storyline rows: the article against every gold storyline, each built
     without the article's own event (what the linker sees when an article
     starts a new event in a running storyline).
2. A logistic regression per level (plain gradient descent, L2; weights of
   similarities kept non-negative), each data set weighted equally.
3. Thresholds: the logit thresholds whose real (incremental) linking gives
   the best mean B-cubed F1 on the dev data (event F1 on every set,
   storyline F1 on news_stories_2025).

    .venv/bin/python -m eval.fit_link            # prints the weights to put in settings.py
    .venv/bin/python -m eval.fit_link --thresholds-only
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np

from eval.news2025 import DATE_MODES, build_store

CACHE = Path("/tmp/storydesk-eval")


def _merge(states: list[Any], gid: str) -> Any:
    from storydesk.link.groups import GroupState

    out = GroupState(id=gid)
    for st in states:
        out.first_day = min(filter(None, [out.first_day, st.first_day]), default=None)
        out.last_day = max(filter(None, [out.last_day, st.last_day]), default=None)
        out.last_seq = max(out.last_seq, st.last_seq)
        out.size += st.size
        if st.vector is not None:
            out.vector = st.vector.copy() if out.vector is None else out.vector + st.vector
        for name in ("terms", "entities", "names", "numbers", "dates", "languages"):
            target = getattr(out, name)
            for k, v in getattr(st, name).items():
                target[k] = target.get(k, 0) + v
    return out


def oracle_rows(store, event_gold: dict[str, str], line_gold: dict[str, str] | None, settings):  # type: ignore[no-untyped-def]
    """(event rows, storyline rows): lists of (signal vector, label)."""
    from storydesk import link
    from storydesk.link.groups import SIGNALS, GroupState, idf_terms, signals
    from storydesk.link.stories import StoryGrouper, _shift

    link.relink(store, settings)  # entity ids on the mentions, features cached
    order = [a for a in _link_order(store) if a in event_gold]
    events: dict[str, GroupState] = {}
    event_rows: list[tuple[list[float], int, str]] = []
    line_rows: list[tuple[list[float], int, str]] = []
    with store.transaction():
        store.stories.delete_all()
        store.storylines.delete_all()
        grouper = StoryGrouper(store, settings)
        for article in store.articles.get_many(order):
            feats = grouper.features(article)
            feats.entities = sorted({m.entity for m in article.mentions if m.entity})
            gold_event = event_gold[article.id]
            if article.duplicate_of and article.duplicate_of in event_gold:
                pass  # a copy joins its original's event without comparison
            else:
                cands = []
                for st in events.values():
                    if feats.day and st.first_day:
                        low, high = (
                            _shift(feats.day, -settings.story_window_days),
                            _shift(feats.day, settings.story_window_days),
                        )
                        if st.last_day >= low and st.first_day <= high:
                            cands.append(st)
                    elif st.last_seq >= grouper.seq - settings.event_recent_articles:
                        cands.append(st)
                idf = grouper._idf(idf_terms(feats, cands + [st for st in events.values()]))
                for st in cands:
                    sig = signals(
                        feats, st, idf, time_scale=settings.event_time_scale, lead_days=settings.event_lead_days
                    )
                    event_rows.append(([sig[k] for k in SIGNALS], int(st.id == gold_event), article.id))
                if line_gold is not None:
                    by_line: dict[str, list[GroupState]] = {}
                    for st in events.values():
                        if st.id != gold_event:
                            by_line.setdefault(st_line[st.id], []).append(st)
                    for line, members in by_line.items():
                        merged = _merge(members, line)
                        sig = signals(
                            feats,
                            merged,
                            idf,
                            time_scale=settings.storyline_time_scale,
                            lead_days=settings.storyline_lead_days,
                        )
                        line_rows.append(([sig[k] for k in SIGNALS], int(line == line_gold[article.id]), article.id))
            state = events.get(gold_event)
            if state is None:
                state = events[gold_event] = GroupState(id=gold_event)
                if line_gold is not None:
                    st_line[gold_event] = line_gold[article.id]
            state.absorb(feats, set(), grouper.seq)
            grouper.count(feats)
        store.stories.delete_all()
        store.storylines.delete_all()
    return event_rows, line_rows


st_line: dict[str, str] = {}


def real_rows(store, event_gold: dict[str, str], line_gold: dict[str, str] | None, settings):  # type: ignore[no-untyped-def]
    """Rows from the linker's own decisions (its real, possibly mixed groups), labelled by the gold
    make-up of each candidate: right when most of the group's articles share the article's gold event
    (storyline). Fitting on these as well teaches the weights what mixed groups look like."""
    from collections import Counter

    from storydesk import link
    from storydesk.link import stories
    from storydesk.link.groups import SIGNALS, idf_terms, signals

    rows: dict[str, list[tuple[list[float], int, str]]] = {"event": [], "storyline": []}
    original = stories.StoryGrouper.best
    current: dict[str, Any] = {"calls": 0}

    def best(self, level, feats):  # type: ignore[no-untyped-def]
        article = current.get("article")
        gold = event_gold if level == "event" else line_gold
        if article is not None and gold is not None and article.id in gold:
            states = self.candidates(level, feats)
            idf = self._idf(idf_terms(feats, states))
            scale = settings.event_time_scale if level == "event" else settings.storyline_time_scale
            for state in states:
                if level == "event":
                    members = [a for a in self.stories[state.id].articles if a != article.id]
                else:
                    members = [
                        a for e in self.storylines[state.id].events if e in self.stories
                        for a in self.stories[e].articles if a != article.id
                    ]  # fmt: skip
                labels = Counter(gold[a] for a in members if a in gold)
                if not labels:
                    continue
                right = int(labels.most_common(1)[0][0] == gold[article.id])
                lead = settings.event_lead_days if level == "event" else settings.storyline_lead_days
                sig = signals(feats, state, idf, time_scale=scale, lead_days=lead)
                rows[level].append(([sig[k] for k in SIGNALS], right, f"{article.id}:{current['calls']}"))
            current["calls"] += 1
        return original(self, level, feats)

    original_assign = stories.StoryGrouper.assign

    def assign(self, article, *args, **kwargs):  # type: ignore[no-untyped-def]
        current["article"] = article
        return original_assign(self, article, *args, **kwargs)

    original_take_out = stories.StoryGrouper._take_out

    def take_out(self, state, article, feats):  # type: ignore[no-untyped-def]
        current["article"] = article  # refine reconsiders this article next
        return original_take_out(self, state, article, feats)

    patched = {"best": best, "assign": assign, "_take_out": take_out}
    saved = {name: getattr(stories.StoryGrouper, name) for name in patched}
    for name, function in patched.items():
        setattr(stories.StoryGrouper, name, function)
    try:
        link.relink(store, settings)
    finally:
        for name, function in saved.items():
            setattr(stories.StoryGrouper, name, function)
    return rows["event"], rows["storyline"]


def _link_order(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.transaction():
        store.articles.mark_all_unlinked()
        ids = store.articles.unlinked_ids()
        store.articles.mark_linked(ids)
    return ids


FREE = {"bias", "cross", "undated", "date_far", "atypical"}  # shifts may be negative; similarities only add


def fit(sets: list[list[tuple[list[float], int, str]]], l2: float = 1e-3) -> dict[str, float]:
    """Logistic regression over the rows of several sets, each set weighing the same."""
    from storydesk.link.groups import SIGNALS

    x = np.array([r[0] for rows in sets for r in rows], dtype=float)
    y = np.array([r[1] for rows in sets for r in rows], dtype=float)
    weight = np.concatenate([np.full(len(rows), 1.0 / len(rows)) for rows in sets if rows])
    weight = weight / weight.sum()
    w, b = np.zeros(x.shape[1]), 0.0
    free = np.array([name in FREE for name in SIGNALS])
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad = x.T @ (weight * (p - y)) + l2 * w
        w -= 2.0 * grad
        b -= 2.0 * float(np.sum(weight * (p - y)))
        w = np.where(free, w, np.maximum(w, 0.0))
    return {"bias": round(b, 3), **{k: round(float(v), 3) for k, v in zip(SIGNALS, w, strict=True)}}


def fit_choice(
    sets: list[list[tuple[list[float], int, str]]],
    l2: float = 1e-3,
    steps: int = 4000,
    set_weights: list[float] | None = None,
) -> dict[str, float]:
    """A conditional logit of the linker's own decision: each article chooses one of its candidate
    groups or "a new group" (score 0); a candidate scores bias + weights · signals.

    Fitting the choice itself (rather than each pair alone) calibrates the
    weights for what the linker does: join the best candidate when its score
    beats starting a new group. Each data set weighs `set_weights` (equal by default).
    """
    from storydesk.link.groups import SIGNALS

    set_weights = set_weights or [1.0] * len(sets)
    total = sum(w for w, rows in zip(set_weights, sets, strict=True) if rows)
    xs, ys, ds, ws = [], [], [], []
    decisions = 0
    for set_weight, rows in zip(set_weights, sets, strict=True):
        keys: dict[str, int] = {}
        for _x, _y, article in rows:
            keys.setdefault(article, len(keys))
        for x, y, article in rows:
            xs.append(x)
            ys.append(y)
            ds.append(decisions + keys[article])
        ws += [set_weight / total / max(1, len(keys))] * len(keys)
        decisions += len(keys)
    x = np.array(xs, dtype=float)
    y = np.array(ys, dtype=float)
    d = np.array(ds)
    dw = np.array(ws)
    # The linker's own groups can hold two candidates "right" for one decision (an event split in two
    # halves): the right answer is then either, each half the target. Unnormalised, such a decision asks
    # the choice probabilities to sum to 2, which no weights give, and the fit diverged (issue 13, round 7:
    # biases in the hundreds on 64-token vectors).
    positives = np.zeros(decisions)
    np.add.at(positives, d, y)
    y = y / np.maximum(positives, 1.0)[d]
    chose = np.zeros(decisions)
    np.add.at(chose, d, y)  # 1 when the decision's right answer is a candidate, 0 for "new"
    k = len(SIGNALS)
    w, b = np.zeros(k), 0.0
    free = np.array([name in FREE for name in SIGNALS])
    for _ in range(steps):
        scores = x @ w + b
        top = np.zeros(decisions)
        np.maximum.at(top, d, scores)  # the "new" option scores 0, so the max is at least 0
        e = np.exp(scores - top[d])
        z = np.exp(-top)
        np.add.at(z, d, e)
        p = e / z[d]
        row_w = dw[d]
        gw = x.T @ (row_w * (p - y)) + l2 * w
        gb = float(np.sum(row_w * p) - np.sum(dw * chose))
        w -= 1.0 * gw
        b -= 1.0 * gb
        w = np.where(free, w, np.maximum(w, 0.0))
    return {"bias": round(float(b), 3), **{name: round(float(v), 3) for name, v in zip(SIGNALS, w, strict=True)}}


def data_sets(allsides: bool, cache: Path = CACHE) -> list[tuple[str, Any, dict[str, str], dict[str, str] | None]]:
    out = []
    for mode in DATE_MODES:
        store, gold = build_store("dev", mode, cache=cache, order_seed=1)
        out.append((f"news2025 dev {mode}", store, gold.event, gold.storyline))
    if allsides:
        from eval.eval_stories import build_store as allsides_store

        store, gold_ev = allsides_store("dev", cache, None)
        out.append(("allsides dev", store, gold_ev, None))
    return out


def run_thresholds(sets, settings, event_grid, line_grid) -> None:  # type: ignore[no-untyped-def]
    from eval.eval_events import bcubed
    from eval.eval_events import predictions as ev_predictions
    from storydesk import link

    print("| event t | storyline t | " + " | ".join(name for name, *_ in sets) + " | mean |")
    for te in event_grid:
        for tl in line_grid:
            s = dataclasses.replace(settings, event_threshold=te, storyline_threshold=tl)
            cells, values = [], []
            for _name, store, ev, line in sets:
                link.relink(store, s)
                if line is None:
                    pred = {a: store.stories.story_of(a) or a for a in ev}
                    f = bcubed(pred, ev)[2]
                    cells.append(f"{f:.3f}")
                    values.append(f)
                else:

                    class G:  # what predictions() needs
                        event = ev

                    pe, pl = ev_predictions(store, G)  # type: ignore[arg-type]
                    fe, fl = bcubed(pe, ev)[2], bcubed(pl, line)[2]
                    cells.append(f"{fe:.3f}/{fl:.3f}")
                    values += [fe, fl]
            print(f"| {te} | {tl} | " + " | ".join(cells) + f" | {np.mean(values):.3f} |", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="fit_link", description=__doc__.splitlines()[0])
    parser.add_argument("--no-allsides", action="store_true")
    parser.add_argument("--thresholds-only", action="store_true")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of refitting on the linker's own groups")
    parser.add_argument(
        "--allsides-weight", type=float, default=3.0, help="weight of the AllSides set against each news2025 set"
    )
    parser.add_argument("--event-grid", type=float, nargs="*", default=[-0.5, 0.0, 0.5])
    parser.add_argument("--line-grid", type=float, nargs="*", default=[0.0])
    parser.add_argument(
        "--cache", type=Path, default=CACHE, help="stores of the data sets (a private one per worktree)"
    )
    parser.add_argument(
        "--embed-tokens", type=int, default=None, help="fit for this cap of the embedded lead (settings.embed_tokens)"
    )
    args = parser.parse_args(argv)
    from storydesk.link.groups import SIGNALS
    from storydesk.settings import LinkSettings, SignalWeights

    settings = LinkSettings()
    if args.embed_tokens is not None:
        settings = dataclasses.replace(settings, embed_tokens=args.embed_tokens)
    sets = data_sets(not args.no_allsides, args.cache)
    if not args.thresholds_only:
        event_sets, line_sets = [], []
        for name, store, ev, line in sets:
            st_line.clear()
            e_rows, l_rows = oracle_rows(store, ev, line, settings)
            print(f"{name}: {len(e_rows)} event rows ({sum(r[1] for r in e_rows)} positive), "
                  f"{len(l_rows)} storyline rows ({sum(r[1] for r in l_rows)} positive)", flush=True)  # fmt: skip
            event_sets.append(e_rows)
            if l_rows:
                line_sets.append(l_rows)
        weights = [1.0 if name.startswith("news2025") else args.allsides_weight for name, *_ in sets]
        ew, lw = fit_choice(event_sets, set_weights=weights), fit_choice(line_sets)
        print("round 0 event_weights =", ew, "\nround 0 storyline_weights =", lw, flush=True)
        settings = dataclasses.replace(
            settings, event_weights=SignalWeights(**ew), storyline_weights=SignalWeights(**lw)
        )
        for round_ in range(1, args.rounds + 1):
            for name, store, ev, line in sets:
                e_rows, l_rows = real_rows(store, ev, line, settings)
                event_sets.append(e_rows)
                weights.append(1.0 if name.startswith("news2025") else args.allsides_weight)
                if l_rows:
                    line_sets.append(l_rows)
            ew, lw = fit_choice(event_sets, set_weights=weights), fit_choice(line_sets)
            print(f"round {round_} event_weights =", ew, f"\nround {round_} storyline_weights =", lw, flush=True)
            settings = dataclasses.replace(
                settings, event_weights=SignalWeights(**ew), storyline_weights=SignalWeights(**lw)
            )
        assert set(ew) == {"bias", *SIGNALS}
    run_thresholds(sets, settings, args.event_grid, args.line_grid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
