"""Which language an article is in: declared codes cleaned up, and text detection as fallback.

Pages usually say their language (``<html lang>``, ``og:locale``, a ``/ru/`` or ``/en_US/``
path); detection only answers when they do not. py3langid (a BSD-licensed, numpy-only port of
langid.py with its model bundled) is restricted to the languages our sources publish in, which
makes it both faster and far less likely to answer a neighbour (Norwegian vs Danish) wrongly.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Languages the sources publish in: Vietnamese and the editions vietnam.vn translates into.
DETECTABLE = (
    "vi", "en", "fr", "de", "es", "it", "pt", "nl", "ru", "uk", "pl", "cs", "no", "da", "sv",
    "fi", "zh", "ja", "ko", "th", "lo", "km", "id", "ms", "ar", "hi", "tr",
)  # fmt: skip

# Too little text and the model guesses; below this the caller's default answers instead.
MIN_DETECT_CHARS = 40
# How much text to look at: the first paragraphs say everything detection can tell.
DETECT_SAMPLE_CHARS = 2000

_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{2,8})*$")
# Codes for the same language that sites use interchangeably.
_ALIASES = {"nb": "no", "nn": "no", "vn": "vi", "iw": "he", "in": "id", "zh-hans": "zh"}


def language_code(value: str | None) -> str | None:
    """A declared language as an ISO 639-1 code: ``"vi-VN"``, ``"en_US"``, ``"nb"`` →
    ``"vi"``, ``"en"``, ``"no"``; ``None`` for anything that is not a language tag."""
    if not value:
        return None
    match = _CODE.match(value.strip())
    if not match:
        return None
    code = match.group(1).lower()
    return _ALIASES.get(code, code)


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - py3langid has no type hints
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(DETECTABLE))
    return identifier


def detect_language(text: str | None, *, min_chars: int = MIN_DETECT_CHARS) -> str | None:
    """The language of ``text``, or ``None`` when there is too little text to tell."""
    if not text:
        return None
    sample = text[:DETECT_SAMPLE_CHARS]
    if len(sample.strip()) < min_chars:
        return None
    code, _probability = _identifier().classify(sample)
    return language_code(code)
