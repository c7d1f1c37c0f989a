"""Train the German attribution tagger (`make train-de-attribution`) on SpkAtt-2023 task 1 train.

SpkAtt annotates speech, thought and writing events in Bundestag debates: a
cue ("sagte", "Frage", "fordern") with its roles (Source, Message, Addr,
Topic, Medium, Evidence, PTC = the verb particle). The tagger is spaCy's
transition-based NER over those role spans (labels CUE, PTC, SOURCE, MESSAGE,
ADDR, TOPIC, MEDIUM, EVIDENCE), with its own small tok2vec so it can be added
to the German pipeline next to the entity NER. A token in the spans of two
annotations keeps its first label (cue first, message last; 6.5 % of role
tokens in train); read/de/attribution.py groups the tagged spans back into
events, each role to the nearest cue of its sentence.

Data: ../shared/data/german/spkatt2023_task1/train (177 speeches); every 10th
speech is held back to pick the best checkpoint. The dev split is never used
here: it is the test set of eval/eval_spkatt.py. Texts are built as
eval/eval_spkatt.py builds them and tokenized by spacy.blank("de"), as at
reading time. Seed 0. Output: read/de/attribution_model/ (committed).
Run: `python -m storydesk.read.de.train_attribution [--shared DIR]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import DocBin, Span

from storydesk.read.de.train_ner import run_training

MODEL_DIR = Path(__file__).parent / "attribution_model"
# Label priority when spans of two annotations overlap.
ROLES = ("Cue", "PTC", "Source", "Addr", "Medium", "Evidence", "Topic", "Message")
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "“", "%"}
_NO_SPACE_AFTER = {"„", "("}


def speech_text(data: dict) -> tuple[str, dict[str, tuple[int, int]]]:
    """A SpkAtt speech as running text and each token's character offsets ("s:t" -> (start, end))."""
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    prev = ""
    for sent in data["Sentences"]:
        for t, token in enumerate(sent["Tokens"]):
            if parts and token not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            offsets[f"{sent['SentenceId']}:{t}"] = (pos, pos + len(token))
            parts.append(token)
            pos += len(token)
            prev = token
    return "".join(parts), offsets


def _runs(ids: list[str]) -> list[list[str]]:
    """Token ids split into runs of consecutive tokens in one sentence."""
    keyed = sorted(ids, key=lambda x: tuple(int(p) for p in x.split(":")))
    runs: list[list[str]] = []
    for tid in keyed:
        s, t = (int(p) for p in tid.split(":"))
        if runs:
            ps, pt = (int(p) for p in runs[-1][-1].split(":"))
            if ps == s and pt == t - 1:
                runs[-1].append(tid)
                continue
        runs.append([tid])
    return runs


def build_docs(nlp: spacy.Language, path: Path) -> list:
    docs = []
    for file in sorted(path.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        text, offsets = speech_text(data)
        doc = nlp.make_doc(text)
        taken: set[int] = set()
        spans: list[Span] = []
        for role in ROLES:
            for annotation in data["Annotations"]:
                for run in _runs(annotation.get(role) or []):
                    start, end = offsets[run[0]][0], offsets[run[-1]][1]
                    span = doc.char_span(start, end, label=role.upper(), alignment_mode="expand")
                    if span is None or any(i in taken for i in range(span.start, span.end)):
                        continue
                    taken.update(range(span.start, span.end))
                    spans.append(span)
        doc.ents = sorted(spans, key=lambda s: s.start)
        docs.append(doc)
    return docs


def config(*, max_steps: int) -> str:
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="de", pipeline=["ner"], optimize="efficiency")
    # the tok2vec inside the NER component, so the component can be sourced into another pipeline
    embed = dict(cfg["components"]["tok2vec"]["model"]["embed"])
    encode = dict(cfg["components"]["tok2vec"]["model"]["encode"])
    embed["width"] = encode["width"]
    embed["rows"] = [5000, 1000, 2500, 1000]
    cfg["nlp"]["pipeline"] = ["ner"]
    del cfg["components"]["tok2vec"]
    cfg["components"]["ner"]["model"]["tok2vec"] = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": embed,
        "encode": encode,
    }
    cfg["components"]["ner"]["model"]["hidden_width"] = 96
    cfg["training"]["max_steps"] = max_steps
    cfg["training"]["patience"] = 2000
    cfg["training"]["eval_frequency"] = 250
    cfg["system"]["seed"] = 0
    return cfg.to_str()


def train(shared: Path, model_dir: Path = MODEL_DIR, *, max_steps: int = 8000) -> None:
    nlp = spacy.blank("de")
    docs = build_docs(nlp, shared / "data" / "german" / "spkatt2023_task1" / "train")
    train_bin = DocBin(docs=[d for i, d in enumerate(docs) if i % 10 != 9])
    dev_bin = DocBin(docs=[d for i, d in enumerate(docs) if i % 10 == 9])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train_bin.to_disk(work / "train.spacy")
        dev_bin.to_disk(work / "dev.spacy")
        print(f"training speeches: {len(train_bin)}, held back: {len(dev_bin)}", flush=True)
        run_training(config(max_steps=max_steps), work / "train.spacy", work / "dev.spacy", work, model_dir)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="train_attribution", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="where the trained model goes")
    parser.add_argument("--max-steps", type=int, default=8000)
    args = parser.parse_args(argv)
    train(args.shared, args.out, max_steps=args.max_steps)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
