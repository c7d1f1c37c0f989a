"""Place mentions resolved to the gazetteer (read/places.py), issue 3."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from storydesk.read import places
from storydesk.read.places import lookup, resolve_places
from storydesk.records import Mention


@pytest.mark.parametrize(
    ("name", "place", "country"),
    [
        ("Sudscha", "Sudzha", "RU"),  # an alternate name (German spelling)
        ("Sudzha", "Sudzha", "RU"),
        ("Kiev", "Kyiv", "UA"),
        ("Moscow", "Moscow", "RU"),
        ("Russia", "Russia", "RU"),  # a country before any city of that name
        ("the U.S.", "United States", "US"),
        ("UK", "United Kingdom", "GB"),
        ("Texas", "Texas", "US"),
        ("Washington", "Washington", "US"),
        ("Paris", "Paris", "FR"),  # the most populous Paris
    ],
)
def test_lookup(name: str, place: str, country: str) -> None:
    found = lookup(name)
    assert found is not None and (found.name, found.country) == (place, country)
    assert -90 <= found.latitude <= 90 and -180 <= found.longitude <= 180


@pytest.mark.parametrize("name", ["Atlantisopolis", "the White House", "the Kremlin", ""])
def test_unknown_places_stay_unresolved(name: str) -> None:
    assert lookup(name) is None


def test_resolve_places_sets_only_place_mentions() -> None:
    mentions = [
        Mention(text="Sudscha", start=0, end=7, type="place", name="Sudscha"),
        Mention(text="Ukrainian", start=10, end=19, type="group", name="Ukrainian"),
        Mention(text="Nowhere-on-Sea", start=20, end=34, type="place", name="Nowhere-on-Sea"),
    ]
    resolve_places(mentions)
    assert mentions[0].place is not None and mentions[0].place.name == "Sudzha"
    assert (round(mentions[0].place.latitude, 2), round(mentions[0].place.longitude, 2)) == (51.19, 35.27)
    assert mentions[1].place is None  # a demonym is not a place
    assert mentions[2].place is None


def test_seed_sudscha_resolves_to_sudzha(seeds: Path) -> None:
    text = (seeds / "002_f1b568f2bf6138ef.txt").read_text(encoding="utf-8")
    start = text.index("Sudscha")
    mention = Mention(text="Sudscha", start=start, end=start + 7, type="place", name="Sudscha")
    resolve_places([mention])
    assert mention.place is not None and mention.place.name == "Sudzha" and mention.place.geonameid == 486816


@pytest.mark.parametrize(
    ("name", "latin"),
    [("Kyiv", True), ("São Paulo", True), ("Łódź", True), ("Ðakovo", True), ("Ẓ", False), ("Київ", False),
     ("Kyiv Київ", False), ("Ba\u0301ku", True), ("東京", False)],
)  # fmt: skip
def test_issue13_latin_names_are_latin_script_or_combining_marks(name: str, latin: bool) -> None:
    assert places._latin(name) is latin


def test_issue13_place_names_come_from_the_gazetteers_one_pass() -> None:
    """Countries, cities and their capitalised ASCII alternate names, from the same load as the gazetteer."""
    from storydesk.read.lexicon import place_names

    names = place_names()
    assert {"ukraine", "kyiv", "sudzha", "sudscha", "são paulo"} <= names
    assert names is places.load_gazetteer().names


def test_issue13_the_packed_gazetteer_equals_its_build() -> None:
    """The gazetteer a process keeps is a copy of the built one (round 8: packed, ~90 MB instead of ~180 MB
    resident), equal to it in every table."""
    built = places.build_gazetteer()
    kept = places.load_gazetteer()
    assert kept is not built
    assert kept == built
    assert len(kept.cities) > 300_000
    # one Place per city, as built: the alternate names of a city share it
    assert kept.cities["sudscha"] is kept.cities["sudzha"]


def test_issue13_the_gazetteer_is_built_once_then_read_from_the_users_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 15: each process that reads or links built the tables again (~2.7 s of CPU); the first now keeps
    them in the user's cache folder and the others read them from there, equal to the build. A file cut short
    is built around; another build's file is kept while in use (two checkouts on one machine), dropped once stale."""
    path = tmp_path / "gazetteer-new.pickle"
    older, other = tmp_path / "gazetteer-older.pickle", tmp_path / "gazetteer-other.pickle"
    older.write_bytes(b"tables of an older build")
    other.write_bytes(b"tables of another checkout's build")
    month_ago = time.time() - 31 * 24 * 3600
    os.utime(older, (month_ago, month_ago))
    monkeypatch.setattr(places, "_cache_path", lambda: path)
    built = places.load_gazetteer.__wrapped__()
    assert path.exists() and not older.exists() and other.exists()
    build = places.build_gazetteer
    monkeypatch.setattr(places, "build_gazetteer", lambda: pytest.fail("built again"))
    assert places.load_gazetteer.__wrapped__() == built
    path.write_bytes(path.read_bytes()[:1000])
    monkeypatch.setattr(places, "build_gazetteer", build)
    assert places.load_gazetteer.__wrapped__() == built
    assert places.load_gazetteer.__wrapped__() == built  # and written whole again


def test_issue13_the_gazetteer_cache_is_named_for_what_it_is_built_from() -> None:
    path = places._cache_path()
    assert path == places._cache_path()
    assert path.name.startswith("gazetteer-") and path.suffix == ".pickle"
