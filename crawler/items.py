"""The article as it travels through the pipeline.

Plain dataclasses rather than ``scrapy.Item`` so that extraction, the JSONL importer and the
tests build the same object without Scrapy; Scrapy handles dataclass items natively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Image:
    """An image of the article body; the caption is kept apart from the body text."""

    url: str
    caption: str | None = None


@dataclass(slots=True)
class ArticleItem:
    """One article page turned into fields, before normalization.

    ``methods`` records which extraction step answered each field (``selector``, ``jsonld``,
    ``meta``, ``generic``, ``feed``, ``import`` ...), so a site whose layout changed shows up as
    a rise in fallbacks rather than as silently missing news. ``selector_fields`` names the
    fields the site's page object has selectors for: only those can be "degraded".
    """

    url: str
    source: str
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    body_html: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    images: list[Image] = field(default_factory=list)
    lang: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    canonical_url: str | None = None
    # Republications: the outlet the page credits ("Báo Lâm Đồng", "TCCS") and the URL of the
    # original article it names; ``alternates`` maps hreflang codes to the page's other editions.
    credited_outlet: str | None = None
    credited_url: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    selector_fields: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    fetched_at: datetime | None = None
