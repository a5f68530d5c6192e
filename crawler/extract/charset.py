"""Telling a page's real encoding from the one it declares, and noticing truncated pages.

Vietnamese sites are UTF-8 in practice, but some servers still send ``charset=iso-8859-1``
(or a stale ``<meta charset>``) in front of UTF-8 bytes, which turns every diacritic into
mojibake. Bytes that decode as strict UTF-8 and contain multi-byte sequences are, with
overwhelming likelihood, UTF-8 whatever the label says: legacy 8-bit text almost never forms
valid UTF-8 sequences by accident.
"""

from __future__ import annotations

import codecs

_UTF8_NAMES = {"utf-8", "utf8"}


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def corrected_encoding(declared: str | None, body: bytes) -> str | None:
    """``"utf-8"`` when ``body`` is UTF-8 but declared otherwise; ``None`` when nothing to fix."""
    if _canonical(declared) in _UTF8_NAMES or body.isascii():
        return None
    try:
        body.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def looks_truncated(body: bytes) -> bool:
    """An HTML document whose closing ``</html>`` (or ``</body>``) never arrived."""
    tail = body[-4096:].lower()
    return b"</html" not in tail and b"</body" not in tail
