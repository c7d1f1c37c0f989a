"""The report as Markdown, for pasting into notes and tickets.

Per story: the brief with citations, the conflicts with both sides' words,
what is corroborated, what only one outlet reports, who said what, and the
timeline; then the articles. The helpers that turn a report into per-story
views are shared with the HTML report (export/html.py), so both show the same.

Every value that comes from an article (titles, outlets, names, quotes,
sentences, sources) is untrusted and goes through `md`: Markdown renderers
pass raw HTML through, so `<script>` in an article would run wherever the
report is rendered (issue 11). `md` writes `&`, `<` and `>` as entities and
backslash-escapes the characters that make links, emphasis and table cells.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any

from storydesk.compare.findings import compared_with_none, count_phrase, side_words
from storydesk.ingest.outlets import UNKNOWN_OUTLET

# Inline Markdown syntax: links and images ([ ] !), emphasis (* _ ~), code (`), table cells (|), escapes (\\).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")


def md(value: object) -> str:
    """Article-derived text as inert Markdown: one line, no raw HTML, no link or emphasis syntax."""
    text = " ".join(str(value if value is not None else "").split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


STATUS_LABEL = {"corroborated": "corroborated", "single_source": "single source", "conflict": "conflict"}


def status_labels(alone: bool) -> dict[str, str]:
    """The status labels of a story, `alone` when it was compared with nothing (`compared_with_none`): its
    statements read "one outlet", never "single source", which a reader takes for "the other outlets did not
    report it" (the web page says the same; round 16)."""
    return {**STATUS_LABEL, "single_source": "one outlet"} if alone else STATUS_LABEL


def single_source_heading(alone: bool) -> str:
    return "One outlet: nothing to compare" if alone else "Single source"


def story_alone(story: dict[str, Any], outlets: list[str]) -> bool:
    """Whether a story (its report's dict, with `outlets` as shown) was compared with nothing."""
    return compared_with_none(outlets, len(story.get("articles") or []))


def article_labels(report: dict[str, Any]) -> dict[str, str]:
    """Article id -> the name its citations show: the outlet, else "unknown outlet" and the article's id.

    Never the source's file name, which says nothing about who published it (issue 11).
    """
    return {a["id"]: a.get("outlet") or f"{UNKNOWN_OUTLET} ({a['id'][:8]})" for a in report["articles"]}


def who_said_what(report: dict[str, Any], story: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(speaker, [(article id, words as shown), ...]), ...] for the story's articles, most quoted first.

    The words are in quotation marks only for direct and partial quotes; reported speech reads
    "Name said that ..." (issue 11)."""
    members = set(story["articles"])
    names = {e["id"]: e["name"] for e in report.get("entities", [])}
    said: dict[str, list[tuple[str, str]]] = defaultdict(list)
    display: dict[str, str] = {}
    for article in report["articles"]:
        if article["id"] not in members:
            continue
        for quote in article["quotes"]:
            speaker = quote.get("speaker")
            if not speaker:
                continue
            key = speaker.get("entity") or speaker["name"]
            display.setdefault(key, names.get(speaker.get("entity") or "", speaker["name"]))
            said[key].append(
                (
                    article["id"],
                    side_words(
                        {**quote, "speaker": display[key], "quote_kind": quote["kind"], "language": article["language"]}
                    ),
                )
            )
    return sorted(((display[k], v) for k, v in said.items()), key=lambda item: (-len(item[1]), item[0]))


def matrix(
    story: dict[str, Any], labels: dict[str, str], *, rows: int = 25
) -> tuple[list[str], list[tuple[str, str, dict[str, str]]]]:
    """The source-by-statement matrix: (outlets, [(kind, statement, {outlet: mark})]).

    A mark is "reports" or "conflicts" (that outlet's side of a conflict);
    conflicts first, then corroborated, then single-source statements, at most `rows`.
    """
    outlets: list[str] = []
    for article_id in story["articles"]:
        label = labels.get(article_id, article_id[:8])
        if label not in outlets:
            outlets.append(label)
    out: list[tuple[str, str, dict[str, str]]] = []
    for conflict in story.get("conflicts", []):
        marks = {labels.get(s["article"], s["article"][:8]): "conflicts" for s in conflict["sides"]}
        out.append(("conflict", conflict["summary"], marks))
    for key in ("corroborated", "single_source"):
        for finding in story.get(key, []):
            marks = {labels.get(a, a[:8]): "reports" for a in finding["articles"]}
            out.append((key, finding["summary"], marks))
    return outlets, out[:rows]


def _cite(article_ids: list[str], labels: dict[str, str]) -> str:
    return "[" + ", ".join(md(labels.get(a, a[:8])) for a in article_ids) + "]"


def _story_markdown(report: dict[str, Any], story: dict[str, Any], labels: dict[str, str]) -> list[str]:
    lines = [f"## Story: {md(story['title'])}", ""]
    outlets = story.get("outlets") or list(dict.fromkeys(labels.get(a, a) for a in story["articles"]))
    lines += [f"{len(story['articles'])} articles from {len(outlets)} outlets: {md(', '.join(outlets))}", ""]
    alone = story_alone(story, outlets)
    shown = status_labels(alone)
    if story.get("brief"):
        lines += ["### Brief", ""]
        for b in story["brief"]:
            status = shown.get(b.get("status", ""), "")
            lines.append(f"- {md(b['text'])} {_cite(b['articles'], labels)}" + (f" *({status})*" if status else ""))
        lines.append("")
    lines += ["### Conflicts", ""]
    if not story.get("conflicts"):
        lines += ["None found.", ""]
    for c in story.get("conflicts", []):
        confidence = f" (confidence {c['confidence']:.2f})" if c.get("confidence") is not None else ""
        lines.append(f"- **{md(c['kind'])}**: {md(c['summary'])}{confidence}")
        for s in c["sides"]:
            lines.append(f"  - {md(labels.get(s['article'], s['article']))} — {md(side_words(s))}")
        if c.get("reason"):
            lines.append(f"  - why: {md(c['reason'])}")
    lines.append("")
    for key, heading in (("corroborated", "Corroborated"), ("single_source", single_source_heading(alone))):
        lines += [f"### {heading}", ""]
        if not story.get(key):
            lines += ["None.", ""]
            continue
        for f in story[key]:
            # Each article's own words under the count (issue 10): never one wording cited to several outlets.
            head = count_phrase(f) if key == "corroborated" else "one outlet only"
            copies = (
                f"; {len(f['copies'])} near-duplicate cop{'ies' if len(f['copies']) != 1 else 'y'} counted once"
                if f.get("copies")
                else ""
            )
            lines.append(f"- *{md(f.get('kind') or 'statement')}, {md(head)}{md(copies)}*")
            for s in f.get("sides") or [{"article": a, "text": f["summary"]} for a in f["articles"][:1]]:
                lines.append(
                    f"  - {md(labels.get(s['article'], s['article']))} — {md(side_words(s))} {_cite([s['article']], labels)}"
                )
        lines.append("")
    speakers = who_said_what(report, story)
    if speakers:
        lines += ["### Who said what", ""]
        for name, quotes in speakers:
            lines.append(f"- **{md(name)}**")
            lines += [f"  - {md(labels.get(a, a))}: {md(words)}" for a, words in quotes]
        lines.append("")
    if story.get("timeline"):
        lines += ["### Timeline", ""]
        for t in story["timeline"]:
            first = f" (first: {md(t['first_reported_by'])})" if t.get("first_reported_by") else ""
            lines.append(f"- {md(t['date'])}: {md(t['text'])} {_cite(t['articles'], labels)}{first}")
        lines.append("")
    outlets_m, rows = matrix(story, labels)
    if rows:
        lines += ["### Which outlet reports what", ""]
        lines.append("| statement | " + " | ".join(md(o) for o in outlets_m) + " |")
        lines.append("|---|" + "---|" * len(outlets_m))
        symbol = {"reports": "●", "conflicts": "≠"}
        for _kind, text, marks in rows:
            cells = [symbol.get(marks.get(o, ""), "") for o in outlets_m]
            lines.append(f"| {md(text)} | " + " | ".join(cells) + " |")
        lines += ["", "● reports it · ≠ one side of a conflict", ""]
    return lines


def report_markdown(report: dict[str, Any]) -> str:
    labels = article_labels(report)
    lines = ["# storydesk report", ""]
    for story in report["stories"]:
        lines += _story_markdown(report, story, labels)
    lines += ["## Articles", "", "| id | outlet | published | language | title |", "|---|---|---|---|---|"]
    for a in report["articles"]:
        lines.append(
            f"| {md(a['id'])} | {md(a.get('outlet') or labels[a['id']])} | {md(a.get('published'))} | "
            f"{md(a.get('language'))} | {md(a.get('title'))} |"
        )
    lines.append("")
    return "\n".join(lines)
