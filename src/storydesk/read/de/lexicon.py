"""German word lists the reader needs: roles, verbs of saying, Konjunktiv I, countries, number words.

Hand-written because no installed library ships them (there is no German spaCy
pipeline on the registry, and the lists are short and closed). Everything is
compared with the lower-cased token.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- roles ------------------------------------------------------------------------------------------
# Heads of German role nouns; compounds end in them ("Kremlsprecher", "Außenministerin",
# "UN-Generalsekretär", "Regierungschef"). Feminine forms add "-in" (checked separately).
ROLE_HEADS = (
    "präsident", "kanzler", "minister", "sprecher", "chef", "sekretär", "vorsitzender", "vorsitzende",
    "botschafter", "gesandter", "gesandte", "beauftragter", "beauftragte", "berater", "general", "admiral",
    "kommandeur", "oberbefehlshaber", "befehlshaber", "offizier", "abgeordneter", "abgeordnete",
    "senator", "gouverneur", "bürgermeister", "ministerpräsident", "premier", "premierminister",
    "direktor", "leiter", "führer", "anführer", "könig", "königin", "papst", "richter", "staatsanwalt",
    "anwalt", "diplomat", "unterhändler", "vermittler", "analyst", "experte", "expertin", "ökonom",
    "sprecherin", "regierungschef", "staatschef", "außenamtschef", "kommissar", "repräsentant",
    "vertreter", "funktionär", "politiker", "ombudsmann", "gründer", "kanzleramtschef", "stabschef",
    "emir", "kronprinz", "prinz", "scheich", "premierministerin", "generalsekretär", "oberbürgermeister",
    "parteichef", "fraktionschef", "sicherheitsberater", "polizeichef", "armeechef", "militärsprecher",
)  # fmt: skip
# Adjectives before a role that belong to it ("der ukrainische Präsident", "die frühere Kanzlerin").
ROLE_ADJECTIVE_ENDINGS = ("e", "en", "er", "es")
TIME_ADJECTIVES = frozenset({"frühere", "früheren", "früherer", "ehemalige", "ehemaligen", "ehemaliger", "damalige", "damaligen", "damaliger", "einstige", "einstigen", "amtierende", "amtierenden", "designierte", "designierten", "neue", "neuen", "neuer", "stellvertretende", "stellvertretenden", "stellvertretender"})  # fmt: skip
ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"})


def is_role_noun(word: str) -> bool:
    """Whether a (capitalised, possibly compound or hyphenated) noun names an office: "Kremlsprecher"."""
    lower = word.lower().rsplit("-", 1)[-1]
    for ending in ("innen", "in", "s", "n", "en"):  # plural, feminine and genitive forms
        if lower.endswith(ending) and lower[: -len(ending)].endswith(ROLE_HEADS):
            return True
    return lower.endswith(ROLE_HEADS)


def is_feminine_role(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("in") and is_role_noun(lower[:-2]) or lower in {"königin", "kanzlerin"}


# -- verbs of saying --------------------------------------------------------------------------------
# Speech and writing acts only (issue 9's definition): no believing, hoping or wanting.
# Weak verbs as stems (sag -> sagt, sagte, sagten, gesagt), strong ones with their forms.
_WEAK = (
    "sag", "erklär", "beton", "warn", "forder", "bestätig", "bericht", "versicher", "behaupt", "verkünd",
    "bekräftig", "ergänz", "antwort", "erwider", "mahn", "appellier", "beteuer", "dementier", "äußer",
    "twitter", "post", "meld", "präzisier", "klarstell", "kritisier", "verlang", "droh",
    "erläuter", "schilder", "bilanzier", "kommentier", "argumentier", "informier", "zitier", "kündig",
    "insistier", "wiederhol", "beklag", "begründ", "bezeichn", "signalisier", "verdeutlich",
)  # fmt: skip
_STRONG = (
    "schrieb", "schrieben", "geschrieben", "schreibt", "unterstrich", "unterstrichen", "sprach", "sprachen",
    "bestritt", "bestritten", "bestreitet", "versprach", "versprachen", "verspricht", "hob", "hoben",
    "teilte", "teilten", "teilt", "mitteilte", "mitteilten", "mitgeteilt", "räumte", "räumten", "gab",
    "gaben", "fügte", "fügten", "kündigte", "kündigten", "angekündigt", "ankündigte", "rief", "riefen",
    "hieß", "heißt", "ließ", "ließen", "warf", "warfen", "wies", "wiesen", "stellte", "stellten",
    "sagte", "sagten", "sagt", "sagen", "erklärte", "erklärten", "erklärt", "gesagt", "erklärt",
    "wirft", "werfen", "vorgeworfen", "vorwarf", "führte", "führten", "angeführt", "beschuldigte",
    "beschuldigten", "beschuldigt", "aufgefordert", "aufforderte", "auffordern", "bekanntgegeben", "bekanntgab",
)  # fmt: skip
# Separable verbs whose particle comes at the end of the clause: "teilte ... mit".
PARTICLES: dict[str, tuple[str, ...]] = {
    "teilte": ("mit",), "teilten": ("mit",), "teilt": ("mit",), "räumte": ("ein",), "räumten": ("ein",),
    "gab": ("zu", "bekannt"), "gaben": ("zu", "bekannt"), "fügte": ("hinzu",), "fügten": ("hinzu",),
    "kündigte": ("an",), "kündigten": ("an",), "hob": ("hervor",), "hoben": ("hervor",), "stellte": ("klar",),
    "stellten": ("klar",), "ließ": ("verlauten",), "ließen": ("verlauten",), "wies": ("hin",), "wiesen": ("hin",),
    "rief": ("auf",), "riefen": ("auf",), "warf": ("vor",), "warfen": ("vor",), "wirft": ("vor",),
    "werfen": ("vor",), "führte": ("an",), "führten": ("an",), "forderte": ("auf",), "forderten": ("auf",),
}  # fmt: skip
# Forms that are verbs of saying only together with their particle ("gab zu", not "gab"); "forderte"
# is one alone too ("forderte, dass ..."), so it is not among them.
NEEDS_PARTICLE = frozenset(PARTICLES) - {"forderte", "forderten"}
# Verbs whose content may be a zu-infinitive: accusations, announcements, claims, demands
# ("beschuldigte Pakistan, die Täter unterstützt zu haben", "kündigte an, zu reagieren").
INFINITIVE_CUES = _words(
    "beschuldigte beschuldigten beschuldigt warf warfen wirft werfen vorgeworfen kündigte kündigten angekündigt "
    "behauptete behaupteten behauptet forderte forderten aufgefordert auffordern versprach versprachen "
    "versprochen drohte drohten gedroht rief riefen appellierte mahnte warnte warnten"
)
# Agentless "hieß es" (the source stands in a phrase: "aus dem Ministerium hieß es").
IMPERSONAL = frozenset({"hieß", "heißt"})


@lru_cache(maxsize=1)
def speech_forms() -> frozenset[str]:
    """Finite forms (sagt, sagte, sagten, sage, sagen) and participles (gesagt, erklärt) of the verbs of saying."""
    forms = set(_STRONG)
    for stem in _WEAK:
        forms.update({stem + "t", stem + "te", stem + "ten", stem + "et", stem + "ete", stem + "eten"})
        forms.update({stem + "e", stem + "en", stem + "n" if stem.endswith(("er", "el")) else stem + "en"})
        if not stem.startswith(_INSEPARABLE):
            forms.add("ge" + stem + ("et" if stem.endswith(("d", "t")) else "t"))
    return frozenset(forms - {"postt", "postte", "postten", "poste", "posten"} | {"postete", "posteten", "postet"})


# Verbs with these prefixes take no "ge-" in the participle: erklärt, betont, bestätigt.
_INSEPARABLE = ("be", "er", "ver", "zer", "ent", "emp", "miss", "unter", "über", "wider")
# Finite auxiliaries and modals a participle or infinitive cue depends on ("Peskow hat ... gesagt").
AUXILIARIES = _words(
    "hat habe haben hatte hatten hätte hätten wird werde werden wurde wurden will wollte wollten "
    "kann konnte konnten muss musste mussten soll sollte sollten darf durfte"
)


def is_nonfinite(word: str) -> bool:
    """A participle ("gesagt", "erklärt" after "hat") or an infinitive ("sagen" after "will")."""
    lower = word.lower()
    return lower.startswith("ge") and lower.endswith("t") or lower.endswith("en")


def is_speech_verb(word: str) -> bool:
    return word.lower() in speech_forms()


def is_plural_verb(word: str) -> bool:
    """ "sagten", "erklärten": the subject is plural (so "sie" is "they")."""
    return word.lower().endswith("ten") or word.lower() in {"schrieben", "sprachen", "gaben", "riefen", "warfen"}


# -- Konjunktiv I (and the II forms reported speech falls back to) ------------------------------------
# Konjunktiv I forms that mark a sentence as continued reported speech even without a cue
# ("Die EU habe stets ... angestrebt."): third person forms that differ from the indicative.
REPORTIVE = frozenset("sei seien habe werde könne müsse solle wolle dürfe möge wisse gebe".split())  # noqa: SIM905
SUBJUNCTIVE = frozenset(
    [
        "sei",
        "seien",
        "seiest",
        "habe",
        "werde",
        "werden",
        "könne",
        "müsse",
        "solle",
        "wolle",
        "dürfe",
        "möge",
        "wisse",
        "gebe",
        "komme",
        "gehe",
        "stehe",
        "liege",
        "bleibe",
        "brauche",
        "halte",
        "lasse",
        "sehe",
        "trage",
        "plane",
        "arbeite",
        "verfüge",
        "wolle",
        "bestehe",
        "handle",
        "handele",
        "gelte",
        "liege",
        "laufe",
        "fehle",
        "stimme",
        "diene",
        "drohe",
        "erwarte",
        "prüfe",
        "akzeptiere",
        "unterstütze",
        "lehne",
        "befinde",
        "sehe",
        "würde",
        "würden",
        "hätte",
        "hätten",
        "wäre",
        "wären",
        "könnten",
        "müssten",
        "sollten",
        "dürften",
    ]
)  # noqa: SIM905
# Lower-case words ending in -e that are not verbs (articles, pronouns, adjectives in common use).
NOT_VERBS_E = frozenset(
    [
        "die",
        "eine",
        "keine",
        "seine",
        "ihre",
        "diese",
        "jene",
        "jede",
        "alle",
        "meine",
        "deine",
        "unsere",
        "eure",
        "welche",
        "solche",
        "manche",
        "beide",
        "andere",
        "große",
        "neue",
        "erste",
        "letzte",
        "weitere",
        "ganze",
        "gute",
        "hohe",
        "lange",
        "alte",
        "einige",
        "viele",
        "wenige",
        "mehrere",
        "gerne",
        "ohne",
        "gegenüber",
        "bitte",
        "ebenfalls",
        "alleine",
        "heute",
        "gestern",
        "morgen",
        "ende",
    ]
)  # noqa: SIM905

# -- attribution phrases ----------------------------------------------------------------------------
ACCORDING = frozenset({"laut", "zufolge", "gemäß"})
PRONOUNS = {"er": "m", "sie": "f"}
# First-person speakers (in debates and interviews): kept as the words, never resolved to a name.
FIRST_PERSON = frozenset({"ich", "wir"})
# Punctuation the quote and speaker rules read: quotation marks, and the marks that end a clause.
QUOTE_MARKS = frozenset('„“”"»«‚‘’')
CLAUSE_END = frozenset({".", "!", "?", ";", ":"})

# -- countries and demonyms -------------------------------------------------------------------------
_DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def country_rows() -> tuple[tuple[str, str, str], ...]:
    """(German name, English name, adjective stem) per row of data/countries.tsv."""
    rows = []
    for line in (_DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cols = [*line.split("\t"), "", ""]
            rows.append((cols[0], cols[1], cols[2]))
    return tuple(rows)


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """German country name (lower case) -> English name."""
    return {german.lower(): english for german, english, _ in country_rows()}


_DEMONYM_ENDINGS = re.compile(r"(isch|sch)(e|en|er|es|em)$")


def country_of_adjective(word: str) -> str | None:
    """ "ukrainische" -> "Ukraine", "russischen" -> "Russia": the country a German demonym adjective names."""
    lower = word.lower()
    match = _DEMONYM_ENDINGS.search(lower)
    if match is None:
        return None
    return demonyms().get(lower[: match.start()] + match.group(1))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """German adjective stem ("ukrainisch") -> English country name, from data/countries.tsv."""
    return {stem.lower(): english for _, english, stem in country_rows() if stem}


@lru_cache(maxsize=1)
def gazetteer() -> list[tuple[str, str]]:
    """(name, label) pairs of politicians, institutions and places: data/gazetteer.tsv."""
    rows = []
    for line in (_DATA / "gazetteer.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, label = line.split("\t")[:2]
            rows.append((name, label))
    return rows


# -- numbers ----------------------------------------------------------------------------------------
NUMBER_WORDS = {
    "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40,
    "fünfzig": 50, "hundert": 100, "tausend": 1000, "dutzend": 12, "dutzende": 12,
}  # fmt: skip
SCALES = {
    "tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "mio.": 1e6, "milliarde": 1e9,
    "milliarden": 1e9, "mrd": 1e9, "mrd.": 1e9, "billion": 1e12, "billionen": 1e12, "bio.": 1e12,
}  # fmt: skip
# Softening or bounding words before a number, longest first, kept as written.
QUALIFIERS = tuple(
    sorted(
        (
            tuple(q.split())
            for q in (
                "mehr als", "weniger als", "über", "unter", "rund", "etwa", "circa", "ca.", "knapp", "fast",
                "nahezu", "beinahe", "mindestens", "höchstens", "bis zu", "gut", "annähernd", "ungefähr",
                "schätzungsweise", "insgesamt", "nur", "lediglich", "genau", "exakt", "über", "weit über",
                "knapp über", "knapp unter", "mehrere", "zirka",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
