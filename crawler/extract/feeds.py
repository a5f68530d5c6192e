"""RSS 2.0 / Atom feeds as article links with the hints they carry (title, date, lead).

Government CMSs publish feeds that are not always well-formed XML (bare ``&``, truncated
output). A strict parse is tried first; on failure the feed is marked malformed and lxml's
recovering parser salvages what it can, so one broken item does not hide the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

from crawler.extract.dates import parse_date, to_utc
from crawler.extract.text import squash

_ATOM = "{http://www.w3.org/2005/Atom}"
_LINK_TEXT = re.compile(rb"<link>\s*(?:<!\[CDATA\[)?\s*(https?://[^<\]\s]+)", re.I)


@dataclass
class FeedEntry:
    url: str
    title: str | None = None
    summary: str | None = None
    published_at: datetime | None = None


@dataclass
class FeedResult:
    entries: list[FeedEntry] = field(default_factory=list)
    malformed: bool = False
    error: str | None = None


def parse_feed_date(text: str | None) -> datetime | None:
    """RFC 822 as the standard says, or the CMS's "9/5/2026 1:30:00 PM" (Vietnam time)."""
    if not text:
        return None
    try:
        return to_utc(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError, IndexError):
        return parse_date(text)


def _text(node: etree._Element | None) -> str | None:
    return squash("".join(node.itertext())) if node is not None else None


def _entry(item: etree._Element, base_url: str) -> FeedEntry | None:
    if item.tag == "item":
        link = _text(item.find("link")) or _text(item.find("guid"))
        date = _text(item.find("pubDate"))
        title, summary = _text(item.find("title")), _text(item.find("description"))
    else:  # Atom
        link_node = item.find(f"{_ATOM}link[@rel='alternate']")
        if link_node is None:
            link_node = item.find(f"{_ATOM}link")
        link = link_node.get("href") if link_node is not None else None
        date = _text(item.find(f"{_ATOM}published")) or _text(item.find(f"{_ATOM}updated"))
        title, summary = _text(item.find(f"{_ATOM}title")), _text(item.find(f"{_ATOM}summary"))
    if not link:
        return None
    return FeedEntry(
        url=urljoin(base_url, link.strip()),
        title=title,
        summary=summary,
        published_at=parse_feed_date(date),
    )


def parse_feed(body: bytes, base_url: str) -> FeedResult:
    """Entries of an RSS or Atom document; ``malformed`` says whether recovery was needed."""
    result = FeedResult()
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        result.malformed, result.error = True, str(exc)
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
        root = etree.fromstring(body, parser) if body.strip() else None
    items = [] if root is None else [*root.iter("item"), *root.iter(f"{_ATOM}entry")]
    for item in items:
        if (entry := _entry(item, base_url)) is not None:
            result.entries.append(entry)
    if result.malformed and not result.entries:
        # Recovery can drop everything after the first fatal error; plain <link>s still count.
        result.entries = [FeedEntry(url=m.decode()) for m in _LINK_TEXT.findall(body)]
    if root is None and not result.error:
        result.malformed, result.error = True, "empty document"
    return result
