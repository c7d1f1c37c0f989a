"""Bytes to text, for files whose encoding nobody declared.

UTF-8 is tried strictly first (a file cut off inside its last character loses
only that character); byte-order marks name UTF-16/32; otherwise
charset_normalizer guesses. Binary input (NUL bytes outside a UTF-16 text) is
refused, not mangled.
"""

from __future__ import annotations

import codecs

import charset_normalizer

from storydesk.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, *, input: str) -> str:
    """Decode `data` to str or raise InputError naming `input`."""
    if not data.strip():
        raise InputError(input, "empty input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(input, f"truncated or invalid {encoding} text ({exc.reason})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8")
        text = _guess(data, input)
    if "\x00" in text:
        raise InputError(input, "binary content (NUL bytes), not text")
    return text


def _guess(data: bytes, input: str) -> str:
    best = charset_normalizer.from_bytes(data).best()
    if best is None or b"\x00" in data:
        raise InputError(input, "binary or undecodable content, not text")
    # Short Western texts fit several code pages equally well (cp1250 and cp1252
    # often tie); cp1252, a superset of latin-1's printable range, is by far the
    # commonest legacy encoding of saved news, so it wins a tie.
    if "cp1252" in best.could_be_from_charset:
        return data.decode("cp1252", errors="replace")
    return str(best)
