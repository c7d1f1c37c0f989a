"""The spaCy pipeline: loaded once per process, run in batches."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
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


# Pipelines trained here and committed (read/train_en_small.py), by the name settings use.
BUNDLED = {"storydesk-en-small": Path(__file__).parent / "models" / "en_small"}


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
        nlp = spacy.load(BUNDLED.get(model, model))
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
            lemmatizer.pipe = _ArrayLemmas(lemmatizer)  # what `nlp.pipe` calls; `nlp(text)` keeps spaCy's loop
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


class _ArrayLemmas:
    """The rule lemmatizer's `pipe`, each document's tokens read and written as arrays.

    spaCy's loop (`Lemmatizer.__call__`) makes a Token object for every token, reads its
    morphology through another object and sets its lemma by string; most of its 7 ms an article
    went there, not into lemmatizing (issue 13, round 15). Here the lemma of each (word, POS,
    morphology) is looked up by its string hashes, the cache's answer (`_LemmaCache`: the same
    key) as a hash, and a token the attribute ruler gave a lemma keeps it, as in spaCy's loop.
    """

    _READ: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.hashes: dict[tuple[int, int, int], int] = {}

    def __call__(self, docs: Iterable[Doc], **_: Any) -> Iterator[Doc]:
        for doc in docs:
            yield self.lemmatize(doc)

    def lemmatize(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not getattr(lemmatizer, "_validated", True):
            return cast(Doc, lemmatizer(doc))  # spaCy's own loop checks its tables once
        rows = doc.to_array(self._READ)
        lemmas: Any = rows[:, 3].copy()  # uint64 string hashes
        hashes, strings, overwrite = self.hashes, doc.vocab.strings, lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                found = hashes.get(key)
                if found is None:
                    if len(hashes) > _CACHE_MAX:
                        hashes.clear()
                    found = hashes[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
                lemmas[i] = found
        return doc.from_array(["LEMMA"], lemmas)


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
    # The same four attributes as `Doc.to_array` reads them: string hashes, and 0/1 for IS_SPACE.
    _ARRAY: list[int | str] = ["TAG", "LOWER", "DEP", "IS_SPACE"]

    def __init__(self, ruler: Any, rules: list[tuple[int, int, list[Callable[[tuple[Any, ...]], bool]]]], longer: Any):
        self.ruler = ruler
        self.rules = rules  # (attribute-rule id, its match id, one test per one-token pattern)
        self.longer = longer  # a Matcher of the longer rules, or None
        self.memo: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}
        # Issue 13 (round 15): a token new to the memo tried every rule (~180 of them, about 240 new
        # tokens an article: 14 ms of a 90 ms parse). A rule that requires a word (LOWER == or IN), or
        # else a tag, is tried only on tokens with that word or tag; the rest on every token.
        self.by_lower: dict[str, list[int]] = {}
        self.by_tag: dict[str, list[int]] = {}
        self.anywhere: list[int] = []

    def _index(self, rule: int, spec: dict[str, Any]) -> None:
        for attr, table in (("LOWER", self.by_lower), ("TAG", self.by_tag)):
            value = spec.get(attr)
            if isinstance(value, str):
                table.setdefault(value, []).append(rule)
                return
            if isinstance(value, dict) and list(value) == ["IN"]:
                for word in value["IN"]:
                    table.setdefault(word, []).append(rule)
                return
        self.anywhere.append(rule)

    def _hits(self, key: tuple[str, str, str, bool]) -> tuple[tuple[int, int], ...]:
        """The (attribute-rule id, match id) of every rule one of whose patterns matches `key`, in rule order."""
        tag, lower = key[0], key[1]
        found: set[int] = set()
        for i in (*self.by_lower.get(lower, ()), *self.by_tag.get(tag, ()), *self.anywhere):
            if i not in found and any(test(key) for test in self.rules[i][2]):
                found.add(i)
        return tuple(self.rules[i][:2] for i in sorted(found))

    @classmethod
    def build(cls, ruler: Any) -> _SingleTokenRules | None:
        from spacy.matcher import Matcher

        rules: list[tuple[int, int, list[Callable[[tuple[Any, ...]], bool]]]] = []
        specs: list[list[list[dict[str, Any]]]] = []
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
            specs.append(entry["patterns"])
        single = cls(ruler, rules, longer if has_longer else None)
        for i, patterns in enumerate(specs):
            if len(patterns) == 1:  # a rule of several patterns is tried on every token
                single._index(i, patterns[0][0])
            else:
                single.anywhere.append(i)
        return single

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
        strings = doc.vocab.strings
        # One array read instead of four attribute lookups on a Token object made for every token.
        for i, row in enumerate(doc.to_array(self._ARRAY).tolist()):
            key = tuple(row)
            hits = memo.get(key)
            if hits is None:
                if len(memo) > _CACHE_MAX:
                    memo.clear()
                tag, lower, dep, space = row
                hits = memo[key] = self._hits((strings[tag], strings[lower], strings[dep], bool(space)))
            if hits:
                matches.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in hits)
        if self.longer is not None:
            for match_id, start, end in self.longer(doc, allow_missing=True):
                matches.append((int(strings[match_id]), match_id, start, end))
        matches.sort()
        return matches


_PARAGRAPHS = "storydesk_paragraph_starts"
_ORIGINAL_MATCH = AttributeRuler.match


@Language.component(_PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start (the parser keeps preset starts),
    and the first after the page's own date line (" date 2025-05-08 Pakistan's military announced ..."):
    metadata, which the parser otherwise reads into the first sentence and its subject (round 14:
    "date 2025-05-08 Pakistan's military" was a speaker, and timeline lines began with the date line)."""
    # A token's trailing space is one " " or none, so a line break is in a token's own text (a space token):
    # found by the distinct words of the document, not by reading every token's text (issue 13, round 15).
    orths = doc.to_array("ORTH")
    strings = doc.vocab.strings
    breaks = [orth for orth in set(orths.tolist()) if "\n" in strings[orth]]
    for i in numpy.flatnonzero(numpy.isin(orths[:-1], breaks)).tolist():
        doc[i + 1].is_sent_start = True
    from storydesk.link.days import page_line_end  # the page format linking reads days from

    line_end = page_line_end(doc[:12].text)
    if line_end:
        after = next((t for t in doc if t.idx >= line_end), None)
        if after is not None and after.i > 0:
            after.is_sent_start = True
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
    docs = nlp.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process)
    for article, text, doc in zip(articles, texts, docs, strict=True):
        if len(text) < len(article.text):
            article.read_note = f"read the first {len(text):,} of {len(article.text):,} characters"
        doc.user_data[_TEXT] = text
        yield doc


_TEXT = "storydesk_text"


def doc_text(doc: Doc) -> str:
    """The document's text; kept from parsing because `Doc.text` joins every token on each access."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text
