"""Run every evaluation script (eval/eval_*.py) in turn: `make eval`."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failed = 0
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("eval_"):
            continue
        print(f"== eval/{info.name}.py", flush=True)
        module = importlib.import_module(f"eval.{info.name}")
        failed += bool(module.main([]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
