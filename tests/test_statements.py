"""Statements from read articles (compare/statements.py) and actor keys (compare/actors.py)."""

from __future__ import annotations

import pytest

from storydesk.compare.actors import ActorIndex
from storydesk.compare.statements import article_statements, outlet_of, split_sentences
from storydesk.records import Mention
from storydesk.settings import CompareSettings
from tests.fixtures.compare.build import article


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = (
        "Officials, including U.S. President Jane Roe, met on Monday. Mr. Poe said “no.” Then talks ended.\nA new day."
    )
    assert _sentences(text) == [
        "Officials, including U.S. President Jane Roe, met on Monday.",
        "Mr. Poe said “no.”",
        "Then talks ended.",
        "A new day.",
    ]


def _sentences(text: str) -> list[str]:
    """The sentences `split_sentences` cuts, each checked to be the text at its offsets."""
    spans = split_sentences(text)
    assert all(text[s:e] == t for s, e, t in spans)
    return [t for _s, _e, t in spans]


@pytest.mark.parametrize(
    "text",
    [
        "Les troupes avancent vers l'est. Les civils fuient vers la capitale.",
        "Le truppe avanzano a est. I civili fuggono.",
    ],
)
def test_a_sentence_ending_with_the_east_ends_there_review16(text: str) -> None:
    """Review of round 16: "est." was read as an abbreviation (estimated), so a French or Italian sentence
    ending with "l'est." or "a est." (the east) ran into the next one as one statement."""
    assert len(_sentences(text)) == 2


def test_quote_statements_are_one_per_quoted_sentence_with_exact_spans() -> None:
    text = 'Jane Roe said: "Our envoys are travelling tonight. I expect the other side to accept the truce plan." Talks follow.'
    a = article(
        "a1",
        text,
        outlet="Daily One",
        people=[("Jane Roe", "Governor")],
        quotes=[
            (
                "Jane Roe",
                "Our envoys are travelling tonight. I expect the other side to accept the truce plan.",
                "direct",
            )
        ],
    )
    statements = article_statements(a, ActorIndex([a]), CompareSettings())
    quotes = [s for s in statements if s.kind == "quote"]
    assert [q.text for q in quotes] == [
        "Our envoys are travelling tonight.",
        "I expect the other side to accept the truce plan.",
    ]
    assert all(text[q.start : q.end] == q.text for q in quotes)
    assert {q.actor_name for q in quotes} == {"Jane Roe"}
    role = next(s for s in statements if s.kind == "role")
    assert role.role == "Governor" and text[role.start : role.end] == role.text


def test_reported_speech_of_nobody_named_is_not_a_quote_statement() -> None:
    text = (
        "Analysts expect a long winter of negotiations between the two capitals. Jane Roe called the plan a real step."
    )
    a = article(
        "a1",
        text,
        people=[("Jane Roe", None)],
        quotes=[
            (None, "a long winter of negotiations between the two capitals", "indirect"),
            ("Jane Roe", "a real step", "partial"),
        ],
    )
    quotes = [s for s in article_statements(a, ActorIndex([a]), CompareSettings()) if s.kind == "quote"]
    assert [q.text for q in quotes] == ["a real step"]


def test_a_file_name_is_never_an_outlet() -> None:
    """Issues 10 and 11: without an outlet or a URL, the outlet is "unknown outlet", not the file name."""
    a = article("a1", "Some text here.", outlet=None)
    assert outlet_of(a) == "unknown outlet"
    a.url = "https://www.example.org/news/1"
    assert outlet_of(a) == "example.org"
    assert outlet_of(article("c1", "x", outlet="The Wire")) == "The Wire"


@pytest.mark.parametrize(
    ("short", "long", "same"),
    [
        ("Trump", "Donald Trump", True),
        ("Dmitri Peskow", "Dmitri Peskov", True),
        ("President Putin", "Vladimir Putin", True),
        ("Liz Truss", "Donald Trump", False),
        ("Ann Lee", "Bob Lee", False),
    ],
)
def test_actor_fallback_keys_merge_forms_of_one_name(short: str, long: str, same: bool) -> None:
    a = article("a1", f"{long} spoke.", people=[(long, None)])
    b = article("b1", f"{short} spoke.", people=[(short, None)])
    actors = ActorIndex([a, b])
    assert (actors.key(short) == actors.key(long)) is same


def test_linked_entity_wins_over_the_name() -> None:
    a = article("a1", "Jane Roe spoke.")
    a.mentions.append(Mention(text="Jane Roe", start=0, end=8, type="person", name="Jane Roe", entity="E:roe"))
    actors = ActorIndex([a])
    assert actors.key("Jane Roe", "E:roe") == "E:roe"


def test_an_unlinked_speaker_takes_the_entity_of_the_linked_name() -> None:
    a = article("a1", 'Jane Roe spoke. "We will see," Roe said.', quotes=[("Roe", "We will see,", "direct")])
    a.mentions.append(Mention(text="Jane Roe", start=0, end=8, type="person", name="Jane Roe", entity="E:roe"))
    actors = ActorIndex([a])
    assert actors.key("Roe") == "E:roe" == actors.key("Jane Roe")


def test_page_date_line_and_headings_are_no_statements_to_show() -> None:
    """Issue 10: the page's " date 2025-05-08" line opens no statement; a headline line is a heading
    (it may align, it is never shown); a text cut mid-sentence ends in no heading."""
    text = (
        " date 2025-05-08 Roe Says Talks in Arlen Will Go On\n"
        "Jane Roe told reporters in Arlen on Monday that the truce talks with the rebels would go on.\n"
        "The talks in the old palace of Arlen were cut short by"
    )
    a = article("a1", text, people=[("Jane Roe", None)])
    events = [s for s in article_statements(a, ActorIndex([a]), CompareSettings()) if s.kind == "event"]
    assert all(not s.text.startswith("date") for s in events)
    assert [(s.text, s.heading) for s in events] == [
        ("Roe Says Talks in Arlen Will Go On", True),
        ("Jane Roe told reporters in Arlen on Monday that the truce talks with the rebels would go on.", False),
        ("The talks in the old palace of Arlen were cut short by", False),
    ]
    assert all(text[s.start : s.end] == s.text for s in events)
    sentence = "Jane Roe told reporters in Arlen on Monday that 26 people had left."
    dated = article(
        "a2", " date 2025-05-08 " + sentence, claims=[(" date 2025-05-08 " + sentence, 26, "person", None, None)]
    )
    (claim,) = [s for s in article_statements(dated, ActorIndex([dated]), CompareSettings()) if s.kind == "claim"]
    assert claim.text == sentence and dated.text[claim.start : claim.end] == sentence


def test_a_clock_time_before_its_zone_ends_no_sentence_issue10() -> None:
    """A single-source finding was cut at "(2:30 a.m." of "1:30 p.m. local time (2:30 a.m. ET)"."""
    text = "The quake struck around 1:30 p.m. local time (2:30 a.m. ET) near Mandalay. It was at 5 p.m. The toll rose."
    assert [t for _s, _e, t in split_sentences(text)] == [
        "The quake struck around 1:30 p.m. local time (2:30 a.m. ET) near Mandalay.",
        "It was at 5 p.m.",
        "The toll rose.",
    ]


@pytest.mark.parametrize(
    ("text", "second"),
    [
        (
            "Les deux pays se sont accusés de violer la trêve. «Nous demandons au Pakistan de réagir», a dit Misri.",
            "«Nous demandons au Pakistan de réagir», a dit Misri.",
        ),
        ("Die Waffenruhe hielt nicht. „Wir prüfen das“, sagte Misri.", "„Wir prüfen das“, sagte Misri."),
        ("Er sagte: „Wir prüfen das.“ Dann ging er.", "Dann ging er."),
    ],
)
def test_sentences_open_and_close_with_the_quotation_marks_of_other_languages_issue10(text: str, second: str) -> None:
    """Issue 10: a French quote after a full stop stayed in the sentence before it, so no statement held it."""
    sentences = [s for _start, _end, s in split_sentences(text)]
    assert sentences[-1] == second
    assert len(sentences) == 2


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Il a dit : « Nous partons. » Le ministre a confirmé.", "Il a dit : « Nous partons. »"),  # no-break space
        ("Il a dit : «\u00a0Nous partons.\u00a0» Le ministre a confirmé.", "Il a dit : «\u00a0Nous partons.\u00a0»"),
        ("Il a dit : « Nous partons ! »\u202fLe ministre a confirmé.", "Il a dit : « Nous partons ! »"),
        ("Dijo que era un «acto de guerra.» India dijo que no.", "Dijo que era un «acto de guerra.»"),
        ("Er sagte: „Wir gehen.“ Der Minister bestätigte.", "Er sagte: „Wir gehen.“"),
        ("Er sagte: ‚Wir gehen.‘ Der Minister bestätigte.", "Er sagte: ‚Wir gehen.‘"),
        ("Er sagte: »Wir gehen.« Der Minister bestätigte.", "Er sagte: »Wir gehen.«"),
        ("He said: “They told me ‘go.’” The minister confirmed.", "He said: “They told me ‘go.’”"),
    ],
)
def test_closing_quotation_marks_stay_with_the_sentence_they_close_round13(text: str, first: str) -> None:
    """Round 13: a French sentence after a quote opened on the quote's "»" (". » Le ministre": the space before
    the guillemet hid the sentence end, or the mark was cut off both sentences); German „...“ lost its “."""
    rest = text[len(first) :].lstrip(" \u00a0\u202f")
    assert _sentences(text) == [first, rest]


def test_a_spaced_guillemet_that_opens_a_quote_starts_the_next_sentence_round13() -> None:
    """German »...« opens with », French « opens after a space: neither is taken for a closing mark."""
    assert _sentences("Er ging. »Wir bleiben«, sagte sie.") == ["Er ging.", "»Wir bleiben«, sagte sie."]
    assert _sentences("Il est parti. « Nous restons », a-t-elle dit.") == [
        "Il est parti.",
        "« Nous restons », a-t-elle dit.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Am 22. April wurden im indischen Teil Kaschmirs 26 Touristen erschossen.",
        "Für Autos gelten bereits Sonderzölle in Höhe von 25 bzw. 50 Prozent.",
    ],
)
def test_a_german_day_of_the_month_or_abbreviation_ends_no_sentence_round12(text: str) -> None:
    """Round 12: a brief line began "April im indischen Teil Kaschmirs ...": "am 22. April" was cut at its day."""
    assert [s for _start, _end, s in split_sentences(text + " Danach kam es.")] == [text, "Danach kam es."]
    # A year before a sentence that opens with a month's name still ends its sentence.
    assert len(split_sentences("He won in 2022. April was quiet.")) == 2


def _events(a):  # type: ignore[no-untyped-def]
    return [s for s in article_statements(a, ActorIndex([a]), CompareSettings()) if s.kind == "event"]


@pytest.mark.parametrize(
    "label", ["Also read:", "READ MORE:", "Read:", "Lesen Sie auch:", "À lire aussi :", "Lee también:", "Leggi anche:"]
)
def test_a_cross_link_line_is_no_statement_round12b(label: str) -> None:
    """Round 12b: "Also read: Indo-Pak war: What is Territorial Army? India activates 14 battalions ..." (a page's
    link to another story, both sentences of its headline) was a single-source finding."""
    link = f"{label} Border war: What is the Home Guard? Arlen calls up 14 battalions to help the army"
    text = f"Jane Roe said the talks in Arlen would go on for another week.\n\n{link}\n\nThe rebels left the old city of Arlen."
    a = article(
        "a1", text, people=[("Jane Roe", None)], claims=[("Arlen calls up 14 battalions", 14, "battalion", None, None)]
    )
    statements = article_statements(a, ActorIndex([a]), CompareSettings())
    assert [s.text for s in statements if s.kind == "event"] == [
        "Jane Roe said the talks in Arlen would go on for another week.",
        "The rebels left the old city of Arlen.",
    ]
    assert not [s for s in statements if s.kind == "claim"]


@pytest.mark.parametrize("label", ["ALSO READ", "Related:", "Lesen Sie auch"])
def test_headlines_listed_under_a_label_alone_on_its_line_are_no_statements_round13(label: str) -> None:
    """Round 13: "ALSO READ" on a line of its own (no colon) above other stories' headlines, one per line; the
    headlines were statements (headings, and a number in one would be a claim)."""
    links = "Arlen calls up 14 battalions to help the army\n\nBorder war: minister says talks are not on the cards"
    body = "Meanwhile, Jane Roe met the army chief in Arlen."
    text = f"The rebels left the old city of Arlen on Monday.\n\n{label}\n\n{links}\n\n{body}"
    a = article(
        "a1", text, people=[("Jane Roe", None)], claims=[("Arlen calls up 14 battalions", 14, "battalion", None, None)]
    )
    statements = article_statements(a, ActorIndex([a]), CompareSettings())
    assert [s.text for s in statements if s.kind == "event"] == [
        "The rebels left the old city of Arlen on Monday.",
        body,
    ]
    assert not [s for s in statements if s.kind == "claim"]
    # A subheading of the story's own, with no label above it, stays (a heading, as before).
    own = f"The rebels left the old city of Arlen on Monday.\n\n{links}\n\n{body}"
    b = article("b1", own, people=[("Jane Roe", None)])
    assert len([s for s in article_statements(b, ActorIndex([b]), CompareSettings()) if s.kind == "event"]) == 4


def test_a_cross_link_label_inside_a_paragraph_is_cut_off_its_sentence_round12b() -> None:
    """The link's words already gone ("... talks. READ MORE: READ MORE: Trump wrote ..."), the sentence stays."""
    text = "The truce held after talks in Arlen. READ MORE: READ MORE: Jane Roe wrote on her site that the truce held."
    a = article("a1", text, people=[("Jane Roe", None)])
    events = _events(a)
    assert [s.text for s in events] == [
        "The truce held after talks in Arlen.",
        "Jane Roe wrote on her site that the truce held.",
    ]
    assert all(text[s.start : s.end] == s.text for s in events)


def test_a_list_item_number_is_cut_off_the_sentences_round12b() -> None:
    """Round 12b: "... within next 48 hours 4." (the next item's number run into the sentence) was a brief line;
    a sentence that ends in a number is no list."""
    text = (
        "The measures: 1. Visas of all Arlen nationals suspended, 2. Any Arlen national to leave within 48 hours "
        "3. Border post closed with immediate effect. 4. Envoys withdrawn. The toll rose to 26. Officials left."
    )
    assert _sentences(text) == [
        "The measures:",
        "Visas of all Arlen nationals suspended,",
        "Any Arlen national to leave within 48 hours",
        "Border post closed with immediate effect.",
        "Envoys withdrawn.",
        "The toll rose to 26.",
        "Officials left.",
    ]
    # Reading's sentence keeps the number, and reads the list's "1." as a count: neither is a statement.
    reading = "Any Arlen national to leave within 48 hours 3."
    a = article("a1", text, claims=[(reading, 48, "hour", None, "Arlen national leave"), ("1.", 1, None, None, None)])
    a.claims[0].quantity_start = text.index("48 hours")
    a.claims[1].quantity_start = text.index("1.")
    claims = [s for s in article_statements(a, ActorIndex([a]), CompareSettings()) if s.kind == "claim"]
    assert [(c.text, c.value) for c in claims] == [("Any Arlen national to leave within 48 hours", 48 * 60)]
    assert text[claims[0].start : claims[0].end] == claims[0].text


def test_a_headline_run_into_its_lead_is_cut_off_round12b() -> None:
    """Round 12b: "Trump's Unexpected Tariff Pause Signals Market Rally U.S. stocks surged ..." (the headline line,
    then the same headline run into the lead) was a corroborated finding's brief line."""
    head = "Roe's Surprise Truce Lifts Arlen Markets"
    text = f"Markets rose in Arlen on Monday. {head}\n\n{head} Stocks in Arlen surged as Jane Roe announced a truce."
    a = article("a1", text, people=[("Jane Roe", None)])
    events = _events(a)
    assert [(s.text, s.heading) for s in events] == [
        ("Markets rose in Arlen on Monday.", False),
        (head, True),
        ("Stocks in Arlen surged as Jane Roe announced a truce.", False),
    ]
    assert all(text[s.start : s.end] == s.text for s in events)
    # The article's own title, run into its text's first sentence.
    titled = article("a2", f"{head} Stocks in Arlen surged as Jane Roe announced a truce.", people=[("Jane Roe", None)])
    titled.title = head
    assert [s.text for s in _events(titled)] == ["Stocks in Arlen surged as Jane Roe announced a truce."]
    # A heading whose words open a sentence that goes on in lower case is that sentence's subject, kept.
    kept = "Arlen Border Guard Chief Jane Roe\n\nArlen Border Guard Chief Jane Roe said the truce held."
    assert [t for _s, _e, t in split_sentences(kept)][-1] == "Arlen Border Guard Chief Jane Roe said the truce held."


def test_a_month_only_page_date_line_starts_no_statement_round14() -> None:
    """Round 14: " date 2025-07 Der US-Präsident droht ..." was a corroborated finding's words, date line and all."""
    a = article("a", " date 2025-07 The president threatened the bloc with tariffs of 30 percent on all imports.")
    texts = [s.text for s in article_statements(a, ActorIndex([a]), CompareSettings())]
    assert texts and not any("2025-07" in t for t in texts)


@pytest.mark.parametrize(
    "line", ["2 min read", "5 mins read", "Reading time: 3 minutes", "Lesezeit: 4 Min.", "3 min de lecture"]
)
def test_a_reading_time_line_is_no_statement_round15(line: str) -> None:
    """Round 15: "2 min read" (a page's reading time) was a single-source claim of the Operation Sindoor event."""
    text = f"{line}\n\nJane Roe said the talks in Arlen would take 2 more weeks."
    a = article("a", text, people=[("Jane Roe", None)], claims=[(line, 2, "minute", None, None)])
    statements = article_statements(a, ActorIndex([a]), CompareSettings())
    assert [s.text for s in statements] == ["Jane Roe said the talks in Arlen would take 2 more weeks."]


def test_a_statement_reaching_where_the_text_stops_mid_sentence_is_cut_round15() -> None:
    """Round 15: texts stored to a byte limit stop mid-sentence; the statement reaching that point is marked
    cut (findings never show it as a finding's words), one that ends a sentence is not."""
    cut = _events(article("a", "Jane Roe met the rebels in Arlen. The army said its early-morning strike"))
    assert [(s.text, s.cut) for s in cut] == [
        ("Jane Roe met the rebels in Arlen.", False),
        ("The army said its early-morning strike", True),
    ]
    whole = _events(article("b", "Jane Roe met the rebels in Arlen. The army said its strike hit two camps."))
    assert not any(s.cut for s in whole)
