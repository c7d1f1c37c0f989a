"""The spaCy pipeline: loaded once per process, run in batches."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, cast

import numpy
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Sentencizer
from spacy.tokens import Doc, Token
from thinc.api import NumpyOps, get_current_ops, set_current_ops

from storydesk.records import Article
from storydesk.settings import ReadSettings


class BlasOps(NumpyOps):
    """thinc's CPU ops with matrix products by numpy's OpenBLAS instead of blis.

    The tok2vec layers are mostly (tokens x 288) @ (288 x 288) products; on this
    project's machines (AVX-512) OpenBLAS runs them 1.7x faster than the blis
    kernel thinc picks, and the parses come out identical (docs/benchmarks.md,
    "Pipeline"). Everything else, the parser's own loop included, is NumpyOps.
    """

    name = "storydesk-blas"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):  # type: ignore[no-untyped-def, override]
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    """Load the pipeline once per process (the model ships as a pinned registry package).

    A line break starts a sentence before the parser runs: the small model otherwise runs a
    headline, a dateline or a list item into the next paragraph's first sentence and makes
    headline words its subject ("China Retaliates with Tariffs ... / China's finance ministry
    announced ..."), which no rule after the parse can undo.
    """
    previous = get_current_ops()
    set_current_ops(BlasOps())  # the models take the ops current when they are built
    try:
        nlp = spacy.load(model)
    finally:
        set_current_ops(previous)
    if "parser" in nlp.pipe_names and _PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(_PARAGRAPHS, before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        ruler: Any = nlp.get_pipe("attribute_ruler")
        single = _SingleTokenRules.build(ruler)
        if single is not None:
            ruler.match = single
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) == "rule":
            lemmatizer.lemmatize = _LemmaCache(lemmatizer.lemmatize)
    return nlp


class _LemmaCache:
    """spaCy's rule lemmatizer with every answer cached, not only some.

    Its own cache (keyed on the word, POS and morphology, which are all a lemma depends on)
    skips the early answers: base forms, proper nouns and punctuation, most tokens of news,
    are worked out again at every occurrence (`is_base_form` parses the morphology each
    time). A third of the English parse's CPU went to the attribute ruler and this
    lemmatizer (docs/benchmarks.md, "Round 5"); the lemmas are the same.
    """

    def __init__(self, lemmatize: Callable[[Token], list[str]]) -> None:
        self.lemmatize = lemmatize
        self.cache: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) > _CACHE_MAX:
                self.cache.clear()
            found = self.cache[key] = self.lemmatize(token)
        return found


_CACHE_MAX = 500_000


class _SingleTokenRules:
    """The attribute ruler's matching, its one-token rules looked up per distinct token.

    spaCy's AttributeRuler runs a Matcher with all its rules (179 in en_core_web_sm, nearly
    all one token: a tag, a word, a dependency label) over every token. Here a one-token
    rule is decided once per distinct (tag, lowercase word, dependency, is-space) and
    remembered; the few longer rules ("gon na", "ai n't") still go through a Matcher of
    their own. The match list is the one spaCy sorts and applies (`AttributeRuler.match`),
    so the tokens' POS, morphology and lemmas come out the same (tests/test_read_nlp.py
    compares every token of real articles). Built only when every one-token rule uses the
    attributes and operators handled here; otherwise spaCy's own matching stays.
    """

    _ATTRS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}

    def __init__(self, ruler: Any, rules: list[tuple[int, int, list[Callable[[tuple[Any, ...]], bool]]]], longer: Any):
        self.ruler = ruler
        self.rules = rules  # (attribute-rule id, its match id, one test per one-token pattern)
        self.longer = longer  # a Matcher of the longer rules, or None
        self.memo: dict[tuple[Any, ...], tuple[tuple[int, int], ...]] = {}

    @classmethod
    def build(cls, ruler: Any) -> _SingleTokenRules | None:
        from spacy.matcher import Matcher

        rules: list[tuple[int, int, list[Callable[[tuple[Any, ...]], bool]]]] = []
        longer = Matcher(ruler.vocab, validate=False)
        has_longer = False
        for attr_id, entry in enumerate(ruler.patterns):
            key = str(attr_id)
            match_id = ruler.vocab.strings.add(key)
            if any(len(pattern) != 1 for pattern in entry["patterns"]):
                longer.add(key, entry["patterns"])
                has_longer = True
                continue
            tests = [cls._test(pattern[0]) for pattern in entry["patterns"]]
            if any(test is None for test in tests):
                return None
            rules.append((attr_id, match_id, tests))  # type: ignore[arg-type]
        return cls(ruler, rules, longer if has_longer else None)

    @classmethod
    def _test(cls, spec: dict[str, Any]) -> Callable[[tuple[Any, ...]], bool] | None:
        checks: list[tuple[int, str, Any]] = []
        names = list(cls._ATTRS)
        for attr, value in spec.items():
            if attr not in cls._ATTRS:
                return None
            slot = names.index(attr)
            if isinstance(value, dict):
                if len(value) != 1:
                    return None
                ((op, arg),) = value.items()
                if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                    checks.append((slot, op, frozenset(arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    checks.append((slot, op, re.compile(arg)))
                else:
                    return None
            elif isinstance(value, (str, bool)):
                checks.append((slot, "==", value))
            else:
                return None

        def test(token: tuple[Any, ...]) -> bool:
            for slot, op, arg in checks:
                value = token[slot]
                if op == "==":
                    if value != arg:
                        return False
                elif op == "IN":
                    if value not in arg:
                        return False
                elif op == "NOT_IN":
                    if value in arg:
                        return False
                elif not arg.search(value):
                    return False
            return True

        return test

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if not (doc.has_annotation("TAG") and doc.has_annotation("DEP")):
            return cast(list[tuple[int, int, int, int]], _ORIGINAL_MATCH(self.ruler, doc))
        matches: list[tuple[int, int, int, int]] = []
        memo = self.memo
        for token in doc:
            key = (token.tag_, token.lower_, token.dep_, token.is_space)
            hits = memo.get(key)
            if hits is None:
                if len(memo) > _CACHE_MAX:
                    memo.clear()
                hits = memo[key] = tuple(
                    (attr_id, match_id) for attr_id, match_id, tests in self.rules if any(t(key) for t in tests)
                )
            i = token.i
            matches.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in hits)
        if self.longer is not None:
            strings = self.ruler.vocab.strings
            for match_id, start, end in self.longer(doc, allow_missing=True):
                matches.append((int(strings[match_id]), match_id, start, end))
        matches.sort()
        return matches


_PARAGRAPHS = "storydesk_paragraph_starts"
_ORIGINAL_MATCH = AttributeRuler.match


@Language.component(_PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start (the parser keeps preset starts)."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


def reading_text(article: Article, settings: ReadSettings) -> str:
    """The part of the body that is read: all of it, up to `max_chunk_chars`.

    spaCy's memory grows with document length; a body longer than the cap is
    read up to the last paragraph break before it (or cut hard inside a single
    huge paragraph) and the article says so in `read_note`. Offsets stay valid
    because the read text is a prefix of `article.text`.
    """
    text = article.text
    if len(text) <= settings.max_chunk_chars:
        return text
    cut = text.rfind("\n\n", 0, settings.max_chunk_chars)
    if cut <= 0:
        cut = text.rfind(" ", 0, settings.max_chunk_chars)
    if cut <= 0:
        cut = settings.max_chunk_chars
    return text[:cut]


def parse(nlp: Language, articles: list[Article], settings: ReadSettings) -> Iterator[Doc]:
    texts = [reading_text(a, settings) for a in articles]
    docs = pipe_texts(nlp, texts, settings)
    for article, text, doc in zip(articles, texts, docs, strict=True):
        if len(text) < len(article.text):
            article.read_note = f"read the first {len(text):,} of {len(article.text):,} characters"
        doc.user_data[_TEXT] = text
        yield doc


def pipe_texts(nlp: Language, texts: list[str], settings: ReadSettings) -> Iterator[Doc]:
    """`nlp.pipe`, or with `settings.selective_parse` (one process, an English pipeline) `parse_selected`."""
    if settings.selective_parse and settings.n_process == 1 and can_select(nlp):
        return parse_selected(nlp, texts, batch_size=settings.batch_size, context=settings.selective_context)
    return iter(nlp.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process))


_TEXT = "storydesk_text"


def doc_text(doc: Doc) -> str:
    """The document's text; kept from parsing because `Doc.text` joins every token on each access."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


# -- selective parsing (issue 13) ------------------------------------------------------------------
# The attributes the parsing components give a token; copied from each parsed piece into its document.
_PARSED_ATTRS = [TAG, POS, MORPH, LEMMA, HEAD, DEP]
# Words that name a day, beside the month and weekday names: the date rules read the tense of the
# verb a relative date hangs on ("on Monday" said or planned).
_DAY_WORDS = frozenset("today yesterday tomorrow tonight ago weekend".split())  # noqa: SIM905


def can_select(nlp: Language) -> bool:
    """Whether a pipeline can be parsed selectively: an English one whose NER has its own tok2vec
    (so NER over the whole text is the same with or without the shared layers) and runs last."""
    names = nlp.pipe_names
    if nlp.lang != "en" or not names or names[-1] != "ner" or "parser" not in names:
        return False
    return not any("ner" in getattr(proc, "listening_components", ()) for _, proc in nlp.pipeline)


def parse_selected(nlp: Language, texts: list[str], *, batch_size: int, context: int) -> Iterator[Doc]:
    """Parse texts with the parsing components only on the sentences that can hold a quote, a role
    or a claim, then NER on all of it.

    Each text is tokenised and split into sentences by line breaks and spaCy's rule `Sentencizer`;
    the runs of selected sentences (`_Selector`) are joined into one document per text, each run
    opening a sentence, and parsed with every component but NER (`nlp.pipe(..., disable=["ner"])`), and their tags, POS, morphology, lemmas,
    heads and labels are written back into the whole document with `Doc.from_array`. Inside a
    parsed run the parser's sentences stand; an unparsed sentence keeps its rule sentence start,
    its tokens are their own heads with no label, tag, POS or lemma (nothing a rule could take for
    a parse). NER then runs over the whole document, as last in the full pipeline.
    """
    selector = _selector(nlp)
    for start in range(0, len(texts), batch_size):
        docs = [nlp.make_doc(text) for text in texts[start : start + batch_size]]
        runs = [selector.runs(selector.sentencizer(paragraph_starts(doc)), context=context) for doc in docs]
        # one piece per document: its selected runs one after the other, each opening a sentence
        # (the parser keeps preset starts and draws no arc across them)
        pieces = [_piece(doc, found) for doc, found in zip(docs, runs, strict=True)]
        parsed = nlp.pipe(pieces, batch_size=batch_size, disable=["ner"])
        for k, (doc, found, piece) in enumerate(zip(docs, runs, parsed, strict=True)):
            if not found:
                continue
            array = _merged(doc, found, piece)
            if array is None:  # not seen on news; should the parser ever join two runs, parse it all
                docs[k] = nlp(doc.text, disable=["ner"])
                continue
            starts = doc.to_array([SENT_START])  # the rule sentences
            doc.from_array(_PARSED_ATTRS, cast(Any, array))  # uint64, as Doc.to_array gives
            # from_array sets sentence starts from the heads and clears them on unparsed tokens;
            # there the rule starts are put back
            unparsed = array[:, _PARSED_ATTRS.index(DEP)] == 0
            merged = doc.to_array([SENT_START])
            merged[unparsed] = starts[unparsed]
            doc.from_array([SENT_START], cast(Any, merged))
        yield from nlp.pipe(docs, batch_size=batch_size, disable=[n for n in nlp.pipe_names if n != "ner"])


def _merged(doc: Doc, runs: list[tuple[int, int]], piece: Doc) -> numpy.ndarray | None:
    """The piece's parse as an array over the whole document (zero outside the runs); None when an
    arc crosses from one run into another, which would point into the wrong place."""
    values = piece.to_array(_PARSED_ATTRS)
    heads = values[:, _PARSED_ATTRS.index(HEAD)].view("int64") + numpy.arange(len(piece))
    array = numpy.zeros((len(doc), len(_PARSED_ATTRS)), dtype="uint64")
    offset = 0
    for a, b in runs:
        inside = heads[offset : offset + b - a]
        if ((inside < offset) | (inside >= offset + b - a)).any():
            return None
        array[a:b] = values[offset : offset + b - a]
        offset += b - a
    return array


def _piece(doc: Doc, runs: list[tuple[int, int]]) -> Doc:
    """The tokens of `runs` as a document of their own, each run starting a sentence."""
    tokens = [doc[i] for a, b in runs for i in range(a, b)]
    firsts = {a for a, _ in runs}
    return Doc(
        doc.vocab,
        words=[t.text for t in tokens],
        spaces=[bool(t.whitespace_) for t in tokens],
        sent_starts=[True if t.i in firsts else None for t in tokens],
    )


class _Selector:
    """Which sentences of a document can hold what the reader reads (selective parsing).

    A sentence is parsed when it holds a quotation mark or lies inside a quotation (read/marks.py),
    a word that may be an inflection of a cue lemma (read/cues.py: speech and naming verbs, speech
    nouns, "according", verbs of speaking), a role word (read/lexicon.py `is_role_word`: titles
    and appositions), a month or weekday name or a word of a day, or a number (spaCy's `like_num`
    or a digit), and `context` sentences before each such sentence. Inflections are undone with the
    pipeline's own lemmatizer tables (its exceptions and suffix rules for verbs and nouns), over-
    generating: a word that might be a cue selects its sentence. Words are judged once per lexeme.
    """

    def __init__(self, nlp: Language) -> None:
        import calendar

        from storydesk.read import cues

        self.sentencizer = Sentencizer()
        self.words = cues.SPEECH_LEMMAS | cues.NOUN_CUES | cues.SPEAKING | {cues.ACCORDING[0]}
        names = [*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr]
        self.days = frozenset(n.lower() for n in names if n) | _DAY_WORDS
        self.rules: list[tuple[str, str]] = []
        self.exceptions: list[dict[str, list[str]]] = []
        lemmatizer: Any = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        lookups = getattr(lemmatizer, "lookups", None)
        if lookups is not None and lookups.has_table("lemma_rules") and lookups.has_table("lemma_exc"):
            for pos in ("verb", "noun"):
                self.rules.extend(tuple(r) for r in lookups.get_table("lemma_rules").get(pos, []))
                self.exceptions.append(lookups.get_table("lemma_exc").get(pos, {}))
        self.memo: dict[int, bool] = {}

    def _word(self, token: Token) -> bool:
        if token.like_num or any(c.isdigit() for c in token.text):
            return True
        word = token.lower_
        if word in self.days or is_role_word_lazy(word):
            return True
        if any(c in _QUOTE_CHARS for c in word):
            return True
        forms = {word}
        for table in self.exceptions:
            forms.update(table.get(word, ()))
        forms.update(word[: len(word) - len(old)] + new for old, new in self.rules if word.endswith(old))
        return not forms.isdisjoint(self.words)

    def runs(self, doc: Doc, *, context: int) -> list[tuple[int, int]]:
        """Token ranges of consecutive selected sentences."""
        from storydesk.read.marks import quoted_spans

        sents = [(s.start, s.end) for s in doc.sents]
        chosen = [False] * len(sents)
        memo = self.memo
        for k, (a, b) in enumerate(sents):
            for token in doc[a:b]:
                hit = memo.get(token.orth)
                if hit is None:
                    if len(memo) > _CACHE_MAX:
                        memo.clear()
                    hit = memo[token.orth] = self._word(token)
                if hit:
                    chosen[k] = True
                    break
        quoted = [piece for q in quoted_spans(doc.text) for piece in q.pieces]
        for k, (a, b) in enumerate(sents):
            start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
            if not chosen[k] and any(qa < end and start < qb for qa, qb in quoted):
                chosen[k] = True
        selected = list(chosen)
        blank = [all(t.is_space for t in doc[a:b]) for a, b in sents]
        for k, hit in enumerate(chosen):
            j, left = k - 1, context
            while hit and left and j >= 0:  # line breaks between paragraphs do not count
                selected[j] = True
                left -= not blank[j]
                j -= 1
        found: list[tuple[int, int]] = []
        for k, (a, b) in enumerate(sents):
            if not selected[k]:
                continue
            if found and found[-1][1] == a:
                found[-1] = (found[-1][0], b)
            else:
                found.append((a, b))
        return found


_QUOTE_CHARS = frozenset('"“”„«»‘’‚')


def is_role_word_lazy(word: str) -> bool:
    from storydesk.read.lexicon import is_role_word

    return is_role_word(word)


@lru_cache(maxsize=4)
def _selector(nlp: Language) -> _Selector:
    return _Selector(nlp)
