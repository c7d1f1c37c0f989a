"""The report as one self-contained HTML page.

Inline CSS, no scripts, no fonts or images from anywhere (a Content Security
Policy forbids any fetch), so the file opens offline and can be mailed. Every
piece of article text is untrusted input and goes through `html.escape`.
Each story shows its brief, conflicts, corroborated and single-source
statements, who said what and the timeline (the same views as the Markdown
report), plus a source-by-statement matrix drawn as inline SVG.
"""

from __future__ import annotations

from html import escape
from typing import Any

from storydesk.compare.findings import count_phrase, side_words
from storydesk.export.markdown import (
    article_labels,
    matrix,
    single_source_heading,
    status_labels,
    story_alone,
    who_said_what,
)

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}
.meta{color:#666}.cite{color:#666;font-size:.85em}
.tag{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.8em;margin-left:.3em}
.corroborated{background:#dff3e3;color:#145a25}.single_source{background:#fff3cd;color:#6b5200}
.conflict{background:#fde2e1;color:#8a1c16}
.conflict-box{border-left:4px solid #c0392b;padding:.3em .8em;margin:.8em 0;background:#fdf6f6}
.side{margin:.3em 0 .3em 1em}.why{color:#666;font-size:.85em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left;vertical-align:top}
blockquote{margin:.2em 0 .2em 1em;color:#333}
svg text{font:12px system-ui,sans-serif}
"""


def _cite(article_ids: list[str], labels: dict[str, str]) -> str:
    return '<span class="cite">[' + ", ".join(escape(labels.get(a, a[:8])) for a in article_ids) + "]</span>"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def matrix_svg(story: dict[str, Any], labels: dict[str, str]) -> str:
    """Which outlet reports what, as an SVG grid: rows statements, columns outlets."""
    outlets, rows = matrix(story, labels)
    # the story's outlets, not the matrix's columns (an unknown outlet's articles each have their own)
    shown = status_labels(story_alone(story, story.get("outlets") or outlets))
    if not rows or not outlets:
        return ""
    row_h, col_w, label_w, head_h = 22, 90, 560, 130
    width = label_w + col_w * len(outlets) + 150  # room for the last slanted outlet name
    height = head_h + row_h * len(rows) + 10
    colour = {"reports": "#2e8b57", "conflicts": "#c0392b"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="which outlet reports which statement">'
    ]
    for x, outlet in enumerate(outlets):
        cx = label_w + col_w * x + col_w // 2
        parts.append(
            f'<text x="{cx}" y="{head_h - 8}" transform="rotate(-35 {cx} {head_h - 8})">{escape(_short(outlet, 24))}</text>'
        )
    for y, (kind, text, marks) in enumerate(rows):
        top = head_h + row_h * y
        if y % 2 == 0:
            parts.append(f'<rect x="0" y="{top}" width="{width}" height="{row_h}" fill="#f7f7f7"/>')
        parts.append(
            f'<text x="4" y="{top + 15}"><title>{escape(text)}</title>{escape(_short(f"[{shown.get(kind, kind)}] {text}", 72))}</text>'
        )
        for x, outlet in enumerate(outlets):
            mark = marks.get(outlet)
            cx = label_w + col_w * x + col_w // 2
            if mark:
                parts.append(
                    f'<circle cx="{cx}" cy="{top + row_h // 2}" r="6" fill="{colour[mark]}"><title>{escape(outlet)}: {mark}</title></circle>'
                )
            else:
                parts.append(f'<circle cx="{cx}" cy="{top + row_h // 2}" r="2" fill="#ccc"/>')
    parts.append("</svg>")
    return "".join(parts)


def _findings(title: str, findings: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    out = [f"<h3>{escape(title)} ({len(findings)})</h3>"]
    if not findings:
        return [*out, "<p class=meta>None.</p>"]
    out.append("<table><tr><th>each outlet's own words</th><th>outlets</th><th>why</th></tr>")
    for f in findings:
        copies = f" (+{len(f['copies'])} copies counted once)" if f.get("copies") else ""
        sides = f.get("sides") or [{"article": a, "text": f["summary"]} for a in f["articles"][:1]]
        words = "".join(
            f'<div class="side"><b>{escape(labels.get(s["article"], s["article"]))}</b>: {escape(side_words(s))}</div>'
            for s in sides
        )
        count = count_phrase(f) if f.get("independent_outlets") is not None and len(sides) > 1 else ""
        out.append(
            f"<tr><td>{words}</td><td>{escape(count or ', '.join(f.get('outlets') or []))}{escape(copies)}</td>"
            f"<td class=why>{escape(f.get('reason') or '')}</td></tr>"
        )
    out.append("</table>")
    return out


def _story_html(report: dict[str, Any], story: dict[str, Any], labels: dict[str, str]) -> list[str]:
    out = [f"<h2>{escape(story['title'])}</h2>"]
    outlets = story.get("outlets") or list(dict.fromkeys(labels.get(a, a) for a in story["articles"]))
    alone = story_alone(story, outlets)
    labels_shown = status_labels(alone)
    out.append(
        f"<p class=meta>{len(story['articles'])} articles from {len(outlets)} outlets: {escape(', '.join(outlets))}</p>"
    )
    if story.get("brief"):
        out.append("<h3>Brief</h3><ul>")
        for b in story["brief"]:
            status = b.get("status", "")
            tag = (
                f'<span class="tag {escape(status)}">{escape(labels_shown.get(status, status))}</span>'
                if status
                else ""
            )
            out.append(f"<li>{escape(b['text'])} {_cite(b['articles'], labels)}{tag}</li>")
        out.append("</ul>")
    out.append(f"<h3>Conflicts ({len(story.get('conflicts', []))})</h3>")
    if not story.get("conflicts"):
        out.append("<p class=meta>None found.</p>")
    for c in story.get("conflicts", []):
        confidence = f" (confidence {c['confidence']:.2f})" if c.get("confidence") is not None else ""
        out.append(f'<div class="conflict-box"><b>{escape(c["kind"])}</b>: {escape(c["summary"])}{escape(confidence)}')
        for s in c["sides"]:
            out.append(
                f'<div class="side"><b>{escape(labels.get(s["article"], s["article"]))}</b>: {escape(side_words(s))}</div>'
            )
        if c.get("reason"):
            out.append(f'<div class="why">why: {escape(c["reason"])}</div>')
        out.append("</div>")
    out += _findings("Corroborated", story.get("corroborated", []), labels)
    out += _findings(single_source_heading(alone), story.get("single_source", []), labels)
    svg = matrix_svg(story, labels)
    if svg:
        out += [
            "<h3>Which outlet reports what</h3>",
            svg,
            "<p class=meta>green: reports it · red: one side of a conflict</p>",
        ]
    speakers = who_said_what(report, story)
    if speakers:
        out.append("<h3>Who said what</h3><table><tr><th>speaker</th><th>quotes</th></tr>")
        for name, quotes in speakers:
            said = "".join(
                f"<blockquote>{escape(labels.get(a, a))}: {escape(words)}</blockquote>" for a, words in quotes
            )
            out.append(f"<tr><td>{escape(name)}</td><td>{said}</td></tr>")
        out.append("</table>")
    if story.get("timeline"):
        out.append("<h3>Timeline</h3><table><tr><th>date</th><th>what</th><th>first reported by</th></tr>")
        for t in story["timeline"]:
            out.append(
                f"<tr><td>{escape(t['date'])}</td><td>{escape(t['text'])} {_cite(t['articles'], labels)}</td>"
                f"<td>{escape(t.get('first_reported_by') or '')}</td></tr>"
            )
        out.append("</table>")
    return out


def report_html(report: dict[str, Any]) -> str:
    labels = article_labels(report)
    body = ["<h1>storydesk report</h1>"]
    if not report["stories"]:
        body.append("<p class=meta>No stories in this report.</p>")
    for story in report["stories"]:
        body += _story_html(report, story, labels)
    body.append("<h2>Articles</h2><table><tr><th>outlet</th><th>published</th><th>title</th><th>id</th></tr>")
    for a in report["articles"]:
        body.append(
            f"<tr><td>{escape(labels[a['id']])}</td><td>{escape(a.get('published') or '')}</td>"
            f"<td>{escape(a.get('title') or '')}</td><td>{escape(a['id'])}</td></tr>"
        )
    body.append("</table>")
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>storydesk report</title><style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
