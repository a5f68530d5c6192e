"""Báo Lâm Đồng (baolamdong.vn), the provincial paper of Lâm Đồng: INTECH "OneCMS" [G].

Discovery: the ``/rss/<section>[/<sub>]`` feeds [S] and the science/technology/digital section
listing. OneCMS listings render their first page on the server and load more with JavaScript
("Xem thêm", ``div.onecms__loadmore``); the server-side page URL ``?page=N`` is a guess [G]:
the load-more link's ``href`` is followed when it is a real URL, else ``?page=N+1`` is tried
while the page still shows items (see :func:`crawler.extract.pages.onecms.guessed_next_page`).
"""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response, TextResponse

from crawler.extract.pages.onecms import (
    LISTING_ITEM_CSS,
    LISTING_NEXT_CSS,
    OneCmsArticlePage,
    guessed_next_page,
)
from spiders.base import LISTING, ArticleSpider
from spiders.registry import BAOLAMDONG


class OneCmsSpider(ArticleSpider):
    article_page = OneCmsArticlePage
    listing_item_css = LISTING_ITEM_CSS
    listing_next_css = LISTING_NEXT_CSS

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        followed_next = False
        for request in super().parse_listing(response):
            followed_next |= request.meta.get("vnnews_role") == LISTING
            yield request
        page = response.meta.get("page", 1)
        if followed_next or page >= self.max_listing_pages:
            return
        if not isinstance(response, TextResponse):
            return
        next_url = guessed_next_page(response.text, response.url)
        if next_url is not None:
            self.crawler.stats.inc_value("vnnews/listing/guessed_next")
            yield self._request(next_url, LISTING, self.parse_listing, priority=10, page=page + 1)


class BaolamdongSpider(OneCmsSpider):
    name = "baolamdong"
    site = BAOLAMDONG
