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
    _quotes(article)
    _actors(article)
    _claims(article)
    _dates(article)
    if not (article.quotes or article.mentions or article.claims):
        console.print("[dim]no quotes, actors or claims found[/dim]")


def _quotes(article: Article) -> None:
    """Quotes with a speaker, then what the article reports without one."""
    roles = {m.name: m.role for m in article.mentions if m.type == "person" and m.role}
    # A description ("officials", speaker_named false) names no one: it is listed with the unattributed.
    spoken = [q for q in article.quotes if q.speaker and q.speaker_named is not False]
    if spoken:
        table = Table(title="Quotes", show_lines=True)
        for col, ratio in (("speaker", 2), ("kind", 1), ("cue", 1), ("quote", 5)):
            table.add_column(col, overflow="fold", ratio=ratio)
        for q in spoken:
            speaker = f"[bold]{escape(q.speaker or '')}[/bold]"
            if q.speaker in roles:
                speaker += f"\n[dim]{escape(roles[q.speaker] or '')}[/dim]"
            if q.speaker_text and q.speaker_text != q.speaker:
                speaker += f"\n[dim]as “{escape(q.speaker_text)}”[/dim]"
            table.add_row(speaker, q.kind, escape(q.cue or ""), escape(q.text))
        console.print(table)
    unattributed = [q for q in article.quotes if not q.speaker or q.speaker_named is False]
    if unattributed:
        table = Table(title="Reported without a named speaker")
        for col, ratio in (("words", 2), ("kind", 1), ("cue", 1), ("statement", 5)):
            table.add_column(col, overflow="fold", ratio=ratio)
        for q in unattributed:
            table.add_row(escape(q.speaker_text or q.speaker or ""), q.kind, escape(q.cue or ""), escape(q.text))
        console.print(table)


_TYPE_ORDER = {"person": 0, "organization": 1, "group": 2, "place": 3, "other": 4}


def _actors(article: Article) -> None:
    if not article.mentions:
        return
    table = Table(title="Actors and places")
    for col in ("name", "type", "roles", "as written", "n"):
        table.add_column(col, overflow="fold")
    grouped: dict[tuple[str, str], tuple[list[str], set[str], list[int]]] = {}
    for m in article.mentions:
        roles, forms, count = grouped.setdefault((m.name, m.type), ([], set(), [0]))
        if m.role and m.role not in roles:
            roles.append(m.role)
        forms.add(m.text)
        count[0] += 1
    for (name, kind), (roles, forms, count) in sorted(grouped.items(), key=lambda kv: _TYPE_ORDER.get(kv[0][1], 9)):
        table.add_row(escape(name), kind, escape("; ".join(roles)), escape(", ".join(sorted(forms))), str(count[0]))
    console.print(table)


def _claims(article: Article) -> None:
    if not article.claims:
        return
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


def _dates(article: Article) -> None:
    if not article.dates:
        return
    table = Table(title="Dates")
    for col in ("date", "as written", "relative"):
        table.add_column(col, overflow="fold")
    for d in article.dates:
        table.add_row(d.date, escape(d.text), "yes" if d.relative else "")
    console.print(table)
