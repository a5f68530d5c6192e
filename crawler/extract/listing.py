"""Listing (category) pages: the article links on them and the link to the next page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector


@dataclass
class Listing:
    article_urls: list[str] = field(default_factory=list)
    next_url: str | None = None


def parse_listing(
    html: str,
    url: str,
    *,
    article_path: re.Pattern[str],
    item_css: str | None = None,
    next_css: str = "a[rel=next]",
) -> Listing:
    """Article links in listing order, without repeats.

    ``item_css`` names the listing's own link elements; when it matches nothing (a redesign)
    every same-site link whose path looks like an article is taken instead, so discovery keeps
    working while the crawl reports the change.
    """
    sel = Selector(text=html or "<html></html>", type="html")
    host = urlsplit(url).netloc
    hrefs = sel.css(item_css).xpath("@href").getall() if item_css else []
    if not hrefs:
        hrefs = sel.xpath("//a/@href").getall()
    seen: dict[str, None] = {}
    for href in hrefs:
        absolute = urljoin(url, href.strip())
        parts = urlsplit(absolute)
        if parts.netloc == host and article_path.match(parts.path):
            seen.setdefault(absolute.split("#", 1)[0], None)
    next_href = sel.css(next_css).xpath("@href").get()
    next_url = urljoin(url, next_href.strip()) if next_href else None
    return Listing(article_urls=list(seen), next_url=next_url if next_url != url else None)
