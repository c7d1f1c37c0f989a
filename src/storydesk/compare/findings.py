"""Corroborated and single-source findings from aligned statements.

A finding is corroborated when two or more independent voices report it. A
voice is an outlet; a near-duplicate (syndicated copy, `Article.duplicate_of`)
speaks with the voice of the article it copies, so it never corroborates it,
and the finding lists it in `copies`.
"""

from __future__ import annotations

from collections import defaultdict

from storydesk.compare.align import KIND_RANK, Cluster
from storydesk.compare.roles import roles_compatible
from storydesk.compare.statements import Statement, outlet_of
from storydesk.records import Article, Finding, Side


def voices(articles: list[Article]) -> dict[str, str]:
    """Article id -> the independent voice it speaks with (its original's outlet for a copy)."""
    by_id = {a.id: a for a in articles}
    out: dict[str, str] = {}
    for article in articles:
        original, seen = article, {article.id}
        while original.duplicate_of in by_id and original.duplicate_of not in seen:
            original = by_id[original.duplicate_of]  # type: ignore[index]
            seen.add(original.id)
        out[article.id] = outlet_of(original)
    return out


def copies_in(article_ids: list[str], articles: list[Article]) -> list[str]:
    """The articles among `article_ids` that copy another article of the story."""
    in_story = {a.id for a in articles}
    by_id = {a.id: a for a in articles}
    return [a for a in article_ids if by_id[a].duplicate_of in in_story]


def side(statement: Statement) -> Side:
    return Side(
        article=statement.article,
        outlet=statement.outlet,
        text=statement.text,
        start=statement.start,
        end=statement.end,
        speaker=statement.actor_name if statement.kind == "quote" else None,
    )


def summarize(statement: Statement) -> str:
    """One line naming what the statement says, in the article's own words."""
    if statement.kind == "quote":
        who = statement.actor_name or "An unnamed speaker"
        return f"{who}: “{statement.text}”"
    if statement.kind == "role":
        return f"{statement.actor_name}: {statement.role}"
    return statement.text


def _drop_subsumed(clusters: list[Cluster], voice_of: dict[str, str]) -> list[Cluster]:
    """The clusters left once those lying wholly inside a stronger cluster are dropped.

    A quote and the sentence carrying it are two statements of one report; the
    report is shown once, by the cluster with more voices (or, with as many,
    the better kind: quote, claim, event).
    """
    strength = [(len({voice_of[s.article] for s in c.statements}), -KIND_RANK[c.statements[0].kind]) for c in clusters]
    by_article: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for index, cluster in enumerate(clusters):
        for s in cluster.statements:
            by_article[s.article].append((s.start or 0, s.end or 0, index))
    kept = []
    for index, cluster in enumerate(clusters):
        covering: set[int] | None = None
        for s in cluster.statements:
            here = {
                other
                for start, end, other in by_article[s.article]
                if other != index
                and start < (s.end or 0)
                and (s.start or 0) < end
                and strength[other] > strength[index]
            }
            covering = here if covering is None else covering & here
            if not covering:
                break
        if not covering:
            kept.append(cluster)
    return kept


def _finding(statements: list[Statement], kind: str, articles: list[Article], voice_of: dict[str, str]) -> Finding:
    article_ids = list(dict.fromkeys(s.article for s in statements))
    copies = copies_in(article_ids, articles)
    n_voices = len({voice_of[a] for a in article_ids})
    reason = f"reported by {n_voices} independent outlet{'s' if n_voices != 1 else ''}"
    if copies:
        reason += f"; {len(copies)} near-duplicate cop{'ies' if len(copies) != 1 else 'y'} counted once"
    unnamed = [s for s in statements if s.kind == "quote" and s.actor is None]
    if unnamed and len(unnamed) < len([s for s in statements if s.kind == "quote"]):
        # The words are corroborated; who said them only by the articles that name a speaker.
        reason += f"; {len(unnamed)} of them give{'s' if len(unnamed) == 1 else ''} no speaker"
    return Finding(
        summary=summarize(statements[0]),
        articles=article_ids,
        outlets=list(dict.fromkeys(voice_of[a] for a in article_ids)),
        kind=kind,
        sides=[side(s) for s in statements],
        copies=copies,
        reason=reason,
    )


def statement_findings(
    clusters: list[Cluster], articles: list[Article], voice_of: dict[str, str]
) -> tuple[list[Finding], list[Finding]]:
    """(corroborated, single_source) findings from aligned quotes, claims and events."""
    corroborated: list[Finding] = []
    single: list[Finding] = []
    kept = _drop_subsumed(clusters, voice_of)
    seen: set[frozenset[tuple[str, int | None, int | None]]] = set()
    for cluster in kept:
        # Two claims of one sentence ("3 of 9 ...") are one report to a reader.
        spans = frozenset((s.article, s.start, s.end) for s in cluster.statements)
        if spans in seen:
            continue
        seen.add(spans)
        first = cluster.statements[0]
        finding = _finding(cluster.statements, first.kind, articles, voice_of)
        if len(finding.outlets) >= 2:
            finding.confidence = round(cluster.score, 2)
            finding.reason += f" (weakest match {cluster.score:.2f})"
            corroborated.append(finding)
        elif first.kind != "event" or any(s.actors for s in cluster.statements):
            single.append(finding)  # a lone sentence naming nobody is framing, not a finding
    order = {a.id: i for i, a in enumerate(articles)}

    def key(f: Finding) -> tuple:
        first = f.sides[0]
        return (-len(f.outlets), KIND_RANK.get(f.kind, 9), order.get(first.article, 0), first.start or 0)

    return sorted(corroborated, key=key), sorted(single, key=key)


def role_findings(
    role_statements: list[Statement], articles: list[Article], voice_of: dict[str, str]
) -> tuple[list[Finding], list[Finding]]:
    """(corroborated, single_source) titles: compatible titles for one actor, grouped."""
    by_actor: dict[str, list[Statement]] = defaultdict(list)
    for s in role_statements:
        by_actor[s.actor or ""].append(s)
    corroborated: list[Finding] = []
    single: list[Finding] = []
    for actor in sorted(by_actor):
        groups: list[list[Statement]] = []
        for s in by_actor[actor]:
            group = next((g for g in groups if all(roles_compatible(s.role or "", t.role or "") for t in g)), None)
            if group is None:
                groups.append([s])
            else:
                group.append(s)
        for group in groups:
            # The longest title is the most informative summary ("U.S. President" over "President").
            group.sort(key=lambda s: -len(s.role or ""))
            finding = _finding(group, "role", articles, voice_of)
            (corroborated if len(finding.outlets) >= 2 else single).append(finding)
    return corroborated, single
