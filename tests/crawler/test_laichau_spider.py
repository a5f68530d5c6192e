"""The VHV spider's listing rules, fed hand-made responses (no network): a truncated listing is
counted but its links are taken, an empty section is not filled from the sidebar, and a
redesigned listing still falls back to every article-looking link."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from spiders.laichau import LaichauSpider
from tests.conftest import project_crawler as make_crawler

SECTION = "https://laichau.gov.vn/tin-tuc-su-kien/chuyen-de/chuyen-doi-so/"
A1 = "/tin-tuc-su-kien/chuyen-de/chuyen-doi-so/bai-mot.html"
A2 = "/tin-tuc-su-kien/chuyen-de/chuyen-doi-so/bai-hai.html"
SIDEBAR = "/tin-tuc-su-kien/khoa-hoc-cong-nghe/bai-ben-le.html"

ITEM = '<div class="post-item row clearfix"><div class="post-title"><h4><a href="{}">x</a></h4></div></div>'


def _page(main: str, *, closed: bool = True) -> str:
    html = (
        '<html><body><div class="row"><div class="col-left"><section class="section-list">'
        f'{main}</section></div><div class="col-right"><ul><li><a href="{SIDEBAR}">bên lề</a>'
        "</li></ul></div></div>"
    )
    return html + "</body></html>" if closed else html


@pytest.fixture()
def spider() -> LaichauSpider:
    crawler = make_crawler(LaichauSpider)
    return LaichauSpider.from_crawler(crawler)


def _parse(spider: LaichauSpider, html: str, url: str = SECTION) -> list[str]:
    request = Request(url, meta={"vnnews_role": "listing", "page": 1})
    response = HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)
    return [r.url for r in spider.parse_listing(response)]


def test_listing_items_and_next_page(spider: LaichauSpider) -> None:
    pager = f'<div class="default-pagination"><a class="next" href="{SECTION}?page=2">»</a></div>'
    urls = _parse(spider, _page(ITEM.format(A1) + ITEM.format(A2) + pager))
    assert urls == [
        f"https://laichau.gov.vn{A1}",
        f"https://laichau.gov.vn{A2}",
        f"{SECTION}?page=2",
    ]
    assert spider.crawler.stats.get_value("vnnews/errors/malformed_listing") is None


def test_truncated_listing_is_counted_and_its_links_taken(spider: LaichauSpider) -> None:
    html = _page(
        ITEM.format(A1) + '<div class="post-item"><figure><div class="mask">', closed=False
    )
    html = html[: html.index('<div class="col-right"')]  # the response stops in the list
    assert _parse(spider, html) == [f"https://laichau.gov.vn{A1}"]
    stats = spider.crawler.stats
    assert stats.get_value("vnnews/errors/malformed_listing") == 1
    assert stats.get_value("vnnews/first_error").startswith(f"malformed listing {SECTION}")


def test_empty_section_ignores_the_sidebar(spider: LaichauSpider) -> None:
    html = _page('<p class="no-data">Chưa có tin bài trong chuyên mục này.</p>')
    assert _parse(spider, html) == []
    assert spider.crawler.stats.get_value("vnnews/listing/empty") == 1
    assert spider.crawler.stats.get_value("vnnews/links/article") is None


def test_redesigned_listing_falls_back_to_article_links(spider: LaichauSpider) -> None:
    html = _page(f'<div class="news-card"><a href="{A1}">x</a></div>')
    urls = _parse(spider, html)
    assert f"https://laichau.gov.vn{A1}" in urls
    assert f"https://laichau.gov.vn{SIDEBAR}" in urls  # the page-wide fallback, as designed
    assert spider.crawler.stats.get_value("vnnews/listing/empty") is None
