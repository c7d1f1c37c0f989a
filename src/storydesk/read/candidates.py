"""Quote candidates: every span the rules say may be a quote, with the cue it hangs on.

The rules propose, the quote model (read/quote_model.py) decides. Constructions:

    clause         a speech verb with its content clause, before or after it
                   ("Peskov said Russia would ...", "Victory is vital, he said")
    parenthetical  a cue inside the clause it reports ("..., the Times said, ...")
    directive      an order or request with its infinitive or "for"/"on" object
                   ("urged residents to stay home", "called for calm")
    object         the object of "say" when the parser misread a content clause as one
                   ("says the movement appeals to ..."); other speech verbs' noun-phrase
                   objects are things, not statements ("announced new tariffs")
    according      "according to X, ..."
    noun           a speech noun with its clause ("Trump's claim that ...")
    colon          a line opening with a name and a colon ("Lynch: No outside influence ...")
    quoted         text between quotation marks (read/marks.py), one candidate per
                   paragraph piece; a later piece of a quote running over paragraphs is
                   `continued`

A content span never runs over a line break, so a heading glued onto the next
sentence by the parser stays out of it; nothing in a heading, subheading,
label or list item (read/marks.py `is_heading`) is a candidate, since
headlines are not the article's reported speech (docs/quotes.md); page
boilerplate ("ALSO READ", "Story continues below advertisement") never is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from storydesk.read.cues import (
    DIRECTIVE_CUES,
    NAMING_VERBS,
    cue_class,
    gerund_complement,
    is_inference,
    is_noun_cue,
    misread_participle,
    prep_of,
)
from storydesk.read.marks import Quoted, headings, paragraphs
from storydesk.read.nlp import doc_text
from storydesk.records import Mention, QuoteKind
from storydesk.settings import QuoteSettings

_INTRO = (":", ",")  # the punctuation that hands a sentence over to a quote
_ADJUNCTS = ("prep", "xcomp", "dative", "oprd")  # verb dependents that complete an object
# Lines that are the page's furniture, not the article's text.
BOILERPLATE = re.compile(
    r"\b(also read|read more|read also|story continues below|advertisement|click here|subscribe|"
    r"photo by|getty images|image source|image caption|follow us|sign up)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Candidate:
    """A span that may be a quote, as the rules found it."""

    start: int
    end: int
    construction: str
    kind: QuoteKind
    cue: Token | None = None
    pieces: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True  # for quoted text: the closing mark was found
    continued: bool = False  # a later paragraph of a quote running over paragraphs
    inside_clause: bool = False  # a quoted fragment inside a clause candidate
    source: Span | None = None  # a speaker the construction itself names ("Name: ..." lines)


class Paragraphs:
    """Paragraph bounds of a text, for "does this run over a line break" questions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = paragraphs(text)
        self._starts = [a for a, _ in self.spans]
        self.headings = set(headings(text))

    def of(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return (0, self.spans[0][0] if self.spans else len(self.text))
        return self.spans[i]

    def index(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def in_heading(self, offset: int) -> bool:
        return self.of(offset) in self.headings


def find_candidates(
    doc: Doc, mentions: list[Mention], quoted: list[Quoted], settings: QuoteSettings
) -> list[Candidate]:
    """Every candidate in `doc`, in text order."""
    text = doc_text(doc)
    paras = Paragraphs(text)
    found: list[Candidate] = []
    for cand in _reported(doc, quoted, settings):
        found.append(cand)
    found.extend(_colon_lines(doc, mentions, settings))
    _cut_trailing_cues(doc, found)
    kept: list[Candidate] = []
    for found_cand in found:
        clipped = _within_paragraph(doc, found_cand, paras)
        if clipped is None or BOILERPLATE.search(text[clipped.start : clipped.end]):
            continue
        share, inside = _quoted_share(doc, clipped, quoted)
        if share >= settings.quoted_share or any(_kind(text, quoted[i]) == "direct" for i in inside):
            continue  # the words are a quote between marks: that candidate carries them
        kept.append(clipped)
    for q in quoted:
        kept.extend(_quoted_candidates(doc, q, quoted, paras, settings, mentions))
    copies = _copied_paragraphs(text, paras)
    kept = [
        c
        for c in kept
        if not paras.in_heading(c.start)
        and paras.of(c.start) not in copies
        and not (c.construction == "quoted" and _named_thing(doc, c))
    ]
    for cand in kept:
        if cand.construction == "quoted":
            cand.inside_clause = any(
                c.construction != "quoted" and c.start <= cand.start and cand.end <= c.end + 1 for c in kept
            )
    return sorted(kept, key=lambda c: (c.start, -c.end))


def _copied_paragraphs(text: str, paras: Paragraphs) -> set[tuple[int, int]]:
    """Paragraphs whose words the article repeats later (a standfirst repeated as the first
    sentence, a page the scraper took twice): the later copy is the one read."""
    seen: dict[str, tuple[int, int]] = {}
    copies: set[tuple[int, int]] = set()
    for a, b in paras.spans:
        words = " ".join(re.findall(r"\w+", text[a:b].lower()))
        if len(words.split()) < _COPY_WORDS:
            continue
        if words in seen:
            copies.add(seen[words])
        seen[words] = (a, b)
    return copies


# A paragraph at least this long found twice is a copy (shorter lines repeat by chance: "Read more").
_COPY_WORDS = 6
# Past participles that give a name ("an operation codenamed 'Iron Wall'", "a group called 'X'").
_NAMING_PARTICIPLES = frozenset("name codename call dub title entitle label term brand".split())  # noqa: SIM905


def _named_thing(doc: Doc, cand: Candidate) -> bool:
    """Text between marks that a naming verb with no one doing the naming gives to a thing ("an
    operation codenamed 'Bunyan al-Marsous' or 'Iron Wall'", "a group called 'X'"): the name of
    a thing, not someone's words. "He called it 'a positive step'" has a namer and stays."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    verb = root.head
    if verb is root or verb.lemma_.lower() not in _NAMING_PARTICIPLES or verb.tag_ not in ("VBN", "VBD"):
        return False
    while True:  # "Carson took the stage and called the system 'rotten'": a conjunct shares the subject
        if any(c.dep_ in ("nsubj", "nsubjpass", "agent", "auxpass") for c in verb.children):
            return False
        if verb.dep_ != "conj" or verb.head is verb:
            return True
        verb = verb.head


def _cut_trailing_cues(doc: Doc, found: list[Candidate]) -> None:
    """A content that runs into another speech act hung after it ("urged residents to stay
    home, advising them to ignore rumours", "said X, adding Y") or into the writer's inference
    ("said X, indicating that Y") ends before it."""
    cues = [c.cue for c in found if c.cue is not None and c.cue.dep_ in ("advcl", "conj")]
    # "... the talks would go on, indicating that ...": the writer's inference ends the content too
    for cand in found:
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        cues += [t for t in span or () if t.tag_ == "VBG" and is_inference(t)]
    for cand in found:
        for cue in cues:
            if cand.cue is not None and cue is not cand.cue and cand.start < cue.idx < cand.end:
                cut = doc[cue.left_edge.i : cue.i + 1]
                if cut.start_char > cand.start:
                    span = _trim(doc.char_span(cand.start, cut.start_char, alignment_mode="contract") or doc[0:0])
                    if span is not None and len(span) >= 2:
                        cand.end = span.end_char


# -- reported speech --------------------------------------------------------------------------------
def _reported(doc: Doc, quoted: list[Quoted], settings: QuoteSettings) -> list[Candidate]:
    found: list[Candidate] = []
    inside = _inside_quotes(doc, quoted)
    for token in doc:
        if inside[token.i]:
            continue
        if is_noun_cue(token):
            clause = next(c for c in token.children if c.dep_ in ("acl", "ccomp") and c.i > token.i)
            span = _subtree(clause)
            if len(span) > 1 and span[0].lower_ == "that" and span[0].dep_ == "mark":
                span = span[1:]  # "a claim that ...": the complementizer is the writer's
            found.append(Candidate(span.start_char, span.end_char, "noun", "indirect", cue=token))
            continue
        cls = cue_class(token)
        if cls == "according":
            according = _according_content(token, settings)
            if according is not None:
                found.append(Candidate(according.start_char, according.end_char, "according", "indirect", cue=token))
            continue
        if cls is None or token.pos_ != "VERB":
            continue
        if token.dep_ == "parataxis" and token.head.i < token.i and not _has_clause(token):
            # "The emails covered many topics, the Times said, including ...": the
            # cue stands inside the clause it reports.
            inner = _without(token.head, token, settings)
            if inner is not None:
                found.append(Candidate(inner.start_char, inner.end_char, "parenthetical", "indirect", cue=token))
            continue
        content = _content_of(token, settings)
        if content is not None:
            span, construction = content
            found.append(Candidate(span.start_char, span.end_char, construction, "indirect", cue=token))
    return found


def _inside_quotes(doc: Doc, quoted: list[Quoted]) -> list[bool]:
    """Per token, whether it starts inside quotation marks (one pass, not a search per token)."""
    inside = [False] * len(doc)
    for q in quoted:
        for a, b in q.pieces:
            span = doc.char_span(a, b, alignment_mode="expand")
            for i in range(span.start, span.end) if span is not None else ():
                inside[i] = a <= doc[i].idx < b
    return inside


def _content_of(cue: Token, settings: QuoteSettings) -> tuple[Span, str] | None:
    """What a cue verb reports: its clause, its "to"-infinitive with the one addressed, or its object."""
    # The clause may stand before its cue ("Victory is vital, he said after the meeting").
    misread = misread_participle(cue)
    if misread is not None:
        span = _trim(cue.doc[cue.i + 1 : misread.right_edge.i + 1])
        return (span, "clause") if span is not None else None
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    # The parser may hang a heading above on the cue as a second clause: take the one on the cue's line.
    text = doc_text(cue.doc)
    same_line = [c for c in clauses if "\n" not in text[min(c.idx, cue.idx) : max(c.idx, cue.idx)]]
    clause = next((c for c in same_line if c.i > cue.i), same_line[0] if same_line else None)
    if clause is not None:
        span = _subtree(clause)
        if span.start <= cue.i < span.end:
            # "which India alleged was backed by Pakistan": the parser hung the relative pronoun
            # on the clause, so its subtree holds the cue; what was said follows the cue
            span = _trim(cue.doc[cue.i + 1 : span.end]) or span
        if len(span) > 1 and span[0].lower_ == "that" and span[0].dep_ == "mark":
            span = span[1:]  # the complementizer is the writer's, not part of what was said
        if not any(t.pos_ in ("VERB", "AUX") for t in span):
            return None  # "said post-match": a word the parser took for a clause says nothing
        return span, "clause"
    children = [c for c in cue.children if c.i > cue.i]
    lemma = cue.lemma_.lower()
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    infinitive = next((c for c in children if c.dep_ == "xcomp"), None)
    if infinitive is not None and lemma in DIRECTIVE_CUES:
        # "urged women to vote for Clinton", "vowed to stay in the race": the infinitive,
        # with the one addressed when it stands before it
        wanted = _trim(cue.doc[infinitive.left_edge.i : infinitive.right_edge.i + 1])
        return (wanted, "directive") if wanted is not None else None
    gerund = gerund_complement(cue)
    if gerund is not None:
        # "acknowledged having received some positive news": a clause without a subject of its own
        span = _trim(_gerund_clause(gerund))
        return (span, "clause") if span is not None and len(span) >= settings.min_object_tokens else None
    prep = prep_of(cue)
    if prep is not None:
        # "called for more flexibility", "called on the US to strike": the object of the preposition
        if prep.dep_ == "mark":
            asked = _trim(cue.doc[prep.i + 1 : prep.head.right_edge.i + 1])
            return (asked, "directive") if asked is not None else None
        target = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if target is None:
            return None
        return _object_with_adjuncts(cue, target, first=prep), "directive"
    if obj is not None and lemma == "say" and obj.right_edge.i - obj.left_edge.i + 1 >= settings.min_object_tokens:
        # "says the movement appeals to ...": the parser's misreading of a content clause. Other
        # speech verbs' objects are things ("announced new tariffs"), never quotes (docs/quotes.md).
        return _object_with_adjuncts(cue, obj), "object"
    return None


def _object_with_adjuncts(cue: Token, obj: Token, *, first: Token | None = None) -> Span:
    """An object with the phrases the parser hung on its verb right after it ("called on
    Russia to cease fire" is one request)."""
    end = (first or obj).right_edge.i
    for child in cue.children:
        if child.i == end + 1 and child.dep_ in _ADJUNCTS:
            if any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree):
                break  # "on Sunday" says when it was said, not what
            end = child.right_edge.i
    return _trim(cue.doc[obj.left_edge.i : end + 1]) or _subtree(obj)


def _gerund_clause(gerund: Token) -> Span:
    """A gerund's clause without a finite verb the parser joined to it ("having received
    news but cautioned, '...'": the caution is the speaker's next act, not what was admitted);
    a second gerund ("denied taking bribes and lying") belongs to it."""
    kept = [gerund]
    conjuncts = [c for c in gerund.children if c.dep_ == "conj" and c.tag_ != "VBG"]
    if conjuncts:
        first = min(c.left_edge.i for c in conjuncts)
        cc = [c for c in gerund.children if c.dep_ == "cc" and c.i < first]
        stop = min([first] + [c.i for c in cc])
        kept = [c for c in gerund.children if c.i < stop]
        end = max([gerund.i] + [c.right_edge.i for c in kept])
        return gerund.doc[gerund.left_edge.i : end + 1]
    return _subtree(gerund)


def _has_clause(cue: Token) -> bool:
    return any(c.dep_ in ("ccomp", "dobj") for c in cue.children)


def _without(clause: Token, inner: Token, settings: QuoteSettings) -> Span | None:
    """The clause headed by `clause` up to where the subtree of `inner` begins (or after it ends)."""
    doc = clause.doc
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    cut = (inner.left_edge.i, inner.right_edge.i + 1)
    span = _trim(doc[start : cut[0]]) if cut[0] > start else _trim(doc[cut[1] : end])
    return span if span is not None and len(span) >= settings.min_object_tokens else None


def _colon_lines(doc: Doc, mentions: list[Mention], settings: QuoteSettings) -> list[Candidate]:
    """'Lynch: No outside influence on FBI probe': a line opening with a name and a colon."""
    found = []
    text = doc_text(doc)
    for m in mentions:
        if m.type not in ("person", "organization") or (m.start > 0 and text[m.start - 1] != "\n"):
            continue
        rest = text[m.end : m.end + 4]
        stripped = rest.lstrip(" ")
        if not stripped.startswith(":"):
            continue
        colon = m.end + len(rest) - len(stripped)
        line_end = text.find("\n", colon)
        line_end = len(text) if line_end < 0 else line_end
        source = doc.char_span(m.start, m.end, alignment_mode="expand")
        content = doc.char_span(colon + 1, line_end, alignment_mode="expand")
        if source is not None and content is not None:
            trimmed = _trim(content)
            if trimmed is not None and len(trimmed) >= settings.min_object_tokens:
                found.append(Candidate(trimmed.start_char, trimmed.end_char, "colon", "indirect", source=source))
    return found


def _according_content(according: Token, settings: QuoteSettings) -> Span | None:
    """The clause "according to X" is attached to, without the phrase itself."""
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
    return span if span is not None and len(span) >= settings.min_object_tokens else None


def _within_paragraph(doc: Doc, cand: Candidate, paras: Paragraphs) -> Candidate | None:
    """The candidate cut to the paragraph of its cue (or of its start): a heading the parser
    glued onto a sentence is not part of it."""
    anchor = cand.cue.idx if cand.cue is not None else cand.start
    if cand.source is not None:
        anchor = cand.source.start_char
    a, b = paras.of(anchor)
    start, end = max(cand.start, a), min(cand.end, b)
    if start >= end:
        return None
    if (start, end) != (cand.start, cand.end):
        span = doc.char_span(start, end, alignment_mode="contract")
        trimmed = _trim(span) if span is not None and len(span) else None
        if trimmed is None or len(trimmed) < 2:
            return None
        cand.start, cand.end = trimmed.start_char, trimmed.end_char
    return cand


# -- quoted text ------------------------------------------------------------------------------------
def _quoted_candidates(
    doc: Doc, q: Quoted, quoted: list[Quoted], paras: Paragraphs, settings: QuoteSettings, mentions: list[Mention]
) -> list[Candidate]:
    text = doc_text(doc)
    out: list[Candidate] = []
    for n, (a, b) in enumerate(q.pieces):
        while b > a and text[b - 1] in ", \n":  # '"…will agree," he said': the comma is the writer's
            b -= 1
        while a < b and text[a] in " \n":
            a += 1
        para_start = paras.of(a)[0]
        if b <= a or BOILERPLATE.search(text[a:b]) or BOILERPLATE.search(text[para_start : min(a, para_start + 40)]):
            continue  # "ALSO READ: “Markets tumble ...”": a link to another article
        if any(m.type == "person" and m.start < a and b < m.end for m in mentions):
            continue  # 'Marcia "Cia" Price': a nickname inside a person's name, not something said
        piece = Quoted(pieces=[(a, b)], closed=q.closed or n < len(q.pieces) - 1)
        inner = doc.char_span(a, b, alignment_mode="expand")
        if inner is None or not len(inner) or not inner.text.strip():
            continue
        kind = "direct" if n > 0 else _kind(text, q)
        cue = (
            _cue_for(doc, piece, kind, quoted, inner, settings)
            if n == 0 or paras.index(a) == paras.index(q.start)
            else None
        )
        cand = Candidate(a, b, "quoted", kind, cue=cue, closed=piece.closed, continued=n > 0, pieces=[(a, b)])
        _transcript_label(doc, cand, mentions)
        out.append(cand)
    return out


def _transcript_label(doc: Doc, cand: Candidate, mentions: list[Mention]) -> None:
    """'"WALLACE: If I may, sir, ..."': a quoted transcript line opens with its speaker's label,
    a name in capitals or a person's name before a colon; the label is the speaker, not the quote."""
    text = doc_text(doc)
    label = _LABEL.match(text, cand.start, min(cand.end, cand.start + 45))
    if label is None:
        return
    name_end = cand.start + len(label.group(1))
    person = any(m.start == cand.start and m.end == name_end and m.type == "person" for m in mentions)
    if not (label.group(1).isupper() or person):
        return
    source = doc.char_span(cand.start, name_end, alignment_mode="expand")
    rest = doc.char_span(label.end(), cand.end, alignment_mode="contract")
    if source is None or rest is None or not len(rest):
        return
    cand.source, cand.start, cand.kind = source, rest.start_char, "direct"


_LABEL = re.compile(r"([A-Z][\w.'’ -]{1,40}?):\s+")


def _kind(text: str, q: Quoted) -> QuoteKind:
    """Direct when the quote stands on its own: at a sentence start or after ":" or ","; else partial."""
    prefix = text[max(0, q.start - 200) : q.start - 1]
    before = prefix.rstrip()[-1:]
    content = text[q.start : q.end].lstrip()
    if prefix.rstrip(" \t")[-1:] in ("", "\n") or before in _INTRO:  # opens its paragraph, or is handed over
        return "direct"
    if before in ".!?—–(" and content[:1].isupper():
        return "direct"
    return "partial"


def _cue_for(
    doc: Doc, q: Quoted, kind: QuoteKind, quoted: list[Quoted], inner: Span, settings: QuoteSettings
) -> Token | None:
    """The cue that introduces a quoted span: one the quote hangs on first, else the nearest in reach."""
    text = doc_text(doc)
    sentences = {sent.start: sent for sent in sentences_of(inner)}
    window = max(0, q.start - 200)
    before = text[window : q.start - 1].rstrip()
    if before[-1:] in _INTRO:
        mark = window + len(before) - 1
        sent = doc.char_span(mark, mark + 1, alignment_mode="expand")
        if sent is not None:
            sentences.setdefault(sent[0].sent.start, sent[0].sent)
    after = q.end + 1
    while after < len(text) and text[after - 1] in ",":
        after += 1
    rest = text[after : after + 8].lstrip(" ")
    follow = doc.char_span(after, min(after + 1, len(text)), alignment_mode="expand") if q.closed else None
    if follow is not None and follow.text.strip():
        sent = follow[0].sent
        # '"…," he said.' continues the sentence; '"…." Trump said.' is a short
        # sentence of its own that only names the speaker.
        if (
            text[q.end : q.end + 1] == ","
            or rest[:1].islower()
            or rest[:1] == ","
            or len(sent) <= settings.short_cue_tokens
        ):
            sentences.setdefault(sent.start, sent)
    tokens = [t for sent in sentences.values() for t in sent]
    if q.closed and text[q.end : q.end + 1] in "\"”»’'":
        # '"… matter!" Trump disclosed.', '"…!!!" Abdullah posted on X, expressing …': a short
        # clause after the quote names its speaker even when the parser ran it into the next sentence.
        stop = re.search(r"[.!?\n,;(]", text[q.end + 1 : q.end + 200])
        tail = doc.char_span(q.end + 1, q.end + 1 + (stop.start() if stop else 0), alignment_mode="contract")
        if tail is not None and 0 < len([t for t in tail if not t.is_punct]) <= settings.short_cue_tokens:
            tokens.extend(tail)
    candidates = [
        t
        for t in dict.fromkeys(tokens)
        if (cue_class(t) in ("speech", "prep", "according") or _names(t))
        and not in_quotes(t.idx, quoted)
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


# -- spans ------------------------------------------------------------------------------------------
def _subtree(token: Token) -> Span:
    span = _trim(token.doc[token.left_edge.i : token.right_edge.i + 1])
    return span if span is not None else token.doc[token.i : token.i + 1]


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct and doc[start].text not in "\"“„«‘'" or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in ",;:-–—.!?" or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


def _quoted_share(doc: Doc, cand: Candidate, quoted: list[Quoted]) -> tuple[float, set[int]]:
    """How much of a clause lies inside quotation marks, and which quoted spans it holds."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    words = [t for t in span if not t.is_punct and not t.is_space] if span is not None else []
    if not words:
        return 0.0, set()
    inside: set[int] = set()
    count = 0
    for t in words:
        hit = quoted_index(t.idx, quoted)
        if hit is not None:
            inside.add(hit)
            count += 1
    # A quoted span reaching past the clause is not part of it.
    inside = {i for i in inside if quoted[i].start >= cand.start - 1 and quoted[i].end <= cand.end + 1}
    return count / len(words), inside


def quoted_index(offset: int, quoted: list[Quoted]) -> int | None:
    """The index of the quoted span holding an offset, or None."""
    i = bisect_right(quoted, offset, key=lambda q: q.start) - 1
    # Quoted spans do not nest, so only the last one starting before `offset` can hold it.
    if i >= 0 and any(a <= offset < b for a, b in quoted[i].pieces):
        return i
    return None


def in_quotes(offset: int, quoted: list[Quoted]) -> bool:
    return quoted_index(offset, quoted) is not None


def sentences_of(span: Span) -> list[Span]:
    """The sentences a span touches (asking each token for its sentence costs a walk per token)."""
    doc = span.doc
    sent = span[0].sent
    found = [sent]
    while sent.end < span.end and sent.end < len(doc):
        sent = doc[sent.end].sent
        found.append(sent)
    return found
