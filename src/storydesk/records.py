"""The typed records that flow through storydesk's stages.

An `Article` enters at ingest and leaves reading with its mentions, quotes,
claims and dates filled in; linking adds entity ids and groups articles into
`Story` records; comparing fills a story's findings. Stages fill fields in,
they never reshape a record. `to_dict`/`from_dict` give the JSON form the
store keeps and the exports write.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

# Where an article's publication date came from. "text" means inferred from
# the lead ("On March 12, 2025, ...") and is marked as such in the tables.
DateSource = Literal["metadata", "header", "text", "feed", "none"]
MentionType = Literal["person", "organization", "place", "group", "other"]
QuoteKind = Literal["direct", "partial", "indirect"]
# Who a quote's speaker is: a person, an organisation (a country speaking is its
# government), a group of people ("officials") or a document ("the joint statement").
SpeakerType = Literal["person", "organization", "group", "document"]
ConflictKind = Literal["quote_attribution", "role", "number", "date", "statement"]


@dataclass(slots=True)
class Place:
    """A gazetteer entry a place mention resolved to."""

    name: str
    latitude: float
    longitude: float
    country: str | None = None
    geonameid: int | None = None


@dataclass(slots=True)
class Mention:
    """A named actor or place in one article, with the role the article gives it."""

    text: str
    start: int
    end: int
    type: MentionType
    name: str  # the fullest name this article uses for the actor ("Donald Trump" for "Trump")
    role: str | None = None  # "Kremlin spokesperson", "former NATO General"
    entity: str | None = None  # filled by link/
    place: Place | None = None  # filled for places found in the gazetteer


@dataclass(slots=True)
class Quote:
    """Something a speaker said, directly, in part, or in reported speech."""

    text: str  # without the quotation marks
    start: int
    end: int
    kind: QuoteKind
    cue: str | None = None  # "said", "according to", "stressed"
    speaker: str | None = None  # fullest name in the article, never a pronoun
    speaker_text: str | None = None  # the words that point at the speaker here ("he", "the spokesperson")
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity: str | None = None  # filled by link/
    speaker_type: SpeakerType | None = None
    # False for a description ("officials", "a senior official", "the joint statement"),
    # which names no one a reader could check or link across articles.
    speaker_named: bool | None = None
    # A later paragraph of a quote running over paragraphs, or the part after its cue
    # ('"A," he said, "B."'): the same utterance as the quote before it.
    continues: bool = False
    confidence: float | None = None  # the quote model's probability that this is a quote
    cue_start: int | None = None  # offsets of the cue word in the text (the German reader fills them)
    cue_end: int | None = None
    # How sure reading is of the speaker (read/speakers.py speaker_confidence): 1.0 when the words name
    # them, lower when "he" or "she" points at them past other people; None when not assessed.
    speaker_confidence: float | None = None


@dataclass(slots=True)
class Claim:
    """A statement with a number in it."""

    text: str  # the sentence that states it
    start: int  # offsets of the sentence
    end: int
    value: float | None
    unit: str | None  # normalised: "km2", "day", "percent", "person", "USD", ...
    quantity: str = ""  # the number as written: "over 1,100 square kilometers"
    quantity_start: int | None = None
    quantity_end: int | None = None
    qualifier: str | None = None  # "over", "about", "at least"
    subject: str | None = None  # what the number is about


@dataclass(slots=True)
class DateRef:
    """A date expression resolved against the article's publication date."""

    text: str
    start: int
    end: int
    date: str  # ISO 8601 date
    sentence: str
    relative: bool = False


@dataclass(slots=True)
class Article:
    id: str
    source: str  # file path, URL, or feed URL + entry id, as given
    text: str  # the clean body: paragraphs joined by a blank line
    paragraphs: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601
    published_source: DateSource = "none"
    language: str | None = None
    content_hash: str = ""
    duplicate_of: str | None = None  # the article this one near-duplicates (syndication)
    ingested_at: str | None = None
    # filled by read/
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    read_note: str | None = None  # why reading skipped or limited this article

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return _build(cls, data)


@dataclass(slots=True)
class EntityRole:
    role: str
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Entity:
    """One real actor across articles, under every spelling."""

    id: str
    name: str
    type: Literal["person", "organization", "place", "other"]
    aliases: list[str] = field(default_factory=list)
    roles: list[EntityRole] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    key: str = ""  # the normalised name key it was built on

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return _build(cls, data)


@dataclass(slots=True)
class Side:
    """One side of a finding: an article's own words."""

    article: str
    text: str
    outlet: str | None = None
    start: int | None = None
    end: int | None = None
    speaker: str | None = None
    quote_kind: QuoteKind | None = None  # direct, partial (shown in quotation marks) or indirect (reported speech)
    # A conflict's side: what it says the disputed thing is (a day, a title, an amount, a speaker).
    value: str | None = None
    # Reported speech in a language other than English, or cut off by reading: the whole sentence that reports
    # it, in the article's words (after the speaker's name where it does not name them), shown in place of an
    # English "X said that ..." glued onto the other language's clause (compare/findings.py `side`).
    sentence: str | None = None
    # Its words run to where the stored text stops mid-sentence (compare/statements.py `Statement.cut`): shown
    # up to the last whole word and an ellipsis, never as words the outlet wrote to their end (round 15).
    cut: bool = False


@dataclass(slots=True)
class Finding:
    """A statement corroborated by several outlets or reported by one only."""

    summary: str
    articles: list[str]
    outlets: list[str] = field(default_factory=list)
    kind: str = "statement"  # quote, claim, role, event
    sides: list[Side] = field(default_factory=list)
    confidence: float = 1.0
    reason: str = ""
    copies: list[str] = field(default_factory=list)  # near-duplicate articles counted once
    independent_outlets: int = 0  # known outlets, copies counted once
    voices: int = 0  # independent texts: known outlets plus texts of unknown outlets
    importance: float = 0.0  # single-source: how much it is worth reading first (compare/findings.py importance)


@dataclass(slots=True)
class Conflict:
    kind: ConflictKind
    summary: str
    sides: list[Side]
    entity: str | None = None
    confidence: float = 1.0
    reason: str = ""
    about: str = ""  # what the sources disagree on ("Omar Abdullah's title"), as the summary says it


@dataclass(slots=True)
class BriefSentence:
    text: str
    articles: list[str]
    status: Literal["corroborated", "single_source", "conflict"] = "corroborated"


@dataclass(slots=True)
class TimelineEntry:
    date: str
    text: str
    articles: list[str]
    first_reported_by: str | None = None


@dataclass(slots=True)
class Story:
    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    storyline: str | None = None  # id of the storyline this story (one event) belongs to
    # When the event happened: the earliest and latest known day of its articles
    # (publication date, else the page's date line), else the calendar day its
    # articles mention most (day_source "mentioned"); None when nothing dates it.
    first_day: str | None = None
    last_day: str | None = None
    day_source: str | None = None  # "dated" (publication dates, page date lines) or "mentioned"
    independent_outlets: int = 0  # voices: near-duplicate copies and unknown outlets not counted
    # filled by compare/
    corroborated: list[Finding] = field(default_factory=list)
    single_source: list[Finding] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    brief: list[BriefSentence] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        return _build(cls, data)


@dataclass(slots=True)
class StorylineEvent:
    """One event on a storyline's timeline."""

    event: str  # the story id
    title: str
    day: str | None = None
    day_source: str | None = None
    articles: int = 0
    independent_outlets: int = 0
    languages: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Storyline:
    """A developing story: the events (stories) that continue one another, over days or weeks."""

    id: str
    title: str
    events: list[str] = field(default_factory=list)  # story ids, in timeline order
    timeline: list[StorylineEvent] = field(default_factory=list)
    article_count: int = 0
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    first_day: str | None = None
    last_day: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Storyline:
        return _build(cls, data)


# The outlet of an article whose publisher is not known (issue 11): never a file name,
# and never counted as an independent voice.
UNKNOWN_OUTLET = "unknown outlet"


def outlet_of(article: Article) -> str:
    """The outlet an article speaks with: its outlet, else its URL's host, else UNKNOWN_OUTLET."""
    if article.outlet:
        return article.outlet
    for value in (article.url, article.source):
        if value and value.startswith(("http://", "https://")):
            host = value.split("/", 3)[2].split("@")[-1].split(":")[0].lower()
            if host:
                return host.removeprefix("www.")
    return UNKNOWN_OUTLET


def known_outlet(outlet: str | None) -> bool:
    """Whether an outlet label names a publisher (so it may count as an independent voice)."""
    return bool(outlet) and outlet != UNKNOWN_OUTLET


T = TypeVar("T")

_FIELD_NAMES: dict[type, dict[str, None]] = {}  # field names in order, with O(1) lookup
_LEAVES = frozenset({str, int, float, bool, type(None)})  # what `plain` returns as it is


def plain(value: Any) -> Any:
    """A record as plain dicts and lists, for JSON.

    `dataclasses.asdict` deep-copies every leaf and was a third of the cost of
    storing an article; records hold only str/int/float/bool/None leaves, so
    building the dicts directly is enough.
    """
    cls = type(value)
    if cls in _LEAVES:  # most values: answered before the dataclass check (issue 13, round 15)
        return value
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value
        names = _FIELD_NAMES[cls] = dict.fromkeys(f.name for f in dataclasses.fields(value))
    return {name: plain(getattr(value, name)) for name in names}


# Nested record types by (owner, field) so `from_dict` can rebuild lists of records.
_NESTED: dict[tuple[str, str], type] = {
    ("Article", "mentions"): Mention,
    ("Article", "quotes"): Quote,
    ("Article", "claims"): Claim,
    ("Article", "dates"): DateRef,
    ("Mention", "place"): Place,
    ("Entity", "roles"): EntityRole,
    ("Finding", "sides"): Side,
    ("Conflict", "sides"): Side,
    ("Story", "corroborated"): Finding,
    ("Story", "single_source"): Finding,
    ("Story", "conflicts"): Conflict,
    ("Story", "brief"): BriefSentence,
    ("Story", "timeline"): TimelineEntry,
    ("Storyline", "timeline"): StorylineEvent,
}


# Each record type's fields, each with its nested record type (`_NESTED`) or None: looked up once per type
# (a key tuple per field of every record read was a third of `_build`; issue 13, round 16).
_SHAPES: dict[type, dict[str, Any]] = {}
_UNKNOWN = object()


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a record from its dict form, ignoring keys it does not know."""
    shape = _SHAPES.get(cls)
    if shape is None:
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        shape = _SHAPES[cls] = {f.name: _NESTED.get((cls.__name__, f.name)) for f in fields}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        nested = shape.get(key, _UNKNOWN)
        if nested is _UNKNOWN:
            continue
        if nested is not None and value is not None:
            if isinstance(value, list):
                value = [_build(nested, v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                value = _build(nested, value)
        kwargs[key] = value
    return cls(**kwargs)


def record_from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Any record (Quote, Conflict, ...) from its dict form, ignoring keys it does not know."""
    return _build(cls, data)
