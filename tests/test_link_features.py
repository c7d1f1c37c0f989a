"""The encoder's text budget (issue 13): the lead cut to a number of the encoder's tokens."""

from __future__ import annotations

import subprocess
import sys

import pytest

from storydesk.link.features import _model, encoder_text, lead_of
from storydesk.records import Article

BODY = (
    "Kremlin spokesperson Dmitri Peskov said on Tuesday that Russia would study the proposal. "
    "He added that 1,100 square kilometres were at stake in the talks, which resume on Friday in Geneva. "
    "Officials in Valdoria said about 200 people had been evacuated, according to the regional government, "
    "and that the ferry to Oskel would not run before the weekend."
)


def _article(text: str = BODY, title: str = "Russia to study ceasefire proposal") -> Article:
    return Article(id="a1", source="t", title=title, text=text)


def test_no_cap_embeds_the_lead() -> None:
    assert encoder_text(_article(), 600, 0) == lead_of(_article(), 600)


@pytest.mark.parametrize("tokens", [16, 32, 48, 64])
def test_the_text_fits_the_budget_and_starts_the_lead(tokens: int) -> None:
    text = encoder_text(_article(), 600, tokens)
    assert _model().token_count(text) <= tokens
    assert lead_of(_article(), 600).startswith(text)
    assert _model().token_count(text) >= tokens // 2  # the budget is used, not wasted


def test_a_text_without_spaces_is_cut_between_characters() -> None:
    text = "俄罗斯总统府发言人佩斯科夫周二表示俄罗斯将研究这项提议" * 6
    cut = encoder_text(_article(text=text, title=""), 600, 24)
    assert 0 < _model().token_count(cut) <= 24
    assert text.startswith(cut)


def test_issue13_stop_words_equal_spacys_lists_without_loading_its_languages() -> None:
    """The lists are read from spaCy's files alone (round 6): the same words as importing each
    `spacy.lang.X.stop_words`, without running `spacy.lang.fr`'s ~2 s tokenizer exceptions."""
    from importlib import import_module

    from storydesk.link import features

    code = (
        "from storydesk.link import features; import sys; features._stop_words(); print('spacy.lang.fr' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == ["False"]
    expected: set[str] = set()
    for language in features.STOP_WORD_LANGUAGES:
        expected |= import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    assert features._stop_words() == frozenset(w.lower() for w in expected)


def test_issue13_the_stored_lead_vector_follows_the_token_cap(store, settings, seeds) -> None:
    """The vector linking keeps is the one of the capped lead (`embed_tokens`), and a change of the cap
    embeds every lead again under a key naming it (round 7: the cap became a default)."""
    import json

    import numpy as np

    from storydesk import pipeline
    from storydesk.link.features import embed
    from storydesk.link.stories import embed_key

    def stored() -> dict[str, tuple[np.ndarray, str]]:
        rows = store.stories.article_features(ids)
        return {a: (np.frombuffer(v, dtype=np.float32), json.loads(d)["embed"]) for a, (v, d) in rows.items()}

    ids = pipeline.ingest([str(seeds)], store, settings).new
    chars = settings.link.embed_chars
    for cap in (settings.link.embed_tokens, 0 if settings.link.embed_tokens else 64):
        settings.link.embed_tokens = cap
        pipeline.relink(store, settings)
        articles = store.articles.get_many(ids)
        expected = embed([encoder_text(a, chars, cap) for a in articles])
        got = stored()
        for article, vector in zip(articles, expected, strict=True):
            assert got[article.id][1] == embed_key(settings.link)
            assert float(np.dot(got[article.id][0], vector)) > 0.9999
    assert encoder_text(articles[0], chars, 64) != encoder_text(articles[0], chars, 0)  # the cap cut something


# Issue 10, round 9: the language-independent signals read Russian and Ukrainian as they read English. Written
# sentences of one happening (talks in Istanbul on Wednesday 12 March), in three languages.
EN = (
    "Ukrainian President Volodymyr Zelensky said on Wednesday, March 12, that Kremlin spokesman Dmitry Peskov "
    "had not answered. Talks in Istanbul on a 30-day ceasefire lasted 1,679 minutes, Witkoff said."
)
RU = (
    "Президент Украины Владимир Зеленский заявил 12 марта, что пресс-секретарь Кремля Дмитрий Песков не ответил. "
    "Переговоры в Стамбуле о 30-дневном перемирии длились 1 679 минут, сообщил Уиткофф."
)
UK = (
    "Після переговорів у Стамбулі президент України Володимир Зеленський заявив у середу, що речник Кремля "
    "Дмитро Пєсков не відповів. Також Віткофф повідомив про 30-денне перемир'я."
)


def _names(text: str, language: str) -> set[str]:
    from storydesk.link.features import names_of

    return set(names_of(Article(id="a", source="t", text=text, language=language)))


@pytest.mark.parametrize(
    ("spellings", "same"),
    [
        (("Zelensky", "Зеленский", "Зеленського", "Selenskyj", "Zelenskyy"), True),
        (("Peskov", "Песков", "Пєсков", "Peskow"), True),
        (("Putin", "Путин", "Путіна"), True),
        (("Istanbul", "Стамбул"), False),  # another name, not a spelling: they share no key
    ],
)
def test_issue10_cyrillic_names_share_a_key_with_their_english_spelling(spellings: tuple[str, ...], same: bool) -> None:
    from storydesk.link.features import name_keys

    keys = [set(name_keys(s)) for s in spellings]
    shared = set.intersection(*keys)
    assert bool(shared) is same


def test_issue10_russian_and_ukrainian_reports_name_the_actors_of_the_english_one() -> None:
    from storydesk.link.features import name_keys

    english = _names(EN, "en")
    for text, language in ((RU, "ru"), (UK, "uk")):
        shared = english & _names(text, language)
        for actor in ("Zelensky", "Peskov", "Kremlin"):
            assert set(name_keys(actor)) & shared, (language, actor)
        # Witkoff in Cyrillic ("Уиткофф", "Віткофф") meets the English spelling on its consonant skeleton
        assert name_keys("Witkoff")[1] in shared, language


def test_issue10_ukrainian_function_words_starting_a_sentence_are_no_names() -> None:
    """spaCy's Ukrainian stop words, as for the other languages: "Після" (after) and "Також" (also) open
    sentences, capitalised, and were read as names no other report shares (round 9)."""
    from storydesk.link.features import name_keys

    names = _names(UK, "uk")
    for word in ("Після", "Також"):
        assert not set(name_keys(word)) & names, word
    assert set(name_keys("Стамбулі")) <= names


def test_issue10_days_and_numbers_written_in_russian_and_ukrainian_are_the_english_ones() -> None:
    from storydesk.link.days import date_tokens
    from storydesk.link.features import numbers_of

    english = Article(id="en", source="t", text=EN, language="en")
    russian = Article(id="ru", source="t", text=RU, language="ru")
    assert "md:03-12" in set(date_tokens(english, None)) & set(date_tokens(russian, None))
    # "у середу" (on Wednesday) resolved against the article's day, Thursday 13 March 2025
    ukrainian = Article(id="uk", source="t", text=UK, language="uk")
    assert "md:03-12" in date_tokens(ukrainian, "2025-03-13")
    assert date_tokens(ukrainian, None) == []  # a weekday alone dates nothing
    assert date_tokens(
        Article(id="r", source="t", text="Переговоры пройдут в среду.", language="ru"), "2025-03-13"
    ) == ["md:03-12"]
    assert {"30", "1679"} <= set(numbers_of(english)) & set(numbers_of(russian))
    assert "30" in numbers_of(ukrainian)
