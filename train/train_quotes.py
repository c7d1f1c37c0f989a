"""Train the quote model (read/quote_model.py) from scratch: `make train-quotes`.

Data (read from ../shared, never copied):
  - PolNeAR v1.0.0 train (840 articles). Its attributions include beliefs and
    stances; a candidate counts as a quote when it overlaps an attribution whose
    cue is a speech act (a lemma of read/cues.py SPEECH_LEMMAS, "according to" or
    a colon). Noun-phrase objects ("announced new tariffs") are left out of its
    rows: PolNeAR annotates them, our definition (docs/quotes.md) does not.
  - news_stories_2025 dev split (18 articles, 168 quotes annotated to docs/quotes.md),
    its rows weighted `--news-weight` times, since it is the definition we keep.
Labels: a candidate is a quote when at least half of its word tokens lie in one
gold quote; its speaker options are right when they name the gold speaker (news)
or overlap the gold source span (PolNeAR); a quoted candidate is direct when its
gold is.

Two passes over the same parses: the first collects speaker rows with the gold
deciding, the speaker model is fitted, and the second collects accept and kind
rows with the speaker chosen by that model, as reading will choose it.

Models: scikit-learn LogisticRegression (lbfgs, deterministic), saved as plain
weights by feature name. `--compare` also fits a HistGradientBoostingClassifier
on the same rows and prints both on held-out folds (grouped by article).

Usage: python -m train.train_quotes [--out PATH] [--seed 9] [--limit N] [--compare]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "storydesk" / "read" / "models" / "quotes.json"


@dataclass(slots=True)
class GoldQuote:
    tokens: frozenset[int]
    kind: str
    speech: bool
    speaker: str | None = None  # news: the name
    source: frozenset[int] = frozenset()  # PolNeAR: the source span's tokens


@dataclass(slots=True)
class TrainDoc:
    name: str
    text: str
    corpus: str  # "polnear" or "news"
    gold: list[GoldQuote]


@dataclass(slots=True)
class Rows:
    x: list[dict[str, float]] = field(default_factory=list)
    y: list[int] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)

    def add(self, x: dict[str, float], y: bool, group: str, weight: float) -> None:
        self.x.append(x)
        self.y.append(int(y))
        self.group.append(group)
        self.weight.append(weight)


def load_polnear(split: str, limit: int | None) -> list[tuple[TrainDoc, Any]]:
    """PolNeAR articles with their raw attributions (judged for speech once parsed)."""
    from eval.eval_polnear import load

    return [
        (TrainDoc(d.name, d.text, "polnear", []), d.gold)
        for d in load(split, limit=limit, root=SHARED / "polnear" / "data")
    ]


def load_news(split: str) -> list[TrainDoc]:
    from eval.eval_quotes import load, tokens

    out = []
    for d in load(split, root=SHARED / "news_stories_2025"):
        gold = [GoldQuote(tokens(d.text, g.start, g.end), g.kind, True, g.speaker) for g in d.gold]
        out.append(TrainDoc(d.name, d.text, "news", gold))
    return out


def parse_all(docs: list[TrainDoc], cache: Path | None = None) -> list[Any]:
    """The parses, from a DocBin cache when one is given and holds these texts (for repeated runs)."""
    from spacy.tokens import DocBin

    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    nlp = load_nlp(ReadSettings().model)
    if cache is not None and cache.exists():
        parsed = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in parsed] == [d.text for d in docs]:
            for doc in parsed:
                doc.user_data["storydesk_text"] = doc.text
            return parsed
    parsed = []
    for doc in nlp.pipe([d.text for d in docs], batch_size=32):
        doc.user_data["storydesk_text"] = doc.text
        parsed.append(doc)
    if cache is not None:
        DocBin(docs=parsed).to_disk(cache)
    return parsed


def polnear_gold(tdoc: TrainDoc, raw: list[Any], doc: Any) -> None:
    """PolNeAR attributions with their speech flag, judged from the cue's lemmas in our parse."""
    from eval.eval_polnear import gold_kind
    from eval.eval_quotes import tokens

    from storydesk.read.cues import SPEECH_LEMMAS

    for g in raw:
        content = frozenset().union(*(tokens(tdoc.text, a, b) for a, b in g.content)) if g.content else frozenset()
        source = frozenset().union(*(tokens(tdoc.text, a, b) for a, b in g.source)) if g.source else frozenset()
        speech = False
        for a, b in g.cue:
            if ":" in tdoc.text[a:b] or "according" in tdoc.text[a:b].lower():
                speech = True
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is not None and any(t.lemma_.lower() in SPEECH_LEMMAS for t in span):
                speech = True
        tdoc.gold.append(GoldQuote(content, gold_kind(tdoc.text, g.content), speech, source=source))


def match(text: str, cand: Any, gold: list[GoldQuote]) -> GoldQuote | None:
    """The gold quote holding at least half of the candidate's word tokens (the largest share)."""
    from eval.eval_quotes import tokens

    toks = tokens(text, cand.start, cand.end)
    if not toks:
        return None
    best, share = None, 0.0
    for g in gold:
        s = len(toks & g.tokens) / len(toks)
        if s > share:
            best, share = g, s
    return best if share >= 0.5 else None


def option_right(tdoc: TrainDoc, option: Any, g: GoldQuote) -> bool:
    from eval.eval_quotes import same_speaker, tokens

    if option.speaker.name is None:
        return False
    if tdoc.corpus == "news":
        return g.speaker is not None and same_speaker(option.speaker.name, g.speaker)
    if not g.source or not option.speaker.text:
        return False
    return bool(tokens(tdoc.text, option.speaker.start, option.speaker.end) & g.source)


def collect(
    items: list[tuple[TrainDoc, Any, Any]], settings: Any, speaker_model: Any, news_weight: float
) -> tuple[Rows, Rows, Rows]:
    """One pass: accept, kind and speaker rows. Without a speaker model the gold chooses speakers."""
    from storydesk.read.quote_model import candidate_features
    from storydesk.read.quotes import analyse

    accept, kind, speaker = Rows(), Rows(), Rows()
    for tdoc, doc, mentions in items:
        weight = news_weight if tdoc.corpus == "news" else 1.0
        group = f"{tdoc.corpus}:{tdoc.name}"

        def teacher(
            doc: Any, item: Any, tdoc: TrainDoc = tdoc, weight: float = weight, group: str = group
        ) -> tuple[bool, Any]:
            cand = item.cand
            g = match(tdoc.text, cand, tdoc.gold)
            label = g is not None and g.speech
            rights = [g is not None and option_right(tdoc, o, g) for o in item.options]
            if label and any(rights):
                for o, right in zip(item.options, rights, strict=True):
                    if o.speaker.name is not None:
                        speaker.add(o.features, right, group, weight)
            if speaker_model is None:
                chosen = next((o for o, r in zip(item.options, rights, strict=True) if r), None)
                return label, chosen
            for o in item.options:
                o.prob = speaker_model.prob(o.features) if o.speaker.name is not None else 0.0
            best = max(item.options, key=lambda o: o.prob, default=None)
            chosen = best if best is not None and best.prob >= settings.speaker_accept else None
            features = candidate_features(doc, cand, chosen.speaker if chosen else None)
            if not (tdoc.corpus == "polnear" and cand.construction == "object"):
                accept.add(features, label, group, weight)
                if label and cand.construction == "quoted" and g is not None:
                    kind.add(features, g.kind == "direct", group, weight)
            return label, chosen

        analyse(doc, mentions, settings, teacher)
    return accept, kind, speaker


def fit(rows: Rows, seed: int, c: float) -> Any:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform(rows.x)
    model = LogisticRegression(C=c, max_iter=5000, random_state=seed)
    model.fit(x, rows.y, sample_weight=rows.weight)
    return vec, model


def to_linear(vec: Any, model: Any) -> dict[str, Any]:
    weights = {
        name: round(float(w), 5) for name, w in zip(vec.feature_names_, model.coef_[0], strict=True) if abs(w) >= 1e-4
    }
    return {"bias": round(float(model.intercept_[0]), 5), "weights": dict(sorted(weights.items()))}


def heldout(rows: Rows, seed: int, c: float, *, compare: bool) -> dict[str, float]:
    """Accept/kind scores on news articles held out in 6 folds (PolNeAR rows always train)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.model_selection import GroupKFold

    news = [i for i, g in enumerate(rows.group) if g.startswith("news:")]
    others = [i for i, g in enumerate(rows.group) if not g.startswith("news:")]
    groups = [rows.group[i] for i in news]
    truth: list[int] = []
    pred_lr: list[int] = []
    pred_gb: list[int] = []
    for train_idx, test_idx in GroupKFold(n_splits=6).split(news, groups=groups):
        train = others + [news[i] for i in train_idx]
        test = [news[i] for i in test_idx]
        sub = Rows(
            [rows.x[i] for i in train],
            [rows.y[i] for i in train],
            [rows.group[i] for i in train],
            [rows.weight[i] for i in train],
        )
        vec, model = fit(sub, seed, c)
        xt = vec.transform([rows.x[i] for i in test])
        truth += [rows.y[i] for i in test]
        pred_lr += list(model.predict(xt))
        if compare:
            gb = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, random_state=seed)
            gb.fit(vec.transform(sub.x).toarray(), np.array(sub.y), sample_weight=np.array(sub.weight))
            pred_gb += list(gb.predict(xt.toarray()))
    out = {
        "lr_p": precision_score(truth, pred_lr),
        "lr_r": recall_score(truth, pred_lr),
        "lr_f1": f1_score(truth, pred_lr),
        "rows": len(truth),
    }
    if compare:
        out.update(
            gb_p=precision_score(truth, pred_gb), gb_r=recall_score(truth, pred_gb), gb_f1=f1_score(truth, pred_gb)
        )
    return {k: round(float(v), 4) for k, v in out.items()}


def subset(rows: Rows, keep: Any) -> Rows:
    idx = [i for i, g in enumerate(rows.group) if keep(g)]
    return Rows(
        [rows.x[i] for i in idx], [rows.y[i] for i in idx], [rows.group[i] for i in idx], [rows.weight[i] for i in idx]
    )


def crossval(
    items: list[tuple[TrainDoc, Any, Any]],
    rows: tuple[Rows, Rows, Rows],
    settings: Any,
    seed: int,
    c: float,
    folds: int = 6,
    errors: int = 0,
) -> dict[str, float]:
    """End-to-end scores (eval/eval_quotes.py) on news dev articles held out in `folds` folds:
    each fold's models are fitted without its articles' rows, then read them as reading would.
    The accept rows were collected with the speaker model fitted on all rows, a small leak."""
    from eval.eval_quotes import Pred, Scores, load, score

    from storydesk.read.quote_model import Linear, QuoteModel
    from storydesk.read.quotes import _records, _select, analyse, model_decider

    gold = {d.name: d for d in load("dev", root=SHARED / "news_stories_2025")}
    news = [it for it in items if it[0].corpus == "news"]
    scores = Scores()
    for k in range(folds):
        held = {t.name for n, (t, _, _) in enumerate(news) if n % folds == k}
        keep = lambda g, held=held: g.split(":", 1)[1] not in held  # noqa: E731
        parts = [to_linear(*fit(subset(r, keep), seed, c)) for r in rows]
        model = QuoteModel(*(Linear(p["bias"], p["weights"]) for p in parts), meta={})
        for tdoc, doc, mentions in news:
            if tdoc.name in held:
                quotes = _records(doc, _select(analyse(doc, mentions, settings, model_decider(model, settings))))
                score(gold[tdoc.name], [Pred(q.start, q.end, q.kind, q.speaker, q.text) for q in quotes], scores)
    for line in scores.errors[:errors]:
        print(line)
    return {k: round(v, 4) for k, v in scores.metrics().items() if isinstance(v, float)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="train_quotes", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--limit", type=int, default=None, help="only the first N PolNeAR train articles")
    parser.add_argument("--news-weight", type=float, default=5.0)
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation of the regressions")
    parser.add_argument("--compare", action="store_true", help="also score gradient boosting on held-out folds")
    parser.add_argument("--no-heldout", action="store_true", help="skip the held-out folds (faster)")
    parser.add_argument("--cv", action="store_true", help="also read held-out news dev folds end to end")
    parser.add_argument("--errors", type=int, default=0, help="with --cv: list up to N of its mistakes")
    parser.add_argument("--cache", type=Path, default=None, help="keep the parses in this DocBin file between runs")
    args = parser.parse_args(argv)
    random.seed(args.seed)
    from storydesk.read.mentions import find_mentions
    from storydesk.read.quote_model import Linear
    from storydesk.settings import QuoteSettings

    started = time.perf_counter()
    polnear = load_polnear("train", args.limit)
    news = load_news("dev")
    tdocs = [t for t, _ in polnear] + news
    print(f"parsing {len(tdocs)} articles ({len(polnear)} PolNeAR train, {len(news)} news dev)", flush=True)
    parsed = parse_all(tdocs, args.cache)
    for (tdoc, raw), doc in zip(polnear, parsed, strict=False):
        polnear_gold(tdoc, raw, doc)
    items = [(t, d, find_mentions(d)) for t, d in zip(tdocs, parsed, strict=True)]
    print(f"parsed in {time.perf_counter() - started:.0f} s", flush=True)
    settings = QuoteSettings()
    _, _, speaker_rows = collect(items, settings, None, args.news_weight)
    vec, model = fit(speaker_rows, args.seed, args.c)
    speaker = to_linear(vec, model)
    accept_rows, kind_rows, _ = collect(items, settings, Linear(speaker["bias"], speaker["weights"]), args.news_weight)
    accept = to_linear(*fit(accept_rows, args.seed, args.c))
    kind = to_linear(*fit(kind_rows, args.seed, args.c))
    meta: dict[str, Any] = {
        "data": "PolNeAR v1.0.0 train (speech cues) + news_stories_2025 dev",
        "seed": args.seed,
        "c": args.c,
        "news_weight": args.news_weight,
        "rows": {"accept": len(accept_rows.y), "kind": len(kind_rows.y), "speaker": len(speaker_rows.y)},
        "positives": {"accept": sum(accept_rows.y), "kind": sum(kind_rows.y), "speaker": sum(speaker_rows.y)},
    }
    if not args.no_heldout:
        meta["heldout_news_accept"] = heldout(accept_rows, args.seed, args.c, compare=args.compare)
        print("held-out news folds, accept:", meta["heldout_news_accept"], flush=True)
    if args.cv:
        meta["crossval_news_dev"] = crossval(
            items, (accept_rows, kind_rows, speaker_rows), settings, args.seed, args.c, errors=args.errors
        )
        print("held-out news dev, end to end:", meta["crossval_news_dev"], flush=True)
    import sklearn

    meta["sklearn"] = sklearn.__version__
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"meta": meta, "accept": accept, "kind": kind, "speaker": speaker}, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} kB) in {time.perf_counter() - started:.0f} s")
    print(json.dumps(meta, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
