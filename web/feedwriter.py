"""Feed documents: RSS 2.0 and Atom 1.0 through feedgen, JSON Feed 1.1 written here.

One entry per story: the article the listing chose (its original where that matches the
filters), with the story's other articles listed in the entry (Atom ``related`` links, a
"Also published" list in the content, ``_vnnews.copies`` in JSON Feed). Entry ids are the
article's canonical URL: stable across servers, base URLs and archive rebuilds. Dates come
from the archive, never from the clock, so the same archive gives the same bytes (and ETag).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from web.sanitize import clean_html, plain_text, xml_safe

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GENERATOR = "vnnews"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


@dataclass(frozen=True)
class Category:
    term: str  # slug
    label: str
    scheme: str  # absolute URL of the list it comes from (/api/provinces, /api/topics)


@dataclass(frozen=True)
class Copy:
    url: str
    title: str
    source: str
    lang: str | None
    relation: str | None
    published: datetime | None


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str  # sanitized
    published: datetime | None
    updated: datetime
    author: str | None
    lang: str | None
    source: str
    categories: tuple[Category, ...] = ()
    copies: tuple[Copy, ...] = ()


@dataclass
class Feed:
    id: str  # the feed's first page URL: the same on every page
    title: str
    description: str
    self_url: str
    first_url: str
    home_url: str
    next_url: str | None
    updated: datetime
    lang: str | None = None
    entries: list[Entry] = field(default_factory=list)


def entry_content(
    body_html: str | None, text: str | None, base_url: str, copies: list[Copy]
) -> str:
    """The entry's HTML: the sanitized body (or the text as paragraphs) and its copies."""
    content = clean_html(body_html, base_url)
    if not content and text:
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        content = "".join(f"<p>{html.escape(plain_text(p))}</p>" for p in paragraphs)
    if copies:
        items = []
        for copy in copies:
            what = ", ".join(x for x in (copy.lang, copy.relation) if x)
            items.append(
                f'<li><a href="{html.escape(copy.url)}" rel="noopener noreferrer nofollow">'
                f"{html.escape(copy.source)}: {html.escape(copy.title)}</a>"
                + (f" ({html.escape(what)})" if what else "")
                + "</li>"
            )
        content += f"<p>Also published ({len(copies)}):</p><ul>{''.join(items)}</ul>"
    return content


class _RelatedLinks(BaseEntryExtension):
    """Atom ``<link rel="related">`` of an entry. Written here because feedgen 1.0 drops the
    ``rel`` (and ``title``) of entry links, which would make every copy an ``alternate``."""

    def __init__(self) -> None:
        self.links: list[tuple[str, str]] = []

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for href, title in self.links:
            link = etree.SubElement(entry, "link", rel="related", href=href)
            if title:
                link.set("title", title)
        return entry


def _generator(feed: Feed) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(feed.id)
    fg.title(xml_safe(feed.title))
    fg.subtitle(xml_safe(feed.description))  # RSS description, Atom subtitle
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.generator(GENERATOR)
    if feed.lang:
        fg.language(feed.lang)
    fg.link(href=feed.self_url, rel="self")
    fg.link(href=feed.first_url, rel="first")
    if feed.next_url:
        fg.link(href=feed.next_url, rel="next")  # RFC 5005 paged feed
    fg.link(href=feed.home_url, rel="alternate")  # last: RSS's <link>
    for entry in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(entry.title or entry.url)
        fe.link(href=entry.url, rel="alternate")
        fe.register_extension("related", _RelatedLinks, atom=True, rss=False)
        fe.related.links = [(copy.url, copy.title) for copy in entry.copies]
        if entry.published is not None:
            fe.published(entry.published)
        fe.updated(entry.updated)
        if entry.author:
            fe.author(name=entry.author)
            fe.dc.dc_creator(entry.author)
        for category in entry.categories:
            fe.category(term=category.term, label=category.label, scheme=category.scheme)
        if entry.summary:
            fe.summary(entry.summary)
        if entry.content_html:
            fe.content(entry.content_html, type="html")
    return fg


def rss(feed: Feed) -> bytes:
    fg = _generator(feed)
    # RSS has no summary/content pair: description is the lead (HTML-escaped text) and
    # content:encoded the body; pubDate falls back to the time the article was fetched.
    for fe, entry in zip(fg.entry(), feed.entries, strict=True):
        fe.description(html.escape(entry.summary) if entry.summary else None)
        if entry.published is None:
            fe.pubDate(entry.updated)
    return fg.rss_str(pretty=False)


def atom(feed: Feed) -> bytes:
    return _generator(feed).atom_str(pretty=False)


def _rfc3339(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def json_feed(feed: Feed) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); vnnews fields under ``_vnnews``."""
    items = []
    for entry in feed.entries:
        item: dict = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html or html.escape(entry.summary or entry.title),
            "date_modified": _rfc3339(entry.updated),
            "tags": [c.term for c in entry.categories],
            "_vnnews": {
                "source": entry.source,
                "categories": [
                    {"term": c.term, "label": c.label, "scheme": c.scheme} for c in entry.categories
                ],
                "copies": [
                    {
                        "url": c.url,
                        "title": c.title,
                        "source": c.source,
                        "language": c.lang,
                        "relation": c.relation,
                        "date_published": _rfc3339(c.published),
                    }
                    for c in entry.copies
                ],  # fmt: skip
            },
        }
        if entry.summary:
            item["summary"] = entry.summary
        if entry.published is not None:
            item["date_published"] = _rfc3339(entry.published)
        if entry.author:
            item["authors"] = [{"name": entry.author}]
        if entry.lang:
            item["language"] = entry.lang
        items.append(item)
    document: dict = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url,
        "description": feed.description,
        "items": items,
    }
    if feed.next_url:
        document["next_url"] = feed.next_url
    if feed.lang:
        document["language"] = feed.lang
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


RENDERERS = {"rss": rss, "atom": atom, "json": json_feed}
