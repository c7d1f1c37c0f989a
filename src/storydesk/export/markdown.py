"""The report as Markdown, for pasting into notes and tickets."""

from __future__ import annotations

from typing import Any


def _cell(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def report_markdown(report: dict[str, Any]) -> str:
    lines = ["# storydesk report", ""]
    titles = {a["id"]: a.get("title") or a["source"] for a in report["articles"]}
    for story in report["stories"]:
        lines += [f"## Story: {story['title']}", ""]
        lines += [f"Articles: {', '.join(titles.get(a, a) for a in story['articles'])}", ""]
        if story.get("brief"):
            lines += ["### Brief", ""]
            lines += [f"- {b['text']} [{', '.join(b['articles'])}]" for b in story["brief"]]
            lines.append("")
        if story.get("conflicts"):
            lines += ["### Conflicts", ""]
            for c in story["conflicts"]:
                lines.append(f"- **{c['kind']}**: {c['summary']}")
                lines += [f"  - {s['article']}: “{s['text']}”" for s in c["sides"]]
            lines.append("")
        for key, heading in (("corroborated", "Corroborated"), ("single_source", "Single source")):
            if story.get(key):
                lines += [f"### {heading}", ""]
                lines += [f"- {f['summary']} [{', '.join(f['articles'])}]" for f in story[key]]
                lines.append("")
        if story.get("timeline"):
            lines += ["### Timeline", ""]
            lines += [f"- {t['date']}: {t['text']} [{', '.join(t['articles'])}]" for t in story["timeline"]]
            lines.append("")
    lines += ["## Articles", "", "| id | outlet | published | language | title |", "|---|---|---|---|---|"]
    for a in report["articles"]:
        lines.append(
            f"| {a['id']} | {_cell(a.get('outlet'))} | {_cell(a.get('published'))} | {_cell(a.get('language'))} | {_cell(a.get('title'))} |"
        )
    lines.append("")
    for a in report["articles"]:
        if not (a["quotes"] or a["claims"]):
            continue
        lines += [f"### {_cell(a.get('title') or a['source'])} ({a['id']})", ""]
        for q in a["quotes"]:
            who = q["speaker"]["name"] if q["speaker"] else "unknown speaker"
            lines.append(f"- {who} ({q['kind']}): “{q['text']}”")
        for c in a["claims"]:
            lines.append(f"- claim: {c['value']} {c['unit'] or ''} — {c['text']}")
        lines.append("")
    return "\n".join(lines)
