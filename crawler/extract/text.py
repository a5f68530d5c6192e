"""Whitespace, outlet prefixes and other text clean-up shared by every extractor."""

from __future__ import annotations

import html
import re
import unicodedata

_INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

# Lead prefixes by which an outlet signs its own text: "(Chinhphu.vn) - ", "TCCS - ",
# "(MST) – ", "(PLVN) -". Kept short and anchored so a sentence is never eaten.
_OUTLET_PREFIX = re.compile(
    r"^\s*(?:\((?P<paren>[^()\n]{2,40})\)|(?P<bare>[A-ZĐ][A-Za-zĐđ.]{1,14}))\s*[-–—:]\s+"
)


def squash(text: str | None) -> str | None:
    """One line, single spaces, NFC; ``None`` for nothing but whitespace.

    NFC matters: some CMS editors emit decomposed Vietnamese (a + combining hook), which would
    otherwise compare unequal to the same word typed on another site.
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFC", html.unescape(text))
    text = _INLINE_SPACE.sub(" ", text.replace("\n", " ")).strip()
    return text or None


def tidy_paragraphs(text: str) -> str:
    """Paragraphs separated by one blank line, each paragraph on one line."""
    text = unicodedata.normalize("NFC", text)
    paragraphs = (
        _INLINE_SPACE.sub(" ", p.replace("\n", " ")).strip() for p in _BLANK_LINES.split(text)
    )
    return "\n\n".join(p for p in paragraphs if p)


def split_outlet_prefix(lead: str | None) -> tuple[str | None, str | None]:
    """``"(Chinhphu.vn) - Chính phủ ban hành…"`` → ``("Chinhphu.vn", "Chính phủ ban hành…")``."""
    if not lead:
        return None, lead
    match = _OUTLET_PREFIX.match(lead)
    if not match:
        return None, lead
    outlet = match.group("paren") or match.group("bare")
    rest = lead[match.end() :].strip()
    if not rest:
        return None, lead
    return outlet.strip(), rest
