"""Bytes to text, for files whose encoding nobody declared.

UTF-8 is tried strictly first (a file cut off inside its last character loses
only that character); byte-order marks name UTF-16/32; UTF-16 without a mark
is recognised by its zero bytes (`_utf16_without_bom`); otherwise
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
    if b"\x00" in data[:4096] and (utf16 := _utf16_without_bom(data)) is not None:
        return utf16
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8")
        text = _guess(data, input)
    if "\x00" in text:
        raise InputError(input, "binary content (NUL bytes), not text")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark, or None.

    In UTF-16 the high byte of each code unit repeats: zero for Latin text,
    0x04 for Cyrillic, 0x06 for Arabic, with zeros for every space and digit.
    So one side (odd positions for little-endian, even for big-endian) holds a
    few byte values, zero among them, while the other varies like text.
    charset_normalizer does not try UTF-16 without a mark, and the NUL check
    would call it binary. Accepted only when it decodes and has no control
    characters but line breaks and tabs.
    """
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8:
        return None

    def few_values(side: bytes) -> bool:
        counts = sorted((side.count(b) for b in set(side)), reverse=True)
        return 0 in side and sum(counts[:2]) >= 0.6 * len(side)

    def varied(side: bytes) -> bool:
        counts = sorted((side.count(b) for b in set(side)), reverse=True)
        return sum(counts[:2]) < 0.5 * len(side)

    even, odd = sample[0 : 2 * half : 2], sample[1 : 2 * half : 2]
    if few_values(odd) and varied(even):
        encoding = "utf-16-le"
    elif few_values(even) and varied(odd):
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t")
    return text if controls <= len(text) * 0.001 else None


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
