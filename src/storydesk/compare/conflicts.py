"""Where the sources of a story disagree: who said it, which title, which number, which date.

Precision comes first: a wrong conflict costs a user's trust, so each kind
needs structure from reading on both sides (two named speakers, one actor,
one unit, one event) before words are compared, and each conflict says how
sure it is and why it was made.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from storydesk.compare.align import Alignment, Pair, Weights
from storydesk.compare.findings import is_known, side, voice_label
from storydesk.compare.roles import role_conflict
from storydesk.compare.statements import Statement, content_terms, outlet_of
from storydesk.records import Article, Conflict, DateRef, Side
from storydesk.settings import CompareSettings


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "his", "it", "we", "i"})
# Words around a quote searched for the other side's speaker: the quote's paragraph, about.
_NEAR = 250


def _names_nearby(text: str, s: Statement, name: str | None) -> bool:
    """Whether the article names `name` (its surname) by the statement: then it may not give the
    words to someone else ("Jammu and Kashmir chief minister Omar Abdullah wrote").

    Within the quote's own sentence, always (one person relaying another's words). Within its
    paragraph (about `_NEAR` characters either side) only when reading did not find the speaker
    by name ("he", "the minister"): that is where speakers are most often resolved wrongly. A
    quote whose speaker is named in its attribution ("Max Poe said: ...") is his, whoever the
    paragraph mentions besides.
    """
    surname = ((name or "").split()[-1:] or [""])[0].lower()
    if len(surname) < 3 or s.start is None:
        return False
    if surname in s.sentence.lower():
        return True
    if _named_speaker(s):
        return False
    window = text[max(0, s.start - _NEAR) : (s.end or s.start) + _NEAR]
    return surname in window.lower()


def _only_person_before(article: Article, s: Statement) -> bool:
    """Whether the speaker is the one person the article names in the `_NEAR` characters
    before the pronoun that points at him: then "he" has no one else to point at. A wrongly
    resolved "he" comes from a passage naming two people ("Witkoff met Putin. He said ...")."""
    surname = ((s.actor_name or "").split()[-1:] or [""])[0].lower()
    if len(surname) < 3 or s.start is None:
        return False
    end = min(s.start, s.speaker_start if s.speaker_start is not None else s.start)
    named = {
        (m.name.split()[-1:] or [""])[0].lower()
        for m in article.mentions
        if m.type == "person" and end - _NEAR <= m.start < end
    }
    return named == {surname}


def _named_speaker(s: Statement) -> bool:
    """Whether the words that point at the speaker carry the speaker's own name (without them
    from reading, whether the quote's sentence names the speaker)."""
    pointer = (s.speaker_text or s.sentence or "").lower()
    surname = ((s.actor_name or "").split()[-1:] or [""])[0].lower()
    return bool(pointer) and len(surname) >= 3 and surname in pointer


def _different_days(a: Article, b: Article, days: int = 2) -> bool:
    """Two articles dated more than `days` apart: the same words may belong to two occasions."""
    from storydesk.link.days import known_day

    day_a, day_b = known_day(a), known_day(b)
    if not day_a or not day_b:
        return False
    return abs((date.fromisoformat(day_a) - date.fromisoformat(day_b)).days) > days


def voice_names(first: str, second: str) -> tuple[str, str]:
    """How a conflict's summary names its two voices: outlets, or "an unknown outlet"/"another"."""
    a, b = voice_label(first), voice_label(second)
    if not is_known(first) and not is_known(second):
        return "an article of an unknown outlet", "another such article"
    return (a if is_known(first) else "an article of an unknown outlet"), (
        b if is_known(second) else "an article of an unknown outlet"
    )


def attribution_conflicts(pairs: list[Pair], articles: list[Article], voice_of: dict[str, str]) -> list[Conflict]:
    """The same or near-same words given to two named speakers for one occasion.

    Not a conflict: an article that names the other speaker right by the words
    (it may quote one person relaying another, or reading misread the
    speaker), and articles days apart (two people using one phrase on two
    occasions). A speaker found through a pronoun lowers the confidence below
    the default view: "he" is where speakers are most often resolved wrongly.
    """
    by_id = {a.id: a for a in articles}
    out: list[Conflict] = []
    seen: set[frozenset[str]] = set()
    for pair in pairs:
        a, b = pair.a, pair.b
        if _names_nearby(by_id[a.article].text, a, b.actor_name) or _names_nearby(
            by_id[b.article].text, b, a.actor_name
        ):
            continue
        if _different_days(by_id[a.article], by_id[b.article]):
            continue
        key = frozenset({voice_of[a.article] + "|" + (a.actor or ""), voice_of[b.article] + "|" + (b.actor or "")})
        if key in seen:
            continue  # the same two voices on the same two speakers (a copy, or one more sentence of the quote)
        seen.add(key)
        first, second = sorted((a, b), key=lambda s: (s.article, s.start or 0))
        name_a, name_b = voice_names(voice_of[first.article], voice_of[second.article])
        confidence = pair.score
        reason = f"near-same words (similarity {pair.score:.2f}) with two different named speakers"
        pronoun = [
            s.speaker_text
            for s in (first, second)
            if (s.speaker_text or "").lower() in _PRONOUNS and not _only_person_before(by_id[s.article], s)
        ]
        if pronoun:
            confidence *= 0.6
            reason += f"; one speaker was found through “{pronoun[0]}”, which may point at someone else"
        out.append(
            Conflict(
                kind="quote_attribution",
                summary=(
                    f"Sources disagree on who said “{_short(first.text)}”: "
                    f"{name_a} attributes it to {first.actor_name}, {name_b} to {second.actor_name}."
                ),
                sides=[side(first), side(second)],
                confidence=round(confidence, 2),
                reason=reason,
            )
        )
    return out


def role_conflicts(role_statements: list[Statement], voice_of: dict[str, str]) -> list[Conflict]:
    """Titles for one actor that cannot both hold, from different articles."""
    by_actor: dict[str, list[Statement]] = defaultdict(list)
    for s in role_statements:
        if s.actor and not s.past:  # a title for an earlier time contradicts no current one
            by_actor[s.actor].append(s)
    out: list[Conflict] = []
    for actor in sorted(by_actor):
        statements = by_actor[actor]
        reported: set[frozenset[str]] = set()
        for i, a in enumerate(statements):
            for b in statements[i + 1 :]:
                if voice_of[a.article] == voice_of[b.article] or (a.role or "").lower() == (b.role or "").lower():
                    continue  # one voice (an article and its copy) does not disagree with itself
                verdict = role_conflict(a.role or "", b.role or "")
                pair_key = frozenset({(a.role or "").lower(), (b.role or "").lower()})
                if verdict is None or pair_key in reported:
                    continue
                reported.add(pair_key)
                confidence, reason = verdict
                name_a, name_b = voice_names(voice_of[a.article], voice_of[b.article])
                out.append(
                    Conflict(
                        kind="role",
                        summary=(
                            f"Sources disagree on {a.actor_name}'s title: {name_a} says “{a.role}”, "
                            f"{name_b} says “{b.role}”."
                        ),
                        sides=[_role_side(a), _role_side(b)],
                        entity=actor,
                        confidence=confidence,
                        reason=reason,
                    )
                )
    return out


def _role_side(s: Statement) -> Side:
    result = side(s)
    result.speaker = None
    return result


def number_conflicts(pairs: list[Pair], voice_of: dict[str, str]) -> list[Conflict]:
    """Different values for one quantity (same unit, similar subject), beyond rounding and qualifiers."""
    out: list[Conflict] = []
    for pair in pairs:
        a, b = sorted((pair.a, pair.b), key=lambda s: (s.article, s.start or 0))
        about = a.subject or b.subject or a.unit or "one quantity"
        if (a.unit or "").startswith("clock"):
            about = f"the time ({about})"
        name_a, name_b = voice_names(voice_of[a.article], voice_of[b.article])
        out.append(
            Conflict(
                kind="number",
                summary=(f"Sources disagree on {about}: {name_a} reports {_amount(a)}, {name_b} {_amount(b)}."),
                sides=[side(a), side(b)],
                confidence=round(min(0.9, pair.score), 2),
                reason=(
                    f"one quantity ({about}, {a.unit}) in similar sentences (similarity {pair.score:.2f}); "
                    "values differ beyond rounding and qualifiers"
                ),
            )
        )
    return out


def _amount(s: Statement) -> str:
    """The number as the article writes it ("More than 1,100 residents"), else value and unit."""
    return f"“{s.quantity}”" if s.quantity else f"{s.value:g} {s.unit}"


def _event_dates(article: Article) -> list[tuple[DateRef, frozenset[str]]]:
    """The article's dates that can date a happening: whole days written out (not "on Friday",
    not a month or a year), outside the page's own date line, each with its sentence's content
    stems (the date's own words left out: they are what differs)."""
    from storydesk.link.days import PAGE_DATE_LINE

    line = PAGE_DATE_LINE.match(article.text[:40])
    line_end = line.end() if line else 0
    out = []
    for ref in article.dates:
        if ref.relative or len(ref.date) < 10 or ref.start < line_end:
            continue
        out.append((ref, content_terms(ref.sentence) - content_terms(ref.text)))
    return out


def date_conflicts(
    articles: list[Article], weights: Weights, settings: CompareSettings, voice_of: dict[str, str]
) -> list[Conflict]:
    """Different days given to one happening: closely matching sentences, each dated with a whole day
    the other sentence does not also name (a sentence naming both days tells two happenings apart)."""
    refs = [(article, ref, terms) for article in articles for ref, terms in _event_dates(article)]
    out: list[Conflict] = []
    seen: set[frozenset[str]] = set()
    for i, (art_a, ref_a, terms_a) in enumerate(refs):
        for art_b, ref_b, terms_b in refs[i + 1 :]:
            if voice_of[art_a.id] == voice_of[art_b.id] or ref_a.date[:10] == ref_b.date[:10]:
                continue
            days_a = {r.date[:10] for r in art_a.dates if r.sentence == ref_a.sentence}
            days_b = {r.date[:10] for r in art_b.dates if r.sentence == ref_b.sentence}
            if ref_a.date[:10] in days_b or ref_b.date[:10] in days_a:
                continue
            score, shared = weights.similarity(terms_a, terms_b)
            if shared < settings.min_shared_terms or score < settings.date_event_similarity:
                continue
            key = frozenset({voice_of[art_a.id] + ref_a.date[:10], voice_of[art_b.id] + ref_b.date[:10]})
            if key in seen:
                continue
            seen.add(key)
            name_a, name_b = voice_names(voice_of[art_a.id], voice_of[art_b.id])
            out.append(
                Conflict(
                    kind="date",
                    summary=(
                        f"Sources disagree on when this happened: {name_a} gives {ref_a.date[:10]}, "
                        f"{name_b} {ref_b.date[:10]}."
                    ),
                    sides=[_date_side(art_a, ref_a), _date_side(art_b, ref_b)],
                    confidence=round(min(0.8, score), 2),
                    reason=f"closely matching sentences (similarity {score:.2f}) with different days",
                )
            )
    return out


def _date_side(article: Article, ref: DateRef) -> Side:
    """The dated sentence, with its offsets when it can be found around the date."""
    start = article.text.rfind(ref.sentence, 0, ref.end + len(ref.sentence))
    return Side(
        article=article.id,
        outlet=outlet_of(article),
        text=ref.sentence,
        start=start if start >= 0 else None,
        end=start + len(ref.sentence) if start >= 0 else None,
    )


def find_conflicts(
    alignment: Alignment,
    role_statements: list[Statement],
    articles: list[Article],
    voice_of: dict[str, str],
    settings: CompareSettings,
) -> list[Conflict]:
    """Every conflict of a story, most confident first."""
    assert alignment.weights is not None
    conflicts = [
        *attribution_conflicts(alignment.attribution, articles, voice_of),
        *role_conflicts(role_statements, voice_of),
        *number_conflicts(alignment.numbers, voice_of),
        *date_conflicts(articles, alignment.weights, settings, voice_of),
    ]
    return sorted(conflicts, key=lambda c: -c.confidence)
