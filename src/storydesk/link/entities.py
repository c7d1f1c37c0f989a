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

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from storydesk.link.names import clean_name, fold, initials_compatible, name_key
from storydesk.records import Article, Entity, EntityRole, Mention
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
    # A name in a script anyascii cannot read folds to nothing: key it by
    # its own text so it stays apart unless written identically.
    return name_key(canonical, person=person) or "=" + canonical.strip().lower()


def locals_of(article: Article, aliases: dict[str, str]) -> list[Local]:
    """Group an article's mentions into in-article actors and places (step 1)."""
    named = [(m, _mention_name(m)) for m in article.mentions]
    # Full person names by surname key, to resolve surname-only mentions.
    full_by_surname: dict[str, set[str]] = {}
    for m, name in named:
        key = _key(name, person=True, aliases=aliases)
        if m.type == "person" and len(key.split()) > 1:
            full_by_surname.setdefault(key.split()[-1], set()).add(name)
    groups: dict[tuple[str, str], Local] = {}
    for m, name in named:
        cls = _CLASS.get(m.type, "actor")
        key = _key(name, person=m.type == "person", aliases=aliases)
        fuller = full_by_surname.get(key, set()) if cls == "actor" and len(key.split()) == 1 else set()
        if len(fuller) == 1:
            name = next(iter(fuller))
            key = _key(name, person=True, aliases=aliases)
        local = groups.setdefault((cls, key), Local(cls=cls, name=name, key=key))
        local.mentions.append(m)
        local.types[m.type] = local.types[m.type] + 1
        if m.role and m.role not in local.roles:
            local.roles.append(m.role)
        if len(name) > len(local.name):
            local.name = name
    return list(groups.values())


def entity_id(cls: str, key: str) -> str:
    return "e-" + hashlib.sha1(f"{cls}:{key}".encode()).hexdigest()[:12]


def _lookup_keys(local: Local) -> list[str]:
    keys = [f"{local.cls}:{local.key}"]
    tokens = local.tokens
    if local.cls == "actor" and tokens:
        keys.append(f"actor:~{tokens[-1]}")  # persons known by this surname
        if len(tokens) > 1:
            keys.append(f"actor:{tokens[-1]}")  # entities known by the surname alone
        raw = local.name.replace(".", "")
        if len(tokens) == 1 and raw.isupper() and len(raw) >= 2:
            keys.append(f"actor:^{raw.lower()}")  # an acronym: "GM" for General Motors
    return keys


def _index_keys(local: Local) -> list[str]:
    keys = [f"{local.cls}:{local.key}"]
    tokens = local.tokens
    if local.cls == "actor" and len(tokens) > 1:
        if local.is_person:
            keys.append(f"actor:~{tokens[-1]}")
        else:
            keys.append("actor:^" + "".join(w[0] for w in fold(local.name).split()))
    return keys


def _first_names(entity: Entity, surname: str) -> set[str]:
    """First-name keys of the entity's multi-word spellings with this surname."""
    out = set()
    for alias in entity.aliases:
        tokens = name_key(alias).split()
        if len(tokens) > 1 and tokens[-1] == surname:
            out.add(tokens[0])
    return out


def _role_words(roles: list[str]) -> set[str]:
    return {w for r in roles for w in fold(r).split() if w not in _ROLE_STOP and len(w) > 2}


def _compatible(local: Local, entity: Entity, keys: list[str]) -> bool:
    if f"{local.cls}:{local.key}" in keys:
        return True
    tokens = local.tokens
    if local.cls != "actor" or not tokens:
        return False
    surname = tokens[-1]
    firsts = _first_names(entity, surname)
    if len(tokens) > 1:
        # A full name meets an entity known by the same surname: first names must agree.
        if f"actor:~{surname}" in keys:
            return any(initials_compatible(tokens[0], f) for f in firsts)
        return f"actor:{surname}" in keys and not firsts
    if f"actor:^{local.name.replace('.', '').lower()}" in keys:
        return True
    # A surname alone: compatible unless both sides carry roles that share no word.
    if f"actor:~{surname}" not in keys:
        return False
    mine, theirs = _role_words(local.roles), _role_words([r.role for r in entity.roles])
    return not (mine and theirs and not mine & theirs)


def _new_entity(local: Local) -> Entity:
    return Entity(
        id=entity_id(local.cls, local.key),
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


class EntityLinker:
    """Resolves articles' mentions against the store's entities, one article at a time."""

    def __init__(self, store: Store, settings: LinkSettings) -> None:
        self.store = store
        self.settings = settings
        self.aliases = load_aliases(settings)
        self.dirty: dict[str, Entity] = {}  # entities changed since the last flush
        self.new_keys: dict[str, set[str]] = {}

    def _candidates(self, keys: list[str]) -> dict[str, tuple[Entity, list[str]]]:
        found = {e.id: e for e in self.store.entities.by_keys(keys, articles=False)}  # type: ignore[call-arg]
        known = self.store.entities.keys_of(list(found))  # type: ignore[attr-defined]
        for eid, ks in self.new_keys.items():
            if set(ks) & set(keys):
                found.setdefault(eid, self.dirty[eid])
        out = {}
        for eid in found:
            entity = self.dirty.get(eid, found[eid])
            out[eid] = (entity, sorted(set(known.get(eid, [])) | self.new_keys.get(eid, set())))
        return out

    def _choose(self, local: Local, context: list[str]) -> Entity | None:
        keys = _lookup_keys(local)
        fits = [
            (e, ks) for e, ks in self._candidates(keys).values() if set(ks) & set(keys) and _compatible(local, e, ks)
        ]
        exact = [e for e, ks in fits if f"{local.cls}:{local.key}" in ks]
        if len(exact) == 1:
            return exact[0]
        pool = exact or [e for e, _ in fits]
        if len(pool) <= 1:
            return pool[0] if pool else None
        # Several people fit the name: the one the article's other actors appear with.
        scores = [(self.store.entities.shared_articles(e.id, context), e.id, e) for e in pool]  # type: ignore[attr-defined]
        scores.sort(key=lambda s: (-s[0], s[1]))
        if scores[0][0] > 0 and scores[0][0] > scores[1][0]:
            return scores[0][2]
        return None

    def link(self, article: Article) -> dict[str, str]:
        """Give the article's mentions and quotes entity ids; return its entities' ids and classes."""
        group = locals_of(article, self.aliases)
        # Most specific first, so a full name settles before its surname-only uses elsewhere.
        group.sort(key=lambda loc: (-len(loc.tokens), loc.key))
        resolved: dict[int, Entity] = {}
        context: list[str] = []
        for i, local in enumerate(group):
            entity = self._choose(local, context)
            if entity is None:
                entity = self.dirty.get(entity_id(local.cls, local.key)) or _new_entity(local)
            _absorb(entity, local, article.id)
            self.dirty[entity.id] = entity
            self.new_keys.setdefault(entity.id, set()).update(_index_keys(local))
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
                key = name_key(quote.speaker)
                quote.speaker_entity = by_name.get(key) or by_name.get(key.rsplit(" ", 1)[-1] if key else "")
        return {resolved[i].id: local.cls for i, local in enumerate(group)}

    def flush(self) -> None:
        """Write the changed entities and their new keys; call inside the caller's transaction."""
        self.store.entities.upsert(self.dirty.values())
        for eid, keys in self.new_keys.items():
            self.store.entities.add_keys(eid, keys)  # type: ignore[attr-defined]
        self.dirty.clear()
        self.new_keys.clear()
