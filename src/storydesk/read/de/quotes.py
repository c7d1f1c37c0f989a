"""German quotes: direct („…“, »…«, "…"), partial and reported speech, each with cue and speaker.

Speech and writing acts only (docs/quotes.md, issue 9): a verb of saying
(lexicon.py), never of believing or wanting. Without a German parser the
reader works on tokens and sentences:

1. quoted text (read/marks.py; »…« is read as „…“): direct when it stands on
   its own (opens a sentence or follows ":" or ","), partial inside the writer's
   sentence. Its cue is the verb of saying right after it („…“, sagte Peskow /
   „…“, so Peskow) or before it in its sentence (Peskow sagte: „…“). A partial
   quote needs a cue in its sentence, so names and scare quotes (Operation
   „Sindoor“, der „Befreiungstag“) are left out.
2. reported speech, the content clause without the attribution:
   - verb of saying with a dass-clause:     Peskow sagte, dass [Russland den Vorschlag prüfe]
   - with a clause in Konjunktiv I:          Peskow sagte, [Russland werde den Vorschlag prüfen]
   - the clause first:                       [Russland werde den Vorschlag prüfen], sagte Peskow
   - laut X, X zufolge, so X, nach Angaben von X, wie X mitteilte: the rest of the sentence
3. the speaker: the name, pronoun or title next to the cue (subject after a
   fronted verb: "sagte Peskow"; before it: "Peskow sagte"), resolved by
   read/de/speakers.py.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from storydesk.read.de.lexicon import (
    ACCORDING,
    CLAUSE_END,
    FIRST_PERSON,
    IMPERSONAL,
    INFINITIVE_CUES,
    NEEDS_PARTICLE,
    NOT_VERBS_E,
    PARTICLES,
    PRONOUNS,
    QUOTE_MARKS,
    REPORTIVE,
    SUBJUNCTIVE,
    is_role_noun,
    is_speech_verb,
)
from storydesk.read.de.speakers import (
    SPEAKER_REACH,
    Resolver,
    Speaker,
    phrase_speaker,
    speaker_after,
    speaker_of_verb,
    token_at,
)
from storydesk.read.marks import Quoted, quoted_spans
from storydesk.records import Mention, Quote, QuoteKind

MIN_UNCUED_WORDS = 6  # a direct quote without a cue must be at least a clause
MIN_PARTIAL_WORDS = 2  # one quoted word is a term or scare quote
MIN_CONTENT_TOKENS = 3  # reported content shorter than this is a noun phrase, not a clause
CLAUSE_REACH = 20  # tokens between a cue and the comma that opens its content clause
_INTRO = (":", ",")


def find_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Every quote in `doc`, in text order, with kind, cue and speaker."""
    text = doc.text
    resolver = Resolver(doc, mentions)
    quoted = quoted_spans(_german_guillemets(text))
    found: list[Quote] = []
    last_speaker: tuple[int, Speaker] | None = None  # (sentence start, speaker) of the previous quote
    uncued: list[Quote] = []  # partial quotes without a cue of their own
    for q in quoted:
        quote = _quoted(doc, text, q, resolver, last_speaker)
        if quote is None:
            continue
        if quote.kind == "partial" and quote.cue is None:
            uncued.append(quote)
            continue
        found.append(quote)
        if quote.speaker_text is not None:
            sent = _sentence_at(doc, q.start)
            if sent is not None:
                last_speaker = (sent.end_char, _speaker_of(quote))
    inside = [(q.start - 1, q.end + 1) for q in quoted]
    previous: Span | None = None
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        reported = _reported(sent, resolver, inside)
        if not reported and previous is not None:
            reported = _anaphoric(sent, previous, resolver, inside)
        if not reported and previous is not None:
            reported = _continued(sent, previous, found, inside)
        for quote in reported:
            if not any(_same_span(quote, other) for other in found):
                found.append(quote)
        previous = sent
    found.extend(_tagged(doc, resolver, found, inside))
    # a partial quote inside continued reported speech is that speaker's too
    for partial in uncued:
        host = next(
            (q for q in found if q.kind == "indirect" and q.start <= partial.start and partial.end <= q.end), None
        )
        if host is not None and host.speaker_text is not None:
            partial.speaker, partial.speaker_text = host.speaker, host.speaker_text
            partial.speaker_start, partial.speaker_end = host.speaker_start, host.speaker_end
            found.append(partial)
    return sorted(found, key=lambda q: (q.start, q.end))


def _german_guillemets(text: str) -> str:
    """»…« (German order) as „…“ so marks.py reads it; offsets stay the same (one character each)."""
    first_right, first_left = text.find("»"), text.find("«")
    if first_right == -1 or (first_left != -1 and first_left < first_right):
        return text  # «…» (French order) or none: marks.py reads it as it is
    return text.replace("»", "„").replace("«", "“")


# -- 1. quoted text ---------------------------------------------------------------------------------
def _quoted(
    doc: Doc, text: str, q: Quoted, resolver: Resolver, last_speaker: tuple[int, Speaker] | None
) -> Quote | None:
    content = text[q.start : q.end].strip()
    words = [w for w in content.split() if any(c.isalnum() for c in w)]
    if not words:
        return None
    kind = _kind(text, q)
    sent = _sentence_at(doc, q.start)
    if sent is None:
        return None
    cue, speaker = _cue_after(doc, q, resolver)
    if cue is None:
        cue, speaker = _cue_in(sent, resolver, before=q.start if kind == "direct" else None, quoted=q)
    if kind == "partial" and (len(words) < MIN_PARTIAL_WORDS or _is_title(words)):
        return None  # a term, a name or a scare quote: Operation „Sindoor“, der „Befreiungstag“
    if kind == "partial" and cue is None:
        return _quote(text, q.start, q.end, kind, None, None)  # kept only inside reported speech (find_quotes)
    if cue is None:
        if len(words) < MIN_UNCUED_WORDS or _is_title(words):
            return None
        # a quote standing alone right after a quoted speaker's sentence continues it
        if last_speaker is not None and 0 <= q.start - last_speaker[0] <= 3:
            speaker = last_speaker[1]
    end = q.end
    while end > q.start and text[end - 1] in ", ":
        end -= 1
    start = q.start
    while start < end and text[start].isspace():
        start += 1
    if kind == "partial":
        while end > start and text[end - 1] == ".":
            end -= 1
    return _quote(text, start, end, kind, cue, speaker)


def _kind(text: str, q: Quoted) -> QuoteKind:
    before = text[max(0, q.start - 80) : q.start - 1].rstrip(" \t")
    content = text[q.start : q.end].lstrip()
    if not before or before.endswith("\n") or before[-1] in _INTRO:
        return "direct"
    if before[-1] in ".!?–—(" and content[:1].isupper():
        return "direct"
    return "partial"


def _is_title(words: list[str]) -> bool:
    return len(words) <= 4 and all(w[:1].isupper() for w in words)


def _cue_after(doc: Doc, q: Quoted, resolver: Resolver) -> tuple[Token | None, Speaker | None]:
    """'„…“, sagte Peskow.' / '„…“, so Peskow.' / '„…“, erklärte er.'"""
    tok = token_at(doc, q.end + (1 if q.closed else 0))
    if tok is None:
        return None, None
    i = tok.i
    while i < len(doc) and (doc[i].text in QUOTE_MARKS or doc[i].is_space):
        i += 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i >= len(doc):
        return None, None
    cue = doc[i]
    if cue.lower_ == "so" or (is_speech_verb(cue.text) and cue.text[:1].islower() and cue.lower_ not in NEEDS_PARTICLE):
        speaker = speaker_after(cue, resolver)
        if speaker is not None:
            return cue, speaker
    return None, None


def _cue_in(
    sent: Span, resolver: Resolver, *, before: int | None, quoted: Quoted
) -> tuple[Token | None, Speaker | None]:
    """The verb of saying (or "laut") in the sentence, outside the quote; the last one before it for a direct quote."""
    pool = [
        t
        for t in sent
        if not (quoted.start <= t.idx < quoted.end)
        and (before is None or t.idx < before)
        and (_is_cue(t) or t.lower_ in ACCORDING)
    ]
    if not pool:
        return None, None
    cue = pool[-1] if before is not None else min(pool, key=lambda t: abs(t.idx - quoted.start))
    if cue.lower_ in ACCORDING:
        return cue, _according_speaker(cue, resolver)
    return cue, speaker_of_verb(cue, resolver)


def _according_speaker(cue: Token, resolver: Resolver) -> Speaker | None:
    """The source of "laut X" (after it) or "X zufolge" (before it)."""
    doc = cue.doc
    if cue.lower_ == "zufolge":
        start = _phrase_start(doc, cue.i, cue.sent.start)
        return phrase_speaker(doc, start, cue.i, resolver)[0]
    return phrase_speaker(doc, cue.i + 1, min(cue.sent.end, cue.i + 1 + SPEAKER_REACH), resolver)[0]


def _phrase_start(doc: Doc, end: int, floor: int) -> int:
    """Where the noun phrase ending before token `end` starts: back to a comma, mark or clause end."""
    start = end - 1
    while start > floor and end - start < SPEAKER_REACH:
        prev = doc[start - 1]
        if prev.text in (",", "„", "“", '"') or prev.text in CLAUSE_END:
            break
        start -= 1
    return start


def _is_cue(tok: Token) -> bool:
    """A verb of saying as a verb: lower case, and with its particle when it needs one ("teilte ... mit")."""
    if not tok.text[:1].islower() or not is_speech_verb(tok.text):
        return False
    if tok.lower_ not in NEEDS_PARTICLE:
        return True
    return _particle(tok) is not None


def _particle(tok: Token) -> Token | None:
    """The separated particle of "teilte ... mit" later in the clause, if there is one."""
    particles = PARTICLES.get(tok.lower_, ())
    for t in tok.sent[tok.i - tok.sent.start + 1 :]:
        if t.lower_ in particles:
            return t
        if t.text in CLAUSE_END:
            break
    return None


# -- 2. reported speech -----------------------------------------------------------------------------
def _reported(sent: Span, resolver: Resolver, inside: list[tuple[int, int]]) -> list[Quote]:
    doc = sent.doc
    text = doc.text
    found: list[Quote] = []
    for tok in sent:
        if any(a <= tok.idx < b for a, b in inside):
            continue
        quote = None
        if tok.lower_ in ("laut", "gemäß") and tok.i + 1 < sent.end:
            quote = _according(sent, tok, tok.i + 1, resolver, inside)
        elif tok.lower_ == "zufolge":
            quote = _zufolge(sent, tok, resolver, inside)
        elif tok.lower_ == "angaben" and tok.i > sent.start and doc[tok.i - 1].lower_ == "nach":
            quote = _nach_angaben(sent, tok, resolver, inside)
        elif tok.lower_ == "so" and tok.i > sent.start and doc[tok.i - 1].text == ",":
            quote = _so_x(sent, tok, resolver, inside)
        elif tok.lower_ == "wie" and tok.i + 1 < sent.end:
            quote = _wie_x(sent, tok, resolver, inside)
        elif _is_cue(tok):
            quote = _said(sent, tok, resolver, inside)
        if quote is not None and not any(_same_span(quote, other) for other in found):
            found.append(quote)
    return [q for q in found if text[q.start : q.end].strip()]


def _said(sent: Span, cue: Token, resolver: Resolver, inside: list[tuple[int, int]]) -> Quote | None:
    doc = sent.doc
    # the clause after the cue: "sagte (Peskow), dass ..." / "sagte (er), Russland werde ..."
    i = cue.i + 1
    while (
        i < sent.end
        and i - cue.i <= SPEAKER_REACH + 2
        and doc[i].text not in (",", ":")
        and doc[i].text not in CLAUSE_END
    ):
        i += 1
    if i < sent.end and doc[i].text in (",", ":"):
        start = i + 1
        if start < sent.end and doc[start].lower_ in ("dass", "ob"):
            return _clause_quote(sent, cue, start + 1, resolver, inside, subordinate=True)
        if _is_subjunctive_clause(sent, start):
            return _clause_quote(sent, cue, start, resolver, inside, subordinate=False)
        if cue.lower_ in INFINITIVE_CUES and _has_infinitive(doc[start : sent.end]):
            return _clause_quote(sent, cue, start, resolver, inside, subordinate=True)
    # the clause before the cue: "Russland werde ..., sagte Peskow."
    if cue.i - 1 > sent.start and doc[cue.i - 1].text == ",":
        first = sent.start
        while first < cue.i - 1 and (doc[first].text in QUOTE_MARKS or doc[first].is_space):
            first += 1
        if doc[first].text in QUOTE_MARKS:
            return None
        speaker = speaker_after(cue, resolver)
        # "..., schrieb der US-Präsident in seinem Brief.": a cue with its subject right after the comma
        if speaker is not None or _is_subjunctive_clause(sent, first, stop=cue.i - 1):
            span = _trim(doc[first : cue.i - 1])
            if span is not None and speaker is not None and not _in_quotes(span, inside):
                return _quote(doc.text, span.start_char, span.end_char, "indirect", cue, speaker)
    return None


def _clause_quote(
    sent: Span, cue: Token, start: int, resolver: Resolver, inside: list[tuple[int, int]], *, subordinate: bool
) -> Quote | None:
    doc = sent.doc
    end = sent.end
    for j in range(start, sent.end):
        # the clause ends where a quoted sentence opens or a new attribution starts
        if doc[j].text in ("„", "»") and j > start and doc[j - 1].text == ":":
            end = j - 1
            break
    span = _trim(doc[start:end])
    if span is None or len(span) < MIN_CONTENT_TOKENS or _in_quotes(span, inside):
        return None
    speaker = speaker_of_verb(cue, resolver)
    if speaker is None and cue.lower_ in IMPERSONAL:
        return None  # "hieß es, ..." with no source named: an agentless report
    return _quote(doc.text, span.start_char, span.end_char, "indirect", cue, speaker)


def _tagged(doc: Doc, resolver: Resolver, found: list[Quote], inside: list[tuple[int, int]]) -> list[Quote]:
    """Reported speech the rules missed, from the SpkAtt tagger: a verb of saying with a tagged message clause.

    The tagger also marks thoughts and nouns ("glaube", "Frage"); only verbs of
    saying (lexicon.py) are kept, so the quote definition stays the rules' one.
    """
    from storydesk.read.de.attribution import find_events

    added: list[Quote] = []
    for event in find_events(doc):
        cue = event.cue.root
        message = event.role("MESSAGE")
        if message is None or not (is_speech_verb(cue.text) and cue.text[:1].islower()):
            continue
        span = _trim(message)
        if span is None:
            continue
        # a clause, not a noun phrase ("verkündete die Einigung"): dass/ob, Konjunktiv or a zu-infinitive
        subordinate = span[0].lower_ in ("dass", "ob")
        if subordinate:
            span = _trim(span[1:])
        elif not (any(t.lower_ in SUBJUNCTIVE for t in span) or _has_infinitive(span)):
            continue
        if span is None or len(span) < MIN_CONTENT_TOKENS or _in_quotes(span, inside):
            continue
        if any(q.start < span.end_char and span.start_char < q.end for q in [*found, *added]):
            continue
        source = event.role("SOURCE")
        speaker = _source_speaker(source, resolver) if source is not None else None
        added.append(_quote(doc.text, span.start_char, span.end_char, "indirect", cue, speaker))
    return added


def _source_speaker(source: Span, resolver: Resolver) -> Speaker:
    """A tagged SOURCE span as a speaker: the name in it, a pronoun, a title, or just its words."""
    for tok in source:
        m = resolver.mention_at(tok.idx, tok.idx + len(tok.text))
        if m is not None and m.type in ("person", "organization", "place"):
            return resolver.named(m)
    if len(source) == 1 and source[0].lower_ in PRONOUNS:
        return resolver.pronoun(source[0].text, source.start_char, plural=False)
    if any(t.text[:1].isupper() and is_role_noun(t.text) for t in source):
        return resolver.title([t.text for t in source], source.start_char, source.end_char, source.text)
    return Speaker(name=None, text=source.text, start=source.start_char, end=source.end_char)


def _has_infinitive(clause: Span) -> bool:
    """A zu-infinitive: "zu leisten", "abgeschossen zu haben", "anzugreifen"."""
    tokens = list(clause)
    for n, tok in enumerate(tokens):
        if (
            tok.lower_ == "zu"
            and n + 1 < len(tokens)
            and tokens[n + 1].text.islower()
            and tokens[n + 1].lower_.endswith(("en", "ern", "eln", "n"))
        ):
            return True
        lower = tok.lower_
        if (
            tok.text.islower()
            and len(lower) > 6
            and "zu" in lower[2:-3]
            and lower.endswith("en")
            and lower not in ("zuzusagen",)
        ):
            stem = lower.split("zu", 1)
            if len(stem[0]) >= 2 and stem[0] in _SEPARABLE_PREFIXES:
                return True
    return False


_SEPARABLE_PREFIXES = frozenset("an ab auf aus bei ein mit nach vor weg zurück zusammen fest frei los durch um".split())  # noqa: SIM905


def _anaphoric(sent: Span, previous: Span, resolver: Resolver, inside: list[tuple[int, int]]) -> list[Quote]:
    """ "Das teilte das Ministerium mit.", "Dies gab Trump bekannt.": the sentence before is what was said."""
    doc = sent.doc
    tokens = [t for t in sent if not t.is_space]
    if len(tokens) < 3 or tokens[0].lower_ not in ("das", "dies", "dieses") or not _is_cue(tokens[1]):
        return []
    cue = tokens[1]
    speaker = speaker_after(cue, resolver)
    span = _trim(doc[previous.start : previous.end])
    if speaker is None or span is None or len(span) < MIN_CONTENT_TOKENS or _in_quotes(span, inside):
        return []
    return [_quote(doc.text, span.start_char, span.end_char, "indirect", cue, speaker)]


def _continued(sent: Span, previous: Span, found: list[Quote], inside: list[tuple[int, int]]) -> list[Quote]:
    """A sentence in Konjunktiv I right after reported speech continues it ("Die EU habe stets ... angestrebt.")."""
    doc = sent.doc
    before = [q for q in found if previous.start_char <= q.start < previous.end_char and q.speaker_text is not None]
    if not before:
        return []
    head = [t for t in sent if not t.is_punct and not t.is_space][:10]
    if not any(t.lower_ in REPORTIVE for t in head) or any(t.lower_ in FIRST_PERSON for t in head):
        return []
    span = _trim(doc[sent.start : sent.end])
    if span is None or len(span) < MIN_CONTENT_TOKENS or _in_quotes(span, inside):
        return []
    speaker = _speaker_of(before[-1])
    return [_quote(doc.text, span.start_char, span.end_char, "indirect", None, speaker)]


def _is_subjunctive_clause(sent: Span, start: int, stop: int | None = None) -> bool:
    """A clause with a Konjunktiv I (or II) verb: "Russland werde ...", "ein Krieg ... sei untragbar"."""
    doc = sent.doc
    stop = sent.end if stop is None else stop
    tokens = [t for t in doc[start:stop] if not t.is_punct]
    if len(tokens) < MIN_CONTENT_TOKENS:
        return False
    for n, tok in enumerate(tokens[:12]):
        lower = tok.lower_
        if lower in SUBJUNCTIVE:
            return True
        # "Russland prüfe den Vorschlag": a lower-case -e word in second place is a verb
        if n == 1 and lower.endswith("e") and tok.text.islower() and lower not in NOT_VERBS_E and len(lower) > 3:
            return True
    return False


def _according(sent: Span, cue: Token, first: int, resolver: Resolver, inside: list[tuple[int, int]]) -> Quote | None:
    """ "laut Peskow ...": the speaker is the name after it, the content the rest of the clause."""
    doc = sent.doc
    speaker, end = phrase_speaker(doc, first, min(sent.end, first + SPEAKER_REACH), resolver, generic=True)
    if speaker is None:
        return None
    return _rest_of_sentence(sent, cue.i, end, cue, speaker, inside)


def _zufolge(sent: Span, cue: Token, resolver: Resolver, inside: list[tuple[int, int]]) -> Quote | None:
    """ "Peskow zufolge ...", "dem Kreml zufolge ...": the speaker stands right before."""
    doc = sent.doc
    start = _phrase_start(doc, cue.i, sent.start)
    speaker, _ = phrase_speaker(doc, start, cue.i, resolver, generic=True)
    if speaker is None:
        return None
    return _rest_of_sentence(sent, start, cue.i + 1, cue, speaker, inside)


def _nach_angaben(sent: Span, cue: Token, resolver: Resolver, inside: list[tuple[int, int]]) -> Quote | None:
    """ "nach Angaben von Peskow", "nach Angaben des Ministeriums"."""
    doc = sent.doc
    first = cue.i + 1
    if first < sent.end and doc[first].lower_ in ("von", "vom", "des", "der", "aus", "eines", "einer"):
        skip = doc[first].lower_ in ("von", "aus")
        speaker, end = phrase_speaker(
            doc, first + skip, min(sent.end, first + skip + SPEAKER_REACH), resolver, generic=True
        )
    else:
        return None
    if speaker is None:
        return None
    return _rest_of_sentence(sent, cue.i - 1, end, cue, speaker, inside)


def _so_x(sent: Span, cue: Token, resolver: Resolver, inside: list[tuple[int, int]]) -> Quote | None:
    """ "..., so Peskow." at the end of a sentence."""
    doc = sent.doc
    speaker, end = phrase_speaker(doc, cue.i + 1, sent.end, resolver)
    if speaker is None or (end < sent.end and doc[end].text not in CLAUSE_END and doc[end].text not in (",",)):
        return None
    span = _trim(doc[sent.start : cue.i - 1])
    if span is None or len(span) < MIN_CONTENT_TOKENS or _in_quotes(span, inside):
        return None
    return _quote(doc.text, span.start_char, span.end_char, "indirect", cue, speaker)


def _wie_x(sent: Span, cue: Token, resolver: Resolver, inside: list[tuple[int, int]]) -> Quote | None:
    """ "wie Peskow mitteilte, ..." / "..., wie das Ministerium erklärte."""
    doc = sent.doc
    verb = None
    for j in range(cue.i + 1, min(sent.end, cue.i + SPEAKER_REACH + 2)):
        if doc[j].text in (",",) or doc[j].text in CLAUSE_END:
            break
        if is_speech_verb(doc[j].text) and doc[j].text[:1].islower():
            verb = doc[j]
    if verb is None:
        return None
    speaker, _ = phrase_speaker(doc, cue.i + 1, verb.i, resolver, generic=True)
    if speaker is None:
        return None
    return _rest_of_sentence(sent, cue.i, verb.i + 1, verb, speaker, inside)


def _rest_of_sentence(
    sent: Span, cut_start: int, cut_end: int, cue: Token, speaker: Speaker, inside: list[tuple[int, int]]
) -> Quote | None:
    """The sentence without the attribution phrase [cut_start, cut_end): the longer side of it."""
    doc = sent.doc
    left = _trim(doc[sent.start : cut_start]) if cut_start > sent.start else None
    right = _trim(doc[cut_end : sent.end]) if cut_end < sent.end else None
    span: Span | None
    if left is not None and right is not None and len(left) >= MIN_CONTENT_TOKENS and len(right) >= MIN_CONTENT_TOKENS:
        span = doc[left.start : right.end]  # mid-sentence phrase: the clause around it
    else:
        span = max((s for s in (left, right) if s is not None), key=len, default=None)
    if span is None or len(span) < MIN_CONTENT_TOKENS or _in_quotes(span, inside):
        return None
    return _quote(doc.text, span.start_char, span.end_char, "indirect", cue, speaker)


def _speaker_of(quote: Quote) -> Speaker:
    return Speaker(
        name=quote.speaker,
        text=quote.speaker_text or "",
        start=quote.speaker_start or 0,
        end=quote.speaker_end or 0,
    )


# -- helpers ----------------------------------------------------------------------------------------
def _quote(text: str, start: int, end: int, kind: QuoteKind, cue: Token | None, speaker: Speaker | None) -> Quote:
    cue_text = None
    if cue is not None:
        particle = _particle(cue) if cue.lower_ in PARTICLES else None
        cue_text = f"{cue.text} … {particle.text}" if particle is not None else cue.text
    return Quote(
        text=text[start:end],
        start=start,
        end=end,
        kind=kind,
        cue=cue_text,
        speaker=speaker.name if speaker else None,
        speaker_text=speaker.text if speaker else None,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        cue_start=cue.idx if cue is not None else None,
        cue_end=cue.idx + len(cue.text) if cue is not None else None,
    )


def _trim(span: Span) -> Span | None:
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_space or doc[start].text in ",;:–—-" or doc[start].text in ("und",)):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in ",;:–—-.!?"):
        end -= 1
    return doc[start:end] if end > start else None


def _in_quotes(span: Span, inside: list[tuple[int, int]]) -> bool:
    """Whether a clause lies wholly inside quotation marks (then it is a direct quote, found in step 1)."""
    return any(a <= span.start_char and span.end_char <= b for a, b in inside)


def _same_span(a: Quote, b: Quote) -> bool:
    return a.start < b.end and b.start < a.end and a.kind == b.kind


def _sentence_at(doc: Doc, offset: int) -> Span | None:
    tok = token_at(doc, offset)
    return tok.sent if tok is not None else None
