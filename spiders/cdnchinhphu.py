"""Spiders of the VCCorp "cdnchinhphu" CMS family: mst.gov.vn and baochinhphu.vn."""

from __future__ import annotations

from crawler.extract.pages.cdnchinhphu import CdnChinhPhuArticlePage
from spiders.base import ArticleSpider
from spiders.registry import BAOCHINHPHU, MST

# mst.gov.vn lists with box-category items, baochinhphu.vn with box-stream items.
_LISTING_LINKS = (
    "div.box-category-item a.box-category-link-title, div.box-stream-item a.box-stream-link-title"
)


class CdnChinhPhuSpider(ArticleSpider):
    article_page = CdnChinhPhuArticlePage
    listing_item_css = _LISTING_LINKS
    listing_next_css = "a[rel=next], .list-pager a.next"


class MstSpider(CdnChinhPhuSpider):
    name = "mst"
    site = MST


class BaochinhphuSpider(CdnChinhPhuSpider):
    name = "baochinhphu"
    site = BAOCHINHPHU
