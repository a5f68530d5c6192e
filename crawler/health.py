"""Extraction health of a crawl: did the site's own selectors still read its pages?

A site that changes its layout does not fail loudly: the fallbacks (JSON-LD, meta, the generic
extractor) keep articles coming, a little worse each time, or discovery quietly finds nothing.
This module turns a run's counters (see :mod:`spiders.base`) into numbers a person can judge
and a ``degraded`` verdict with its reasons. Plain Python, no Scrapy: stats in, verdict out.

Counters read (all optional, missing means 0):

- ``vnnews/links/article``: article links discovery found (feeds, sitemaps, listings);
- ``vnnews/articles/fetched``: article pages downloaded and handed to the page object;
- ``vnnews/articles/parsed``: items the page object produced;
- ``vnnews/articles/selectorless``: items from page objects without any health selector
  (config entries without selectors: generic extraction by design, never "degraded");
- ``vnnews/fields/<field>/selector``, ``vnnews/fallback/<field>``,
  ``vnnews/fields/<field>/missing``: per health field the site has a selector for, who answered;
- ``vnnews/stored/{new,duplicate,updated}``, ``vnnews/rejected/<reason>``,
  ``vnnews/errors/parse``, ``vnnews/warnings/missing_published_at``, ``downloader/response_count``;
- ``robotstxt/response_count`` and ``vnnews/conditional/not_modified`` (``304`` answers of an
  incremental crawl): pages that cannot hold article links.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.runstats import sum_prefix

# The fields a site's selectors are judged on: every article has them.
HEALTH_FIELDS = ("title", "summary", "published_at", "text")
# More than this share of selector-backed values from fallbacks (or missing): degraded.
DEGRADED_FALLBACK_SHARE = 0.5
# Below this many parsed articles a share says little; only the hard signals count.
MIN_ARTICLES_FOR_SHARE = 3


@dataclass
class Health:
    pages: int = 0
    article_links: int = 0
    articles_fetched: int = 0
    articles_parsed: int = 0
    articles_stored: int = 0  # new or updated in this run
    articles_rejected: int = 0
    missing_dates: int = 0
    parse_errors: int = 0
    # Share of selector-backed field values that came from fallbacks or were missing;
    # ``None`` when no article was read through selectors.
    fallback_share: float | None = None
    field_fallback_share: dict[str, float] = field(default_factory=dict)
    generic_only: bool = False  # the source has no selectors: fallback extraction by design
    degraded: bool = False
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Health:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def summary(self) -> str:
        """One line for the crawl summary and ``vnnews status``."""
        share = "n/a" if self.fallback_share is None else f"{self.fallback_share:.0%}"
        mode = "generic extraction (no selectors)" if self.generic_only else f"fallbacks {share}"
        line = (
            f"parsed {self.articles_parsed}/{self.articles_fetched} · {mode} · "
            f"no date {self.missing_dates} · parse errors {self.parse_errors}"
        )
        if self.degraded:
            line += " · DEGRADED: " + "; ".join(self.reasons)
        return line


def _int(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def run_health(stats: Mapping[str, Any]) -> Health:
    """The health of one run from its stats (see the module docstring for the counters)."""
    h = Health(
        pages=_int(stats, "downloader/response_count"),
        article_links=_int(stats, "vnnews/links/article"),
        articles_fetched=_int(stats, "vnnews/articles/fetched"),
        articles_parsed=_int(stats, "vnnews/articles/parsed"),
        articles_stored=_int(stats, "vnnews/stored/new") + _int(stats, "vnnews/stored/updated"),
        articles_rejected=sum_prefix(stats, "vnnews/rejected/"),
        missing_dates=_int(stats, "vnnews/warnings/missing_published_at"),
        parse_errors=_int(stats, "vnnews/errors/parse"),
    )
    selectorless = _int(stats, "vnnews/articles/selectorless")
    h.generic_only = h.articles_parsed > 0 and selectorless == h.articles_parsed

    answered = fell_back = 0
    for name in HEALTH_FIELDS:
        via_selector = _int(stats, f"vnnews/fields/{name}/selector")
        via_fallback = _int(stats, f"vnnews/fallback/{name}")
        missing = _int(stats, f"vnnews/fields/{name}/missing")
        total = via_selector + via_fallback + missing
        if total:
            h.field_fallback_share[name] = round((via_fallback + missing) / total, 3)
            answered += total
            fell_back += via_fallback + missing
    if answered:
        h.fallback_share = round(fell_back / answered, 3)

    usable = h.articles_parsed - h.articles_rejected - h.parse_errors
    if h.articles_fetched and usable <= 0:
        h.reasons.append(
            f"{h.articles_fetched} article pages fetched but none could be read "
            "(selectors and fallbacks found no title or text)"
        )
    # Pages that could have held links: not robots.txt, not a "304 Not Modified" (an
    # unchanged feed or listing of an incremental crawl has nothing new to show).
    content_pages = (
        h.pages
        - _int(stats, "robotstxt/response_count")
        - _int(stats, "vnnews/conditional/not_modified")
    )
    if content_pages > 0 and not h.article_links and h.articles_fetched == 0:
        h.reasons.append(
            "feeds, sitemaps and listings gave no article links "
            "(listing selectors or the article URL pattern no longer match)"
        )
    if (
        h.fallback_share is not None
        and h.fallback_share > DEGRADED_FALLBACK_SHARE
        and h.articles_parsed - selectorless >= MIN_ARTICLES_FOR_SHARE
    ):
        worst = sorted(h.field_fallback_share.items(), key=lambda kv: -kv[1])
        detail = ", ".join(f"{name} {share:.0%}" for name, share in worst if share > 0)
        h.reasons.append(f"site selectors stopped matching: fallbacks answered {detail}")
    h.degraded = bool(h.reasons)
    return h
