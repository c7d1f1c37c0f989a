"""Terminal rendering of records with rich (no logic beyond layout)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from storydesk.cli.common import console
from storydesk.records import Article


def render_article(article: Article, sources: list[str]) -> None:
    console.rule(escape(article.title or "(no title)"))
    if article.subtitle:
        console.print(f"[italic]{escape(article.subtitle)}[/italic]")
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    date = article.published or "unknown"
    if article.published and article.published_source != "none":
        date += f" (from {'the text, inferred' if article.published_source == 'text' else article.published_source})"
    for label, value in (
        ("id", article.id),
        ("outlet", article.outlet),
        ("published", date),
        ("language", article.language),
        ("section", article.section),
        ("authors", ", ".join(article.authors)),
        ("url", article.url),
        ("sources", "\n".join(sources)),
        ("near-duplicate of", article.duplicate_of),
        ("note", article.read_note),
    ):
        if value:
            meta.add_row(label, escape(str(value)))
    console.print(meta)
    if article.quotes:
        table = Table(title="Quotes", show_lines=True)
        for col in ("speaker", "kind", "cue", "quote"):
            table.add_column(col, overflow="fold")
        for q in article.quotes:
            speaker = q.speaker or "[dim]unknown[/dim]"
            if q.speaker and q.speaker_text and q.speaker_text != q.speaker:
                speaker = f"{escape(q.speaker)} [dim](“{escape(q.speaker_text)}”)[/dim]"
            table.add_row(speaker, q.kind, escape(q.cue or ""), escape(q.text))
        console.print(table)
    if article.mentions:
        table = Table(title="Actors and places")
        for col in ("name", "type", "roles", "as written"):
            table.add_column(col, overflow="fold")
        grouped: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        for m in article.mentions:
            roles, forms = grouped.setdefault((m.name, m.type), (set(), set()))
            if m.role:
                roles.add(m.role)
            forms.add(m.text)
        for (name, kind), (roles, forms) in grouped.items():
            table.add_row(escape(name), kind, escape("; ".join(sorted(roles))), escape(", ".join(sorted(forms))))
        console.print(table)
    if article.claims:
        table = Table(title="Numeric claims")
        for col in ("value", "unit", "qualifier", "as written", "about"):
            table.add_column(col, overflow="fold")
        for c in article.claims:
            table.add_row(
                f"{c.value:g}" if c.value is not None else "",
                c.unit or "",
                c.qualifier or "",
                escape(c.quantity),
                escape(c.subject or ""),
            )
        console.print(table)
    if not (article.quotes or article.mentions or article.claims):
        console.print("[dim]no quotes, actors or claims found[/dim]")
