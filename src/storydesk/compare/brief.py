"""A short, faithful brief of a story, built from the articles' own sentences.

Extractive on purpose: every sentence is one an article wrote (or, for a
conflict, a sentence composed only of cited facts: who attributes what to
whom), and each cites every article that supports it. Corroborated points
come first, then the conflicts, then single-source points, marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Container

from storydesk.compare.statements import Statement, ends_sentence, figures, leans_on_neighbour
from storydesk.records import BriefSentence, Conflict, Finding, Side

Span = tuple[str, int | None]  # a statement's (article, start)

_PRONOUNS = ("he ", "she ", "they ", "it ", "his ", "her ", "their ", "this ", "these ")
# A list bullet a page's sentence may open with ("• May 10, 2025 Donald Trump announced ...").
_BULLET = re.compile(r"^[•·▪◦‣►▶*–—-]+\s+")


def _candidates(finding: Finding, sentences: dict[tuple[str, int | None], str]) -> list[tuple[str, Side]]:
    """The finding's full sentences, best first: one that names its speaker and does not open on a pronoun, then the shortest."""
    speaker = next((s.speaker for s in finding.sides if s.speaker), None)
    surname = speaker.split()[-1] if speaker else ""

    def rank(pair: tuple[str, Side]) -> tuple[bool, bool, int]:
        text = pair[0]
        return (bool(surname) and surname not in text, text.lower().startswith(_PRONOUNS), len(text))

    texts = [(_BULLET.sub("", sentences.get((s.article, s.start)) or s.text), s) for s in finding.sides]
    return sorted(texts, key=rank)


def _sentence(finding: Finding, sentences: dict[tuple[str, int | None], str]) -> str:
    """The finding's best full sentence (`_candidates`)."""
    return _candidates(finding, sentences)[0][0]


# Words that stand for a person and say nothing of who: a brief line whose speaker or subject is one of these
# is rewritten with the name reading resolved it to, or left out (a reader cannot tell who "he" is).
_PERSON_PRONOUNS = frozenset(
    ("he", "she", "they", "we", "i")  # en (subjects only: "US markets plunged ..." is no pronoun)
    + ("er", "sie", "wir", "ich")  # de
    + ("il", "elle", "ils", "elles", "nous", "je")  # fr
    + ("él", "ella", "ellos", "ellas", "nosotros", "yo")  # es
    + ("lui", "lei", "loro", "noi", "io")  # it
)
# A quote's speaker words that name nobody: the person pronouns, and "it" where reading made it a body's
# pointer ("It warned that further violations would be treated as acts of war": the brief cannot say who).
_SPEAKER_POINTERS = _PERSON_PRONOUNS | frozenset(("it",))
_FIRST_WORD = re.compile(r"[^\W\d_]+")
# A sentence's end in scripts whose full stop is no Latin one (Devanagari danda, CJK full stop).
_OTHER_STOPS = "।॥。！？"


def _quotation_marks(text: str) -> tuple[str, str]:
    """(closing mark with no opening one before it, opening mark never closed) of double quotation marks,
    "" for none: a sentence cut out of a longer quote has one of them. Curly, low-9 („...“), guillemets and
    straight marks (opening or closing told by what stands before it) count as one kind."""
    open_marks: list[str] = []
    lead = ""
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        if ch in "„«" or (ch in '“"' and not open_marks and (before.isspace() or before in "([—–-")):
            open_marks.append(ch)
        elif ch in '”»“"':
            if open_marks:
                open_marks.pop()
            elif not lead:
                lead = ch
    return lead, open_marks[-1] if open_marks else ""


_CLOSER = {"„": "“", "«": "»", "“": "”", '"': '"'}
_OPENER = {"”": "“", "»": "«", "“": "„", '"': '"'}


def names_speaker(text: str, statement: Statement | None, *, sure_pronoun: bool = True) -> bool:
    """Whether the sentence names who speaks: the words reading found for the speaker, or the speaker's surname;
    with `sure_pronoun`, also a pronoun reading resolved for sure (the brief writes the name beside it)."""
    if statement is None:
        return False
    pointer = statement.speaker_text or ""
    if pointer and pointer.lower() not in _PERSON_PRONOUNS and pointer in text:
        return True
    surname = ((statement.actor_name or "").split()[-1:] or [""])[0]
    if len(surname) >= 3 and surname in text:
        return True
    return sure_pronoun and bool(pointer and _sure_pronoun(statement) and pointer in text)


def _sure_pronoun(statement: Statement) -> bool:
    """Whether reading resolved the statement's pronoun speaker to a name for sure (read/speakers.py
    speaker_confidence: no other person named just before the pronoun)."""
    return bool(statement.actor_name) and (statement.speaker_confidence or 0.0) >= 1.0


def _inside_a_quote(text: str, statement: Statement | None) -> bool:
    """Whether the sentence is a middle sentence of a longer direct quote: all of it is the quote's words
    and it carries no quotation mark ("This is a sinister act. Pakistan will respond. India must wait," he
    warned: the second sentence)."""
    if statement is None or statement.kind != "quote" or statement.quote_kind != "direct":
        return False
    words = statement.text.strip()
    return bool(words) and not _MARKS.search(text) and len(words) >= len(text) - 2 and text.startswith(words[:20])


_MARKS = re.compile(r"[“”„«»\"]")
_QUOTED = re.compile(r"[“„«\"][^”»“\"]*[”»“\"]")  # words in quotation marks: a speaker's, not the writer's


# A pronoun that stands for a quote's speaker in a line: (where in the line, the pronoun, the name reading
# resolved it to or None, whether that name is sure enough to stand in the pronoun's place).
PronounSpeaker = tuple[int, str, str | None, bool]


def readable(text: str, statement: Statement | None, *, speakers: list[PronounSpeaker] | None = None) -> str | None:
    """The sentence as a brief line a reader can trust on its own, or None to leave it out.

    Left out: a fragment (no sentence end: a text or a splitter cut it; or opening in lower case: the rest
    of a sentence), a sentence whose meaning is in its neighbour (`leans_on_neighbour`), a quote that does not say who speaks, a line whose speaker or first word is a person
    pronoun reading did not resolve surely. A sentence cut out of a longer quote whose speaker it names is
    shown as the partial quote it is: an ellipsis inside balanced quotation marks. A pronoun speaker that
    reading resolved for sure is replaced by the name, in square brackets as an editor's insertion is,
    unless the line names that person before it ("President Donald Trump ... a moment he characterized").

    `speakers`: every pronoun in the line that stands for the speaker of one of its article's quotes, found
    by offsets (`pronoun_speakers`), the line's own statement's and any other quote's ("..., he told Sky
    News" in a claim's sentence, round 13); None when the line's place in its article is unknown: then only
    the statement's own speaker words are looked for in the line.
    """
    text = text.strip()
    if not text or not (ends_sentence(text) or text[-1] in _OTHER_STOPS):
        return None
    first = _FIRST_WORD.search(text)
    if first is None or first.group()[0].islower():
        return None
    words_outside = _QUOTED.sub(" ", text)
    inside = _inside_a_quote(text, statement)
    if leans_on_neighbour(_QUOTED.sub("“…”", text)) and not inside:
        return None  # the writer's words point at the sentence before ("... confirmed this."); a quote's are its own
    lead, trail = _quotation_marks(text)
    if inside:
        lead, trail = "”", "“"  # shown as the part of a quote it is: “… words …”
    if (lead or trail or not _FIRST_WORD.search(words_outside)) and not names_speaker(text, statement):
        return None
    if speakers is None:
        speakers = []
        pointer = (statement.speaker_text or "") if statement is not None else ""
        if statement is not None and pointer.lower() in _SPEAKER_POINTERS:
            places = list(re.finditer(rf"\b{re.escape(pointer)}\b", text))
            if len(places) > 1:
                return None  # which "he" is the speaker's cannot be told
            speakers = [(place.start(), pointer, statement.actor_name, _sure_pronoun(statement)) for place in places]
    named = _name_speakers(text, speakers)
    if named is None:
        return None
    text = named
    if lead:
        text = f"{_OPENER[lead]}… {text}"
    if trail:
        text = f"{text} …{_CLOSER[trail]}"
    first = _FIRST_WORD.search(text)
    if first and first.start() == 0 and first.group().lower() in _PERSON_PRONOUNS:
        return None
    return text


def _name_speakers(text: str, speakers: list[PronounSpeaker]) -> str | None:
    """`text` with each pronoun speaker kept where the line names that person before it (by the surname, or
    an earlier insertion), else replaced by "[Name]" when reading is sure of the name; None (leave the line
    out) when it is not, or when two quotes name two people for one pronoun."""
    said_by: dict[tuple[int, str], list[tuple[str | None, bool]]] = {}
    for at, pointer, name, sure in speakers:
        said_by.setdefault((at, pointer), []).append((name, sure))
    out: list[str] = []
    pos = 0
    for (at, pointer), names in sorted(said_by.items()):
        # One pronoun may be the speaker of several quotes (a quote and the "adding that ..." after it).
        named = {n for n, _sure in names if n}
        if len(named) != 1:
            return None
        name = named.pop()
        out.append(text[pos:at])
        surname = name.split()[-1] if len(name.split()[-1]) >= 3 else name
        if re.search(rf"\b{re.escape(surname)}\b", "".join(out)):
            out.append(pointer)  # the line names them before: "President Donald Trump ... a moment he ..."
        elif any(sure for n, sure in names if n == name):
            out.append(f"[{name}]")
        else:
            return None
        pos = at + len(pointer)
    return "".join(out) + text[pos:]


def pronoun_speakers(text: str, statement: Statement, quotes: list[Statement]) -> list[PronounSpeaker] | None:
    """The pronouns of `text` (the sentence shown for `statement`) that stand for the speaker of one of
    `quotes` (its article's quote statements), found by the offsets reading gave the speaker's words; None
    when where `text` lies in the article cannot be told from `statement`."""
    words = statement.text.strip()
    own = (statement.speaker_text or "").lower() in _SPEAKER_POINTERS
    if statement.start is None or not words or (own and statement.speaker_start is None):
        return None
    if words in text:
        line_start = statement.start + (len(statement.text) - len(statement.text.lstrip())) - text.index(words)
    elif text in statement.text:
        line_start = statement.start + statement.text.index(text)
    else:
        return None
    out: list[PronounSpeaker] = []
    for quote in quotes:
        pointer, at = quote.speaker_text or "", quote.speaker_start
        if at is None or pointer.lower() not in _SPEAKER_POINTERS:
            continue
        offset = at - line_start
        if offset >= 0 and text[offset : offset + len(pointer)] == pointer:
            own = quote.start == statement.start and quote.kind == statement.kind
            # Another statement's reported speech binds its pronoun loosely ("there he was, the Foreign
            # Secretary ..., confirming that ...": reading's surest name was the person before): only a quote
            # in quotation marks ("”, he told Sky News") names its pronoun speaker in this line.
            trusted = own or quote.quote_kind != "indirect"
            out.append((offset, pointer, quote.actor_name, trusted and _sure_pronoun(quote)))
    return out


_PARTIAL = re.compile(r"^[“„«\"]… | …[”“»\"]$")
_INSERTED = re.compile(r"\[[^\]]+\]")


def source_words(line: str) -> re.Pattern[str]:
    """What an article must hold for a (non-conflict) brief line to be its own words: the line without the
    marks `readable` adds (a partial quote's ellipsis and mark; a pronoun's bracketed name stands for one word)."""
    pieces = _INSERTED.split(_PARTIAL.sub("", line))
    return re.compile(r"\w+".join(re.escape(piece) for piece in pieces))


def _line(
    finding: Finding,
    sentences: dict[Span, str],
    statements: dict[Span, Statement],
    quotes: dict[str, list[Statement]],
) -> str | None:
    """The finding's best sentence that reads as a trustworthy brief line (`readable`), None if none does.
    A corroborated line cites every side's article: it is a sentence whose numbers every side gives
    (`_numbers_shared`), or none."""
    several = len({s.article for s in finding.sides}) > 1
    for text, side in _candidates(finding, sentences):
        if several and not _numbers_shared(text, side, finding, sentences, statements):
            continue
        statement = statements.get((side.article, side.start))
        speakers = pronoun_speakers(text, statement, quotes.get(side.article, [])) if statement else None
        line = readable(text, statement, speakers=speakers)
        if line:
            return line
    return None


def _numbers_shared(
    text: str, own: Side, finding: Finding, sentences: dict[Span, str], statements: dict[Span, Statement]
) -> bool:
    """Whether every side's sentence gives each figure of `text`, `own`'s sentence (round 15, second pass: "At
    least 24 Hindu tourists were killed and 13 injured ..." was badged corroborated and cited to articles saying
    26 and 28: alignment joins sentences telling one happening, not sentences agreeing on its every figure).
    Figures are compared as `figures` normalises them, each side's in its language (round 16): "1,100" is
    "1100", "five" is "5" and "fünf"; a sentence's own regex missed both, and number words entirely."""

    def language(side: Side) -> str:
        statement = statements.get((side.article, side.start))
        return statement.language if statement is not None else "en"

    numbers = figures(text, language(own))
    if not numbers:
        return True  # most lines: no side's figures to read
    return all(
        numbers <= figures(sentences.get((side.article, side.start)) or side.text, language(side))
        for side in finding.sides
    )


def build_brief(
    corroborated: list[Finding],
    conflicts: list[Conflict],
    single_source: list[Finding],
    statements: list[Statement],
    *,
    size: int,
    same: Container[frozenset[Span]] | None = None,
) -> list[BriefSentence]:
    """At most `size` sentences: corroborated, conflicts, then single-source (leads first, one outlet at a time).

    `same`: pairs of statements alignment found to say the same thing. A corroborated finding with such a
    pair to one already in the brief is the same news again: alignment keeps one statement per article in a
    finding, so an outlet's quote of Trump and its own "Trump announced ..." are two findings (issue 10: the
    ceasefire event's brief opened with the announcement three times, in two languages)."""
    sentences = {(s.article, s.start): s.sentence for s in statements if s.sentence}
    by_span = {(s.article, s.start): s for s in statements}
    quotes: dict[str, list[Statement]] = {}
    for s in statements:
        if s.kind == "quote" and s.speaker_start is not None:
            quotes.setdefault(s.article, []).append(s)
    out: list[BriefSentence] = []
    seen: set[str] = set()

    def add(text: str | None, articles: list[str], status: str) -> bool:
        if text and len(out) < size and text not in seen and articles:
            seen.add(text)
            out.append(BriefSentence(text=text, articles=list(dict.fromkeys(articles)), status=status))  # type: ignore[arg-type]
            return True
        return False

    # Half the brief at most for corroborated points, so conflicts always fit.
    shown: set[Span] = set()
    for finding in [f for f in corroborated if f.kind != "role"]:
        if len(out) >= max(1, size // 2):
            break
        spans = {(s.article, s.start) for s in finding.sides}
        if same and any(frozenset((x, y)) in same for x in spans for y in shown):
            continue
        if add(_line(finding, sentences, by_span, quotes), finding.articles, "corroborated"):
            shown |= spans
    for conflict in conflicts:
        add(conflict.summary, [s.article for s in conflict.sides], "conflict")
    # Single-source points: each outlet's earliest ones in turn, so no one voice fills the brief.
    by_outlet: dict[str, list[Finding]] = {}
    for finding in single_source:
        if finding.kind != "role":
            by_outlet.setdefault(finding.outlets[0], []).append(finding)
    queues = [sorted(fs, key=lambda f: f.sides[0].start or 0) for fs in by_outlet.values()]
    while len(out) < size and any(queues):
        for queue in queues:
            if queue:
                finding = queue.pop(0)
                add(_line(finding, sentences, by_span, quotes), finding.articles, "single_source")
    return out
