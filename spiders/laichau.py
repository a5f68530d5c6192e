"""Spiders of the VHV portal platform: laichau.gov.vn (Cổng TTĐT tỉnh Lai Châu).

VHV portals publish no RSS feed or sitemap that anyone has found (site-notes.md), so discovery
is the section listings and their pagination alone (a listing cut short is counted by the base
spider as ``vnnews/errors/malformed_listing``, its links still taken). One listing failure
would otherwise pass unnoticed: a section without items. VHV pages carry a "latest news"
sidebar full of article links, which the base spider's fallback (every article-looking link on
the page) would take for the listing. When the listing's own column is there but holds no
article link, the page is empty (``vnnews/listing/empty``), not redesigned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import SelectorList
from scrapy.http import Response, TextResponse

from crawler.extract.pages.vhv import VhvArticlePage
from spiders.base import ArticleSpider
from spiders.registry import LAICHAU


class VhvSpider(ArticleSpider):
    """The VHV family: listing items and pagination of both known layouts."""

    article_page = VhvArticlePage
    # Provincial layout (.post-item ... h4.entry-title a) [S]; item-block articles of newer themes.
    listing_item_css = ".post-item .post-title a, article.item-block .entry-title a"
    listing_next_css = "a[rel=next], .default-pagination a.next, .pagination a.next, a.next"
    # The listing's own column: the sidebar outside it lists other sections' news.
    listing_main_css: ClassVar[str] = "div.col-left section.section-list"

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            main = response.css(self.listing_main_css)
            if main and not self._has_article_link(main, response.url):
                self.logger.warning("listing %s holds no article links", response.url)
                self.crawler.stats.inc_value("vnnews/listing/empty")
                return
        yield from super().parse_listing(response)

    def _has_article_link(self, nodes: SelectorList, base_url: str) -> bool:
        host = urlsplit(base_url).netloc
        for href in nodes.xpath(".//a/@href").getall():
            parts = urlsplit(urljoin(base_url, href.strip()))
            if parts.netloc == host and self.site.article_path.match(parts.path):
                return True
        return False


class LaichauSpider(VhvSpider):
    name = "laichau"
    site = LAICHAU
