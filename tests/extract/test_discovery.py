"""Feeds, sitemaps and listings: real captures where we have them, hand-made edge cases."""

import gzip
import re
from datetime import UTC, datetime

from crawler.extract.feeds import parse_feed
from crawler.extract.listing import parse_listing
from crawler.extract.sitemaps import parse_sitemap
from tests.conftest import SAMPLES

ARTICLE = re.compile(r"^/[a-z0-9-]+-\d{8,}\.htm$")


def test_real_baochinhphu_rss() -> None:
    body = (SAMPLES / "baochinhphu.vn" / "rss_kinh-te.prefix_0-1884.xml").read_bytes()
    # the capture is a prefix: close it as the rest of the file would
    result = parse_feed(body + b"</channel></rss>", "https://baochinhphu.vn/kinh-te.rss")
    assert not result.malformed
    assert [e.url for e in result.entries] == [
        "https://baochinhphu.vn/co-che-chinh-sach-xac-dinh-gia-san-pham-in-duc-tien-102260905122709839.htm",
        "https://baochinhphu.vn/dien-bien-phai-dua-ra-nhung-bai-toan-cu-the-de-co-loi-giai-ve-phat-trien-kinh-te-102260905123138618.htm",
    ]
    first = result.entries[0]
    assert first.title == "Cơ chế, chính sách xác định giá sản phẩm in, đúc tiền"
    assert first.published_at == datetime(2026, 9, 5, 6, 30, tzinfo=UTC)
    assert first.summary.startswith("(Chinhphu.vn) - Chính phủ ban hành")


def test_truncated_real_rss_is_malformed_but_recovered() -> None:
    body = (SAMPLES / "baochinhphu.vn" / "rss_kinh-te.prefix_0-1884.xml").read_bytes()
    result = parse_feed(body, "https://baochinhphu.vn/kinh-te.rss")
    assert result.malformed and result.error
    assert len(result.entries) == 2


def test_malformed_feed_salvages_links() -> None:
    body = b"<rss><channel><item><title>A & B</title><link>https://mst.gov.vn/a-19726090514301234.htm</link>"
    result = parse_feed(body, "https://mst.gov.vn/rss/home.rss")
    assert result.malformed
    assert [e.url for e in result.entries] == ["https://mst.gov.vn/a-19726090514301234.htm"]


def test_atom_feed() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
    <link rel="alternate" href="/a-19726090514301234.htm"/><published>2026-09-05T13:30:00+07:00</published>
    </entry></feed>"""
    result = parse_feed(body, "https://mst.gov.vn/atom.xml")
    assert result.entries[0].url == "https://mst.gov.vn/a-19726090514301234.htm"
    assert result.entries[0].published_at == datetime(2026, 9, 5, 6, 30, tzinfo=UTC)


def test_empty_and_html_documents_are_not_feeds() -> None:
    assert parse_feed(b"", "https://x.vn/rss").malformed
    assert parse_feed(b"<html><body>Not found</body></html>", "https://x.vn/rss").entries == []


SITEMAP_INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://mst.gov.vn/sitemaps/sitemaps-2026-08.xml</loc><lastmod>2026-08-31</lastmod></sitemap>
<sitemap><loc>https://mst.gov.vn/sitemaps/sitemaps-2026-09.xml</loc><lastmod>2026-09-30T10:00:00+07:00</lastmod></sitemap>
</sitemapindex>"""


def test_sitemap_index_and_gzip() -> None:
    for body in (SITEMAP_INDEX, gzip.compress(SITEMAP_INDEX)):
        result = parse_sitemap(body)
        assert result.kind == "index"
        assert [e.loc for e in result.entries][1].endswith("2026-09.xml")
        assert result.entries[1].lastmod == datetime(2026, 9, 30, 3, 0, tzinfo=UTC)


def test_urlset_and_non_sitemaps() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>
    <loc> https://mst.gov.vn/a-19726090514301234.htm </loc></url></urlset>"""
    result = parse_sitemap(body)
    assert result.kind == "urlset"
    assert result.entries[0].loc == "https://mst.gov.vn/a-19726090514301234.htm"
    assert parse_sitemap(b"<html></html>").error.startswith("not a sitemap")
    assert parse_sitemap(b"\x1f\x8bnot gzip").error.startswith("bad gzip")


def test_real_baochinhphu_listing() -> None:
    html = (
        SAMPLES / "baochinhphu.vn" / "list_chi-dao-dieu-hanh.chars_200000-216000.html"
    ).read_text("utf-8")
    listing = parse_listing(
        html,
        "https://baochinhphu.vn/chi-dao-quyet-dinh-cua-chinh-phu-thu-tuong-chinh-phu.htm",
        article_path=ARTICLE,
        item_css="div.box-stream-item a.box-stream-link-title",
    )
    # the capture starts inside an item, so the first complete item is the second one
    assert (
        listing.article_urls[0]
        == "https://baochinhphu.vn/thanh-lap-khu-kinh-te-phu-quoc-tinh-kien-giang-102143356.htm"
    )
    assert len(listing.article_urls) == len(set(listing.article_urls)) >= 5
    assert all(
        ARTICLE.match(u.removeprefix("https://baochinhphu.vn")) for u in listing.article_urls
    )


def test_listing_fallback_next_page_and_foreign_links() -> None:
    html = """<div class="menu"><a href="/tin-tuc-su-kien.htm">Tin</a></div>
    <ul><li><a href="/mot-19726090514301234.htm#top">1</a></li>
    <li><a href="https://other.vn/hai-19726090514301235.htm">2</a></li></ul>
    <a rel="next" href="/tin-tuc-su-kien/trang-2.htm">Sau</a>"""
    listing = parse_listing(
        html,
        "https://mst.gov.vn/tin-tuc-su-kien.htm",
        article_path=ARTICLE,
        item_css="div.box-category-item a",
    )
    assert listing.article_urls == ["https://mst.gov.vn/mot-19726090514301234.htm"]
    assert listing.next_url == "https://mst.gov.vn/tin-tuc-su-kien/trang-2.htm"
    assert (
        parse_listing(
            "<html><body></body></html>", "https://mst.gov.vn/x.htm", article_path=ARTICLE
        ).article_urls
        == []
    )
