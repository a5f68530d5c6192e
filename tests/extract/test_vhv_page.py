"""The VHV page object (laichau.gov.vn) on the generated fixture pages and on edge cases.

No real VHV capture exists (site-notes.md rates every VHV selector [S]), so besides the
fixture pages, these tests pin down what must happen when the selectors do not answer: the
step that did answer is recorded, and a wrapper is never taken for the body.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.extract.pages.vhv import VhvArticlePage
from tests.conftest import FIXTURE_SITES
from tests.e2e.conftest import expected

HOST = "laichau.gov.vn"
SITE = FIXTURE_SITES / HOST
EXPECTED = expected(HOST)


def _page(url: str, html: str | None = None) -> VhvArticlePage:
    if html is None:
        html = (SITE / urlsplit(url).path.lstrip("/")).read_text("utf-8")
    return VhvArticlePage(url, html, source="laichau")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@pytest.mark.parametrize("want", EXPECTED["articles"], ids=lambda w: w["url"][-40:])
def test_fixture_pages_field_by_field(want: dict[str, Any]) -> None:
    item = _page(want["url"]).to_item()
    assert item.title == want["title"]
    assert item.summary == want["summary"]
    assert _iso(item.published_at) == want["published_at"]
    assert _iso(item.modified_at) == want["modified_at"]
    assert item.author == want["author"]
    assert item.tags == want["tags"]
    assert item.category == want["category"]
    assert [{"url": i.url, "caption": i.caption} for i in item.images] == want["images"]
    assert item.lang == want["lang"]
    assert item.methods["lang"] == want["lang_method"]
    assert item.credited_outlet == want["credited_outlet"]
    for sentence in want["text_contains"]:
        assert sentence in item.text
    for noise in want["text_excludes"]:
        assert noise not in item.text, noise
    assert "<script" not in item.body_html and "relatedArticles" not in item.body_html
    for field in ("title", "summary", "published_at", "text"):
        step = want["fallbacks"].get(field, "selector")
        assert item.methods[field] == step, (field, item.methods)
    for field, step in want["fallbacks"].items():
        assert item.methods[field] == step, (field, item.methods)
    assert item.warnings == []


def test_bad_pages_keep_what_they_have() -> None:
    bad, details = EXPECTED["bad_pages"], EXPECTED["bad_page_details"]
    no_date = _page(bad["no_date"]).to_item()
    assert no_date.published_at is None and "published_at" not in no_date.methods
    assert no_date.warnings == ["missing published_at"]
    assert no_date.title == details["no_date"]["title"]

    truncated = _page(bad["truncated"]).to_item()
    assert truncated.methods["text"] == "selector"
    assert _iso(truncated.published_at) == details["truncated"]["published_at"]
    assert truncated.text.endswith("tại những khu rừng")


def _type2(url: str) -> str:
    return (SITE / urlsplit(url).path.lstrip("/")).read_text("utf-8")


def test_type2_wrapper_is_never_the_body() -> None:
    """A redesign renames div.content-detail: the outer div.article-content (title, brief,
    rating) must not pass for the body; the generic extractor answers and says so."""
    want = EXPECTED["articles"][0]
    html = _type2(want["url"]).replace("content-detail", "noi-dung-bai")
    item = _page(want["url"], html).to_item()
    assert item.methods["text"] == "generic"
    assert item.methods["title"] == "selector"
    assert want["title"] not in item.text
    assert want["summary"] not in item.text
    assert "Tổng số điểm" not in item.text
    assert want["text_contains"][0] in item.text


MOIT = """<html lang="vi-VN"><head>
<meta name="description" content="Tóm tắt trong meta.">
<meta property="og:image" content="/upload/2000066/20260901/anh-dai-dien.jpg">
</head><body>
<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc/">Tin tức</a></li>
<li><a href="/tin-tuc/khcn/">Khoa học công nghệ</a></li></ol>
<div class="article-detail">
<meta itemprop="datePublished" content="2026-09-01T07:05:00+07:00">
<h1 class="article-title"> Tiêu đề bài viết </h1>
<div class="article-date">01/09/2026 07:05</div>
<div class="article-brief">Phần tóm tắt của bài.</div>
<div class="article-content"><p>Đoạn thứ nhất của bài viết.</p>
<div class="relatedArticles"><a href="/tin-tuc/khcn/khac.html">Tin khác</a></div>
<p>Đoạn thứ hai.</p></div>
<div class="aritcle-source">Nguồn: Báo Lai Châu</div>
<div class="article-tags">Từ khóa: <a href="/t/1">chuyển đổi số</a><a href="/t/2">dữ liệu</a></div>
</div></body></html>"""


def test_moit_variant() -> None:
    item = _page("https://laichau.gov.vn/tin-tuc/khcn/tieu-de-bai-viet.html", MOIT).to_item()
    assert item.title == "Tiêu đề bài viết"
    assert item.summary == "Phần tóm tắt của bài."
    assert item.text == "Đoạn thứ nhất của bài viết.\n\nĐoạn thứ hai."
    assert item.tags == ["chuyển đổi số", "dữ liệu"]
    assert item.category == "Khoa học công nghệ"
    assert item.credited_outlet == "Báo Lai Châu"  # the label stripped
    assert item.published_at == datetime(2026, 9, 1, 0, 5, tzinfo=UTC)
    assert item.lang == "vi"
    assert item.images[0].url == "https://laichau.gov.vn/upload/2000066/20260901/anh-dai-dien.jpg"
    assert item.methods == {
        "title": "selector", "summary": "selector", "published_at": "meta",
        "tags": "selector", "category": "selector", "credited_outlet": "selector",
        "text": "selector", "images": "meta", "lang": "markup",
    }  # fmt: skip


TYPE2 = """<html><head>
<meta property="og:title" content="Tiêu đề OpenGraph">
<meta name="author" content="laichau.gov.vn">
<meta itemprop="datePublished" content="2026-09-05T08:00:00+07:00">
</head><body>
<article class="news-detail-layout-type-2">
<header><span class="post-date left">{date}</span></header>
<div class="article-content"><div class="block-core-a3"><h1 class="title-detail">Tiêu đề</h1>
<div class="brief"><p></p></div></div>
<div class="block-core-a5"><div class="content-detail" itemprop="articleBody">
<p>Tỉnh Lai Châu đẩy mạnh chuyển đổi số trong các cơ quan nhà nước và doanh nghiệp.</p></div>
<div class="clearfix mt-10"><div class="author pull-right">{author}</div></div>
</div></div></article></body></html>"""


@pytest.mark.parametrize(
    ("author_line", "author", "step"),
    [
        ("Tác giả: <b>Minh Đức</b> <span>| Lượt xem: 1.284</span>", "Minh Đức", "selector"),
        ("Lượt xem: 530", None, None),  # views only; meta author is the site's domain
        ("Bài, ảnh: Lò Văn Thành", "Lò Văn Thành", "selector"),
    ],
)
def test_author_footer(author_line: str, author: str | None, step: str | None) -> None:
    html = TYPE2.format(date="14:30:00 | 05/09/2026", author=author_line)
    item = _page("https://laichau.gov.vn/tin-tuc-su-kien/a/b.html", html).to_item()
    assert item.author == author
    assert item.methods.get("author") == step


def test_post_date_and_empty_brief() -> None:
    html = TYPE2.format(date="14:30:00 | 05/09/2026", author="")
    item = _page("https://laichau.gov.vn/tin-tuc-su-kien/a/b.html", html).to_item()
    assert item.published_at == datetime(2026, 9, 5, 7, 30, tzinfo=UTC)
    assert item.methods["published_at"] == "selector"
    assert item.summary is None  # an empty div.brief and no meta: nothing, not ""
    assert item.lang == "vi" and item.methods["lang"] == "detected"

    date_only = TYPE2.format(date="05/09/2026", author="")
    item = _page("https://laichau.gov.vn/tin-tuc-su-kien/a/b.html", date_only).to_item()
    assert item.published_at == datetime(2026, 9, 5, 1, 0, tzinfo=UTC)  # the meta's time
    assert item.methods["published_at"] == "meta"


def test_unknown_layout_reports_every_fallback() -> None:
    html = """<html><head>
    <meta property="og:title" content="Bài từ OpenGraph">
    <meta property="og:description" content="Mô tả từ OpenGraph.">
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bài từ JSON-LD",
     "datePublished": "2026-09-02T10:00:00+07:00"}</script></head>
    <body><main><h1>Bài từ JSON-LD</h1><p>x</p></main></body></html>"""
    item = _page("https://laichau.gov.vn/tin-tuc-su-kien/a/c.html", html).to_item()
    assert item.title == "Bài từ JSON-LD"
    assert item.methods["title"] == "jsonld"
    assert item.methods["summary"] == "meta"
    assert item.methods["published_at"] == "jsonld"
    assert item.text is None and "missing text" in item.warnings
    assert set(item.selector_fields) >= {"title", "summary", "published_at", "text"}
