"""Entity resolution: the mentions of one actor across articles become one `Entity`.

For each article, in publication order:

1. In-article resolution: every mention gets the fullest name the article
   uses for it. Reading already sets `Mention.name`; a one-word person name
   ("Peskow") that is the surname of exactly one fuller person name in the
   article ("Dmitri Peskow") is mapped to it here as well, whatever type
   reading gave it ("Trump" tagged as an organisation).
2. Keys: the alias table (bundled, plus the user's) maps a spelling no rule
   can join to its canonical form; `names.name_key` folds the rest.
3. Cross-article matching, most certain first: the same full key; for a
   person, the same surname with compatible first names ("D." ~ "Dmitri",
   never "Dmitri" ~ "Sergei"); a surname alone joins an existing person only
   when one candidate fits, or the article's other actors (co-occurring
   context) or its role pick one out; otherwise it stays its own entity, so
   two people sharing a surname stay apart.
4. The article's mentions and quotes get their entity ids.

Entity ids are "e-" + a hash of the class and the key the entity was first
seen under, so they are stable across runs over the same stream.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from storydesk.link.names import clean_name, fold, initials_compatible, name_key, same_name_variants
from storydesk.records import Article, Entity, EntityRole, Mention, MentionType
from storydesk.settings import LinkSettings
from storydesk.store.base import Store

ALIASES_ENV = "STORYDESK_ALIASES"

# Places are kept apart from actors ("Washington" the city vs the government
# is a known confusion but rarer than a person tagged as an organisation).
_CLASS = {"person": "actor", "organization": "actor", "group": "actor", "other": "actor", "place": "place"}
_ENTITY_TYPE = {
    "person": "person",
    "organization": "organization",
    "group": "organization",
    "other": "other",
    "place": "place",
}
# Words that carry no meaning when comparing two roles.
_ROLE_STOP = frozenset({"the", "of", "for", "a", "an", "and", "s", "der", "die", "des", "former", "then"})


def _country_spelt_out(name: str) -> str:
    """An organisation's name with a leading short form of a country spelt out ("U.S. Geological Survey" ->
    "United States Geological Survey"), so both spellings share a key (issue 10, round 7); the short forms
    are the gazetteer's (read/places.py COUNTRY_ALIASES: "U.S.", "UK", "UAE")."""
    from storydesk.read.places import COUNTRY_ALIASES, lookup

    first, _, rest = name.partition(" ")
    if not rest or first.lower() not in COUNTRY_ALIASES:
        return name
    place = lookup(first)
    return f"{place.name} {rest}" if place is not None else name


def load_aliases(settings: LinkSettings) -> dict[str, str]:
    """The alias table: folded variant -> canonical name (bundled, then user file, then env file)."""
    paths: list[Path] = []
    bundled = resources.files("storydesk.link") / "data" / "aliases.tsv"
    texts = [bundled.read_text(encoding="utf-8")]
    if settings.alias_file:
        paths.append(Path(settings.alias_file))
    if os.environ.get(ALIASES_ENV):
        paths.append(Path(os.environ[ALIASES_ENV]))
    texts += [p.read_text(encoding="utf-8") for p in paths if p.exists()]
    table: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            if not line.strip() or line.startswith("#") or "\t" not in line:
                continue
            variant, canonical = line.split("\t", 1)
            table[fold(variant)] = canonical.strip()
    return table


@dataclass(slots=True)
class Local:
    """One actor or place within one article: its mentions under one in-article name."""

    cls: str
    name: str  # the fullest in-article name, cleaned
    key: str
    mentions: list[Mention] = field(default_factory=list)
    types: Counter = field(default_factory=Counter)
    roles: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return self.key.split()

    @property
    def is_person(self) -> bool:
        return self.types.most_common(1)[0][0] == "person"


def _mention_name(mention: Mention) -> str:
    person = mention.type == "person"
    return clean_name(mention.name or mention.text, person=person) or mention.text.strip()


def _key(name: str, *, person: bool, aliases: dict[str, str]) -> str:
    canonical = aliases.get(fold(name), name)
    if not person:
        canonical = _country_spelt_out(canonical)
    # A name in a script anyascii cannot read folds to nothing: key it by
    # its own text so it stays apart unless written identically.
    return name_key(canonical, person=person) or "=" + canonical.strip().lower()


def name_keys_of(article: Article, aliases: dict[str, str]) -> list[str]:
    """The keys of the names an article's mentions use, whatever their type: what the storyline score's
    entity signal compares (link/__init__.py), in place of the entities linking makes of them.

    Each mention's fullest in-article name (reading's `Mention.name`), mapped by the alias table and
    keyed by `names.name_key`, without its class: "Misri" read as a place and "Misri" read as a person
    give one key, and no entity merge, type correction or speaker rule changes what the score reads.
    Issue 10, round 8: the undated storyline decision sits near its thresholds, and with entity ids a
    type correction shown on a speaker's page moved it (docs/evaluation.md "Speakers as entities, round 8").
    """
    keys = set()
    for m in article.mentions:
        name = clean_name(m.name or m.text, person=False) or m.text.strip()
        canonical = aliases.get(fold(name), name)
        key = name_key(canonical, person=False)
        if key:
            keys.add("k:" + key)
    return sorted(keys)


def locals_of(article: Article, aliases: dict[str, str]) -> list[Local]:
    """Group an article's mentions into in-article actors and places (step 1)."""
    named = [(m, _mention_name(m)) for m in article.mentions]
    # Full person names by surname key, to resolve surname-only mentions.
    full_by_surname: dict[str, set[str]] = {}
    for m, name in named:
        key = _key(name, person=True, aliases=aliases)
        if m.type == "person" and len(key.split()) > 1 and not _org_name(name):
            full_by_surname.setdefault(key.split()[-1], set()).add(name)
    speakers = {name_key(q.speaker) for q in article.quotes if q.speaker}
    _correct_types(named, full_by_surname, aliases, speakers)
    # Full organisation names by their first word ("Apple" for "Apple Computer")
    # and by their initials ("GM" for "General Motors").
    full_by_head: dict[str, set[str]] = {}
    for m, name in named:
        key = _key(name, person=False, aliases=aliases)
        if m.type in ("organization", "group") and len(key.split()) > 1:
            full_by_head.setdefault(key.split()[0], set()).add(name)
            full_by_head.setdefault("^" + _initials(name), set()).add(name)
    groups: dict[tuple[str, str], Local] = {}
    for m, name in named:
        cls = _CLASS.get(m.type, "actor")
        person = m.type == "person"
        key = _key(name, person=person, aliases=aliases)
        if cls == "actor" and len(key.split()) == 1:
            fuller = full_by_surname.get(key, set())
            heads = set() if person else full_by_head.get(key, set()) | full_by_head.get("^" + _acronym(name), set())
            if len(fuller) == 1:
                name = next(iter(fuller))
                key = _key(name, person=True, aliases=aliases)
            elif not fuller and len(heads) == 1 and not _a_place(name):
                name = next(iter(heads))
                key = _key(name, person=False, aliases=aliases)
        local = groups.setdefault((cls, key), Local(cls=cls, name=name, key=key))
        local.mentions.append(m)
        local.types[m.type] = local.types[m.type] + 1
        if m.role and m.role not in local.roles:
            local.roles.append(m.role)
        if len(name) > len(local.name):
            local.name = name
    return list(groups.values())


def _correct_types(
    named: list[tuple[Mention, str]], full_by_surname: dict[str, set[str]], aliases: dict[str, str], speakers: set[str]
) -> None:
    """The types a user would doubt on a speaker entity, corrected before grouping (issue 10, round 7).

    - A one-word name that is the surname of exactly one fuller person name in
      the article is that person, whatever type the model gave it ("Misri"
      tagged GPE beside "Vikram Misri"), unless the gazetteer knows it as a
      place and the model read it as one too: then two readers say place. A
      name read as a place changes only when it speaks (a quote's speaker):
      places do not speak, and a region the gazetteer lacks stays a place
      beside a fuller name the model mistook for a person (round 8: "Kashmir"
      beside "Azad Kashmir" tagged PERSON).
    - A name whose last word is an organisation's head ("Fitch Ratings",
      "Press Information Bureau") is an organisation, never a person.
    - A person-typed name the gazetteer knows as a place ("Srinagar said",
      "Bahawalpur") that is no fuller person's surname here is the place (its
      government or people speaking), never a person. (A country tagged ORG stays an
      actor: countries are kept as a place and as an actor, see `_CLASS`.)
    The mention's type is changed, so reading's output and the entity agree.
    """
    for m, name in named:
        key = _key(name, person=True, aliases=aliases).split()
        if len(key) == 1 and len(full_by_surname.get(key[0], ())) == 1:
            if m.type == "organization" or (
                m.type == "place" and not _gazetteer_place(name) and name_key(m.name or m.text) in speakers
            ):
                m.type = "person"
            continue
        if m.type == "person" and _org_name(name):
            m.type = "organization"
        elif m.type == "person" and _gazetteer_place(name):
            m.type = "place"


def _org_name(name: str) -> bool:
    """Whether a capitalised name of two words or more ends in an organisation's head noun ("Fitch Ratings")."""
    from storydesk.read.lexicon import ORG_NAME_HEADS

    words = name.split()
    return len(words) > 1 and words[-1][:1].isupper() and words[-1].lower().strip(".,") in ORG_NAME_HEADS


def _a_place(name: str) -> bool:
    """Whether a one-word name is a country or city of the gazetteer (read/places.py). Alone it means the place
    or its people and government, never an organisation whose name begins with it: "India" is not "India
    Today", "Pakistan" is not the "Pakistan Air Force", and a headline read as an organisation ("India Launches
    Operation Sindoor Against Terror Targets") must not name the country's entity."""
    from storydesk.read.places import lookup  # the gazetteer is built on first use

    return lookup(name) is not None


def _gazetteer_place(name: str) -> bool:
    """Whether the gazetteer knows a name as a place by its own name, not by an alternate name or code of a
    city ("BBC" is a code of Bay City, "White House" a translation of Casablanca): a country or US state,
    or a city whose name is this one. The test for a speaker's type (issue 10, round 7), stricter than
    `_a_place`, which guards organisation heads."""
    from storydesk.read.places import lookup

    place = lookup(name)
    if place is None:
        return False
    return place.geonameid in _country_and_state_ids() or fold(place.name) == fold(clean_name(name, person=False))


@functools.lru_cache(maxsize=1)
def _country_and_state_ids() -> frozenset[int | None]:
    from storydesk.read.places import load_gazetteer

    gazetteer = load_gazetteer()
    return frozenset(p.geonameid for p in (*gazetteer.countries.values(), *gazetteer.states.values()))


def _initials(name: str) -> str:
    return "".join(w[0] for w in fold(clean_name(name, person=False)).split())


def _acronym(name: str) -> str:
    """The lower-cased acronym a one-word all-capitals name is ("" when it is not one)."""
    raw = name.replace(".", "")
    return raw.lower() if raw.isupper() and 2 <= len(raw) <= 6 else ""


def entity_id(cls: str, key: str) -> str:
    return "e-" + hashlib.sha1(f"{cls}:{key}".encode()).hexdigest()[:12]


def _lookup_keys(local: Local) -> list[str]:
    keys = [f"{local.cls}:{local.key}"]
    tokens = local.tokens
    if local.cls != "actor" or not tokens:
        return keys
    if local.is_person or len(tokens) == 1:
        keys.append(f"actor:~{tokens[-1]}")  # persons known by this surname
    if len(tokens) > 1:
        # An entity known by one word: the surname of a person, the first word of an organisation.
        if local.is_person or not _a_place(local.name.split()[0]):
            keys.append(f"actor:{tokens[-1] if local.is_person else tokens[0]}")
        if not local.is_person:
            keys.append(f"actor:{_initials(local.name)}")  # an organisation known by its acronym
    else:
        if not _a_place(local.name):
            keys.append(f"actor:>{tokens[0]}")  # organisations whose name starts with this word
        if _acronym(local.name):
            keys.append(f"actor:^{_acronym(local.name)}")  # an acronym: "GM" for General Motors
    return keys


def _index_keys(local: Local) -> list[str]:
    keys = [f"{local.cls}:{local.key}"]
    tokens = local.tokens
    if local.cls == "actor" and len(tokens) > 1:
        if local.is_person:
            keys.append(f"actor:~{tokens[-1]}")
        else:
            if not _a_place(local.name.split()[0]):
                keys.append(f"actor:>{tokens[0]}")
            keys.append("actor:^" + _initials(local.name))
    return keys


def _first_names(entity: Entity, surname: str) -> set[str]:
    """First-name keys of the entity's multi-word spellings with this surname."""
    out = set()
    for alias in entity.aliases:
        tokens = name_key(alias).split()
        if len(tokens) > 1 and tokens[-1] == surname:
            out.add(tokens[0])
    return out


def _given_names_agree(tokens: list[str], entity: Entity) -> bool:
    """Whether a full name's given names agree with one of the entity's spellings under the same surname:
    the first names equal or initials of each other, and, when both spell out as many middle names, those
    too ("Ahmed Sharif Chaudhry" is not "Ahmed Nawaz Chaudhry"; "Ahmed Chaudhry" may be either)."""
    for alias in entity.aliases:
        other = name_key(alias).split()
        if len(other) < 2 or other[-1] != tokens[-1] or not initials_compatible(tokens[0], other[0]):
            continue
        mine, theirs = tokens[1:-1], other[1:-1]
        if len(mine) != len(theirs) or all(initials_compatible(a, b) for a, b in zip(mine, theirs, strict=True)):
            return True
    return False


def _role_words(roles: list[str]) -> set[str]:
    return {w for r in roles for w in fold(r).split() if w not in _ROLE_STOP and len(w) > 2}


def _compatible(local: Local, entity: Entity, keys: list[str], *, variant_similarity: float = 1.0) -> bool | str:
    """True, False, or "context" when only the article's other actors can decide.

    `variant_similarity` (settings `given_name_variant_similarity`): a full person name joins an entity
    holding the same name up to the romanisation of a given name ("Ahmad"/"Ahmed Sharif Chaudhry").
    """
    tokens = local.tokens
    if f"{local.cls}:{local.key}" in keys:
        # One word is no evidence of one person when the roles disagree ("Müller" the striker, "Mueller" the counsel).
        return len(tokens) > 1 or not local.is_person or not _roles_conflict(local, entity)
    if local.cls != "actor" or not tokens:
        return False
    if len(tokens) > 1 and not local.is_person:
        # "Apple Computer" meets an organisation known as "Apple": a unit or fuller name of it.
        if entity.type == "person":
            return False
        if f"actor:{_initials(local.name)}" in keys and any(
            _acronym(a) == _initials(local.name) for a in entity.aliases
        ):
            return True  # "General Motors" meets an entity called "GM"
        if f"actor:{tokens[0]}" not in keys:
            return False
        # Another full name already under this first word ("Apple Corps" after
        # "Apple Computer"): only context can tell the two apart.
        others = {name_key(a, person=False) for a in entity.aliases if a.split()[0] == local.name.split()[0]}
        return "context" if any(len(k.split()) > 1 for k in others) else True
    surname = tokens[-1]
    firsts = _first_names(entity, surname)
    if len(tokens) > 1:
        # A full name meets an entity known by the same surname: first names must agree.
        if f"actor:~{surname}" in keys:
            if _given_names_agree(tokens, entity):
                return True
            return variant_similarity < 1.0 and any(
                same_name_variants(tokens, name_key(a).split(), min_similarity=variant_similarity)
                for a in entity.aliases
            )
        return f"actor:{surname}" in keys and not firsts and entity.type == "person"
    if f"actor:^{_acronym(local.name)}" in keys or f"actor:>{surname}" in keys:
        return True  # an acronym, or the first word of an organisation's name
    # A surname alone: compatible unless both sides carry roles that share no word.
    return f"actor:~{surname}" in keys and not _roles_conflict(local, entity)


def _roles_conflict(local: Local, entity: Entity) -> bool:
    mine, theirs = _role_words(local.roles), _role_words([r.role for r in entity.roles])
    return bool(mine and theirs and not mine & theirs)


def _new_entity(local: Local, *, taken: Callable[[str], bool]) -> Entity:
    """A new entity; a second actor under a known key (another "Müller") gets a numbered id."""
    eid, n = entity_id(local.cls, local.key), 1
    while taken(eid):
        n += 1
        eid = entity_id(local.cls, f"{local.key}#{n}")
    return Entity(
        id=eid,
        name=local.name,
        type=_ENTITY_TYPE.get(local.types.most_common(1)[0][0], "other"),  # type: ignore[arg-type]
        key=local.key,
    )


def _absorb(entity: Entity, local: Local, article_id: str) -> None:
    for m in local.mentions:
        surface = clean_name(m.text, person=m.type == "person") or m.text
        if surface not in entity.aliases:
            entity.aliases.append(surface)
    if local.name not in entity.aliases:
        entity.aliases.append(local.name)
    if len(local.key.split()) > len(name_key(entity.name).split()):
        entity.name = local.name  # the fullest spelling names the entity
    for role in local.roles:
        slot = next((r for r in entity.roles if r.role == role), None)
        if slot is None:
            slot = EntityRole(role=role)
            entity.roles.append(slot)
        if article_id not in slot.articles:
            slot.articles.append(article_id)
    if article_id not in entity.articles:
        entity.articles.append(article_id)


def _speaker_entity(key: str, by_name: dict[str, str]) -> str | None:
    """The entity of a quote's speaker: its name's key, else the longest tail of it an actor of the article
    is known by ("Trump's senior adviser for Trade Peter Navarro" is "Peter Navarro"; "Navarro" last)."""
    tokens = key.split()
    for i in range(len(tokens)):
        found = by_name.get(" ".join(tokens[i:]))
        if found:
            return found
    return None


class EntityLinker:
    """Resolves articles' mentions against the store's entities, one article at a time."""

    def __init__(self, store: Store, settings: LinkSettings) -> None:
        self.store = store
        self.settings = settings
        self.aliases = load_aliases(settings)
        self.dirty: dict[str, Entity] = {}  # entities changed since the last flush
        self.new_keys: dict[str, set[str]] = {}
        # `new_keys` inverted (key -> entities), with each entity's place in `new_keys`: a lookup reads the
        # keys it asks for instead of every entity the batch made (issue 13: that loop was quadratic in a batch)
        self._new_by_key: dict[str, set[str]] = {}
        self._new_order: dict[str, int] = {}
        # Stored entities (without their article lists) and their keys as read, kept for the run: a name
        # many articles share ("COVID-19") can key hundreds of entities, read again at every mention, a cost
        # that grew with the store (issue 13, round 14). Only `flush` changes stored entities, and only the
        # changed ones (`dirty`, whose keys `new_keys` holds): it drops those, so what is kept equals a read.
        self._stored: dict[str, Entity] = {}
        self._stored_keys: dict[str, list[str]] = {}

    def _candidates(self, keys: list[str]) -> dict[str, tuple[Entity, list[str]]]:
        ids = self.store.entities.ids_by_keys(keys)
        missing = [eid for eid in ids if eid not in self._stored]
        if missing:
            self._stored.update((e.id, e) for e in self.store.entities.get_many(missing, articles=False))
            self._stored_keys.update(self.store.entities.keys_of(missing))
        found = {eid: self._stored[eid] for eid in ids}
        known = {eid: self._stored_keys.get(eid, []) for eid in ids}
        fresh = {eid for key in keys for eid in self._new_by_key.get(key, ())}
        for eid in sorted(fresh, key=self._new_order.__getitem__):  # in `new_keys` order, as before
            found.setdefault(eid, self.dirty[eid])
        out = {}
        for eid in found:
            entity = self.dirty.get(eid, found[eid])
            out[eid] = (entity, sorted(set(known.get(eid, [])) | self.new_keys.get(eid, set())))
        return out

    def _choose(self, local: Local, context: list[str], *, decide: bool = True) -> Entity | None:
        """The existing entity this local actor is, or None for a new one.

        `context` holds the entities this article's other actors resolved to:
        they are evidence, and none of them can be this actor too under
        another name (the article already told the two names apart).
        """
        keys = _lookup_keys(local)
        fits = []
        own = f"{local.cls}:{local.key}"
        for entity, ks in self._candidates(keys).values():
            if entity.id in context and own not in ks:
                continue
            verdict = (
                _compatible(local, entity, ks, variant_similarity=self.settings.given_name_variant_similarity)
                if set(ks) & set(keys)
                else False
            )
            if verdict:
                fits.append((entity, ks, verdict))
        if local.cls == "actor" and (local.is_person or local.roles) and any(e.type == "person" for e, _, _ in fits):
            # A name the model read as a person, or that carries a title ("President Trump" tagged as an
            # organisation), is the person who fits it, not an organisation that shares a word with it
            # ("Trump Media & Technology" took every "Trump" after one was tagged ORG).
            fits = [f for f in fits if f[0].type == "person"]
        exact = [e for e, ks, _ in fits if f"{local.cls}:{local.key}" in ks]
        if len(exact) == 1:
            return exact[0]
        sure = [e for e, _, verdict in fits if verdict is True]
        pool = exact or sure
        if len(pool) == 1:
            return pool[0]
        pool = pool or [e for e, _, _ in fits]
        if not pool or not decide:
            return None
        # Several fit the name, or the name alone cannot decide: the one the
        # article's other actors appear with in earlier articles.
        scores = [(self.store.entities.shared_articles(e.id, context), e.id, e) for e in pool]
        scores.sort(key=lambda s: (-s[0], s[1]))
        if scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            return scores[0][2]
        return None

    def link(self, article: Article) -> dict[str, str]:
        """Give the article's mentions and quotes entity ids; return its entities' ids and classes."""
        speakers = {name_key(q.speaker) for q in article.quotes if q.speaker}
        group = [self._actor_for_place(local, speakers) for local in locals_of(article, self.aliases)]
        # Most specific first, so a full name settles before its surname-only uses elsewhere.
        group.sort(key=lambda loc: (-len(loc.tokens), loc.key))
        resolved: dict[int, Entity] = {}
        context: list[str] = []
        # Two passes: names that decide alone first, so the ambiguous ones
        # ("Klitschko" with two brothers known) see every other actor as context.
        for needs_context in (False, True):
            for i, local in enumerate(group):
                if i in resolved:
                    continue
                entity = self._choose(local, context, decide=needs_context)
                if entity is None and not needs_context:
                    continue
                if entity is None:
                    entity = _new_entity(local, taken=self._taken)
                _absorb(entity, local, article.id)
                self.dirty[entity.id] = entity
                self._add_new_keys(entity.id, _index_keys(local))
                resolved[i] = entity
                context.append(entity.id)
        by_name: dict[str, str] = {}
        for i, local in enumerate(group):
            for m in local.mentions:
                m.entity = resolved[i].id
                by_name[name_key(m.name or m.text)] = resolved[i].id
                by_name[name_key(m.text)] = resolved[i].id
        for quote in article.quotes:
            if quote.speaker:
                quote.speaker_entity = _speaker_entity(name_key(quote.speaker), by_name)
        return {resolved[i].id: local.cls for i, local in enumerate(group)}

    def _actor_for_place(self, local: Local, speakers: set[str]) -> Local:
        """A "place" the gazetteer does not know, as the actor it is (issue 10, round 7); any other local
        is returned as it is.

        Only a "place" that speaks in the article (a quote's speaker) is changed: places do not speak, and
        the ones whose governments do are in the gazetteer. One word that is the surname of exactly one
        person already known ("Misri said", tagged GPE, in an article that never writes "Vikram Misri") is
        that person; any other ("BBC reported", "the White House said", both tagged GPE) is an
        organisation. A silent one stays what reading said (round 8: "Kaschmir" became the "person"
        "Azad Kashmir", a place the model had tagged PERSON elsewhere, by its last word).
        """
        if local.cls != "place" or _gazetteer_place(local.name):
            return local
        if not speakers & {name_key(m.name or m.text) for m in local.mentions}:
            return local
        kind: MentionType = "organization"
        key = _key(local.name, person=True, aliases=self.aliases)
        if len(local.tokens) == 1:
            fits = [
                e
                for e, ks in self._candidates([f"actor:~{key}"]).values()
                if e.type == "person" and f"actor:~{key}" in ks
            ]
            if len(fits) == 1:
                kind = "person"
        for m in local.mentions:
            m.type = kind
        return Local(
            cls="actor",
            name=local.name,
            key=key if kind == "person" else _key(local.name, person=False, aliases=self.aliases),
            mentions=local.mentions,
            types=Counter({kind: sum(local.types.values())}),
            roles=local.roles,
        )

    def _add_new_keys(self, eid: str, keys: list[str]) -> None:
        self._new_order.setdefault(eid, len(self._new_order))
        self.new_keys.setdefault(eid, set()).update(keys)
        for key in keys:
            self._new_by_key.setdefault(key, set()).add(eid)

    def _taken(self, eid: str) -> bool:
        return eid in self.dirty or self.store.entities.exists(eid)

    def flush(self) -> None:
        """Write the changed entities and their new keys; call inside the caller's transaction."""
        self.store.entities.upsert(self.dirty.values())
        for eid, keys in self.new_keys.items():
            self.store.entities.add_keys(eid, keys)
        for eid in self.dirty:  # changed in the store: read again when next asked for
            self._stored.pop(eid, None)
            self._stored_keys.pop(eid, None)
        self.dirty.clear()
        self.new_keys.clear()
        self._new_by_key.clear()
        self._new_order.clear()
