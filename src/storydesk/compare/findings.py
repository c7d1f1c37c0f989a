"""Corroborated and single-source findings from aligned statements.

A finding is corroborated when two or more independent voices report it. A
voice is an outlet; a near-duplicate (syndicated copy, `Article.duplicate_of`)
speaks with the voice of the article it copies, so it never corroborates it,
and the finding lists it in `copies`. An article of an unknown outlet is a
voice of its own text only: it is never counted among the independent
outlets ("2 independent outlets (4 articles), 1 of an unknown outlet"), and a
statement only unknown outlets share is corroborated with low confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from storydesk.compare.align import KIND_RANK, Cluster
from storydesk.compare.brief import names_speaker
from storydesk.compare.roles import roles_compatible
from storydesk.compare.statements import Statement, leans_on_neighbour, outlet_of
from storydesk.link.features import lead_end
from storydesk.records import UNKNOWN_OUTLET, Article, Finding, Side, known_outlet
from storydesk.stopwords import spacy_stop_words

UNKNOWN_VOICE = "?"  # voices of unknown outlets start with this, then the original article's id


def voices(articles: list[Article]) -> dict[str, str]:
    """Article id -> the voice it speaks with: its original's outlet for a copy; for an unknown
    outlet, "?" and its original's id (one text, not a publisher that may count as independent)."""
    by_id = {a.id: a for a in articles}
    out: dict[str, str] = {}
    for article in articles:
        original, seen = article, {article.id}
        while original.duplicate_of in by_id and original.duplicate_of not in seen:
            original = by_id[original.duplicate_of]  # type: ignore[index]
            seen.add(original.id)
        outlet = outlet_of(original)
        out[article.id] = outlet if known_outlet(outlet) else UNKNOWN_VOICE + original.id
    return out


def compared_with_none(outlets: list[str], articles: int) -> bool:
    """Whether a story of these outlets (`Story.outlets`) and this many articles was compared with nothing: its
    articles are of one known outlet, one voice (`voices`). Articles of an unknown outlet are each a voice and are
    compared with one another, so a story of several is not (a copy of one text is then still counted apart)."""
    return len(outlets) < 2 and (UNKNOWN_OUTLET not in outlets or articles < 2)


def is_known(voice: str) -> bool:
    return not voice.startswith(UNKNOWN_VOICE)


def voice_label(voice: str) -> str:
    """What a voice is called on the page: the outlet, or "unknown outlet"."""
    return voice if is_known(voice) else UNKNOWN_OUTLET


def count_line(voice_ids: list[str], article_count: int) -> str:
    """ "3 independent outlets (5 articles)", "+ 1 article of an unknown outlet" when there is one."""
    known = len({v for v in voice_ids if is_known(v)})
    return _count_text(known, len({v for v in voice_ids if not is_known(v)}), article_count)


def _count_text(known: int, unknown: int, articles: int) -> str:
    line = f"{known} independent outlet{'s' if known != 1 else ''} ({articles} article{'s' if articles != 1 else ''})"
    if unknown:
        line += f", {unknown} of {'an unknown outlet' if unknown == 1 else 'unknown outlets'}"
    return line


def _copies(articles: list[Article]) -> frozenset[str]:
    """Ids of the articles that copy another article of the story: found once per story, not once per
    finding (issue 13: that scan of every member for every finding was quadratic in a large event)."""
    in_story = {a.id for a in articles}
    return frozenset(a.id for a in articles if a.duplicate_of in in_story)


def side(statement: Statement) -> Side:
    return Side(
        article=statement.article,
        outlet=statement.outlet,
        text=statement.text,
        start=statement.start,
        end=statement.end,
        speaker=statement.actor_name if statement.kind == "quote" else None,
        quote_kind=statement.quote_kind if statement.kind == "quote" else None,  # type: ignore[arg-type]
        sentence=_reporting_sentence(statement),
        cut=statement.cut and statement.kind != "role",  # a title's words are a name reading found whole
    )


def _reporting_sentence(statement: Statement) -> str | None:
    """The sentence that reports a statement's reported speech, where the reported words alone mislead (round
    15): in a language other than English, "X said that" joins no German or French clause ("India said that
    die Täter unterstützt zu haben"), and the clause alone leaves out who says it ("Indien warf Pakistan
    vor, ..." names them in its own words); words reading cut off before the sentence's end ("Pakistan said
    that 31 people were killed in the Indian strikes and") lose what it goes on to say."""
    if statement.kind != "quote" or statement.quote_kind != "indirect":
        return None
    if english(statement.language) and not incomplete(statement.text):
        return None
    sentence = statement.sentence if len(statement.sentence) > len(statement.text) else statement.text
    if statement.actor_name and not names_speaker(sentence, statement, sure_pronoun=False):
        # The sentence does not name who speaks ("Er erklärte, Pakistan werde entschlossen antworten."; "Man sei
        # bereit, ..." in the Konjunktiv after the sentence naming von der Leyen): reading's speaker before it.
        return f"{statement.actor_name}: {sentence}"
    return sentence


def english(language: str | None) -> bool:
    """Whether words are English, as far as reading knows (an unknown language is read as English)."""
    return not language or language == "en"


def reported(
    speaker: str | None, text: str, quote_kind: str | None, *, sentence: str | None = None, language: str | None = None
) -> str:
    """A statement as a reader should see it: quotation marks only for words a speaker is quoted
    as saying (direct and partial quotes); reported speech as reported speech (issue 11). Reported
    speech in another language than English is shown in the `sentence` that reports it, or without an
    English joiner when that is not known ("India: die Täter unterstützt zu haben", round 15)."""
    who = speaker or "An unnamed speaker"
    if quote_kind == "indirect" and sentence:
        return sentence
    if quote_kind == "indirect" and not english(language):
        return f"{who}: {text}"
    if quote_kind == "indirect":
        return f"{who} said that {_sentence_start_lowered(text.removeprefix('that '))}"
    if quote_kind in ("direct", "partial"):
        return f"{who}: “{text}”"
    return text


def _sentence_start_lowered(text: str) -> str:
    """Reported speech that was a whole sentence ("The toll rose, he said") continues "said that" in lower
    case; a name, "I" or an acronym keeps its capital ("said that India ...")."""
    first = text.split(" ", 1)[0]
    if first == "A" or (
        first[1:].islower() and first[:1].isupper() and first.lower() in spacy_stop_words("en") and first not in _NAMES
    ):
        return text[0].lower() + text[1:]
    return text


_NAMES = frozenset({"May", "Will"})  # stop words that are also a month and a first name


def side_words(side: Side | dict[str, Any]) -> str:
    """One side of a finding or conflict as pages and exports show it: the article's own words, in
    quotation marks only when they are a speaker's direct or partial quote (see `reported`); words where the
    stored text stops mid-sentence up to their last whole word and an ellipsis (`cut_off`)."""
    get = side.get if isinstance(side, dict) else lambda key: getattr(side, key, None)
    cut = bool(get("cut"))
    text, sentence = get("text") or "", get("sentence")
    return reported(
        get("speaker"),
        cut_off(text) if cut else text,
        get("quote_kind"),
        sentence=cut_off(sentence) if cut and sentence else sentence,
        language=get("language"),
    )


def cut_off(text: str) -> str:
    """Words the stored text stops in the middle of, as a reader should see them: the last word, maybe cut
    inside ("that coinci", "our air f"), dropped, and an ellipsis for what the page went on to say. A last
    word in capitals is kept: more often a whole name ("... President Ursula von der Leyen") than a cut one."""
    words = text.rstrip().rsplit(None, 1)
    if len(words) < 2 or (words[1][:1].isupper() and len(words[1]) >= 3):
        return f"{text.rstrip()} …"
    return f"{words[0].rstrip(',;:—–-')} …"


def count_phrase(finding: Finding | dict[str, Any]) -> str:
    """ "3 independent outlets (5 articles)", with ", 1 of an unknown outlet" when texts of unknown
    outlets are among the voices: what a finding's voices are, copies counted once (issue 10)."""
    get = finding.get if isinstance(finding, dict) else lambda key: getattr(finding, key, None)
    known = int(get("independent_outlets") or 0)
    return _count_text(known, max(0, int(get("voices") or 0) - known), len(get("articles") or []))


def summarize(statement: Statement) -> str:
    """One line naming what the statement says, in the article's own words: as its side shows them."""
    if statement.kind == "role":
        return f"{statement.actor_name}: {statement.role}"
    return side_words(side(statement))


# Quoted words fewer than these are a fragment ("reciprocal", "many more than 75", "It's surreal"), not a
# statement: a reader needs the sentence around them. A partial quote is held to a longer bar, since the
# writer chose to quote only some words of a sentence.
_FRAGMENT_WORDS = {"direct": 4, "partial": 7}


def fragment(statement: Statement) -> bool:
    """Whether a quote statement is a few quoted words rather than a sentence of its own."""
    if statement.kind != "quote" or statement.quote_kind not in _FRAGMENT_WORDS:
        return False
    return len(statement.text.split()) < _FRAGMENT_WORDS[statement.quote_kind]


def _sentence_of(statement: Statement, sentences: list[Statement]) -> Statement | None:
    """The narrative sentence (an event statement) of the same article that holds `statement`'s words."""
    start, end = statement.start, statement.end
    if start is None or end is None:
        return None
    return next(
        (s for s in sentences if s.article == statement.article and (s.start or 0) <= start and end <= (s.end or 0)),
        None,
    )


def _drop_subsumed(clusters: list[Cluster], voice_of: dict[str, str]) -> list[Cluster]:
    """The clusters left once those lying wholly inside a stronger cluster are dropped.

    A quote and the sentence carrying it are two statements of one report; the
    report is shown once, by the cluster with more voices (or, with as many,
    the better kind: quote, claim, event; a quoted fragment yields to its sentence).
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


def _finding(statements: list[Statement], kind: str, copy_ids: frozenset[str], voice_of: dict[str, str]) -> Finding:
    """`copy_ids`: the story's articles that copy another of its articles (`_copies`)."""
    article_ids = list(dict.fromkeys(s.article for s in statements))
    copies = [a for a in article_ids if a in copy_ids]
    voice_ids = [voice_of[a] for a in article_ids]
    reason = "reported by " + count_line(voice_ids, len(article_ids))
    if copies:
        reason += f"; {len(copies)} near-duplicate cop{'ies' if len(copies) != 1 else 'y'} counted once"
    unnamed = [s for s in statements if s.kind == "quote" and s.actor is None]
    if unnamed and len(unnamed) < len([s for s in statements if s.kind == "quote"]):
        # The words are corroborated; who said them only by the articles that name a speaker.
        reason += f"; {len(unnamed)} of them give{'s' if len(unnamed) == 1 else ''} no speaker"
    return Finding(
        summary=summarize(statements[0]),
        articles=article_ids,
        outlets=list(dict.fromkeys(voice_label(v) for v in voice_ids)),
        kind=kind,
        sides=[side(s) for s in statements],
        copies=copies,
        reason=reason,
        independent_outlets=len({v for v in voice_ids if is_known(v)}),
        voices=len(set(voice_ids)),
    )


def statement_findings(
    clusters: list[Cluster],
    articles: list[Article],
    voice_of: dict[str, str],
    carried: set[int] | None = None,
    *,
    min_importance: float = 0.0,
    lead_chars: int = 0,
    min_words: int = 0,
) -> tuple[list[Finding], list[Finding]]:
    """(corroborated, single_source) findings from aligned quotes, claims and events.

    `carried`: ids of statements some other voice carries in other words
    (align.py `loose` pairs): never asserted as single-source.
    `lead_chars`: single-source items in an article's lead (`in_lead`) rank after the others (0: off).
    `min_words`: a claim shorter than this is no single-source item (`framing`).
    """
    carried = carried or set()
    sentences = [s for c in clusters for s in c.statements if s.kind == "event" and not s.heading]
    from_fragment: set[int] = set()
    said_by: dict[int, list[Statement]] = {}  # each single-source item's statements (`_once_per_report`)
    corroborated: list[Finding] = []
    single: list[Finding] = []
    kept = _drop_subsumed(clusters, voice_of)
    copy_ids = _copies(articles)
    seen: set[frozenset[tuple[str, int | None, int | None]]] = set()
    for cluster in kept:
        # Two claims of one sentence ("3 of 9 ...") are one report to a reader.
        spans = frozenset((s.article, s.start, s.end) for s in cluster.statements)
        if spans in seen:
            continue
        seen.add(spans)
        # A headline or heading line may join a cluster (it says what the sentences say) but is no
        # statement to show or count: a finding is made of sentences (statements.py _is_heading).
        statements = [s for s in cluster.statements if not s.heading]
        if not statements:
            continue
        if len(statements) < len(cluster.statements) and len({s.voice for s in statements}) < 2:
            continue  # one outlet's sentence and another's headline: not single-source, not shown as shared
        # Words cut off where a stored text stops mid-sentence are a side, never a finding's summary while a
        # whole side is there; nor is a sentence that needs its neighbour ("Regarding all the tariffs being
        # imposed, Trump said.", the quote in the next sentence) while one that stands alone is; nor a few
        # quoted words, or a quote given to nobody, while another side is a sentence or names who speaks
        # ("An unnamed speaker: “reciprocal tariffs”" beside two outlets' Trump).
        statements.sort(key=lambda s: (s.cut, leans(s), fragment(s), s.kind == "quote" and s.actor is None))
        first = statements[0]
        finding = _finding(statements, first.kind, copy_ids, voice_of)
        if finding.voices >= 2:
            confidence = cluster.score
            if finding.independent_outlets < 2:
                # Texts of unknown outlets may share one source: corroborated, but not by independent outlets.
                confidence *= 0.5
                finding.reason += "; not two independent outlets: outlets unknown"
            finding.confidence = round(confidence, 2)
            finding.reason += f" (weakest match {cluster.score:.2f})"
            corroborated.append(finding)
        elif any(s.id in carried for s in statements):
            continue  # another outlet carries it in other words: not single-source, nor shown as shared
        elif first.cut:
            continue  # the stored text stops in its middle: a reader cannot check what it goes on to say
        elif framing(first, min_words):
            continue  # a lone sentence naming nobody, or the writer's comment, is framing, not a finding
        else:
            said_by[id(finding)] = statements
            if fragment(first):
                # A few quoted words are no statement a reader can take in: shown in their sentence.
                sentence = _sentence_of(first, sentences)
                if sentence is None or sentence.id in carried or sentence.cut:
                    # Its sentence another voice carries is no single-source item, whatever the few quoted
                    # words (round 14: "Mr Sharif praised the military's readiness “to deal with enemy
                    # aircraft”" was single-source beside another outlet's "Sharif praised ... readiness").
                    continue
                finding = _finding([sentence], "event", copy_ids, voice_of)
                from_fragment.add(id(finding))
                said_by[id(finding)] = [sentence]
            worth = importance(statements)
            finding.importance = round(worth * readability(statements[0]), 2)
            if worth >= min_importance:
                single.append(finding)
    # A fragment's sentence already shown by another item of its article (its speaker's reported words) is
    # shown once.
    shown = [f.sides[0] for f in single if id(f) not in from_fragment]
    single = [
        f
        for f in single
        if id(f) not in from_fragment
        or not any(
            o.article == f.sides[0].article
            and (o.start or 0) < (f.sides[0].end or 0)
            and (f.sides[0].start or 0) < (o.end or 0)
            for o in shown
        )
    ]
    single = _once_per_report(single, said_by, copy_ids, voice_of)
    order = {a.id: i for i, a in enumerate(articles)}

    def key(f: Finding) -> tuple:
        first = f.sides[0]
        return (
            -f.voices,
            -f.independent_outlets,
            KIND_RANK.get(f.kind, 9),
            order.get(first.article, 0),
            first.start or 0,
        )

    # The surest single-source items first (issue 10): with other voices in the event, an item from an
    # article's lead ranks after the rest, importance ordering each group (see `in_lead`).
    by_id = {a.id: a for a in articles}
    sure_last = lead_chars > 0 and len(set(voice_of.values())) > 1

    def lead(f: Finding) -> bool:
        return sure_last and in_lead(f.sides[0], by_id.get(f.sides[0].article), lead_chars)

    return sorted(corroborated, key=key), sorted(single, key=lambda f: (lead(f), -f.importance, key(f)))


def _once_per_report(
    single: list[Finding], said_by: dict[int, list[Statement]], copy_ids: frozenset[str], voice_of: dict[str, str]
) -> list[Finding]:
    """Single-source items with their words in one place of one article, shown once: the better kind (a claim
    before the narrative sentence holding it) with the other's articles added, copies counted once (round 16b).
    A near-duplicate copy whose reading found a claim its original's did not (or the other way round) gave a
    cluster of the sentence in both texts beside the claim in one: the same sentence was listed twice, once
    as "1 article" and once with "1 near-duplicate copy counted once" (alignment keeps one statement per
    article in a cluster, and `_drop_subsumed` drops a cluster only where one stronger cluster covers it all)."""
    kept: list[Finding] = []
    for finding in sorted(single, key=lambda f: (KIND_RANK.get(f.kind, 9), -len(f.articles))):
        into = next((k for k, other in enumerate(kept) if _same_place(other, finding)), None)
        if into is None:
            kept.append(finding)
            continue
        held = kept[into]
        added = [s for s in said_by[id(finding)] if s.article not in held.articles]
        if added:
            merged = _finding(said_by[id(held)] + added, held.kind, copy_ids, voice_of)
            merged.importance = held.importance
            said_by[id(merged)] = said_by[id(held)] + added
            kept[into] = merged
    return kept


def _same_place(a: Finding, b: Finding) -> bool:
    """Whether two findings have a side each in one article, their words overlapping."""
    return any(
        x.article == y.article
        and x.start is not None
        and y.start is not None
        and x.start < (y.end or 0)
        and y.start < (x.end or 0)
        for x in a.sides
        for y in b.sides
    )


def in_lead(side: Side, article: Article | None, chars: int) -> bool:
    """Whether a statement lies in its article's lead as linking embeds it (link/features.py `lead_end`).
    The leads are what joined the event's articles (they tell one happening), so a lead statement no
    other voice was found to carry is more often carried in other words than one further down: on
    news_stories_2025 dev, 5 of 8 judged single-source items in the lead were carried, 3 of 26 after it
    (docs/evaluation.md, comparison round 9)."""
    return article is not None and side.start is not None and side.start < lead_end(article, chars)


# Openings that continue or comment on the sentence before ("This suggests ...", "His remarks ..."),
# and the modal verbs of speculation: the writer's framing, not a reported fact.
_COMMENT_OPENING = re.compile(r"^(?:this|that|these|those|such|his|her|their|its|it|they|he|she|even)\b", re.I)
_SPECULATION = re.compile(r"\b(?:could|might|may)\b", re.I)


def framing(statement: Statement, min_words: int = 0) -> bool:
    """Whether a narrative sentence or claim is no finding when no other voice carries it: the writer's comment
    (`commentary`), a sentence naming nobody, one whose meaning is in its neighbour (`leans`: "Information
    Minister Attaullah Tarar confirmed this to the media but did not share any operational details." was a
    single-source item a reader cannot check alone; round 16), or a claim of fewer than `min_words` words
    (settings.event_min_words, as for a narrative sentence): a piece of a sentence reading cut ("60 countries.")."""
    if statement.kind not in ("event", "claim"):
        return False
    return (
        commentary(statement)
        or (statement.kind == "event" and not statement.actors)
        or leans(statement)
        or len(statement.text.split()) < min_words
    )


def commentary(statement: Statement) -> bool:
    """Whether an event sentence is the writer's comment rather than a report (see above). A
    sentence naming a source or actor ("US intelligence said Kabul could fall within 90 days")
    reports an assessment, however speculative its words."""
    if _COMMENT_OPENING.match(statement.text):
        return True
    return not statement.actors and statement.kind == "event" and bool(_SPECULATION.search(statement.text))


def importance(statements: list[Statement]) -> float:
    """How much a single-source statement is worth reading, 0..1: a named speaker, numbers, a
    quote in the speaker's own words, named actors, and a place near the top of its article
    (news is written most important first)."""
    s = statements[0]
    score = 0.0
    if s.kind == "quote" and s.actor:
        score += 0.35 + (0.1 if s.quote_kind == "direct" else 0.0)
    if s.numbers or s.kind == "claim":
        score += 0.25
    if s.actors:
        score += 0.15
    score += 0.15 / (1 + (s.order or 0) / 500)  # the first few hundred characters hold the lead
    return min(1.0, score)


def readability(s: Statement) -> float:
    """How well a statement reads on its own, 0..1, a factor on its rank among single-source items (not
    on whether it is one): words cut off at either end, or a sentence needing its neighbour, read last; a short remark ("But one shouldn't be
    too proud") says less than a sentence of news."""
    factor = 0.4 if incomplete(_reporting_sentence(s) or s.text) or leans(s) else 1.0
    return factor * (0.8 if len(s.text.split()) < _SHORT_WORDS else 1.0)


def leans(statement: Statement) -> bool:
    """Whether the writer's words need their neighbour to be understood (statements.py `leans_on_neighbour`):
    a sentence, or reported speech ("Sofiya Qureshi said that several of these were shot down"); a quote's
    words in quotation marks are the speaker's own, whatever they point at."""
    writers = statement.kind in ("event", "claim") or statement.quote_kind == "indirect"
    return writers and leans_on_neighbour(statement.text)


_SHORT_WORDS = 7
# How words that were cut off end or begin: a conjunction or article last ("... but did not confirm or"),
# a one-letter fragment of a word last ("our air f"), a bare verb first ("were the worst offenders"), or an
# infinitive first: what someone urged or asked for ("She has urged authorities to expedite the return of her
# husband's body" read as reported speech "to expedite ...": "Pallavi said that to expedite ...", round 16).
# A full stop after the last word ends a sentence ("... kündigte Vergeltung an.", "operated on.", round 15).
_CUT_END = re.compile(r"(?:\b(?:and|or|but|the|a|an|of|to|that|with|for|in|on|by|as)|(?<=\s)[b-hj-z])[^\w.!?…]*$", re.I)
_CUT_START = re.compile(r"^(?:were|was|is|are|had|has|have|and|or|but|to)\b")


def incomplete(text: str) -> bool:
    """Whether a statement's words were cut off at either end (see `_CUT_END`, `_CUT_START`)."""
    return bool(_CUT_END.search(text) or _CUT_START.match(text))


def role_findings(role_statements: list[Statement], articles: list[Article], voice_of: dict[str, str]) -> list[Finding]:
    """Corroborated titles: compatible titles for one actor that two voices give, grouped.

    A title only one outlet gives is not listed as single-source news: the
    story's actors show every title, and a differing one is a role conflict.
    """
    by_actor: dict[str, list[Statement]] = defaultdict(list)
    for s in role_statements:
        by_actor[s.actor or ""].append(s)
    corroborated: list[Finding] = []
    copy_ids = _copies(articles)
    for actor in sorted(by_actor):
        groups: list[list[Statement]] = []
        titles: list[set[str]] = []  # each group's distinct titles: many copies give one title many times
        for s in by_actor[actor]:
            role = s.role or ""
            at = next((i for i, held in enumerate(titles) if all(roles_compatible(role, t) for t in held)), None)
            if at is None:
                groups.append([s])
                titles.append({role})
            else:
                groups[at].append(s)
                titles[at].add(role)
        for group in groups:
            # The longest title is the most informative summary ("U.S. President" over "President").
            group.sort(key=lambda s: -len(s.role or ""))
            finding = _finding(group, "role", copy_ids, voice_of)
            if finding.voices >= 2:
                corroborated.append(finding)
    return corroborated
