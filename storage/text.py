"""Text folding for accent-insensitive search.

Vietnamese readers type queries with and without diacritics ("chuyen doi so" for "Chuyển đổi
số"), so the archive stores a folded copy of each article and folds every query the same way:
one function for both sides, or the two would drift apart and searches would silently miss.
"""

from __future__ import annotations

from anyascii import anyascii


def fold(text: str) -> str:
    """Lower-case ASCII with whitespace collapsed: ``"Đà  Lạt"`` becomes ``"da lat"``.

    ``anyascii`` (ISC licence, unlike GPL ``unidecode``) maps "đ"/"Đ" to "d", which Unicode
    decomposition alone would leave untouched.
    """
    return " ".join(anyascii(text).lower().split())
