"""Train the German NER (`make train-de-ner`): spaCy's trainable NER on the open German data.

Training data, from ../shared/data/german/ (read in place, never copied):
  - GermEval 2014 dev (2,200 sentences), outer labels PER/ORG/LOC; OTH and the
    *deriv/*part labels are left out (storydesk reads actors and places only);
    every 10th sentence is held back to pick the best checkpoint;
  - SmartData v1 train and test (2,436 documents of newswire, tweets and traffic
    reports): person -> PER, organization(-company) -> ORG, location, city,
    street, stop -> LOC; routes ("A9") and lower-case adjectives ("deutschen",
    GermEval's LOCderiv) are not names and are left out.
GermEval 2014 test is never read here: it is the test set (eval/eval_de_ner.py).

The pipeline is spaCy's "efficiency" NER (hash embeddings of NORM, PREFIX,
SUFFIX and SHAPE, a CNN tok2vec, a transition-based NER) on `spacy.blank("de")`,
seed 0. The trained NER is written to `read/de/model/` (a few MB, committed)
so reading never trains. Run: `python -m storydesk.read.de.train_ner [--shared DIR]`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span

MODEL_DIR = Path(__file__).parent / "model"
_GERMEVAL_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
_SMARTDATA_LABELS = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",
    "location-stop": "LOC",
}
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


def germeval_sentences(path: Path) -> Iterator[tuple[list[str], list[tuple[int, int, str]]]]:
    """(words, [(first, end, label)]) per sentence of a GermEval 2014 TSV file, outer level, PER/ORG/LOC only."""
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                yield words, bio_spans(tags)
            words, tags = [], []
            continue
        cols = line.split("\t")
        words.append(cols[1])
        tags.append(cols[2])
    return


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans of B-/I- runs whose label maps to PER/ORG/LOC (LOCderiv, OTH, ... are dropped)."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        if prefix == "I" and name == label and start >= 0:
            continue
        if start >= 0 and label in _GERMEVAL_LABELS:
            spans.append((start, i, _GERMEVAL_LABELS[label]))
        start, label = (i, name) if prefix in ("B", "I") else (-1, "")
    return spans


def smartdata_documents(path: Path) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """(text, [(start, end, label)]) per SmartData v1 document (concatenated JSON objects)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = handle.read()
    decoder = json.JSONDecoder()
    i = 0
    while True:
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i >= len(raw):
            return
        obj, i = decoder.raw_decode(raw, i)
        text = obj["text"]["string"]
        spans = []
        for mention in (obj.get("conceptMentions") or {}).get("array", []):
            label = _SMARTDATA_LABELS.get(mention["type"])
            start, end = mention["span"]["start"], mention["span"]["end"]
            surface = text[start:end]
            if label is None or not surface.strip():
                continue
            if surface[:1].islower() and (" " in surface or surface.endswith(_ADJECTIVE_ENDINGS)):
                continue  # "deutschen", "beiden Richtungen": not names
            spans.append((start, end, label))
        yield text, spans


def _doc_from_words(nlp: spacy.Language, words: list[str], spans: list[tuple[int, int, str]]) -> Doc:
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, a, b, label=lab) for a, b, lab in spans]
    return doc


def _doc_from_text(nlp: spacy.Language, text: str, spans: list[tuple[int, int, str]]) -> Doc:
    doc = nlp.make_doc(text)
    ents: list[Span] = []
    taken: set[int] = set()
    for start, end, label in sorted(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        first, last = span.start, span.end
        while first < last and (doc[first].is_space or doc[first].is_punct):
            first += 1
        while last > first and (doc[last - 1].is_space or doc[last - 1].is_punct):
            last -= 1
        if first == last or any(doc[i].is_space for i in range(first, last)):
            continue  # a name never runs over a line break
        if any(i in taken for i in range(first, last)):
            continue  # overlapping annotations: keep the first
        span = Span(doc, first, last, label=label)
        taken.update(range(span.start, span.end))
        ents.append(span)
    doc.ents = ents
    return doc


def build_corpora(shared: Path, out: Path) -> tuple[Path, Path, dict[str, int]]:
    """Write train.spacy and dev.spacy; return their paths and counts."""
    nlp = spacy.blank("de")
    german = shared / "data" / "german"
    train, dev = DocBin(), DocBin()
    counts = {"germeval_train": 0, "germeval_heldout": 0, "smartdata": 0}
    for i, (words, spans) in enumerate(germeval_sentences(german / "germeval2014" / "NER-de-dev.tsv")):
        doc = _doc_from_words(nlp, words, spans)
        if i % 10 == 9:
            dev.add(doc)
            counts["germeval_heldout"] += 1
        else:
            train.add(doc)
            counts["germeval_train"] += 1
    for name in ("train.json.gz", "test.json.gz"):
        for text, spans in smartdata_documents(german / "smartdata_v1" / name):
            train.add(_doc_from_text(nlp, text, spans))
            counts["smartdata"] += 1
    train_path, dev_path = out / "train.spacy", out / "dev.spacy"
    train.to_disk(train_path)
    dev.to_disk(dev_path)
    return train_path, dev_path, counts


def config(*, max_steps: int) -> str:
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="de", pipeline=["ner"], optimize="efficiency")
    cfg["components"]["tok2vec"]["model"]["embed"]["rows"] = [5000, 1000, 2500, 1000]
    cfg["training"]["dropout"] = 0.25  # small data: 0.25 held out better than spaCy's 0.1 (docs/evaluation.md)
    cfg["training"]["max_steps"] = max_steps
    cfg["training"]["patience"] = 2500
    cfg["training"]["eval_frequency"] = 250
    cfg["system"]["seed"] = 0
    return cfg.to_str()


def train(shared: Path, model_dir: Path = MODEL_DIR, *, max_steps: int = 12000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train_path, dev_path, counts = build_corpora(shared, work)
        print(f"training examples: {counts}", flush=True)
        run_training(config(max_steps=max_steps), train_path, dev_path, work, model_dir)


def run_training(cfg: str, train_path: Path, dev_path: Path, work: Path, model_dir: Path) -> None:
    """`spacy train` on the two DocBin files; the best checkpoint (on dev) goes to `model_dir`."""
    from spacy.cli.train import train as spacy_train

    cfg_path = work / "config.cfg"
    cfg_path.write_text(cfg, encoding="utf-8")
    spacy_train(cfg_path, work / "out", overrides={"paths.train": str(train_path), "paths.dev": str(dev_path)})
    if model_dir.exists():
        shutil.rmtree(model_dir)
    shutil.copytree(work / "out" / "model-best", model_dir)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="train_ner", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="where the trained model goes")
    parser.add_argument("--max-steps", type=int, default=12000)
    args = parser.parse_args(argv)
    train(args.shared, args.out, max_steps=args.max_steps)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
