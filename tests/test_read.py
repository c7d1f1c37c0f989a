"""read/__init__.py: the reading stage over whole articles, including bad input (issue 3)."""

from __future__ import annotations

import pytest

from storydesk import pipeline
from storydesk.read import read_articles
from storydesk.records import Article
from storydesk.settings import ReadSettings


def _article(text: str, *, language: str | None = "en") -> Article:
    return Article(id="a1", source="test", text=text, paragraphs=text.split("\n\n"), language=language)


@pytest.mark.parametrize("text", ["", "   ", "—", "\n\n\n"])
def test_an_article_with_no_sentences_reads_to_nothing(text):
    (article,) = read_articles([_article(text)], ReadSettings())
    assert article.mentions == [] and article.quotes == []


def test_a_huge_single_paragraph_is_read_in_part_and_says_so():
    text = "The council met again and nothing was decided about the road. " * 85_000  # over 5 MB
    assert len(text) > 5_000_000
    settings = ReadSettings()
    (article,) = read_articles([_article(text)], settings)
    assert article.read_note is not None and "read the first" in article.read_note
    assert all(q.end <= settings.max_chunk_chars for q in article.quotes)


def test_unbalanced_marks_do_not_swallow_the_article():
    text = (
        'Governor Ana Silva said: "The first phase starts in June.\n\n'
        "The opposition did not comment on the plan.\n\n"
        "Work on the second bridge begins next year."
    )
    (article,) = read_articles([_article(text)], ReadSettings())
    assert article.quotes
    assert all("second bridge" not in q.text for q in article.quotes)


def test_a_language_without_reader_is_skipped_with_a_note_not_mangled():
    text = "Le gouvernement a déclaré lundi que les discussions se poursuivraient."
    (article,) = read_articles([_article(text, language="fr")], ReadSettings())
    assert article.read_note is not None and "'fr'" in article.read_note
    assert article.mentions == [] and article.quotes == [] and article.text == text


def test_a_table_full_of_numbers_gives_no_quotes():
    rows = "\n\n".join(f"{2000 + i} | {i * 1234:,} | {i * 1.5:.1f}% | {i * 7} km" for i in range(200))
    (article,) = read_articles([_article(rows)], ReadSettings())
    assert article.quotes == []
    assert all(m.type != "person" for m in article.mentions)


def test_the_seeds_list_quotes_with_named_speakers(seeds, store, settings):
    """Issue 3, done-when: the seeds' quotes carry the named speakers and their roles."""
    summary = pipeline.ingest([str(seeds)], store, settings, link_and_compare=False)
    articles = [store.articles.get(i) for i in summary.new]
    speakers = " ".join(q.speaker or "" for a in articles for q in a.quotes)
    for name in ("Trump", "Selenskyj", "Rubio", "Lavrov", "Bühler", "Starmer", "Baerbock", "Heinemann-Grüder"):
        assert name in speakers
    assert "Peskov" in speakers or "Peskow" in speakers
    roles = {m.name: m.role for a in articles for m in a.mentions if m.role}
    assert roles["Dmitri Peskov"] == "Kremlin spokesperson"
    assert roles["Marco Rubio"].endswith("Secretary of State")


def test_show_prints_speakers_roles_and_the_words_that_named_them(seeds, tmp_path):
    """`storydesk show` (cli/render.py): a quote's speaker, their role, and the pronoun that pointed at them."""
    from click.testing import CliRunner

    from storydesk.cli import main

    db = str(tmp_path / "show.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--db", db, "-q", str(seeds / "000_2381959b99040590.txt")]).exit_code == 0
    from storydesk.store import open_store

    store = open_store(db)
    (article,) = store.articles.list(limit=1)
    store.close()
    result = runner.invoke(main, ["show", "--db", db, article.id], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Dmitri Peskov" in result.output and "Kremlin spokesperson" in result.output
    assert "as “He”" in result.output
