"""How an input is named in the store: as the user gave it, never as a machine path.

A file is stored under its path relative to the working directory (or to
`settings.source_base`, the store's folder for web uploads), so the JSON API
and the exports never carry someone's home folder. `public_source` hides the
folders of absolute paths that stores written before this rule still hold.
"""

from __future__ import annotations

import os
from pathlib import Path


def source_label(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the working directory); unchanged when it is already relative."""
    if not path.is_absolute() and base is None:
        return os.path.normpath(path)
    try:
        return os.path.relpath(path.absolute(), (base or Path.cwd()).absolute())
    except ValueError:  # another drive (Windows): no relative path exists
        return path.name


def public_source(source: str) -> str:
    """A stored source as the API and exports show it: URLs and relative paths as they are,
    an absolute path as its last folder and file name ("…/examples/a.txt")."""
    if not source.startswith("/"):
        return source
    path, hash_mark, rest = source.partition("#")  # feed entries and WARC records: "<file>#<id>"
    parts = Path(path).parts[-2:]
    return "…/" + "/".join(parts) + hash_mark + rest
