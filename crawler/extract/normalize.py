"""Normalize stage: an extracted :class:`ArticleItem` becomes the record the archive stores.

Shared by the crawl pipeline and ``vnnews import`` so that a result never depends on how an
article came in. Raises :class:`Rejected` for input that cannot make an article; everything
else is stored, with what is missing recorded in ``warnings``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from crawler.dedup.urls import canonical_url
from crawler.extract.dates import to_utc
from crawler.extract.text import squash, tidy_paragraphs
from crawler.items import ArticleItem


class Rejected(ValueError):
    """The item cannot be stored; the message says why (logged and counted by the caller)."""


def content_hash(title: str | None, summary: str | None, text: str | None) -> str:
    """Fingerprint of what a reader sees, to tell a changed article from a re-fetch."""
    joined = "\x1f".join(part or "" for part in (title, summary, text))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def normalize(item: ArticleItem, *, now: datetime | None = None) -> dict[str, Any]:
    """The storage record for ``item``: canonical URL, UTC dates, tidy text, content hash."""
    title = squash(item.title)
    text = tidy_paragraphs(item.text) if item.text else None
    if not title:
        raise Rejected("no title")
    if not text:
        raise Rejected("no body text")
    summary = squash(item.summary)
    canonical = canonical_url(item.canonical_url or item.url)
    return {
        "url": item.url,
        "canonical_url": canonical,
        "source": item.source,
        "title": title,
        "summary": summary,
        "text": text,
        "body_html": item.body_html,
        "author": squash(item.author),
        "tags": [t for t in (squash(t) for t in item.tags) if t],
        "category": squash(item.category),
        "images": [asdict(image) for image in item.images],
        "lang": (item.lang or "").lower() or None,
        "published_at": to_utc(item.published_at) if item.published_at else None,
        "modified_at": to_utc(item.modified_at) if item.modified_at else None,
        "fetched_at": to_utc(item.fetched_at) if item.fetched_at else (now or datetime.now(UTC)),
        "content_hash": content_hash(title, summary, text),
        "extraction": dict(item.methods),
        "credited_outlet": squash(item.credited_outlet),
        "credited_url": item.credited_url.strip() if item.credited_url else None,
        "alternates": dict(item.alternates),
        # the fetched URL too: a page whose canonical link names another URL is known by both
        "aliases": sorted({canonical, canonical_url(item.url)}),
    }
