"""The ``portal`` spider built with ``get_crawler()``: which entry it crawls, how it refuses a
wrong one, and what its callbacks make of hand-made responses (no network)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.extract.pages.configured import ConfiguredArticlePage
from spiders.portal import PortalSiteError, PortalSpider, find_site
from spiders.portal_config import ConfigError, config_sites
from tests.conftest import FIXTURE_SITES, ROOT
from tests.conftest import project_crawler as make_crawler

SITES_FILE = ROOT / "tests" / "fixtures" / "portal_sites.toml"
KHCN = "https://khcn-thu-nghiem.test"


def spider(site: str | None, sites_file: Path | str | None = SITES_FILE) -> PortalSpider:
    crawler = make_crawler(PortalSpider, VNNEWS_SITES_FILE=sites_file)
    kwargs = {} if site is None else {"site": site}
    return PortalSpider.from_crawler(crawler, **kwargs)


def response(url: str, body: str, **meta: object) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8",
                        request=Request(url, meta=dict(meta)))  # fmt: skip


def test_the_entry_named_by_the_site_argument_is_crawled() -> None:
    s = spider("khcn-thu-nghiem")
    assert s.name == "portal"
    assert s.site.key == "khcn-thu-nghiem" and s.site.host == "khcn-thu-nghiem.test"
    assert s.allowed_domains == ["khcn-thu-nghiem.test"]
    assert issubclass(s.article_page, ConfiguredArticlePage)
    assert s.article_page.TITLE_CSS == "h1.news-detail__title"
    assert s.listing_item_css == ".news-item .news-item__title a"
    assert s.listing_next_css == ".paging a.paging__next"
    assert s.field_selectors() == ["title", "summary", "published_at", "author", "tags",
                                   "category", "content"]  # fmt: skip


def test_an_entry_without_listing_selectors_keeps_the_base_defaults() -> None:
    s = spider("bao-thu-nghiem")
    assert s.listing_item_css is None and s.listing_next_css == "a[rel=next]"
    assert s.article_page.CONTENT_CSS is None and s.field_selectors() == []


def test_each_spider_has_its_own_entry() -> None:
    a, b = spider("khcn-thu-nghiem"), spider("bao-thu-nghiem")
    assert a.site.key != b.site.key and a.article_page is not b.article_page
    assert PortalSpider.listing_item_css is None  # the class was not changed


def test_shipped_entries_are_found_without_a_user_file(tmp_path: Path) -> None:
    key = next(iter(config_sites(None)))
    s = spider(key, sites_file=tmp_path / "none.toml")
    assert s.site.key == key and s.site.kind == "config"


def test_the_user_file_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNNEWS_SITES_FILE", str(SITES_FILE))
    assert spider("bao-thu-nghiem", sites_file=None).site.host == "bao-thu-nghiem.test"
    assert find_site("khcn-thu-nghiem").province == "lam-dong"


def test_a_missing_site_argument_is_refused_with_the_choices() -> None:
    with pytest.raises(PortalSiteError) as caught:
        spider(None)
    message = str(caught.value)
    assert "name the entry to crawl with -a site=KEY" in message
    assert "khcn-thu-nghiem" in message and "bao-thu-nghiem" in message
    assert "vnexpress-khcn" in message  # the shipped ones too


def test_an_unknown_key_is_refused_with_the_choices() -> None:
    with pytest.raises(PortalSiteError, match=r"unknown site 'khcn-thu-nghiem-2' \(config "
                       r"entries: .*bao-thu-nghiem.*khcn-thu-nghiem"):  # fmt: skip
        spider("khcn-thu-nghiem-2")


def test_a_builtin_source_is_refused_with_its_own_spider_named() -> None:
    with pytest.raises(PortalSiteError, match="'mst' is a built-in source with its own spider: "
                       "crawl it as 'mst'"):  # fmt: skip
        spider("mst")


def test_no_entries_at_all_says_where_to_add_them(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("spiders.portal.all_sites", lambda user_file: {})
    with pytest.raises(PortalSiteError, match=re.escape(
            f"there are no config entries: add [[site]] tables to {tmp_path / 'x.toml'}")):  # fmt: skip
        spider("anything", sites_file=tmp_path / "x.toml")


def test_a_malformed_sites_file_stops_the_spider(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[site]]\nkey = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{bad}: site #1 (x): 'name' is required")):
        spider("x", sites_file=bad)


def test_start_requests_come_from_the_entry() -> None:
    s = spider("khcn-thu-nghiem")

    async def collect() -> list[Request]:
        return [r async for r in s.start()]

    requests = asyncio.run(collect())  # start() awaits nothing: no reactor needed
    roles = [(r.url, r.meta["vnnews_role"]) for r in requests]
    assert roles == [
        (f"{KHCN}/rss/tin-moi.rss", "feed"),
        (f"{KHCN}/rss/chuyen-doi-so.rss", "feed"),
        (f"{KHCN}/sitemap.xml", "sitemap"),
        (f"{KHCN}/tin-tuc/khoa-hoc-cong-nghe/", "listing"),
        (f"{KHCN}/tin-tuc/chuyen-doi-so/", "listing"),
    ]


def test_listing_links_and_next_page_come_from_the_entry_selectors() -> None:
    s = spider("khcn-thu-nghiem")
    path = "tin-tuc/khoa-hoc-cong-nghe/index.html"
    html = (FIXTURE_SITES / "khcn-thu-nghiem.test" / path).read_text("utf-8")
    out = list(s.parse_listing(response(f"{KHCN}/tin-tuc/khoa-hoc-cong-nghe/", html, page=1)))
    articles = [r.url for r in out if r.meta["vnnews_role"] == "article"]
    listings = [r.url for r in out if r.meta["vnnews_role"] == "listing"]
    assert len(articles) == 4 and all(s.site.article_path.match(u[len(KHCN) :]) for u in articles)
    assert listings == [f"{KHCN}/tin-tuc/khoa-hoc-cong-nghe/trang-2/"]
    assert s.crawler.stats.get_value("vnnews/listing/selector_missed") is None


def test_a_listing_whose_selector_misses_is_counted_and_still_read() -> None:
    s = spider("khcn-thu-nghiem")
    html = ('<html><body><div class="cards"><h3><a href="/tin-tuc/bai-moi-12345.html">Bài mới</a>'
            '</h3><a href="/lien-he/">Liên hệ</a></div></body></html>')  # fmt: skip
    out = list(s.parse_listing(response(f"{KHCN}/tin-tuc/khoa-hoc-cong-nghe/", html, page=1)))
    assert [r.url for r in out] == [f"{KHCN}/tin-tuc/bai-moi-12345.html"]
    assert s.crawler.stats.get_value("vnnews/listing/selector_missed") == 1


def test_articles_of_an_entry_without_selectors_count_as_selectorless() -> None:
    s = spider("bao-thu-nghiem")
    path = "khoa-hoc/benh-vien-tuyen-huyen-dung-nen-tang-hoi-chan-tu-xa-260903.html"
    html = (FIXTURE_SITES / "bao-thu-nghiem.test" / path).read_text("utf-8")
    (item,) = s.parse_article(response(f"https://bao-thu-nghiem.test/{path}", html))
    assert item.source == "bao-thu-nghiem" and item.methods["text"] == "generic"
    stats = s.crawler.stats
    assert stats.get_value("vnnews/articles/selectorless") == 1
    assert not any(k.startswith(("vnnews/fallback/", "vnnews/fields/")) for k in stats.get_stats())


def test_articles_of_an_entry_with_selectors_are_judged_on_them() -> None:
    s = spider("khcn-thu-nghiem")
    path = "tin-tuc/san-giao-dich-cong-nghe-ket-noi-45-giai-phap-20440.html"  # no sapo element
    html = (FIXTURE_SITES / "khcn-thu-nghiem.test" / path).read_text("utf-8")
    (item,) = s.parse_article(response(f"{KHCN}/{path}", html))
    stats = s.crawler.stats.get_stats()
    assert stats["vnnews/fields/title/selector"] == 1
    assert stats["vnnews/fields/text/selector"] == 1
    assert stats["vnnews/fallback/summary"] == 1
    assert "vnnews/articles/selectorless" not in stats
