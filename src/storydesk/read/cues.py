"""Cues: the verbs and phrases that report a speech or writing act ("said", "wrote", "according to").

A quote is what someone said or wrote (docs/quotes.md), so the lexicon holds
speech-act verbs only. It follows the reporting-verb lists of the rule-based
quote extractors (textacy's `_reporting_verbs`, BBC citron's cue lexicon, the
SFU Gender Gap Tracker's quote verbs) without their belief, feeling and
stance verbs ("believe", "hope", "know", "support", "want"): those report a
state of mind, not an utterance. Verbs that only sometimes report speech
("indicate", "suggest", "signal") are candidates when someone does them
("Peskov suggested that ..."); a thing doing them ("The move signals ...")
names no speaker and is dropped (read/quotes.py), and as a participle hung on
another clause ("Dar said ..., indicating that ...", "Rubio highlighted the
sanctions, signaling these could ...") they are the writer's inference, never a
cue. The quote model (read/quote_model.py) learns from its training data how
often each of the others reports speech.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

# Verbs whose complement clause is what was said or written.
SPEECH_VERBS = frozenset(
    """
    say tell state add note stress emphasize emphasise underscore underline claim argue announce insist warn
    explain suggest acknowledge admit deny confirm indicate report write tweet post ask reply respond answer
    declare predict promise vow pledge urge describe caution comment concede contend assert maintain mention
    observe remark reiterate recall reveal signal allege accuse complain testify disclose affirm assure boast
    brag charge conclude demand joke lament muse proclaim propose repeat stipulate speculate swear threaten
    inform notify advise forecast clarify shout whisper cry exclaim continue elaborate recount quip retort
    counter estimate point tweet blog message text announce caption plead appeal order instruct direct
    recommend request implore beg promise guarantee insist concur
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Every lemma that can be the cue of a speech act, for judging other corpora's cues
# (PolNeAR's attributions, eval/eval_polnear.py --speech): naming something in quotation
# marks ("called it 'a positive step'") and asking for something are speech acts too.
# (Built below, once all lists exist.)

# Verbs whose "to"-infinitive is what was asked or promised ("urged voters to ...", "vowed to ...").
DIRECTIVE_CUES = frozenset(
    """
    urge ask tell warn advise promise vow pledge threaten demand call appeal plead order instruct direct
    request implore beg
    """.split()  # noqa: SIM905
)
# Directive verbs with a preposition right after them ("called for calm", "called on Russia to ...").
PREP_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "appeal": frozenset({"for", "to"}),
    "plead": frozenset({"for", "with"}),
    "press": frozenset({"for"}),
    "push": frozenset({"for"}),
}
# Nouns of a speech act whose clause is what was said ("Trump's claim that ...",
# "a statement saying ..."): only the clause counts, never a noun object.
NOUN_CUES = frozenset(
    """
    claim statement announcement warning accusation assertion comment comments remarks promise pledge
    demand insistence denial allegation message post tweet
    """.split()  # noqa: SIM905
)
SPEECH_LEMMAS = (
    SPEECH_VERBS
    | DIRECTIVE_CUES
    | frozenset(PREP_CUES)
    | frozenset(
        "call label describe dub brand term characterize characterise name".split()  # noqa: SIM905
    )
)
# Verbs of inference: "indicate", "signal" and the like report speech only with a speaker
# as their subject; as a participle after another clause they are the writer's reading of it.
# "Suggest" is not among them: "..., falsely suggesting that Obama was born abroad" is what the
# subject insinuated, not the writer's reading.
INFERENCE_VERBS = frozenset("indicate signal imply show highlight underscore underline reflect mean".split())  # noqa: SIM905
# Speech verbs that report speech only used on their own ("'...,' he continued"), not with a
# complement of another kind ("the EU will continue to work").
_BARE_ONLY = frozenset(("continue",))
# Multi-word cues whose object names the source.
ACCORDING = ("according", "to")
# Verbs that introduce a partial quote as their object complement ("called the proposal 'a positive step'").
NAMING_VERBS = frozenset("call label describe dub brand term characterize characterise name".split())  # noqa: SIM905
# Verbs of saying that, negated or as a question, report no statement ("did not say whether").
NON_COMMITTAL = frozenset(("whether", "if", "how", "when", "why", "what", "who"))


def cue_class(token: Token) -> str | None:
    """What kind of cue a token is: "speech", "directive", "prep", "according", or None."""
    if is_according(token):
        return "according"
    if token.pos_ not in ("VERB", "AUX") and not (token.pos_ == "NOUN" and token.tag_ in ("VBZ", "VBD")):
        return None
    lemma = token.lemma_.lower()
    if lemma in PREP_CUES and prep_of(token) is not None:
        return "prep"
    if lemma in SPEECH_VERBS and not is_inference(token):
        if lemma in _BARE_ONLY and any(c.dep_ in ("xcomp", "dobj", "prep", "ccomp") for c in token.children):
            return None
        return "speech"
    return None


def is_inference(token: Token) -> bool:
    """An inference verb as a participle hung on another clause: "..., indicating that ..."."""
    return (
        token.lemma_.lower() in INFERENCE_VERBS
        and token.tag_ == "VBG"
        # csubj: the parser's reading of ", indicating the structure ... would be" (misread_participle)
        and token.dep_ in ("advcl", "xcomp", "conj", "pcomp", "csubj", "csubjpass")
        and token.head is not token
    )


def is_cue(token: Token) -> bool:
    """A verb that can report what someone said or wrote."""
    return token.pos_ == "VERB" and cue_class(token) in ("speech", "prep")


# Verbs that report someone speaking without giving what was said ("The president gave an example
# ...", "Sharif addressed parliament"): the quote paragraph after such a sentence is that speaker's.
_SPEAKING = frozenset("speak address deliver give brief".split())  # noqa: SIM905
_SPEECH_OBJECTS = frozenset(
    "example speech address remark remarks statement interview briefing talk update warning message".split()  # noqa: SIM905
)


def is_speech_event(sent: Span) -> bool:
    """Whether a sentence's main verb is someone speaking: a cue, or speaking, addressing,
    giving or delivering a speech, remarks, an example."""
    root = sent.root
    if cue_class(root) in ("speech", "prep"):
        return True
    lemma = root.lemma_.lower()
    if lemma not in _SPEAKING:
        return False
    if lemma in ("give", "deliver"):
        return any(c.dep_ == "dobj" and c.lemma_.lower() in _SPEECH_OBJECTS for c in root.children)
    return True


def is_according(token: Token) -> bool:
    """The "according" of "according to X"."""
    if token.lower_ != ACCORDING[0] or token.i + 1 >= len(token.doc):
        return False
    return token.nbor(1).lower_ == ACCORDING[1]


def prep_of(verb: Token) -> Token | None:
    """The preposition of a prepositional cue ("called for", "called on"), right after the
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
    """A speech-act noun with a content clause ("the claim that ...", "a statement saying ...")."""
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in NOUN_CUES
        and any(c.dep_ in ("acl", "ccomp") and c.i > token.i and _content_clause(c) for c in token.children)
    )


def _content_clause(clause: Token) -> bool:
    """A "that"-clause or a finite one, not a participle describing the noun ("a statement
    issued on Monday") nor a speech verb of its own ("a statement saying ...": that verb is the cue)."""
    if cue_class(clause) is not None:
        return False
    return clause.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("mark", "aux") and c.lower_ not in ("to",) for c in clause.children
    )


def misread_participle(cue: Token) -> Token | None:
    """The clause a participial cue reports when the parser took the participle for a clausal
    subject: in "The ministry responded, stating their policy would not be dictated abroad"
    spaCy reads "stating their policy" as the subject of "would be dictated". The participle
    after a comma, with its "subject" clause to its right, is the cue of that clause; returns
    the clause's head (None for any other parse)."""
    head = cue.head
    if cue.tag_ != "VBG" or cue.dep_ not in ("csubj", "csubjpass") or head.i <= cue.i or cue.i == 0:
        return None
    if cue.nbor(-1).text not in (",", ";", "—", "–"):
        return None
    return head if head.pos_ in ("VERB", "AUX") else None


def gerund_complement(cue: Token) -> Token | None:
    """The gerund clause a speech verb reports: "acknowledged having received positive news",
    "denied taking bribes", "recalled meeting the envoy". A gerund that is a cue itself
    ("responded saying ...") reports on its own."""
    for child in cue.children:
        if child.i < cue.i or child.dep_ not in ("xcomp", "dobj") or child.pos_ != "VERB":
            continue
        perfect = any(c.lower_ == "having" and c.dep_ == "aux" for c in child.children)
        if (child.tag_ == "VBG" or perfect) and cue_class(child) is None:
            return child
    return None
