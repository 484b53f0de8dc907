"""Escaping of template-derived text (messages, logical ids, file names, paths...) for output.

A template is hostile input: a logical id or a file name may hold a newline (a forged report
line, or a ``::error`` line that GitHub Actions runs as a workflow command), an ESC or BEL (the
terminal obeys it), a bidi override (the line reads differently than it is), or a lone
surrogate (from a JSON ``"\\ud800"`` escape, or a file name that is not UTF-8) that no encoder
accepts. Every formatter and every command that prints template-derived text goes through here.

- ``visible(s)``: one line of plain text: each dangerous character becomes a visible escape
  (``\\n``, ``\\x1b``, ``\\u202e``, ``\\udc80``); anything else is kept as is.
- ``json_text(s)``: the output of ``json.dumps(..., ensure_ascii=False)`` made safe for a
  terminal and for a UTF-8 encoder: C1 controls, DEL, line/paragraph separators and bidi
  controls become ``\\uXXXX`` JSON escapes (lossless); a lone surrogate becomes the visible text
  ``\\udXXX`` (a JSON escape of it would not be valid Unicode for strict parsers).
- ``uri_bytes(s)``: the bytes a file name stands for (surrogate escapes back to their bytes),
  for percent-encoding.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates,
# surrogates; U+FFFE/U+FFFF are not characters (and not allowed in XML)
_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029), (0x202A, 0x202E), (0x2066, 0x2069),
           (0xD800, 0xDFFF), (0xFFFE, 0xFFFF))


def _class(keep: str = "") -> re.Pattern:
    """The character class of ``_RANGES`` without the characters of ``keep`` (a plain class:
    a lookahead would make every search slow)."""
    kept = {ord(c) for c in keep}
    parts = []
    for lo, hi in _RANGES:
        start = lo
        for n in range(lo, hi + 2):
            if n > hi or n in kept:
                if start < n:
                    parts.append(re.escape(chr(start)) if start == n - 1
                                 else f"{re.escape(chr(start))}-{re.escape(chr(n - 1))}")
                start = n + 1
    return re.compile("[" + "".join(parts) + "]")


_UNSAFE = _class()
_KEEP: dict[str, re.Pattern] = {}   # keep -> the class without those characters
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _esc(ch: str) -> str:
    named = _NAMED.get(ch)
    if named:
        return named
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(s, keep: str = "") -> str:
    """``s`` with every control, separator, bidi control and surrogate shown as an escape;
    characters in ``keep`` (e.g. ``"\\n"``) are left alone."""
    if s is None:
        return ""
    s = s if isinstance(s, str) else str(s)
    if s.isprintable():  # C-fast: every character escaped here is non-printable for Python
        return s
    pat = _UNSAFE
    if keep:
        pat = _KEEP.get(keep)
        if pat is None:
            pat = _KEEP[keep] = _class(keep)
    if pat.search(s) is None:  # the common case: nothing to do
        return s
    return pat.sub(lambda m: _esc(m.group()), s)


# after json.dumps every C0 control is already escaped; these are left raw by ensure_ascii=False
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json_esc(m) -> str:
    n = ord(m.group())
    if 0xD800 <= n <= 0xDFFF:
        return f"\\\\u{n:04x}"  # the JSON text for a backslash, then "udXXX": visible, valid
    return f"\\u{n:04x}"


def json_text(dumped: str) -> str:
    """Post-process ``json.dumps(..., ensure_ascii=False)``: outside strings JSON is ASCII, so
    every character matched here is inside a string, where a ``\\uXXXX`` escape is valid."""
    if dumped.isascii() or _JSON_RAW.search(dumped) is None:
        return dumped
    return _JSON_RAW.sub(_json_esc, dumped)


def uri_bytes(s: str) -> bytes:
    """UTF-8 bytes of a file name; surrogate escapes (``os.fsdecode`` of a non-UTF-8 name) turn
    back into the original bytes, any other lone surrogate into a visible ``\\udXXX``."""
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return s.encode("utf-8", "backslashreplace")
