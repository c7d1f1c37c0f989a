"""Brief lines a fact-checker trips over, counted over every brief of a news_stories_2025 split (round 12).

The split's store is built and compared as eval/eval_news_compare.py does. Each brief line that is no
conflict summary (those are composed, not quoted) is flagged, by rules that look at the line alone, so that
two versions' briefs are counted alike:

- pronoun: its first word is a person pronoun (en, de, fr, es, it subjects), or one comes right after a
  comma or a closing quotation mark (", he said", "” she said"): nobody named says who;
- quote: its double quotation marks are unbalanced (a closing mark with no opening one, an opening mark
  never closed: a sentence cut out of a longer quote), or it is all quote (no word outside the marks);
- fragment: no sentence end (full stop, ?, !, a closing quote, danda or CJK stop), or a lower-case start.

A partial quote shown with an ellipsis inside balanced marks ("“… words,” X said") is counted apart. The
rules are a reading aid, not a score: a pronoun whose name the sentence holds before it is flagged too.
`--list` prints every brief with the gold slugs of the articles each line cites, for reading by hand.

    .venv/bin/python -m eval.eval_brief_lines --split dev --list --cache /tmp/brief-cache
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

_PRONOUNS = [
    "he",
    "she",
    "they",
    "we",
    "i",
    "er",
    "sie",
    "wir",
    "ich",
    "il",
    "elle",
    "ils",
    "elles",
    "nous",
    "je",
    "él",
    "ella",
    "ellos",
    "ellas",
    "yo",
    "lui",
    "lei",
    "loro",
    "noi",
    "io",
]
_WORD = re.compile(r"[^\W\d_]+")
_AFTER_CLAUSE = re.compile(r"(?:,|[”\"»])\s+(?:" + "|".join(_PRONOUNS) + r")\s")
_QUOTED = re.compile(r"[“„«\"][^”»“\"]*[”»“\"]")
_END = re.compile(r"([.!?…:;][\"'”’)\]]*|[\"'”’»“][.!?]?|[।॥。！？])$")
_PARTIAL = re.compile(r"^[“„«\"]… | …[”“»\"]$")


def _unbalanced(text: str) -> bool:
    """A closing double quotation mark with no opening one before it, or an opening one never closed."""
    open_marks: list[str] = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        if ch in "„«" or (ch in '“"' and not open_marks and (before.isspace() or before in "([—–-")):
            open_marks.append(ch)
        elif ch in '”»“"':
            if not open_marks:
                return True
            open_marks.pop()
    return bool(open_marks)


def flags(text: str) -> list[str]:
    """Which of pronoun, quote, fragment the brief line `text` trips."""
    out = []
    first = _WORD.search(text)
    if (first and first.start() == 0 and first.group().lower() in _PRONOUNS) or _AFTER_CLAUSE.search(text):
        out.append("pronoun")
    if _unbalanced(text) or not _WORD.search(_QUOTED.sub(" ", text)):
        out.append("quote")
    if not _END.search(text) or (first and first.group()[0].islower()):
        out.append("fragment")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-eval-cache"))
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--list", action="store_true", help="print every brief with the gold slugs it cites")
    args = parser.parse_args()
    from eval.eval_news_compare import run

    store, gold, _info, _seconds, _encoder = run(args.split, args.cache, args.refresh)
    counts = {"pronoun": 0, "quote": 0, "fragment": 0}
    lines = flagged = partial = 0
    for story in sorted(store.stories.list(), key=lambda s: (-len(s.articles), s.id)):
        if args.list and story.brief:
            events = ", ".join(sorted({gold.event[a] for a in story.articles}))
            print(f"\n=== {story.id} ({len(story.articles)} articles; gold {events}) {story.title[:70]}")
        for line in story.brief:
            found = flags(line.text) if line.status != "conflict" else []
            if line.status != "conflict":
                lines += 1
                flagged += bool(found)
                partial += bool(_PARTIAL.search(line.text))
                for name in found:
                    counts[name] += 1
            if args.list:
                mark = f" <{', '.join(found)}>" if found else ""
                print(f"- [{line.status}]{mark} {line.text}")
                print(f"    <- {', '.join(gold.slug_of[a] for a in line.articles)}")
    print(
        f"\n{args.split}: {lines} brief lines (conflicts left out), {flagged} flagged: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; partial quotes shown with an ellipsis: {partial}"
    )


if __name__ == "__main__":
    main()
