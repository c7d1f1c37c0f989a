"""Cues: the verbs and phrases that report speech or stance ("said", "stressed", "according to").

The verb list follows the reporting-verb lists of the rule-based quote
extractors (textacy's `_reporting_verbs`, BBC citron's cue lexicon, the SFU
Gender Gap Tracker's quote verbs), widened to stance verbs ("believe",
"expect", "support", "want"), prepositional cues ("call for", "speak about"),
stance nouns with a possessor ("her support for") and "in X's view", because
attribution corpora such as PolNeAR count those too.
"""

from __future__ import annotations

from spacy.tokens import Token

CUE_VERBS = frozenset(
    """
    say tell state add note stress emphasize emphasise underscore underline claim argue announce insist warn
    explain suggest acknowledge admit deny confirm indicate report write tweet post ask reply respond answer
    declare predict promise vow pledge urge describe caution comment concede contend assert maintain mention
    observe remark reiterate recall reveal signal highlight allege accuse complain criticize criticise
    estimate hope expect fear believe think feel know doubt agree disagree counter retort testify disclose
    affirm assure boast brag charge conclude demand dismiss echo joke lament muse object opine proclaim
    propose question reckon recommend reject repeat stipulate speculate swear theorize threaten wonder worry
    inform notify advise forecast accept clarify shout whisper cry exclaim continue elaborate show find learn
    express cite discuss
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Cue verbs whose bare object is itself what was said ("announced the recapture
# of ...", "confirmed the resumption of ..."); for the rest ("claimed victory",
# "posted a comment", "maintains a lead") the object is a thing, not a statement.
OBJECT_CUES = frozenset(
    """
    announce confirm report reveal disclose acknowledge admit predict estimate promise pledge propose
    highlight stress emphasize emphasise underscore underline note mention recall indicate signal suggest
    reiterate repeat forecast allege declare proclaim express cite discuss dismiss say
    """.split()  # noqa: SIM905
)
# Cue verbs whose "to"-infinitive is what was asked or promised ("urged voters to ...", "vowed to ...").
DIRECTIVE_CUES = frozenset("urge ask tell warn advise promise vow pledge threaten demand call".split())  # noqa: SIM905
# Stance verbs: what someone supports, praises or wants is an attribution in
# PolNeAR's guidelines (Newell et al. 2018), and their object or infinitive is
# its whole content, however short ("who support Sanders", "wants to win").
STANCE_CUES = frozenset(
    """
    support back endorse praise criticize criticise mock thank congratulate oppose condemn blame applaud
    welcome slam want prefer refuse
    """.split()  # noqa: SIM905
)
# Verbs whose prepositional object is what was asked, backed or talked about
# ("called for more flexibility", "would vote for Clinton", "spoke about the crisis"),
# with the preposition right after the verb.
PREP_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "vote": frozenset({"for", "against"}),
    "push": frozenset({"for"}),
    "press": frozenset({"for"}),
    "plead": frozenset({"for"}),
    "lobby": frozenset({"for", "against"}),
    "campaign": frozenset({"for", "against"}),
    "advocate": frozenset({"for"}),
    "vouch": frozenset({"for"}),
    "argue": frozenset({"for", "against"}),
    "talk": frozenset({"about"}),
    "speak": frozenset({"about", "on", "out"}),
    "comment": frozenset({"on", "about"}),
    "respond": frozenset({"to"}),
    "reply": frozenset({"to"}),
    "point": frozenset({"to"}),
    "refer": frozenset({"to"}),
    "reflect": frozenset({"on"}),
    "complain": frozenset({"about"}),
    "warn": frozenset({"about", "against", "of"}),
    "ask": frozenset({"for", "about"}),
}
# Nouns that attribute when a possessor says whose they are: "Sanders's criticism of
# Wall Street", "her support for stem cell research", "Trump's claim that ...".
NOUN_CUES = frozenset(
    """
    support criticism critique announcement endorsement praise comment comments statement claim view
    assessment call message promise pledge warning accusation opposition advocacy acknowledgement estimate
    declaration remarks concern argument insistence denial demand proposal plea position stance
    """.split()  # noqa: SIM905
)
_NOUN_PREPS = ("of", "for", "on", "about", "to", "against")
# "In Trump's view, ...": the clause is the possessor's opinion.
VIEW_NOUNS = frozenset("view opinion estimation assessment words mind eyes judgment judgement".split())  # noqa: SIM905
# Multi-word cues whose object names the source.
ACCORDING = ("according", "to")
# Verbs that introduce a partial quote as their object complement ("called the proposal 'a positive step'").
NAMING_VERBS = frozenset("call label describe dub brand term characterize characterise name".split())  # noqa: SIM905


def is_cue(token: Token) -> bool:
    """A verb that can report what someone said or thinks."""
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB":
        return False
    if lemma in PREP_CUES and prep_of(token) is not None:
        return True
    return lemma in CUE_VERBS or lemma in STANCE_CUES


def is_according(token: Token) -> bool:
    """The "according" of "according to X"."""
    if token.lower_ != ACCORDING[0] or token.i + 1 >= len(token.doc):
        return False
    return token.nbor(1).lower_ == ACCORDING[1]


def prep_of(verb: Token) -> Token | None:
    """The preposition of a prepositional cue ("called for", "spoke about"), right after the
    verb with no object before it ("called the bridge a landmark for decades" is not one)."""
    preps = PREP_CUES.get(verb.lemma_.lower())
    if not preps or verb.i + 1 >= len(verb.doc):
        return None
    nxt = verb.nbor(1)
    if nxt.lower_ not in preps:
        return None
    # "called for the US to step up ...": the parser makes "for" the mark of a clause on the verb
    clause_mark = nxt.dep_ == "mark" and nxt.head.head.i == verb.i and nxt.head.dep_ == "advcl"
    if not clause_mark and (nxt.head.i != verb.i or nxt.dep_ != "prep"):
        return None
    return None if any(c.dep_ == "dobj" for c in verb.children) else nxt


def is_noun_cue(token: Token) -> bool:
    """A stance noun with a possessor ("her support for ..."), the possessor being its source."""
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in NOUN_CUES
        and any(c.dep_ == "poss" for c in token.children)
        and any(c.dep_ in ("acl", "ccomp") or (c.dep_ == "prep" and c.lower_ in _NOUN_PREPS) for c in token.children)
    )


def view_owner(token: Token) -> Token | None:
    """The possessor of "in X's view" when `token` is its "in", else None."""
    if token.lower_ != "in":
        return None
    noun = next((c for c in token.children if c.dep_ == "pobj" and c.lemma_.lower() in VIEW_NOUNS), None)
    return next((c for c in noun.children if c.dep_ == "poss"), None) if noun is not None else None
