"""The German reader (read/de/, issue 14): sentences, mentions with roles, quotes with speakers, claims, dates."""

from __future__ import annotations

import pytest

from storydesk.read import read_articles
from storydesk.read.de.nlp import load_nlp
from storydesk.records import Article
from storydesk.settings import ReadSettings

ARTICLE = (
    "Der Kremlsprecher Dmitri Peskow sagte am Mittwoch, Russland werde den Vorschlag prüfen. "
    "„Wir brauchen Zeit“, sagte er. Die Außenministerin Annalena Baerbock erklärte, dass die Waffenruhe "
    "ein erster Schritt sei. Laut Baerbock hat die Ukraine zugestimmt. „Das ist ein guter Tag für Europa“, "
    "so Baerbock. Der ukrainische Präsident Wolodymyr Selenskyj betonte: »Wir wollen Frieden.« "
    "Dem Kreml zufolge gibt es noch keine Einigung. Wie der Kremlsprecher mitteilte, ist ein Treffen geplant. "
    "Die Lage sei ernst, sagte Peskow. Er habe keine Eile, die Gespräche könnten dauern."
)


@pytest.fixture(scope="module")
def article() -> Article:
    (read,) = read_articles(
        [Article(id="de1", source="t", text=ARTICLE, language="de", published="2025-03-13")], ReadSettings()
    )
    return read


def test_a_german_article_is_read_not_skipped(article):
    assert article.read_note is None
    assert article.mentions and article.quotes


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Dmitri Peskow", "Kremlsprecher"),
        ("Annalena Baerbock", "Außenministerin"),
        ("Wolodymyr Selenskyj", "ukrainische Präsident"),
    ],
)
def test_titles_before_the_name_are_roles(article, name, role):
    assert any(m.name == name and m.role == role and m.type == "person" for m in article.mentions)


def test_short_forms_carry_the_fullest_name(article):
    assert {m.name for m in article.mentions if m.text == "Peskow"} == {"Dmitri Peskow"}


def test_country_names_are_named_in_english_for_linking(article):
    assert any(m.text == "Russland" and m.name == "Russia" and m.type == "place" for m in article.mentions)


@pytest.mark.parametrize(
    ("text", "kind", "cue", "speaker", "speaker_text"),
    [
        ("Russland werde den Vorschlag prüfen", "indirect", "sagte", "Dmitri Peskow", "Dmitri Peskow"),
        ("Wir brauchen Zeit", "direct", "sagte", "Dmitri Peskow", "er"),
        ("die Waffenruhe ein erster Schritt sei", "indirect", "erklärte", "Annalena Baerbock", "Annalena Baerbock"),
        ("hat die Ukraine zugestimmt", "indirect", "Laut", "Annalena Baerbock", "Baerbock"),
        ("Das ist ein guter Tag für Europa", "direct", "so", "Annalena Baerbock", "Baerbock"),
        ("Wir wollen Frieden.", "direct", "betonte", "Wolodymyr Selenskyj", "Wolodymyr Selenskyj"),
        ("gibt es noch keine Einigung", "indirect", "zufolge", "Kreml", "Kreml"),
        ("ist ein Treffen geplant", "indirect", "mitteilte", "Dmitri Peskow", "der Kremlsprecher"),
        ("Die Lage sei ernst", "indirect", "sagte", "Dmitri Peskow", "Peskow"),
        ("Er habe keine Eile, die Gespräche könnten dauern", "indirect", None, "Dmitri Peskow", "Peskow"),
    ],
)
def test_quotes_have_kind_cue_and_named_speaker(article, text, kind, cue, speaker, speaker_text):
    """Issue 14: „…“/»…« marks, Konjunktiv I, laut/zufolge/so/wie X mitteilte, er and titles resolved."""
    quote = next(q for q in article.quotes if q.text == text)
    assert (quote.kind, quote.cue, quote.speaker, quote.speaker_text) == (kind, cue, speaker, speaker_text)
    assert ARTICLE[quote.start : quote.end] == text


@pytest.mark.parametrize(
    "text",
    [
        "Die Regierung glaubt, dass die Waffenruhe halten werde.",  # belief, not speech
        "Indien startete die Operation „Sindoor“ am Mittwoch.",  # a name in quotation marks
        "Der Republikaner hat den 2. April zum „Befreiungstag“ erklärt.",  # a term
        "Pakistan wies die Vorwürfe zurück.",  # a noun-phrase object
    ],
)
def test_beliefs_names_and_noun_objects_are_not_quotes(text):
    (read,) = read_articles([Article(id="x", source="t", text=text, language="de")], ReadSettings())
    assert read.quotes == []


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "qualifier"),
    [
        ("Die Ukraine verlor mehr als 1.100 Quadratkilometer.", 1100.0, "km2", "mehr als"),
        ("Rund 75 Prozent der Arbeit sind getan.", 75.0, "percent", "Rund"),
        ("Eine 30-tägige Waffenruhe beginnt.", 30.0, "day", None),
        ("Knapp 2,5 Milliarden Euro flossen.", 2.5e9, "EUR", "Knapp"),
        ("Dabei starben 26 Menschen.", 26.0, "person", None),
    ],
)
def test_german_number_formats_are_claims(sentence, value, unit, qualifier):
    (read,) = read_articles([Article(id="x", source="t", text=sentence, language="de")], ReadSettings())
    (claim,) = read.claims
    assert (claim.value, claim.unit, claim.qualifier) == (value, unit, qualifier)


def test_dates_and_years_are_not_claims_but_dates():
    text = "Am Mittwoch, dem 12. März 2025, um 15:47 Uhr begann es. Gestern kam Artikel 5 zur Sprache."
    (read,) = read_articles(
        [Article(id="x", source="t", text=text, language="de", published="2025-03-13")], ReadSettings()
    )
    assert read.claims == []
    assert [(d.text, d.date) for d in read.dates] == [
        ("Am Mittwoch", "2025-03-12"),
        ("12. März 2025", "2025-03-12"),
        ("Gestern", "2025-03-12"),
    ]


def test_sentences_split_at_full_stops_not_at_ordinals_abbreviations_or_inside_quotes():
    nlp = load_nlp()
    doc = nlp("Dr. Müller kam am 12. März. Er sagte: „Wir kommen.“ Dann ging er z.B. nach Hause.\nNeue Zeile")
    assert [s.text for s in doc.sents] == [
        "Dr. Müller kam am 12. März.",
        "Er sagte: „Wir kommen.“",
        "Dann ging er z.B. nach Hause.",
        "\n",
        "Neue Zeile",
    ]


GERMAN_REPORT = """Quelle: tagesschau.de
Stand: 12.03.2025 14:30 Uhr

Kreml prüft Vorschlag für Waffenruhe

Kremlsprecher Dmitri Peskow sagte am Mittwoch in Moskau, Russland werde den Vorschlag sorgfältig prüfen. \
„Wir müssen die Einzelheiten kennen, bevor wir antworten“, sagte Peskow. Die Ukraine hatte dem Plan zugestimmt, \
wie der ukrainische Präsident Wolodymyr Selenskyj mitteilte.
"""
ENGLISH_REPORT = """Source: Harbor Daily
12 March 2025

Kremlin to study ceasefire proposal

Kremlin spokesman Dmitry Peskov said on Wednesday that Russia would carefully study the proposal. \
"We need to know the details before we answer," Peskov said. Ukraine had agreed to the plan, \
Ukrainian President Volodymyr Zelensky said.
"""


def test_german_speakers_link_to_the_same_entities_as_english_spellings(tmp_path, store, settings):
    """Issue 14: Peskow = Peskov, Selenskyj = Zelensky, so a German quote's speaker is the English one's."""
    from storydesk import pipeline

    (tmp_path / "de.txt").write_text(GERMAN_REPORT, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    summary = pipeline.ingest([str(tmp_path / "de.txt"), str(tmp_path / "en.txt")], store, settings)
    german, english = (store.articles.get(i) for i in summary.new)
    assert german.language == "de" and german.outlet == "tagesschau.de"

    def speakers(article):
        return {q.speaker: q.speaker_entity for q in article.quotes if q.speaker}

    de, en = speakers(german), speakers(english)
    assert de["Dmitri Peskow"] is not None and de["Dmitri Peskow"] == en["Dmitry Peskov"]
    assert de["Wolodymyr Selenskyj"] is not None and de["Wolodymyr Selenskyj"] == en["Volodymyr Zelensky"]


def test_german_and_english_reports_are_one_event_compared_in_each_outlets_words(tmp_path, store, settings):
    """Issue 10: the two reports are one event of one storyline, and its comparison pairs each German
    statement with its English counterpart, each side in its own outlet's words. The texts give every
    quote to the same speaker in both languages, so there is no attribution conflict to find."""
    from storydesk import pipeline

    (tmp_path / "de.txt").write_text(GERMAN_REPORT, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    summary = pipeline.ingest([str(tmp_path / "de.txt"), str(tmp_path / "en.txt")], store, settings)
    (story,) = store.stories.list()
    assert sorted(story.articles) == sorted(summary.new) and story.storyline is not None
    assert store.storylines.get(story.storyline).events == [story.id]
    sides = {frozenset((s.outlet, s.text) for s in f.sides) for f in story.corroborated if f.kind == "quote"}
    assert (
        frozenset(
            {
                ("tagesschau.de", "Wir müssen die Einzelheiten kennen, bevor wir antworten"),
                ("Harbor Daily", "We need to know the details before we answer"),
            }
        )
        in sides
    )
    assert (
        frozenset(
            {
                ("tagesschau.de", "Die Ukraine hatte dem Plan zugestimmt"),
                ("Harbor Daily", "Ukraine had agreed to the plan"),
            }
        )
        in sides
    )
    peskov = next(f for f in story.corroborated if any("Einzelheiten" in s.text for s in f.sides))
    assert {s.speaker for s in peskov.sides} == {"Dmitri Peskow", "Dmitry Peskov"} or len(
        {s.speaker for s in peskov.sides}
    ) == 1
    assert peskov.independent_outlets == 2 and story.conflicts == []
