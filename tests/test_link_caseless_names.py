"""Issue 10, round 7: words of scripts without capitals count as names only when other articles' names confirm them.

A Hindi or Urdu report has no capitals to tell its names from its other words;
taking every word as a name made its name vector so long that the names it
shares with the English reports weighed nothing.
"""

from __future__ import annotations

import hashlib

from storydesk.link.features import caseless_names_of, compute, from_data, names_of, resolve_caseless
from storydesk.link.groups import cased_names, pseudo_terms
from storydesk.records import Article
from storydesk.settings import LinkSettings
from storydesk.store import SQLiteStore

HINDI = "पाकिस्तान ने कहा कि भारत के हमले में लाहौर के पास ड्रोन गिराए गए। मोदी ने बैठक की।"
URDU = "پاکستان نے کہا کہ لاہور کے قریب ڈرون گرائے گئے۔"
ENGLISH = "Pakistan said Indian drones were shot down near Lahore. Modi met his ministers."


def _article(aid: str, text: str, language: str) -> Article:
    return Article(
        id=aid,
        source=f"/data/{aid}.txt",
        text=text,
        language=language,
        content_hash=hashlib.sha256((aid + text).encode()).hexdigest(),
    )


def test_issue10_caseless_words_are_kept_apart_from_names() -> None:
    hindi = _article("hi", HINDI, "hi")
    assert names_of(hindi) == {}  # no capitalised word: no name until confirmed
    words = caseless_names_of(hindi)
    assert "ppakis spkst" in words  # पाकिस्तान: its prefix key and skeleton, one entry per word
    assert len(words) >= 10  # every word is a candidate
    assert caseless_names_of(_article("en", ENGLISH, "en")) == {}


def test_issue10_a_caseless_word_counts_when_a_capitalised_name_has_its_key() -> None:
    known = set(names_of(_article("en", ENGLISH, "en")))
    hindi = resolve_caseless(caseless_names_of(_article("hi", HINDI, "hi")), known)
    assert {"ppakis", "spkst", "slhr", "pmodi"} <= set(hindi)  # Pakistan, Lahore, Modi
    assert not {k for k in hindi if k.startswith(("pcha", "pbhart"))}  # "कहा" (said), "भारत" (not "India")
    urdu = resolve_caseless(caseless_names_of(_article("ur", URDU, "ur")), known)
    assert set(urdu) == {"ppkstn", "spkst"}  # vowel-less script: پاکستان by its skeleton, the other words left out


def test_issue10_a_short_key_confirms_no_caseless_word() -> None:
    # "कहा" (said) folds to "cha": its skeleton "sch" is the skeleton of "Chao" too, but too short to tell
    said = caseless_names_of(_article("hi", "कहा", "hi"))
    assert resolve_caseless(said, set(names_of(_article("en", "Chao Wen said.", "en")))) == {}
    assert resolve_caseless(said, {"sch"}) == {}
    assert resolve_caseless(caseless_names_of(_article("hi", "लाहौर", "hi")), {"slhr"}) != {}


def test_issue10_caseless_words_are_stored_and_old_features_computed_again() -> None:
    feats = compute(_article("hi", HINDI, "hi"), None)
    data = feats.data()
    assert from_data(data, None) is not None and from_data(data, None).caseless == feats.caseless  # type: ignore[union-attr]
    del data["caseless"]
    assert from_data(data, None) is None  # features kept before round 7: names computed again


def test_issue10_only_capitalised_names_confirm(store: SQLiteStore) -> None:
    from storydesk.link.stories import StoryGrouper

    grouper = StoryGrouper(store, LinkSettings(embeddings=False))
    english, hindi = _article("en", ENGLISH, "en"), _article("hi", HINDI, "hi")
    other_hindi = _article("hi2", "पाकिस्तान और लाहौर", "hi")
    for article in (hindi, english, other_hindi):
        store.articles.add(article)
    first = grouper.features(hindi)
    grouper.known_names(first)
    assert first.names == {}  # linked first, nothing confirms its words
    grouper.count(first)
    assert not [t for t in pseudo_terms(first) if t.startswith("N:")]  # its words confirm nothing later
    en = grouper.features(english)
    grouper.known_names(en)
    assert set(cased_names(en)) == set(en.names)
    grouper.count(en)
    later = grouper.features(other_hindi)
    grouper.known_names(later)
    assert {"ppakis", "spkst", "slhr"} <= set(later.names)


def test_issue10_caseless_name_min_articles_zero_takes_every_word_as_before(store: SQLiteStore) -> None:
    from storydesk.link.stories import StoryGrouper

    grouper = StoryGrouper(store, LinkSettings(embeddings=False, caseless_name_min_articles=0))
    hindi = _article("hi", HINDI, "hi")
    store.articles.add(hindi)
    feats = grouper.features(hindi)
    grouper.known_names(feats)
    assert set(feats.names) == {k for joined in caseless_names_of(hindi) for k in joined.split(" ")}
