"""CI gate for the German reader (issue 14): its scores must not drop below eval/floors.json.

  - German quotes in news_stories_2025 (the 15 German dev articles, hand gold): F1, speaker accuracy, attributed F1
  - SpkAtt-2023 task 1 dev, the attribution tagger's events: joint and cue F1
  - GermEval 2014 test, the first 1,000 sentences: PER/ORG/LOC entity F1
Together about 20 s. The floors sit a little under the scores measured when they were pinned.
"""

from __future__ import annotations

import pytest

from .conftest import SHARED

GERMAN = SHARED / "data" / "german"


@pytest.fixture(scope="module")
def news():
    from eval.eval_de_quotes import STORIES, evaluate

    if not STORIES.exists():
        pytest.skip("news_stories_2025 is not in ../shared")
    return evaluate()


@pytest.fixture(scope="module")
def spkatt():
    from eval.eval_spkatt import SPKATT, evaluate

    if not SPKATT.exists():
        pytest.skip("SpkAtt-2023 is not in ../shared")
    return evaluate("dev")


@pytest.fixture(scope="module")
def germeval():
    from eval.eval_de_ner import GERMEVAL, evaluate

    if not GERMEVAL.exists():
        pytest.skip("GermEval 2014 is not in ../shared")
    return evaluate(limit=1000)


@pytest.mark.parametrize(
    ("key", "metric"),
    [
        ("de_news_quote_f1", "f1"),
        ("de_news_speaker_accuracy", "speaker_accuracy"),
        ("de_news_attributed_f1", "attributed_f1"),
    ],
)
def test_german_news_quotes_stay_above_their_floors(news, floors, key, metric):
    assert news["articles"] == 15
    assert news[metric] >= floors[key], f"{metric} fell to {news[metric]:.3f} (floor {floors[key]})"


@pytest.mark.parametrize(("key", "metric"), [("spkatt_dev_joint_f1", "joint_f1"), ("spkatt_dev_cue_f1", "cue_f1")])
def test_spkatt_scores_stay_above_their_floors(spkatt, floors, key, metric):
    assert spkatt["gold_annotations"] == 515
    assert spkatt[metric] >= floors[key], f"{metric} fell to {spkatt[metric]:.3f} (floor {floors[key]})"


def test_germeval_ner_stays_above_its_floor(germeval, floors):
    assert germeval["sentences"] == 1000
    assert germeval["f1"] >= floors["germeval_test1000_ner_f1"], f"NER F1 fell to {germeval['f1']:.3f}"
