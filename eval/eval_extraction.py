"""Score HTML ingestion (ingest/html.py over trafilatura): title, date and body.

Two sets of real pages from ../shared/data, used as test sets only (nothing in
ingest/ is tuned on them):

  newspaper4k_fixtures/   30 pages; metadata/*.json (title, publish_date) for 20
                          of them, txt/*.txt (expected body) for 28
  article_extraction_benchmark/   181 pages with ground-truth article bodies

Metrics:
  title accuracy   normalised (case, spacing, quote marks) exact match; also
                   the share with a fuzzy ratio >= 90 (rapidfuzz)
  date accuracy    the calendar day (YYYY-MM-DD) equals the gold date's; pages
                   whose gold has no date are left out
  token P/R/F1     bag of \\w+ tokens (case-folded), per page, then averaged
  AEB P/R/F1, acc  the article-extraction-benchmark's own scoring, re-implemented:
                   4-token shingle counts per page, precision and recall averaged
                   over pages, F1 of the two averages; accuracy = exact token
                   sequence match. Comparable with the figures in its README.

`--baseline` also scores plain `trafilatura.extract(html, include_comments=False)`
(what the benchmark ran) on the same pages, to show what storydesk's wrapper
(no tables, the repeated <h1> dropped) changes.

    .venv/bin/python -m eval.eval_extraction
    .venv/bin/python -m eval.eval_extraction --baseline --errors 5
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
N4K = DATA / "newspaper4k_fixtures"
AEB = DATA / "article_extraction_benchmark"
_TOKEN = re.compile(r"\w+", re.UNICODE)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

Extractor = Callable[[str, str], tuple[str | None, str | None, str]]  # html, name -> title, date, body


def storydesk_extract(html: str, name: str) -> tuple[str | None, str | None, str]:
    from storydesk.errors import InputError
    from storydesk.ingest.html import parse_html
    from storydesk.settings import IngestSettings

    try:
        article = parse_html(html, source=name, settings=IngestSettings())
    except InputError:
        return None, None, ""
    return article.title, article.published, article.text


def trafilatura_extract(html: str, name: str) -> tuple[str | None, str | None, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        return None, None, ""
    return doc.title, doc.date, doc.text or ""


def _norm_title(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold().split())


def tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").casefold())


def token_prf(true: str, pred: str) -> tuple[float, float, float]:
    t, p = Counter(tokens(true)), Counter(tokens(pred))
    overlap = sum((t & p).values())
    precision = overlap / sum(p.values()) if p else float(not t)
    recall = overlap / sum(t.values()) if t else float(not p)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    # The benchmark tokenises with \w+ without case folding.
    words = _TOKEN.findall(text or "")
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n])


def aeb_counts(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle true/false positives and false negatives, normalised to sum to 1 per page."""
    t, p = _shingles(true), _shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_metrics(counts: list[tuple[float, float, float]], exact: list[bool]) -> dict[str, float]:
    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    precision = statistics.mean(prec(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(rec(*c) for c in counts if c[0] + c[2] > 0)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "accuracy": statistics.mean(exact),
    }


def score_newspaper4k(extract: Extractor) -> dict[str, float]:
    titles, titles_fuzzy, dates, bodies = [], [], [], []
    from rapidfuzz import fuzz

    for page in sorted((N4K / "html").glob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        title, date, body = extract(html, page.name)
        meta_path = N4K / "metadata" / f"{page.stem}.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("title"):
                titles.append(_norm_title(title) == _norm_title(meta["title"]))
                titles_fuzzy.append(fuzz.ratio(_norm_title(title), _norm_title(meta["title"])) >= 90)
            if meta.get("publish_date"):
                dates.append((date or "")[:10] == str(meta["publish_date"])[:10])
        text_path = N4K / "txt" / f"{page.stem}.txt"
        if text_path.exists():
            bodies.append(token_prf(text_path.read_text(encoding="utf-8"), body))
    return {
        "pages": len(list((N4K / "html").glob("*.html"))),
        "titles": len(titles),
        "title_accuracy": statistics.mean(titles),
        "title_fuzzy90": statistics.mean(titles_fuzzy),
        "dates": len(dates),
        "date_accuracy": statistics.mean(dates),
        "bodies": len(bodies),
        "token_precision": statistics.mean(b[0] for b in bodies),
        "token_recall": statistics.mean(b[1] for b in bodies),
        "token_f1": statistics.mean(b[2] for b in bodies),
    }


def score_aeb(extract: Extractor, errors: int) -> dict[str, float]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    counts, exact, prfs, worst = [], [], [], []
    for key, gold in sorted(truth.items()):
        html = gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        _title, _date, body = extract(html, key)
        true = gold.get("articleBody", "")
        counts.append(aeb_counts(true, body))
        exact.append(tokens(true) == tokens(body))
        prfs.append(token_prf(true, body))
        worst.append((prfs[-1][2], key, gold.get("url", "")))
    for f1, key, url in sorted(worst)[:errors]:
        print(f"  low token F1 {f1:.2f}: {key[:16]} {url}")
    return {
        "pages": len(truth),
        "token_precision": statistics.mean(p[0] for p in prfs),
        "token_recall": statistics.mean(p[1] for p in prfs),
        "token_f1": statistics.mean(p[2] for p in prfs),
        **{f"aeb_{k}": v for k, v in aeb_metrics(counts, exact).items()},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", action="store_true", help="also score plain trafilatura on the same pages")
    parser.add_argument("--errors", type=int, default=0, help="list this many lowest-F1 benchmark pages")
    args = parser.parse_args(argv)
    if not N4K.exists() or not AEB.exists():
        print(f"skipped: {N4K} or {AEB} is not present")
        return 0
    systems: list[tuple[str, Extractor]] = [("storydesk", storydesk_extract)]
    if args.baseline:
        systems.append(("trafilatura.bare_extraction defaults", trafilatura_extract))
    for name, extract in systems:
        n4k = score_newspaper4k(extract)
        print(
            f"{name} | newspaper4k_fixtures: title accuracy {n4k['title_accuracy']:.3f} "
            f"(fuzzy>=90 {n4k['title_fuzzy90']:.3f}, n={n4k['titles']}), date accuracy {n4k['date_accuracy']:.3f} "
            f"(n={n4k['dates']}), body token P/R/F1 {n4k['token_precision']:.3f}/{n4k['token_recall']:.3f}/"
            f"{n4k['token_f1']:.3f} (n={n4k['bodies']})"
        )
        aeb = score_aeb(extract, args.errors)
        print(
            f"{name} | article_extraction_benchmark (n={aeb['pages']}): body token P/R/F1 "
            f"{aeb['token_precision']:.3f}/{aeb['token_recall']:.3f}/{aeb['token_f1']:.3f}; "
            f"AEB scoring P/R/F1 {aeb['aeb_precision']:.3f}/{aeb['aeb_recall']:.3f}/{aeb['aeb_f1']:.3f}, "
            f"accuracy {aeb['aeb_accuracy']:.3f}"
        )
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
