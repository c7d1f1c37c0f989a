"""Score storydesk's numeric claims on NewsQuant (CQE, EMNLP 2023): value F1 and value+unit F1.

NewsQuant (590 news sentences, 906 quantities) is used as a test set only.
Scoring follows CQE_Evaluation's `calculate_metrics`: for each gold quantity,
walk the system's quantities of the same sentence (both sorted by unit); a
value match (np.isclose, ranges as pairs) counts once per gold quantity, and
the first value match whose normalised unit is equal also counts for
value+unit and is used up. Precision divides by all system quantities, recall
by all gold ones. Units are compared in CQE's vocabulary ("percentage",
"square kilometre", "dollar"), so storydesk's units are mapped to it below,
as CQE's own tagger maps each baseline's units.

    .venv/bin/python -m eval.eval_newsquant                 # NewsQuant, storydesk
    .venv/bin/python -m eval.eval_newsquant --set dimension-model --errors 20
    .venv/bin/python -m eval.eval_newsquant --system quantulum3 --limit 100
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "cqe_newsquant" / "data"
SETS = ("NewsQuant", "age-model", "currency-model", "dimension-model", "temperature-model")

# storydesk unit -> CQE's normalised unit name; counted nouns pass through as their lemma.
CQE_UNITS = {
    None: "-", "percent": "percentage", "percentage point": "percentage point", "km2": "square kilometre",
    "mi2": "square mile", "m2": "square metre", "ha": "hectare", "acre": "acre", "km": "kilometre", "m": "metre",
    "cm": "centimetre", "mm": "millimetre", "mi": "mile", "ft": "foot", "yd": "yard", "in": "inch",
    "kg": "kilogram", "g": "gram", "t": "metric ton", "ton": "ton", "ft3": "cubic foot", "m3": "cubic metre", "lb": "pound-mass", "oz": "ounce", "l": "litre",
    "ml": "millilitre", "gal": "gallon", "barrel": "barrel", "km/h": "kilometre per hour", "mph": "mile per hour",
    "C": "celsius", "F": "fahrenheit", "degree": "degree", "GB": "gigabyte", "MB": "megabyte", "kW": "kilowatt",
    "MW": "megawatt", "GW": "gigawatt", "hp": "horsepower", "person": "people", "USD": "dollar", "EUR": "euro",
    "GBP": "pound sterling", "JPY": "japanese yen", "CNY": "chinese yuan", "AUD": "australian dollar",
    "CAD": "canadian dollar", "HKD": "hong kong dollar", "NZD": "new zealand dollar", "CHF": "swiss franc",
    "RUB": "russian ruble", "UAH": "ukrainian hryvnia", "INR": "indian rupee", "KRW": "south korean won",
    "ILS": "shekel", "ZAR": "south african rand", "MYR": "malaysian ringgit", "SEK": "swedish krona",
    "NOK": "norwegian krone", "DKK": "danish krone", "TRY": "turkish lira", "BTC": "bitcoin", "SGD": "singapore dollar",
}  # fmt: skip

Value = float | tuple[float, float]
Prediction = dict[str, Any]  # {"value": Value, "normalized_unit": str}


def load(name: str, data: Path = DATA) -> list[dict[str, Any]]:
    return json.loads((data / "formatted_test_set" / f"{name}.json").read_text(encoding="utf-8"))


def gold_value(raw: str) -> Value:
    """CQE's gold values are strings; "a-b" (not negative, not scientific) is a range."""
    if "E" not in raw and not raw.startswith("-") and "-" in raw:
        low, high = raw.split("-")[:2]
        return (float(low), float(high))
    return float(raw)


def values_match(gold: Value, system: Value) -> bool:
    if isinstance(gold, tuple) != isinstance(system, tuple):
        return False
    if isinstance(gold, tuple) and isinstance(system, tuple):
        return all(math.isclose(g, s, rel_tol=1e-5, abs_tol=1e-8) for g, s in zip(gold, system, strict=True))
    return math.isclose(gold, system, rel_tol=1e-5, abs_tol=1e-8)  # type: ignore[arg-type]


def f_scores(correct: int, gold: int, system: int) -> dict[str, float]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(f1, 3)}


def score(sentences: list[dict[str, Any]], predictions: list[list[Prediction]]) -> dict[str, Any]:
    """Value and value+unit P/R/F1, counted as CQE_Evaluation counts them (see module docstring)."""
    n_gold = n_system = correct_value = correct_unit = 0
    for sentence, predicted in zip(sentences, predictions, strict=True):
        gold = sorted(sentence["quantities"], key=lambda q: q["normalized_unit"])
        tags = sorted(predicted, key=lambda q: q["normalized_unit"])
        n_gold += len(gold)
        n_system += len(tags)
        value_budget = len(gold)
        for quantity in gold:
            value, unit = gold_value(quantity["value"]), quantity["normalized_unit"].lower()
            for tag in tags:
                if not values_match(value, tag["value"]):
                    continue
                if value_budget > 0:
                    correct_value += 1
                    value_budget -= 1
                if tag["normalized_unit"].lower() == unit:
                    correct_unit += 1
                    tags.remove(tag)
                    break
    return {
        "gold": n_gold,
        "system": n_system,
        "value": f_scores(correct_value, n_gold, n_system),
        "value+unit": f_scores(correct_unit, n_gold, n_system),
    }


def cqe_unit(unit: str | None) -> str:
    """A storydesk unit in CQE's vocabulary; rates "a/b" become "a per b"."""
    if unit is not None and "/" in unit and unit != "km/h":
        return " per ".join(cqe_unit(part) for part in unit.split("/", 1))
    return CQE_UNITS.get(unit, unit or "-")


def storydesk_tagger(texts: list[str]) -> tuple[list[list[Prediction]], dict[str, float]]:
    """storydesk's claims for each sentence, as CQE-style predictions, and the time spent parsing and extracting."""
    from storydesk.read.claims import find_quantities
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    nlp = load_nlp(ReadSettings().model)
    nlp("warm up")
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parsed = time.perf_counter()
    out = []
    for doc in docs:
        predicted = []
        for sent in doc.sents:
            for q in find_quantities(sent):
                if (q.unit or "").startswith("clock"):
                    continue  # times of day are values since issue 10; NewsQuant annotates none (17 occur)
                value: Value = (q.value, q.upper) if q.upper is not None else q.value
                predicted.append({"value": value, "normalized_unit": cqe_unit(q.unit)})
        out.append(predicted)
    return out, {"parse": parsed - started, "extract": time.perf_counter() - parsed}


def quantulum3_tagger(texts: list[str]) -> tuple[list[list[Prediction]], dict[str, float]]:
    """quantulum3 (the registry package we considered) with its unit names taken as they are."""
    import warnings

    names = {"dimensionless": "-", "percentage": "percentage", "united states dollar": "dollar", "tonne": "metric ton"}
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # quantulum3 warns that its optional classifier is not installed
        try:
            from quantulum3 import parser
        except ImportError as exc:  # an evaluation-only comparison, not a storydesk dependency
            raise SystemExit("--system quantulum3 needs `pip install quantulum3==0.10.0`") from exc
        started = time.perf_counter()
        for text in texts:
            predicted = []
            for q in parser.parse(text):
                name = q.unit.name.lower()
                predicted.append({"value": float(q.value), "normalized_unit": names.get(name, name)})
            out.append(predicted)
    return out, {"extract": time.perf_counter() - started}


SYSTEMS: dict[str, Callable[[list[str]], tuple[list[list[Prediction]], dict[str, float]]]] = {
    "storydesk": storydesk_tagger,
    "quantulum3": quantulum3_tagger,
}


def evaluate(
    name: str = "NewsQuant", *, system: str = "storydesk", limit: int | None = None, data: Path = DATA
) -> dict[str, Any]:
    """Tag one of CQE's test sets with `system` and score it."""
    sentences = load(name, data)[:limit]
    predictions, seconds = SYSTEMS[system]([s["text"] for s in sentences])
    result = score(sentences, predictions)
    result["seconds"] = seconds
    result["errors"] = [
        {"text": s["text"], "gold": [(q["value"], q["normalized_unit"]) for q in s["quantities"]], "system": p}
        for s, p in zip(sentences, predictions, strict=True)
        if score([s], [p])["value+unit"]["F1"] < 1.0 and (s["quantities"] or p)
    ]
    return result


def published(name: str, data: Path = DATA) -> list[dict[str, str]]:
    """The per-system scores CQE_Evaluation published for this set (percentages)."""
    path = data / "evaluation_output" / f"{name}.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if r["type"] in {"value", "value+unit"}]


def _lines(result: dict[str, Any], name: str, system: str, errors: int) -> Iterable[str]:
    yield f"{name}: {result['gold']} gold quantities, {result['system']} from {system}"
    times = result["seconds"]
    if "parse" in times:
        share = times["extract"] / times["parse"] if times["parse"] else 0.0
        yield f"  time: spaCy parse {times['parse']:.2f} s, claims {times['extract']:.2f} s ({share:.0%} of the parse)"
    else:
        yield f"  time: {times['extract']:.2f} s"
    for kind in ("value", "value+unit"):
        s = result[kind]
        yield f"  {system:<16} {kind:<11} P {s['P']:.3f}  R {s['R']:.3f}  F1 {s['F1']:.3f}"
    for row in published(name):
        if row["model"] in {"CQE-Numparser", "quantulum3"}:
            p, r, f1 = (float(row[k]) / 100 for k in ("P", "R", "F1"))
            yield f"  {row['model'] + ' (publ.)':<16} {row['type']:<11} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}"
    for err in result["errors"][:errors]:
        yield f"- {err['text']}\n    gold:   {err['gold']}\n    system: {[(p['value'], p['normalized_unit']) for p in err['system']]}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="names", action="append", choices=SETS, help="test set(s); default NewsQuant")
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="storydesk")
    parser.add_argument("--limit", type=int, default=None, help="score the first N sentences only")
    parser.add_argument("--errors", type=int, default=0, help="print the first N sentences with a mistake")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is not present")
        return 0
    for name in args.names or ["NewsQuant"]:
        result = evaluate(name, system=args.system, limit=args.limit)
        for line in _lines(result, name, args.system, args.errors):
            print(line)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
