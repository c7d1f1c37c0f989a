"""Brief lines a fact-checker trips over, counted over every brief of a news_stories_2025 split (round 12).

The split's store is built and compared as eval/eval_news_compare.py does. Each brief line that is no
conflict summary (those are composed, not quoted) is flagged, by rules that look at the line alone, so that
two versions' briefs are counted alike:

- pronoun: its first word is a person pronoun (en, de, fr, es, it subjects), or one stands anywhere in its
  words outside quotation marks with no name before it in the line (round 13; round 12 looked only right
  after a comma or a closing quotation mark: ", he said"): nobody named says who. A name is a word in
  upper case other than the line's first (that one too when it is no common word of en, de, fr, es, it)
  or an editor's "[Name]"; words inside quotation marks are the speaker's own and neither count;
- quote: its double quotation marks are unbalanced (a closing mark with no opening one, an opening mark
  never closed: a sentence cut out of a longer quote), or it is all quote (no word outside the marks);
- fragment: no sentence end (full stop, ?, !, a closing quote, danda or CJK stop), or a lower-case start;
- furniture (round 12b): page furniture, no statement: a cross-link ("Also read: ..." opening the line, in
  the article, or the words), a list's item number at either end ("... within 48 hours 4."), or a headline
  run into the sentence (the words open with a heading of a cited article: a line's last words with no
  sentence end, three words or more, followed here by more words).

Findings (corroborated and single-source, every side's words, not only the brief's) built on furniture are
counted too, by the same rules.

A partial quote shown with an ellipsis inside balanced marks ("“… words,” X said") is counted apart. The
rules are a reading aid, not a score: a pronoun whose name the sentence holds before it is flagged too.
`--list` prints every brief with the gold slugs of the articles each line cites, for reading by hand.

    .venv/bin/python -m eval.eval_brief_lines --split dev --list --cache /tmp/brief-cache
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from storydesk.stopwords import spacy_stop_words

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
_QUOTED = re.compile(r"[“„«\"][^”»“\"]*[”»“\"]")
_INSERTED = re.compile(r"\[[^\]]+\]")
_COMMON = frozenset().union(*(spacy_stop_words(language) for language in ("en", "de", "fr", "es", "it")))


def _unnamed_pronoun(text: str) -> bool:
    """Whether a person pronoun stands in the line's own words (outside quotation marks) with no name before it."""
    words = _QUOTED.sub(" ", _INSERTED.sub(" Name ", text))
    named = False
    for i, word in enumerate(_WORD.finditer(words)):
        w = word.group()
        if w.lower() in _PRONOUNS and (i == 0 or not w[0].isupper() or w == "I"):
            if not named:
                return True
        elif w[0].isupper() and (i > 0 or w.lower() not in _COMMON):
            named = True
    return False


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


# Cross-link labels as the counter knows them (its own list, so that two versions are counted alike).
_LINK = re.compile(
    r"(?:also read|read also|read more|read|see also|related|watch|lesen sie auch|à lire aussi|lire aussi"
    r"|lee también|leia também|leggi anche)\s*:",
    re.IGNORECASE,
)
_ITEM = re.compile(r"(?:^|\s)(\d{1,2})\.$|^(\d{1,2})\.(?:\s|$)")
_LINE_TAIL = re.compile(r"(?:^|[.!?][\"'”’]?\s+)([^.!?\n]+)$")


def _headings(article_text: str) -> set[str]:
    """A text's heading-like line ends: a line's last words after its last sentence end, with none of their
    own, three words or more, before another line."""
    out = set()
    for line in article_text.split("\n")[:-1]:  # the last line may be a text cut short, no heading
        tail = _LINE_TAIL.search(line.strip())
        if tail and len(tail.group(1).split()) >= 3 and not re.search(r"[.!?:;\"'”’]$", tail.group(1)):
            out.add(tail.group(1).strip())
    return out


def _item(text: str, article_text: str, start: int | None) -> bool:
    """Whether `text` opens or ends with a number that is a list's item number in `article_text`: the list's
    next or previous number stands near it (within 400 characters) as an item number too ("3. ... 4.")."""
    item = _ITEM.search(text)
    if not item:
        return False
    n = int(item.group(1) or item.group(2))
    at = article_text.find(text) if start is None else start
    window = article_text[max(0, at - 400) : at + len(text) + 400] if at >= 0 else article_text
    return any(re.search(rf"(?:^|\s){k}\.\s", window) for k in (n - 1, n + 1) if k > 0)


def is_furniture(text: str, article_text: str = "", start: int | None = None) -> bool:
    """Whether the words `text` (at `start` of `article_text`, when known) are page furniture."""
    text = text.strip()
    if _LINK.match(text) or (article_text and _item(text, article_text, start)):
        return True
    if article_text and start is not None:
        line_start = article_text.rfind("\n", 0, start) + 1
        if _LINK.match(article_text[line_start : line_start + 40].strip()):
            return True
    return any(text.startswith(h + " ") for h in _headings(article_text)) if article_text else False


def flags(text: str, article_texts: tuple[str, ...] = ()) -> list[str]:
    """Which of pronoun, quote, fragment, furniture the brief line `text` trips."""
    out = []
    first = _WORD.search(text)
    if (first and first.start() == 0 and first.group().lower() in _PRONOUNS) or _unnamed_pronoun(text):
        out.append("pronoun")
    if _unbalanced(text) or not _WORD.search(_QUOTED.sub(" ", text)):
        out.append("quote")
    if not _END.search(text) or (first and first.group()[0].islower()):
        out.append("fragment")
    if is_furniture(text) or any(is_furniture(text, t) for t in article_texts):
        out.append("furniture")
    return out


def furniture_findings(stories, texts: dict[str, str]) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(story, status, words) of every corroborated or single-source finding one of whose sides is furniture."""
    out = []
    for story in stories:
        for status, findings in (("corroborated", story.corroborated), ("single_source", story.single_source)):
            for finding in findings:
                for side in finding.sides:
                    if is_furniture(side.text, texts.get(side.article, ""), side.start):
                        out.append((story.id, status, side.text))
                        break
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
    counts = {"pronoun": 0, "quote": 0, "fragment": 0, "furniture": 0}
    stories = store.stories.list()
    texts = {a.id: a.text for a in store.articles.get_many(sorted({a for s in stories for a in s.articles}))}
    lines = flagged = partial = 0
    for story in sorted(stories, key=lambda s: (-len(s.articles), s.id)):
        if args.list and story.brief:
            events = ", ".join(sorted({gold.event[a] for a in story.articles}))
            print(f"\n=== {story.id} ({len(story.articles)} articles; gold {events}) {story.title[:70]}")
        for line in story.brief:
            cited = tuple(texts.get(a, "") for a in line.articles)
            found = flags(line.text, cited) if line.status != "conflict" else []
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
    built = furniture_findings(stories, texts)
    if args.list:
        print("\nfindings built on page furniture:")
        for story_id, status, words in built:
            print(f"- {story_id} [{status}] {words}")
    print(
        f"\n{args.split}: {lines} brief lines (conflicts left out), {flagged} flagged: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; partial quotes shown with an ellipsis: {partial}"
        + f"; findings built on furniture: {len(built)}"
    )


if __name__ == "__main__":
    main()
