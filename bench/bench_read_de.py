"""German reading speed against the English reader, on texts of the same length (issue 14).

German texts: SpkAtt-2023 train speeches (Bundestag, ../shared/data/german),
English texts: PolNeAR train articles (../shared/data/polnear), both cut into
pieces of `--chars` characters (at a space) so each reader gets the same number
of articles of the same length. Each reader runs the whole reading stage
(`read_articles`: parse, mentions, quotes, claims, dates), alternated
`--repeats` times; the fastest run of each counts. Reported: articles/s by CPU
time and by wall time, and the German/English ratio (CPU time is the fair
measure on a shared machine).

Usage: python -m bench.bench_read_de [--articles 200] [--chars 2000] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.bench_read import _clock

ROOT = Path(__file__).resolve().parent.parent
SPKATT = ROOT.parent / "shared" / "data" / "german" / "spkatt2023_task1" / "train"
POLNEAR_TEXT = ROOT.parent / "shared" / "data" / "polnear" / "data" / "train" / "text"


def _pieces(texts: list[str], n: int, chars: int) -> list[str]:
    out: list[str] = []
    for text in texts:
        while len(text) >= chars and len(out) < n:
            cut = text.rfind(" ", 0, chars)
            cut = chars if cut <= 0 else cut
            out.append(text[:cut])
            text = text[cut:].lstrip()
        if len(out) >= n:
            break
    return out


def german_texts(n: int, chars: int) -> list[str]:
    from storydesk.read.de.train_attribution import speech_text

    speeches = [speech_text(json.loads(p.read_text(encoding="utf-8")))[0] for p in sorted(SPKATT.glob("*.json"))]
    return _pieces(speeches, n, chars)


def english_texts(n: int, chars: int) -> list[str]:
    texts = [" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(POLNEAR_TEXT.glob("*.txt"))]
    return _pieces(texts, n, chars)


def run(texts: list[str], language: str) -> tuple[float, float]:
    from storydesk.read import read_articles
    from storydesk.records import Article
    from storydesk.settings import ReadSettings

    articles = [Article(id=str(i), source="bench", text=t, language=language) for i, t in enumerate(texts)]
    wall, cpu = _clock()
    read_articles(articles, ReadSettings())
    wall2, cpu2 = _clock()
    return wall2 - wall, cpu2 - cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_read_de", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if not SPKATT.exists() or not POLNEAR_TEXT.exists():
        print("SpkAtt-2023 or PolNeAR not found in ../shared; skipping")
        return 0
    de, en = german_texts(args.articles, args.chars), english_texts(args.articles, args.chars)
    n = min(len(de), len(en))
    de, en = de[:n], en[:n]
    run(de[:5], "de")  # load both pipelines before timing
    run(en[:5], "en")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeats):
        for language, texts in (("de", de), ("en", en)):
            wall, cpu = run(texts, language)
            old = best.get(language)
            best[language] = (min(wall, old[0]), min(cpu, old[1])) if old else (wall, cpu)
    print(f"{n} articles of {args.chars} characters each, best of {args.repeats}")
    for language in ("de", "en"):
        wall, cpu = best[language]
        print(f"{language}: {n / cpu:7.1f} articles/s by CPU time, {n / wall:7.1f} by wall time")
    ratio_cpu = best["en"][1] / best["de"][1]
    ratio_wall = best["en"][0] / best["de"][0]
    print(f"German/English speed: {ratio_cpu:.2f} by CPU time, {ratio_wall:.2f} by wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
