"""CI gate for quotes (issues 3 and 9): scores must not drop below eval/floors.json.

Three sets, each small enough for CI:
  - news_stories_2025 dev (18 articles, 168 quotes annotated to docs/quotes.md),
    eval/eval_quotes.py. The quote model is trained on it, so these are
    in-sample numbers: the gate catches regressions, the held-out numbers are in
    docs/evaluation.md (test split, and dev read in held-out folds).
  - PolNeAR dev, the first GATE_ARTICLES articles in sorted order, against the
    attributions whose cue is a speech act (eval/eval_polnear.py --speech): since
    issue 9 beliefs and stances are no longer quotes, so the all-attribution
    floors of issue 3 no longer apply.
  - the two seeds against the hand-judged eval/gold/quotes/seeds.json.
  - the 57 unlabelled English dev articles of news_stories_2025 whose found quotes were
    judged by hand (eval/gold/quotes/news_dev_judged.json, issue 9 second round):
    precision and speaker accuracy of what is found; a quote nobody judged fails the gate,
    so a change that finds new quotes there has them judged first.
The floors sit a little under the scores measured when they were pinned.
"""

from __future__ import annotations

import pytest
from eval.eval_polnear import evaluate as evaluate_polnear
from eval.eval_quotes import evaluate as evaluate_news
from eval.eval_quotes import evaluate_judged, evaluate_seeds

from .conftest import SHARED

GATE_ARTICLES = 25
POLNEAR_FLOORS = (
    "polnear_speech_dev_content_f1",
    "polnear_speech_dev_source_f1",
    "polnear_speech_dev_speaker_name_precision",
    "polnear_speech_dev_speaker_accuracy",
)
NEWS_FLOORS = ("news_dev_quote_p", "news_dev_quote_f1", "news_dev_speaker_accuracy", "news_dev_attributed_f1")
SEEDS_FLOORS = ("seeds_quote_p", "seeds_quote_r", "seeds_speaker_accuracy")
JUDGED_FLOORS = ("news_judged_quote_p", "news_judged_speaker_accuracy")


@pytest.fixture(scope="module")
def polnear_scores():
    polnear = SHARED / "data" / "polnear" / "data"
    if not polnear.exists():
        pytest.skip("PolNeAR is not in ../shared")
    return evaluate_polnear("dev", limit=GATE_ARTICLES, root=polnear, speech=True)


@pytest.fixture(scope="module")
def news_scores():
    news = SHARED / "data" / "news_stories_2025"
    if not news.exists():
        pytest.skip("news_stories_2025 is not in ../shared")
    return evaluate_news("dev", root=news)


@pytest.fixture(scope="module")
def seeds_scores():
    seeds = SHARED / "seeds"
    if not seeds.exists():
        pytest.skip("the seeds are not in ../shared")
    return evaluate_seeds(root=seeds)


@pytest.fixture(scope="module")
def judged_scores():
    news = SHARED / "data" / "news_stories_2025"
    if not news.exists():
        pytest.skip("news_stories_2025 is not in ../shared")
    return evaluate_judged(root=news)


@pytest.mark.parametrize("key", POLNEAR_FLOORS)
def test_polnear_speech_scores_stay_above_their_floors(polnear_scores, floors, key):
    metric = key.removeprefix("polnear_speech_dev_")
    assert polnear_scores["articles"] == GATE_ARTICLES
    assert polnear_scores[metric] >= floors[key], f"{metric} fell to {polnear_scores[metric]:.3f} (floor {floors[key]})"


@pytest.mark.parametrize("key", NEWS_FLOORS)
def test_news_dev_scores_stay_above_their_floors(news_scores, floors, key):
    """Issue 9: quote P/F1, speaker accuracy and attributed F1 on news_stories_2025 dev."""
    metric = key.removeprefix("news_dev_")
    assert news_scores["gold"] == 168
    assert news_scores[metric] >= floors[key], f"{metric} fell to {news_scores[metric]:.3f} (floor {floors[key]})"


@pytest.mark.parametrize("key", SEEDS_FLOORS)
def test_seeds_scores_stay_above_their_floors(seeds_scores, floors, key):
    """Issue 9: the seeds' quotes are found, with few false ones and their named speakers."""
    metric = key.removeprefix("seeds_")
    assert seeds_scores[metric] >= floors[key], f"{metric} fell to {seeds_scores[metric]:.3f} (floor {floors[key]})"


def test_seeds_direct_and_partial_quotes_are_all_found(seeds_scores):
    """Issue 9: every quotation-mark quote of the seeds is still found."""
    assert seeds_scores["direct_r"] == 1.0 and seeds_scores["partial_r"] == 1.0


@pytest.mark.parametrize("key", JUDGED_FLOORS)
def test_judged_dev_scores_stay_above_their_floors(judged_scores, floors, key):
    """Issue 9: quote precision and speaker accuracy on the hand-judged unlabelled dev articles."""
    metric = key.removeprefix("news_judged_")
    assert judged_scores[metric] >= floors[key], f"{metric} fell to {judged_scores[metric]:.3f} (floor {floors[key]})"


def test_every_quote_found_in_the_judged_articles_was_judged(judged_scores):
    """A quote no one judged is not measured: judge it (eval_quotes --judged --errors) and add it."""
    unjudged = [line for line in judged_scores["errors"] if "unjudged" in line]
    assert judged_scores["unjudged"] == 0, unjudged[:5]
