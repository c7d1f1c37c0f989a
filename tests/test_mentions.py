"""read/mentions.py: actors with the roles and fullest names an article gives them (issue 3)."""

from __future__ import annotations

import pytest

from storydesk.read.mentions import find_mentions
from storydesk.read.nlp import load_nlp
from storydesk.settings import ReadSettings


@pytest.fixture(scope="module")
def nlp():
    return load_nlp(ReadSettings().model)


def _people(nlp, text):
    return {m.text: m for m in find_mentions(nlp(text)) if m.type == "person"}


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        ("Kremlin spokesperson Dmitri Peskov declined to comment on Friday.", "Dmitri Peskov", "Kremlin spokesperson"),
        ("U.S. Secretary of State Marco Rubio flew to Jeddah.", "Marco Rubio", "U.S. Secretary of State"),
        ("Irish Prime Minister Micheál Martin visited Washington.", "Micheál Martin", "Irish Prime Minister"),
        (
            "Peskov, a spokesman for the Russian president, said little.",
            "Peskov",
            "spokesman for the Russian president",
        ),
        ("The president of France, Emmanuel Macron, arrived late.", "Emmanuel Macron", "president of France"),
        ("Marco Rubio, the U.S. Secretary of State, flew to Jeddah.", "Marco Rubio", "U.S. Secretary of State"),
    ],
)
def test_roles_in_the_three_forms(nlp, text, person, role):
    people = _people(nlp, text)
    assert people[person].role == role


def test_former_stays_in_the_role_and_a_swallowed_title_is_split_off(nlp):
    people = _people(nlp, "He spoke to former NATO General Erhard Bühler about the front.")
    assert people["Erhard Bühler"].role == "former NATO General"


def test_the_title_word_of_state_is_not_an_organisation(nlp):
    mentions = find_mentions(nlp("U.S. Secretary of State Marco Rubio flew to Jeddah."))
    assert "State" not in {m.text for m in mentions}


def test_later_short_forms_carry_the_fullest_name(nlp):
    text = "Donald Trump met reporters on Tuesday. Later, Trump said he was hopeful."
    names = {m.text: m.name for m in find_mentions(nlp(text)) if m.type == "person"}
    assert names["Trump"] == "Donald Trump"


def test_demonyms_are_groups_named_after_their_country(nlp):
    mentions = find_mentions(nlp("Ukrainian forces withdrew while Russian troops advanced."))
    groups = {m.text: m.name for m in mentions if m.type == "group"}
    assert groups == {"Ukrainian": "Ukraine", "Russian": "Russia"}


def test_offsets_point_into_the_text(nlp):
    text = "Kremlin spokesperson Dmitri Peskov declined to comment."
    for m in find_mentions(nlp(text)):
        assert text[m.start : m.end] == m.text


def test_mentions_on_real_news_have_clean_offsets(nlp, shared):
    """Regression: the model sometimes tags a whitespace token into an entity (crashed reading)."""
    texts = sorted((shared / "data" / "polnear" / "data" / "train" / "text").glob("*.txt"))[:30]
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for m in find_mentions(nlp(text)):
            assert text[m.start : m.end] == m.text == m.text.strip()


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        ("Sen. Ted Cruz spoke in Houston on Monday.", "Ted Cruz", "Sen."),
        ("Rep. Debbie Wasserman Schultz spoke in Miami.", "Debbie Wasserman Schultz", "Rep."),
        ("The talk show was hosted by host Trevor Noah on Monday.", "Trevor Noah", "host"),
        ("He met President Barack Obama and Vice President Joe Biden on Monday.", "Joe Biden", "Vice President"),
    ],
)
def test_abbreviated_titles_count_and_names_are_not_cut_at_agent_endings(nlp, text, person, role):
    people = _people(nlp, text)
    assert people[person].role == role


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Its chief engineer, Jonas Weller, said the gates were fine.", "Jonas Weller", "chief engineer"),
        ("Jonas Weller, its chief engineer, said so.", "Jonas Weller", "chief engineer"),
        ("His deputy Mark Olsen agreed.", "Mark Olsen", "deputy"),
    ],
)
def test_role_drops_leading_possessive(nlp, text, name, role):
    (mention,) = [m for m in find_mentions(nlp(text)) if m.type == "person"]
    assert (mention.name, mention.role) == (name, role)


@pytest.mark.parametrize(
    ("text", "short", "fullest"),
    [
        (
            "Military spokesperson Ahmed Sharif Chaudhry held a briefing in Rawalpindi on Thursday. "
            "Later, Lt Gen Chaudhry told reporters that the drones were shot down.",
            "Lt Gen Chaudhry",
            "Ahmed Sharif Chaudhry",
        ),
        (
            "Foreign Minister Subrahmanyam Jaishankar arrived in Moscow on Monday. S Jaishankar then met Sergei Lavrov.",
            "Jaishankar",
            "Subrahmanyam Jaishankar",
        ),
    ],
)
def test_fullest_names_across_titles_ranks_and_initials(nlp, text, short, fullest):
    """Issue 9: the fullest name is found by name keys, titles and ranks stripped."""
    names = {m.text: m.name for m in find_mentions(nlp(text)) if m.type == "person"}
    assert names.get(short) == fullest


@pytest.mark.parametrize(
    ("short", "long", "same"),
    [
        ("Lt Gen Chaudhry", "Ahmed Sharif Chaudhry", True),
        ("A. S. Chaudhry", "Ahmed Sharif Chaudhry", True),
        ("S Jaishankar", "Subrahmanyam Jaishankar", True),
        ("Peskow", "Dmitri Peskov", True),
        ("Shehbaz Sharif", "Ahmed Sharif", False),
        ("Ivanka Trump", "Donald Trump", False),
        ("B. Chaudhry", "Ahmed Sharif Chaudhry", False),
    ],
)
def test_short_forms_extend_to_longer_names_by_name_keys(short, long, same):
    from storydesk.link.names import name_key
    from storydesk.read.mentions import _extends, person_name

    assert _extends(name_key(person_name(short)).split(), name_key(person_name(long)).split()) is same


def test_a_heading_names_no_person(nlp):
    text = "Frattesi Writes His Own Fairytale\n\nSubstitute Davide Frattesi scored the winner in extra time."
    people = _people(nlp, text)
    assert "Frattesi Writes" not in people
    assert people["Davide Frattesi"].name == "Davide Frattesi"


def test_a_name_keeps_the_particles_the_model_cut_off(nlp):
    """Issue 9: "Ursula von" (person) + "Leyen" (place) is one person, and "Ms. von der Leyen" is her."""
    text = (
        "Trump wrote to European Commission President Ursula von der Leyen on Saturday.\n"
        "Ms. von der Leyen immediately responded in a statement."
    )
    people = _people(nlp, text)
    assert people["Ursula von der Leyen"].role == "European Commission President"
    assert people["von der Leyen"].name == "Ursula von der Leyen"
    assert not any(m.text == "Leyen" for m in find_mentions(nlp(text)))


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Quick Looks - Trump", "Trump"),
        ("Politics | Vikram Misri", "Vikram Misri"),
        ("WATCH Donald Trump", "Donald Trump"),
        ("BY Raghavendra", "BY Raghavendra"),  # initials, not a section word
        ("DONALD TRUMP", "DONALD TRUMP"),  # a name in capitals keeps its words
        ("Shauna-Rose", "Shauna-Rose"),
        ("Jean-Claude Juncker", "Jean-Claude Juncker"),
    ],
)
def test_issue10_page_labels_glued_to_a_name_are_stripped(nlp, raw, name):
    from storydesk.read.mentions import _without_label

    doc = nlp.make_doc(raw)
    span = _without_label(doc[:])
    assert span is not None and span.text == name


def test_issue10_common_nouns_capitalised_in_a_quote_are_no_person(nlp):
    """Round 8: Trump's "using Common Sense and Great Intelligence", quoted by every ceasefire report, made
    "Common Sense" (tagged PERSON) an actor of the story page."""
    text = (
        "“Congratulations to both Countries on using Common Sense and Great Intelligence. Thank you for your "
        "attention to this matter!” Trump wrote."
    )
    assert set(_people(nlp, text)) == {"Trump"}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("“I called Bill Gates yesterday,” Trump said.", "Bill Gates"),  # "Bill" is no adjective
        ("Common Sense, the band, played on Friday. “We love Common Sense,” a fan said.", "Common Sense"),
        ("“Thank you,” said Common Sense.", "Common Sense"),  # named outside the quote, as its speaker
    ],
)
def test_issue10_a_name_no_emphasis_rule_fits_stays_a_person(nlp, text, person):
    assert person in _people(nlp, text)


def _typed(nlp, text):
    return {m.text: m.type for m in find_mentions(nlp(text))}


def test_issue10_a_list_of_places_read_as_one_name_is_split_and_typed(nlp):
    # Round 9: "Lahore, Rawalpindi" was one organisation, "Chakwal" an organisation and "Attock" a person.
    typed = _typed(
        nlp,
        "Drones were shot down over a dozen towns, including Lahore, Rawalpindi, Gujranwala, Chakwal, "
        "Bahawalpur, Mianwali, Attock, Karachi, and Chhor.",
    )
    assert not any("," in name for name in typed)
    for town in ("Lahore", "Rawalpindi", "Chakwal", "Attock", "Karachi"):
        assert typed[town] == "place", town
    # Items the model left untagged ("Chor", "Miano") do not end the list.
    typed = _typed(
        nlp,
        "Drones were intercepted at multiple locations including Lahore, Gujranwala, Rawalpindi, Chakwal, "
        "Bahawalpur, Mianwali, Karachi, Chor, Miano, and Attock. This marks a significant development.",
    )
    assert typed["Attock"] == "place"


def test_issue10_a_list_without_places_keeps_its_people(nlp):
    typed = _typed(nlp, "Trump met Modi and Sharif on Monday.")
    assert typed.get("Modi") == "person"


def test_issue10_a_dateline_is_a_place(nlp):
    typed = _typed(
        nlp,
        "Drones hit two cities overnight\n\nKARACHI: The Pakistan military said on Thursday it had downed the drones.",
    )
    assert typed["KARACHI"] == "place"


def test_issue10_a_speaker_label_in_capitals_is_no_dateline(nlp):
    typed = _typed(nlp, "TRUMP: We will win.\nBIDEN: No.")
    assert typed.get("TRUMP") != "place"


def test_issue10_a_modifier_cut_off_a_place_name_is_no_actor(nlp):
    typed = _typed(nlp, "The attack came in Pahalgam, in Indian Illegally Occupied Jammu and Kashmir, where 26 died.")
    assert "Indian Illegally Occupied" not in typed
    assert typed["Jammu"] == "place"


def test_issue10_an_acronym_of_an_organisation_is_no_person(nlp):
    text = (
        "Lt Gen Ahmed Sharif Chaudhry, Director General of the Inter-Services Public Relations (DG ISPR), "
        "addressed the incidents."
    )
    typed = _typed(nlp, text)
    assert typed["ISPR"] == "organization"
    assert typed["Lt Gen Ahmed Sharif Chaudhry"] == "person"


def test_issue10_a_gerund_opening_a_sentence_is_no_person(nlp):
    typed = _typed(
        nlp, "Pakistan has shot down 77 drones.\n\nSharing the update with the media, the ISPR said India continued."
    )
    assert "Sharing" not in typed


def test_issue10_a_name_never_runs_over_a_bullet(nlp):
    typed = _typed(
        nlp, "Explosions were heard near Lahore and near Karachi • Indian defense ministry says targets were hit"
    )
    assert not any("•" in name for name in typed)


def test_issue10_a_town_tagged_as_a_nationality_is_a_place(nlp):
    # The model reads the town before "terror attack" as a nationality (NORP).
    mentions = {m.text: m for m in find_mentions(nlp("After the Pahalgam terror attack, India acted."))}
    assert mentions["Pahalgam"].type == "place"
    groups = {m.text: m for m in find_mentions(nlp("Israeli forces and Pakistani troops moved."))}
    assert groups["Israeli"].type == "group"
    assert groups["Israeli"].name == "Israel"


def test_issue10_a_span_without_a_capital_is_no_name(nlp):
    names = {m.text for m in find_mentions(nlp("Stocks fell after the announcement25 as markets reopened in Tokyo."))}
    assert not any(not any(c.isupper() for c in n) for n in names)


def test_issue10_an_aircraft_model_is_no_place(nlp):
    names = {
        m.text for m in find_mentions(nlp("Among those hit were one each of Russian-made Su-30 and MiG-29 models."))
    }
    assert "Su-30" not in names
