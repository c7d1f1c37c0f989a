"""Quotes: what each speaker said, directly, in part, or in reported speech, with its cue.

The recipe for one document:

    1. reported speech: a cue verb with a clausal complement, before or after it
       ("Peskov said Russia would evaluate ...", "Victory is vital, he said"), a
       parenthetical cue ("..., the Times said, ..."), a speech verb with its
       object ("announced the recapture of ..."), a directive with its infinitive
       ("urged voters to ..."), "according to X, ...", and "Name: claim" lines;
       stances too: a stance verb's object or infinitive ("backs Cruz", "wants
       to win"), a prepositional cue ("called for ...", "spoke about ..."), a
       possessed stance noun ("her support for ...") and "in X's view, ...";
       a clause that carries a quoted fragment is one partial quote
    2. text between quotation marks (read/marks.py), each tied to the cue it hangs
       on or the nearest one in its paragraph: in its sentence, the sentence it
       follows after ":" or ",", or a short "X said." after it; a fragment inside
       the writer's own sentence is partial ("called the proposal 'a positive
       step'"), a stand-alone one direct; '"A," he said, "B."' is one quote,
       and so is a quote continued in the next paragraph without a cue
    3. a quote without a cue takes the speaker of the sentence before it, when
       that sentence introduced one ('He remarked, "…" … "…"')

The limits below are module constants rather than settings because the read
recipe calls `find_quotes(doc, mentions)` without settings; each says why it
has its value.

Speakers resolve to names in read/speakers.py; a quote nobody can be found
for keeps `speaker=None`.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from storydesk.read.cues import (
    DIRECTIVE_CUES,
    NAMING_VERBS,
    OBJECT_CUES,
    STANCE_CUES,
    is_according,
    is_cue,
    is_noun_cue,
    prep_of,
    view_owner,
)
from storydesk.read.marks import Quoted, quoted_spans
from storydesk.read.nlp import doc_text
from storydesk.read.speakers import Speaker, SpeakerResolver
from storydesk.records import Mention, Quote, QuoteKind

# A quoted fragment with no cue is kept only when it is this long: shorter ones
# are mostly scare quotes and titles ("so-called 'deal'", "Saturday Night Live").
MIN_UNCUED_WORDS = 4
# A sentence after a quote this short ("Trump said.") only names its speaker.
SHORT_CUE_TOKENS = 8
# Quoted Title Case runs up to this long are names of shows and books.
MAX_TITLE_WORDS = 6
# Reported-speech objects shorter than this are pronouns or single nouns ("said it").
MIN_OBJECT_TOKENS = 3
# A clause at least this much inside quotation marks is the quote itself, not a paraphrase.
QUOTED_SHARE = 0.5
_INTRO = (":", ",")  # the punctuation that hands a sentence over to a quote
_ADJUNCTS = ("prep", "xcomp", "dative", "oprd")  # verb dependents that complete an object
_JOINERS = " \n.,!?\"“”„«»'‘’"  # what may stand between two paragraphs of one quote


def find_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Every quote in `doc` with its cue and speaker, in text order."""
    quoted = quoted_spans(doc_text(doc))
    resolver = SpeakerResolver(doc, mentions, quoted=[p for q in quoted for p in q.pieces])
    # First find every construction, then resolve speakers in text order, so
    # that "he" can look back at the speakers already found.
    found: list[tuple[int, Token | None, Span | Quoted, QuoteKind, Span | None]] = []
    absorbed: set[int] = set()  # quoted spans that are part of a reported-speech clause
    for verb, clause, clause_kind in _reported(doc, quoted):
        share, inside = _quoted_share(clause, quoted)
        if share >= QUOTED_SHARE or any(_kind(doc_text(doc), quoted[i]) == "direct" for i in inside):
            continue  # the quoted span takes this cue in step 2
        absorbed.update(inside)
        found.append((verb.idx, verb, clause, "partial" if inside else clause_kind, None))
    for colon, name, line in _headline(doc, mentions):
        share, inside = _quoted_share(line, quoted)
        absorbed.update(inside)
        found.append((colon, None, line, "partial" if inside else "indirect", name))
    for index, q in enumerate(quoted):
        if index not in absorbed:
            found.append((q.start, None, q, _kind(doc_text(doc), q), None))
    quotes: list[Quote] = []
    by_sentence: dict[int, Speaker] = {}  # the speaker each sentence introduced
    last: tuple[Quote, Token] | None = None  # the previous quoted span and its cue
    for _, cue, content, kind, source in sorted(found, key=lambda f: f[0]):
        if isinstance(content, Quoted):
            quote, cue = _direct(doc, content, kind, quoted, resolver, by_sentence)
            if quote is not None and last is not None and _interrupted(doc, last, quote, cue):
                # '"A," he said, "B."' is one utterance around its cue.
                last[0].end, last[0].text = quote.end, f"{last[0].text} {quote.text}"
                continue
            last = (quote, cue) if quote is not None and cue is not None else None
        else:
            speaker = resolver.resolve(source.root) if source is not None else _speaker_for(cue, resolver)
            quote = _quote(content.start_char, content.end_char, doc_text(doc), kind, cue, speaker)
            if source is not None:
                quote.cue = ":"
            if cue is not None and speaker is not None:
                _remember(cue.sent, speaker, resolver, by_sentence)
        if quote is not None:
            quotes.append(quote)
    return sorted(quotes, key=lambda q: q.start)


def _remember(sent: Span, speaker: Speaker, resolver: SpeakerResolver, by_sentence: dict[int, Speaker]) -> None:
    by_sentence[sent.start] = speaker
    if speaker.name is not None:
        resolver.spoke(sent, speaker.name)


# -- 1. reported speech -----------------------------------------------------------------------------
def _reported(doc: Doc, quoted: list[Quoted]) -> list[tuple[Token, Span, QuoteKind]]:
    """(cue, content, kind) for every reported-speech construction outside quotation marks."""
    found: list[tuple[Token, Span, QuoteKind]] = []
    for token in doc:
        if view_owner(token) is not None and not _in_quotes(token.idx, quoted):
            content = _according_content(token)
            if content is not None:
                found.append((token, content, "indirect"))
            continue
        if is_noun_cue(token) and not _in_quotes(token.idx, quoted):
            content = _noun_content(token)
            if content is not None:
                found.append((token, content, "indirect"))
            continue
        if not (is_cue(token) or is_according(token)) or _in_quotes(token.idx, quoted):
            continue
        if is_cue(token):
            if token.dep_ == "parataxis" and token.head.i < token.i and not _has_clause(token):
                # "The emails covered many topics, the Times said, including ...": the
                # cue stands inside the clause it reports.
                content = _without(token.head, token)
                if content is not None:
                    found.append((token, content, "indirect"))
                continue
            content = _content_of(token)
            if content is not None:
                found.append((token, content, "indirect"))
        elif is_according(token):
            content = _according_content(token)
            if content is not None:
                found.append((token, content, "indirect"))
    return found


def _content_of(cue: Token) -> Span | None:
    """What a cue verb reports: its clause, its "to"-infinitive with the one addressed, or its object."""
    # The clause may stand before its cue ("Victory is vital, he said after the meeting").
    clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    if clause is not None:
        return _subtree(clause)
    children = [c for c in cue.children if c.i > cue.i]
    lemma = cue.lemma_.lower()
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    infinitive = next((c for c in children if c.dep_ == "xcomp"), None)
    if infinitive is not None and (lemma in DIRECTIVE_CUES or lemma in STANCE_CUES):
        # "urged women to vote for Clinton", "vowed to stay in the race"
        start = obj.left_edge.i if obj is not None and obj.i < infinitive.i else infinitive.left_edge.i
        return _trim(cue.doc[start : infinitive.right_edge.i + 1])
    if obj is not None and lemma in STANCE_CUES:
        return _object_with_adjuncts(cue, obj)
    prep = prep_of(cue)
    if prep is not None:
        # "called for more flexibility", "called on the US to strike": the object of the preposition
        if prep.dep_ == "mark":
            return _trim(cue.doc[prep.i + 1 : prep.head.right_edge.i + 1])
        target = next((c for c in prep.children if c.dep_ == "pobj"), None)
        return _object_with_adjuncts(cue, target, first=prep) if target is not None else None
    if obj is not None and lemma in OBJECT_CUES and obj.right_edge.i - obj.left_edge.i + 1 >= MIN_OBJECT_TOKENS:
        return _object_with_adjuncts(cue, obj)
    return None


def _object_with_adjuncts(cue: Token, obj: Token, *, first: Token | None = None) -> Span:
    """An object with the phrases the parser hung on its verb right after it: "thanked him
    for his work", "backing Bush for president" are one stance each."""
    end = (first or obj).right_edge.i
    for child in cue.children:
        if child.i == end + 1 and child.dep_ in _ADJUNCTS:
            if any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree):
                break  # "on Sunday" says when it was said, not what
            end = child.right_edge.i
    return _trim(cue.doc[obj.left_edge.i : end + 1]) or _subtree(obj)


def _noun_content(noun: Token) -> Span | None:
    """What a stance noun is about: its clause ("the claim that ...") or its object ("support for X")."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and child.i > noun.i:
            return _subtree(child)
        if child.dep_ == "prep" and child.i > noun.i:
            target = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if target is not None:
                return _subtree(target)
    return None


def _has_clause(cue: Token) -> bool:
    return any(c.dep_ in ("ccomp", "dobj") for c in cue.children)


def _without(clause: Token, inner: Token) -> Span | None:
    """The clause headed by `clause` up to where the subtree of `inner` begins (or after it ends)."""
    doc = clause.doc
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    cut = (inner.left_edge.i, inner.right_edge.i + 1)
    span = _trim(doc[start : cut[0]]) if cut[0] > start else _trim(doc[cut[1] : end])
    return span if span is not None and len(span) >= MIN_OBJECT_TOKENS else None


def _headline(doc: Doc, mentions: list[Mention]) -> list[tuple[int, Span, Span]]:
    """'Lynch: No outside influence on FBI probe': a line opening with a name and a colon."""
    found = []
    for m in mentions:
        if m.type not in ("person", "organization") or (m.start > 0 and doc_text(doc)[m.start - 1] != "\n"):
            continue
        rest = doc_text(doc)[m.end : m.end + 4]
        stripped = rest.lstrip(" ")
        if not stripped.startswith(":"):
            continue
        colon = m.end + len(rest) - len(stripped)
        line_end = doc_text(doc).find("\n", colon)
        line_end = len(doc_text(doc)) if line_end < 0 else line_end
        source = doc.char_span(m.start, m.end, alignment_mode="expand")
        content = doc.char_span(colon + 1, line_end, alignment_mode="expand")
        if source is not None and content is not None:
            content = _trim(content)
            if content is not None and len(content) >= MIN_OBJECT_TOKENS:
                found.append((colon, source, content))
    return found


def _according_content(according: Token) -> Span | None:
    """The clause "according to X" (or "in X's view") is attached to, without the phrase itself."""
    clause = according.head
    while clause.dep_ not in ("ROOT", "ccomp", "conj") and clause.head is not clause:
        clause = clause.head
    doc = according.doc
    phrase = (according.left_edge.i, according.right_edge.i + 1)
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    if phrase[0] <= start:
        start = phrase[1]
    elif phrase[1] >= end:
        end = phrase[0]
    else:
        end = phrase[0]  # mid-clause: keep the part before it
    span = _trim(doc[start:end])
    return span if span is not None and len(span) >= MIN_OBJECT_TOKENS else None


def _subtree(token: Token) -> Span:
    span = _trim(token.doc[token.left_edge.i : token.right_edge.i + 1])
    return span if span is not None else token.doc[token.i : token.i + 1]


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and (
        span.doc[start].is_punct and span.doc[start].text not in "\"“„«‘'" or span.doc[start].is_space
    ):
        start += 1
    while end > start and (span.doc[end - 1].text in ",;:-–—.!?" or span.doc[end - 1].is_space):
        end -= 1
    return span.doc[start:end] if end > start else None


def _quoted_share(content: Span, quoted: list[Quoted]) -> tuple[float, set[int]]:
    """How much of a clause lies inside quotation marks, and which quoted spans it holds."""
    words = [t for t in content if not t.is_punct and not t.is_space]
    if not words:
        return 0.0, set()
    inside: set[int] = set()
    count = 0
    for t in words:
        hit = _in_quotes(t.idx, quoted, index=True)
        if hit is not None:
            inside.add(hit)
            count += 1
    # A quoted span reaching past the clause is not part of it.
    inside = {i for i in inside if quoted[i].start >= content.start_char - 1 and quoted[i].end <= content.end_char + 1}
    return count / len(words), inside


def _in_quotes(offset: int, quoted: list[Quoted], *, index: bool = False):  # type: ignore[no-untyped-def]
    """Whether an offset lies between quotation marks (or the index of the quoted span holding it)."""
    i = bisect_right(quoted, offset, key=lambda q: q.start) - 1
    # Quoted spans do not nest, so only the last one starting before `offset` can hold it.
    if i >= 0 and any(a <= offset < b for a, b in quoted[i].pieces):
        return i if index else True
    return None if index else False


# -- 2. quoted text ---------------------------------------------------------------------------------
def _direct(
    doc: Doc,
    q: Quoted,
    kind: QuoteKind,
    quoted: list[Quoted],
    resolver: SpeakerResolver,
    by_sentence: dict[int, Speaker],
) -> tuple[Quote | None, Token | None]:
    inner = doc.char_span(q.start, q.end, alignment_mode="expand")
    if inner is None or not inner.text.strip():
        return None, None
    cue = _cue_for(doc, q, kind, quoted, inner)
    speaker = _speaker_for(cue, resolver) if cue is not None else None
    if speaker is not None and any(a <= speaker.start < b for a, b in q.pieces):
        speaker = None  # the parser took a word of the quote itself ("We were wrong," Ramos told AFP)
    first_sentence = inner[0].sent
    if cue is None and first_sentence.start > 0:
        # 3. the sentence before introduced the speaker
        speaker = by_sentence.get(doc[first_sentence.start - 1].sent.start)
    if cue is None and speaker is None and (_words(inner) < MIN_UNCUED_WORDS or _is_title(inner)):
        return None, None
    if speaker is not None:
        for sent in _sentences(inner):
            _remember(sent, speaker, resolver, by_sentence)
        if cue is not None:
            _remember(cue.sent, speaker, resolver, by_sentence)
    return _quote(q.start, q.end, doc_text(doc), kind, cue, speaker, pieces=q.pieces), cue


def _interrupted(doc: Doc, last: tuple[Quote, Token], quote: Quote, cue: Token | None) -> bool:
    """Whether a quote continues the previous one: around its cue in the same paragraph
    ('"A," he said, "B."', '"A," he said. "B."') or right after it with no cue of its own
    (the next paragraph of a long quote), as PolNeAR's annotators join them."""
    previous, previous_cue = last
    if quote.kind != "direct" or previous.kind != "direct" or (cue is not None and cue.i != previous_cue.i):
        return False
    between = doc_text(doc)[previous.end : quote.start]
    if "\n" not in between and previous.end <= previous_cue.idx < quote.start:
        return True
    return cue is None and not between.strip(_JOINERS)


def _kind(text: str, q: Quoted) -> QuoteKind:
    """Direct when the quote stands on its own: at a sentence start or after ":" or ","; else partial."""
    if len(q.pieces) > 1:
        return "direct"
    prefix = text[max(0, q.start - 200) : q.start - 1]
    before = prefix.rstrip()[-1:]
    content = text[q.start : q.end].lstrip()
    if prefix.rstrip(" \t")[-1:] in ("", "\n") or before in _INTRO:  # opens its paragraph, or is handed over
        return "direct"
    if before in ".!?—–(" and content[:1].isupper():
        return "direct"
    return "partial"


def _cue_for(doc: Doc, q: Quoted, kind: QuoteKind, quoted: list[Quoted], inner: Span) -> Token | None:
    """The cue that introduces a quoted span: one the quote hangs on first, else the nearest in reach."""
    sentences = {sent.start: sent for sent in _sentences(inner)}
    window = max(0, q.start - 200)
    before = doc_text(doc)[window : q.start - 1].rstrip()
    if before[-1:] in _INTRO:
        mark = window + len(before) - 1
        sent = doc.char_span(mark, mark + 1, alignment_mode="expand")
        if sent is not None:
            sentences.setdefault(sent[0].sent.start, sent[0].sent)
    after = q.end + (1 if q.closed else 0)
    rest = doc_text(doc)[after : after + 8].lstrip(" ")
    follow = doc.char_span(after, min(after + 1, len(doc_text(doc))), alignment_mode="expand") if q.closed else None
    if follow is not None and follow.text.strip():
        sent = follow[0].sent
        # '"…," he said.' continues the sentence; '"…." Trump said.' is a short
        # sentence of its own that only names the speaker.
        if (
            doc_text(doc)[q.end - 1 : q.end] == ","
            or rest[:1].islower()
            or rest[:1] == ","
            or len(sent) <= SHORT_CUE_TOKENS
        ):
            sentences.setdefault(sent.start, sent)
    text = doc_text(doc)
    candidates = [
        t
        for sent in sentences.values()
        for t in sent
        if (is_cue(t) or is_according(t) or _names(t))
        and not _in_quotes(t.idx, quoted)
        and _same_paragraph(text, t.idx, q)
    ]
    if not candidates:
        return None
    linked = [c for c in candidates if any(_hangs_on(t, c) for t in inner)]
    pool = linked or candidates
    # A quote after ":" or "," or inside the writer's sentence was introduced by
    # a cue before it; one that opens its sentence by a cue after it ("..., he said").
    cue_first = kind == "partial" or before[-1:] in _INTRO
    return min(pool, key=lambda c: ((c.idx < q.start) != cue_first, min(abs(c.idx - q.start), abs(c.idx - q.end))))


def _same_paragraph(text: str, offset: int, q: Quoted) -> bool:
    """Whether no line break stands between an offset and a quoted span (the parser's sentences may run over one)."""
    between = text[offset : q.start] if offset < q.start else text[q.end : offset]
    return "\n" not in between


def _names(token: Token) -> bool:
    """A naming verb used as one ("called it 'a step'"), not inside "so-called"."""
    return (
        token.pos_ == "VERB"
        and token.lemma_.lower() in NAMING_VERBS
        and any(c.dep_ in ("dobj", "oprd", "nsubj", "nsubjpass") for c in token.children)
    )


def _hangs_on(token: Token, cue: Token) -> bool:
    return any(ancestor is cue for ancestor in token.ancestors)


# -- speakers ---------------------------------------------------------------------------------------
def _speaker_for(cue: Token | None, resolver: SpeakerResolver) -> Speaker | None:
    if cue is None:
        return None
    if is_according(cue):
        to = cue.nbor(1)
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            source = next((c for c in cue.children if c.dep_ == "pobj"), None)
        return resolver.resolve(source) if source is not None else None
    owner = view_owner(cue)
    if owner is not None:  # "in Trump's view"
        return resolver.resolve(owner)
    if cue.pos_ == "NOUN":  # a stance noun's source is its possessor ("her support for ...")
        owner = next((c for c in cue.children if c.dep_ == "poss"), None)
        return resolver.resolve(owner) if owner is not None else None
    subject = resolver.subject_of(cue)
    return resolver.resolve(subject, stop=cue) if subject is not None else None


def _quote(
    start: int,
    end: int,
    text: str,
    kind: QuoteKind,
    cue: Token | None,
    speaker: Speaker | None,
    *,
    pieces: list[tuple[int, int]] | None = None,
) -> Quote:
    body = "\n\n".join(text[a:b].strip() for a, b in pieces) if pieces else text[start:end]
    # '"…will agree," he said': the comma before the closing mark is the writer's, not the speaker's.
    while end > start and text[end - 1] in ", ":
        end -= 1
    body = body.strip().rstrip(",")
    cue_text = None
    if cue is not None:
        cue_text = "according to" if is_according(cue) else cue.text
    return Quote(
        text=body,
        start=start,
        end=end,
        kind=kind,
        cue=cue_text,
        speaker=speaker.name if speaker else None,
        speaker_text=speaker.text if speaker else None,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
    )


def _sentences(span: Span) -> list[Span]:
    """The sentences a span touches (asking each token for its sentence costs a walk per token)."""
    doc = span.doc
    sent = span[0].sent
    found = [sent]
    while sent.end < span.end and sent.end < len(doc):
        sent = doc[sent.end].sent
        found.append(sent)
    return found


def _is_title(span: Span) -> bool:
    """Quoted Title Case words are a name of a show, book or slogan ("Good Morning America"), not speech."""
    words = [t for t in span if t.is_alpha]
    return 0 < len(words) <= MAX_TITLE_WORDS and all(t.text[:1].isupper() or t.is_stop for t in words)


def _words(span: Span) -> int:
    return sum(1 for t in span if not t.is_punct and not t.is_space)
