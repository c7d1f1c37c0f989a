"""The signals of one article against one group (link/groups.py): names across scripts (issue 10, round 9)."""

from __future__ import annotations

from storydesk.link.features import Features, compute
from storydesk.link.groups import GroupState, pseudo_terms, script_of, signals
from storydesk.records import Article

# One happening in English, Russian, Ukrainian and German (written here, not from a data set).
EN = (
    "US President Donald Trump said India and Russia would join the talks. Kremlin spokesman Dmitry Peskov said "
    "Moscow was ready, and Steve Witkoff flew to Istanbul."
)
EN2 = (
    "Steve Witkoff arrived in Istanbul, where Kremlin spokesman Dmitry Peskov said Russia and India were ready for "
    "talks, as President Donald Trump had asked."
)
RU = (
    "Президент США Дональд Трамп заявил, что Индия и Россия присоединятся к переговорам. Пресс-секретарь Кремля "
    "Дмитрий Песков сказал, что Москва готова, а Стив Уиткофф вылетел в Стамбул."
)
UK = (
    "Президент США Дональд Трамп заявив, що Індія та Росія приєднаються до переговорів. Речник Кремля Дмитро "
    "Пєсков сказав, що Москва готова, а Стів Віткофф вилетів до Стамбула."
)
DE = (
    "US-Präsident Donald Trump sagte, Indien und Russland würden an den Gesprächen teilnehmen. Kremlsprecher "
    "Dmitri Peskow sagte, Moskau sei bereit, und Steve Witkoff flog nach Istanbul."
)


def _feats(text: str, language: str) -> Features:
    return compute(Article(id=language, source="t", text=text, language=language), None)


def _names_signal(article: Features, *members: Features) -> float:
    state = GroupState(id="g")
    for seq, member in enumerate(members):
        state.absorb(member, set(), seq)
    idf = {t: 1.0 for f in (article, *members) for t in pseudo_terms(f)}
    return signals(article, state, idf, time_scale=3.0)["names"]


def test_issue10_scripts_of_languages() -> None:
    assert [script_of(x) for x in ("en", "de", "ru", "uk", "hi", "ur", "und")] == [
        "Latn", "Latn", "Cyrl", "Cyrl", "Deva", "Arab", "Latn",
    ]  # fmt: skip


def test_issue10_a_cyrillic_report_meets_an_english_event_on_its_names_as_an_english_one_does() -> None:
    """Before round 9 a Russian report met an English one on half of each name's keys (the first letters differ
    by transliteration: "Трамп" tramp, "Trump" trump), an English report on all of them, so reports of their own
    language outscored the English event on names alone. Against a group written in another script the names
    signal now also reads the consonant skeletons alone."""
    english = _names_signal(_feats(EN2, "en"), _feats(EN, "en"))
    for text, language in ((RU, "ru"), (UK, "uk")):
        cyrillic = _names_signal(_feats(text, language), _feats(EN, "en"))
        assert cyrillic >= 0.8 * english, (language, cyrillic, english)
        # and the other way round: an English report against a Russian event
        assert _names_signal(_feats(EN2, "en"), _feats(text, language)) >= 0.8 * english


def test_issue10_within_one_script_names_are_compared_on_both_keys_as_before() -> None:
    from storydesk.link.groups import _tfidf_against, group_norms

    for article, member in ((_feats(EN2, "en"), _feats(EN, "en")), (_feats(DE, "de"), _feats(EN, "en"))):
        state = GroupState(id="g")
        state.absorb(member, set(), 0)
        idf = {t: 1.0 for f in (article, member) for t in pseudo_terms(f)}
        both_keys = _tfidf_against(article.names, state.names, "n:", idf, group_norms(state, idf)["names"])
        assert signals(article, state, idf, time_scale=3.0)["names"] == both_keys
