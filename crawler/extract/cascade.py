"""The field fallback cascade, written once.

Each field is a list of named steps tried in order — the site's own selector first, then
JSON-LD, then OpenGraph/meta, then whatever generic markup is left. The name of the step that
answered is stored with the article, so extraction health can be measured per field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

Step = tuple[str, Callable[[], T | None]]

# Names of the steps, as stored in ``articles.extraction`` and counted in stats.
SELECTOR = "selector"
JSONLD = "jsonld"
META = "meta"
MARKUP = "markup"  # generic markup (<title>, <html lang>, ...) not specific to the site
GENERIC = "generic"  # the main-content extractor (trafilatura) on a page we cannot read
URL = "url"  # what the article's URL says (a /ru/ or /en_US/ path: the language)
LEAD = "lead"  # the outlet's signature in front of the lead ("TCCS - ", "(Chinhphu.vn) - ")
CREDIT = "credit"  # the credit line of a republication ("Nguồn: ...", "Source: ...")
DETECTED = "detected"  # guessed from the text (the language)
FEED = "feed"  # a value the feed or listing item carried
DEFAULT = "default"  # the source's configured value

# Steps that mean the site's own layout did not answer.
FALLBACK_STEPS = frozenset({JSONLD, META, MARKUP, GENERIC, FEED, DEFAULT, DETECTED})


def first(steps: Sequence[Step[T]]) -> tuple[T | None, str | None]:
    """The first non-empty value and the name of its step; ``(None, None)`` when none answers."""
    for name, step in steps:
        value = step()
        if value not in (None, "", [], {}):
            return value, name
    return None, None
