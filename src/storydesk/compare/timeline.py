"""The timeline of a story: dated events and publications, each citing its articles.

Events come from the dates reading resolved (`Article.dates`); sentences on
one date that report the same thing are one entry citing every article that
has it. Publications come from the articles' publication dates. Each entry
names the outlet that reported it first.
"""

from __future__ import annotations

from collections import defaultdict

from storydesk.compare.align import Weights
from storydesk.compare.statements import content_terms, outlet_of
from storydesk.display import title_of
from storydesk.link.days import is_plan
from storydesk.records import Article, DateRef, TimelineEntry
from storydesk.settings import CompareSettings


def _first(article_ids: list[str], by_id: dict[str, Article]) -> str | None:
    """The outlet of the earliest-published article among `article_ids` (unknown dates last)."""
    dated = sorted(article_ids, key=lambda a: (by_id[a].published is None, by_id[a].published or ""))
    return outlet_of(by_id[dated[0]]) if dated else None


def is_event_date(ref: DateRef, published: str | None) -> bool:
    """Whether a dated sentence can be a timeline event.

    A month or a year named alone ("sown in March", "built in 1971") dates
    background, not the story's events, when it lies before the month the
    article was published (issue 11); a coming month ("elections in June")
    stays. Days always count.
    """
    if len(ref.date) >= 10:
        return True
    if not published:
        return False
    return ref.date > published[: len(ref.date)]


def build_timeline(articles: list[Article], weights: Weights, settings: CompareSettings) -> list[TimelineEntry]:
    by_id = {a.id: a for a in articles}
    # 1. dated sentences, grouped per day, then by what they say
    per_day: dict[str, list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    for article in articles:
        for ref in article.dates:
            # "unlikely to return home before Thursday": a deadline's day is no day the news happened on
            if is_event_date(ref, article.published) and not is_plan(article.text, ref.start):
                per_day[ref.date[:10]].append((article.id, ref.sentence, content_terms(ref.sentence)))
    entries: list[tuple[str, int, TimelineEntry]] = []
    for day, refs in per_day.items():
        groups: list[tuple[str, frozenset[str], list[str]]] = []
        for article_id, sentence, terms in refs:
            for _text, g_terms, g_articles in groups:
                score, shared = weights.similarity(terms, g_terms)
                if shared >= settings.min_shared_terms and score >= settings.event_similarity:
                    g_articles.append(article_id)
                    break
            else:
                groups.append((sentence, terms, [article_id]))
        for text, _terms, group_articles in groups:
            ids = list(dict.fromkeys(group_articles))
            entries.append(
                (day, 0, TimelineEntry(date=day, text=text, articles=ids, first_reported_by=_first(ids, by_id)))
            )
    # 2. publications
    for article in articles:
        if article.published:
            title = title_of(article)  # as pages show it: never the page's date line or a byline
            entries.append(
                (
                    article.published[:10],
                    1,
                    TimelineEntry(
                        date=article.published[:10],
                        text=f"{outlet_of(article)} publishes “{title}”",
                        articles=[article.id],
                        first_reported_by=outlet_of(article),
                    ),
                )
            )
    entries.sort(key=lambda e: (e[0], e[1], e[2].text))
    return [entry for _day, _kind, entry in entries[: settings.timeline_entries]]
