"""Tạp chí Cộng sản (tapchicongsan.org.vn), a Liferay portal: Vietnamese and English editions.

No RSS feed or sitemap is known (site-notes), so discovery is by section listings: Liferay
asset-publisher abstracts and its page iterator. Both selectors are guesses modelled on
Liferay's stock markup [G]; when the item selector matches nothing, the base spider takes
every same-site link that looks like an article (the pattern is [C]).

What this family adds to the base spider: article links lose Liferay's navigation parameters
(``?inheritRedirect=...&redirect=...`` differ per listing page): one article, one URL, one
request.
"""

from __future__ import annotations

from typing import Any

import scrapy

from crawler.extract.pages.liferay import LiferayArticlePage, clean_article_url
from spiders.base import ArticleSpider
from spiders.registry import TAPCHICONGSAN

# Asset-publisher abstracts (Liferay 6.2 and 7) and a custom news list.
_LISTING_LINKS = ".asset-abstract .asset-title a, .news-list .news-title a"
# The page iterator's "next" button: 6.2 (first, previous, next, last) and Clay (7.x).
_NEXT_PAGE = (
    "a[rel=next], ul.lfr-pagination-buttons > li:nth-child(3):not(.disabled) > a, "
    "ul.pagination > li:last-child:not(.disabled) > a.page-link"
)


class TapchicongsanSpider(ArticleSpider):
    name = "tapchicongsan"
    site = TAPCHICONGSAN
    article_page = LiferayArticlePage
    listing_item_css = _LISTING_LINKS
    listing_next_css = _NEXT_PAGE

    def _article_request(
        self, url: str, hint: dict[str, Any] | None = None
    ) -> scrapy.Request | None:
        return super()._article_request(clean_article_url(url), hint)
