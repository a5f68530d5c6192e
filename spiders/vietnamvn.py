"""vietnam.vn: the Vietnamese edition and its machine-translated editions.

Every article on vietnam.vn republishes one from another outlet (mst.gov.vn, baolamdong.vn,
laichau.gov.vn, tapchicongsan.org.vn, provincial papers ...); the page object
(:mod:`crawler.extract.pages.vietnamvn`) stores the credited outlet, the original article's
URL and the page's language editions (``hreflang``).

Discovery. The Vietnamese category listing (``/category/<slug>``, links ``a.v-link-title``,
pagination by its "next" link) and the category feeds (``/category/<slug>/rss``, a guess [G])
lead to Vietnamese pages. Translated editions are reached through the ``hreflang`` alternates
of every article page the crawl reads: each translation is a separate article in the archive
(the dedup stage groups the editions of one story later), and following alternates finds the
editions of exactly the stories the listings led to, with no per-edition listing to guess.
Only the editions named in the registry entry's ``langs`` are followed (each edition costs one
request per story); the scheduler's duplicate filter and the archive's known-URL check keep
every edition to one request however many pages link it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.extract.pages.vietnamvn import VietnamvnArticlePage
from crawler.items import ArticleItem
from spiders.base import ArticleSpider
from spiders.registry import VIETNAMVN


class VietnamvnSpider(ArticleSpider):
    name = "vietnamvn"
    site = VIETNAMVN
    article_page = VietnamvnArticlePage
    listing_item_css = "a.v-link-title"
    listing_next_css = "a[rel=next], .v-pagination a.next"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._editions_seen: set[str] = set()

    def parse_article(self, response: Response) -> Iterator[ArticleItem | scrapy.Request]:
        self._editions_seen.add(response.url)
        for item in super().parse_article(response):
            yield item
            yield from self.follow_editions(item)

    def follow_editions(self, item: ArticleItem) -> Iterator[scrapy.Request]:
        """Requests for the item's other language editions this site is configured for."""
        for code, url in item.alternates.items():
            if code not in self.site.langs or url in self._editions_seen:
                continue
            if (urlsplit(url).hostname or "").lower() != self.site.host:
                continue
            self._editions_seen.add(url)
            if (request := self._article_request(url)) is not None:
                self.crawler.stats.inc_value("vnnews/links/edition")
                yield request
