"""Page objects made from config entries: selectors where the entry gives them, the shared
fallbacks and the generic extractor where it does not, and the step recorded per field."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from crawler.extract.page import ArticlePage
from crawler.extract.pages.configured import ConfiguredArticlePage, page_class
from tests.conftest import FIXTURE_SITES, ROOT

REDESIGNED = ROOT / "tests" / "fixtures" / "sites-redesigned"
KHCN = "khcn-thu-nghiem.test"
# The fixture entry's selectors, as tests/fixtures/portal_sites.toml gives them.
KHCN_SELECTORS = {
    "title": "h1.news-detail__title",
    "summary": ".news-detail__sapo",
    "published_at": ".news-detail__date",
    "author": ".news-detail__author",
    "tags": ".news-detail__tags a",
    "category": ".breadcrumbs a",
    "content": ".news-detail__content",
    "drop": (".news-detail__related", ".share-box"),
    "listing_links": ".news-item .news-item__title a",
    "next_page": ".paging a.paging__next",
}

PARAGRAPHS = [
    "Tỉnh vừa đưa vào sử dụng nền tảng số quản lý đề tài nghiên cứu, cho phép các tổ chức chủ "
    "trì nộp hồ sơ, báo cáo tiến độ và nhận kết quả thẩm định hoàn toàn trực tuyến.",
    "Nền tảng kết nối với cơ sở dữ liệu quốc gia về khoa học và công nghệ để tránh trùng lặp "
    "đề tài, đồng thời công khai danh mục nhiệm vụ đang thực hiện cho doanh nghiệp tra cứu.",
    "Sở Khoa học và Công nghệ sẽ tổ chức tập huấn sử dụng nền tảng cho cán bộ quản lý khoa "
    "học của các sở, ngành và trường đại học trong tháng tới.",
]


def page_html(*, classes: bool = True, jsonld: bool = True, meta: bool = True,
              h1s: int = 1, time: str = "") -> str:  # fmt: skip
    """An article page; ``classes=False`` renames every class the selectors name."""
    c = {  # noqa: N806 - the class names of the "original" layout, or renamed ones
        k: (v if classes else f"x-{k}")
        for k, v in {
            "title": "tieu-de",
            "sapo": "sapo",
            "date": "ngay",
            "author": "tac-gia",
            "body": "noi-dung",
            "tags": "tu-khoa",
            "crumbs": "duong-dan",
            "related": "lien-quan",
        }.items()  # fmt: skip
    }
    head = ["<title>Nền tảng số quản lý đề tài - Cổng thông tin tỉnh</title>"]
    if meta:
        head += [
            '<meta property="og:title" content="Nền tảng số quản lý đề tài (og)">',
            '<meta property="og:description" content="Tóm tắt trong thẻ meta.">',
            '<meta property="article:published_time" content="2026-09-05T14:30:00+07:00">',
            '<meta property="og:image" content="https://portal.test/img/og.jpg">',
        ]
    if jsonld:
        data = {"@type": "NewsArticle", "headline": "Nền tảng số quản lý đề tài (JSON-LD)",
                "description": "Tóm tắt trong JSON-LD.", "author": {"name": "Ban biên tập"},
                "datePublished": "2026-09-05T14:35:00+07:00", "keywords": "số hóa, đề tài"}  # fmt: skip
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    extra_h1 = '<h1 class="logo">Cổng thông tin tỉnh</h1>' * (h1s - 1)
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<html lang="vi"><head>{"".join(head)}</head><body>
<header>{extra_h1}<nav><a href="/">Trang chủ</a> <a href="/tin-tuc/">Tin tức</a></nav></header>
<main><article>
<div class="{c["crumbs"]}"><a href="/">Trang chủ</a><a href="/khcn/">Khoa học - Công nghệ</a></div>
<h1 class="{c["title"]}">Nền tảng số quản lý đề tài nghiên cứu</h1>
<div class="thong-tin">{time}<span class="{c["date"]}">05/09/2026 14:20</span>
<span class="{c["author"]}">Lê Minh</span></div>
<div class="{c["sapo"]}">Tóm tắt trên trang.</div>
<div class="{c["body"]}">{body}
<figure><img src="/img/a.jpg" alt="Nền tảng số"><figcaption>Giao diện nền tảng số</figcaption></figure>
<div class="{c["related"]}"><a href="/tin-tuc/khac-1.html">Tin liên quan khác</a></div></div>
<div class="{c["tags"]}"><a href="/t/1">số hóa</a><a href="/t/2">đề tài</a></div>
</article></main><footer>Bản quyền thuộc về cổng thông tin tỉnh.</footer></body></html>"""


SELECTORS = {"title": "h1.tieu-de", "summary": ".sapo", "published_at": ".ngay",
             "author": ".tac-gia", "tags": ".tu-khoa a", "category": ".duong-dan a",
             "content": ".noi-dung", "drop": (".lien-quan",)}  # fmt: skip
URL = "https://portal.test/tin-tuc/nen-tang-so-123.html"


def item(selectors: dict, html: str, key: str = "thu-nghiem"):  # noqa: ANN201
    return page_class(selectors, key)(URL, html, source=key).to_item()


# -- the page class ------------------------------------------------------------------------------


def test_page_class_carries_the_entry_selectors() -> None:
    cls = page_class(KHCN_SELECTORS, "khcn-thu-nghiem")
    assert issubclass(cls, ConfiguredArticlePage) and issubclass(cls, ArticlePage)
    assert cls.__name__ == "ConfiguredPage_khcn_thu_nghiem"
    assert (cls.TITLE_CSS, cls.CONTENT_CSS) == ("h1.news-detail__title", ".news-detail__content")
    assert cls.DROP_CSS == (".news-detail__related", ".share-box")
    assert cls.SITE_KEY == "khcn-thu-nghiem"
    page = cls(URL, "<html></html>", source="khcn-thu-nghiem")
    assert page.selector_fields() == ("title", "summary", "published_at", "author", "tags",
                                      "category", "text")  # fmt: skip


def test_classes_of_different_entries_do_not_share_selectors() -> None:
    with_title = page_class({"title": "h1.a"}, "a")
    without = page_class({}, "b")
    assert with_title.TITLE_CSS == "h1.a" and without.TITLE_CSS is None
    assert ConfiguredArticlePage.TITLE_CSS is None
    assert without(URL, "", source="b").selector_fields() == ()
    assert with_title(URL, "", source="a").selector_fields() == ("title",)


def test_drop_as_a_single_selector_and_lists_elsewhere() -> None:
    cls = page_class({"content": ".noi-dung", "drop": ".lien-quan", "tags": (".a", ".b")})
    assert cls.DROP_CSS == (".lien-quan",)
    assert cls.TAGS_CSS == ".a, .b"


# -- with selectors ------------------------------------------------------------------------------


def test_fields_with_selectors_are_read_by_them() -> None:
    it = item(SELECTORS, page_html())
    assert it.title == "Nền tảng số quản lý đề tài nghiên cứu"
    assert it.summary == "Tóm tắt trên trang."
    assert it.published_at == datetime(2026, 9, 5, 7, 20, tzinfo=UTC)  # the page, not meta
    assert it.author == "Lê Minh"
    assert it.tags == ["số hóa", "đề tài"]
    assert it.category == "Khoa học - Công nghệ"
    assert it.text == "\n\n".join(PARAGRAPHS)  # related box dropped, caption kept apart
    assert [asdict(i) for i in it.images] == [
        {"url": "https://portal.test/img/a.jpg", "caption": "Giao diện nền tảng số"}
    ]
    for field in ("title", "summary", "published_at", "author", "tags", "category", "text"):
        assert it.methods[field] == "selector", field
    assert it.selector_fields == ("title", "summary", "published_at", "author", "tags",
                                  "category", "text")  # fmt: skip
    assert it.warnings == []


def test_selectors_that_stop_matching_fall_back_field_by_field() -> None:
    it = item(SELECTORS, page_html(classes=False))
    assert (it.title, it.methods["title"]) == ("Nền tảng số quản lý đề tài (JSON-LD)", "jsonld")
    assert (it.summary, it.methods["summary"]) == ("Tóm tắt trong JSON-LD.", "jsonld")
    assert it.published_at == datetime(2026, 9, 5, 7, 30, tzinfo=UTC)
    assert it.methods["published_at"] == "meta"
    assert (it.author, it.methods["author"]) == ("Ban biên tập", "jsonld")
    assert it.methods["text"] == "generic"
    assert it.text == "\n\n".join(PARAGRAPHS)
    # still judged on its selectors: health counts these as fallbacks
    assert "title" in it.selector_fields and "text" in it.selector_fields


def test_a_partial_entry_mixes_selectors_and_fallbacks() -> None:
    it = item({"title": "h1.tieu-de"}, page_html())
    assert it.methods["title"] == "selector"
    assert it.methods["summary"] == "jsonld" and it.methods["text"] == "generic"
    assert it.selector_fields == ("title",)


# -- without selectors ---------------------------------------------------------------------------


def test_without_selectors_jsonld_meta_and_the_generic_extractor_answer() -> None:
    it = item({}, page_html())
    assert it.selector_fields == ()
    assert it.methods == {
        "title": "jsonld", "summary": "jsonld", "published_at": "meta", "author": "jsonld",
        "tags": "jsonld", "text": "generic", "images": "generic", "lang": "markup",
    }  # fmt: skip
    assert it.text == "\n\n".join(PARAGRAPHS)
    # trafilatura keeps the image but drops its caption; the page still has it
    assert [asdict(i) for i in it.images] == [
        {"url": "https://portal.test/img/a.jpg", "caption": "Giao diện nền tảng số"}
    ]
    assert "Giao diện nền tảng số" not in it.text


def test_meta_answers_without_jsonld() -> None:
    it = item({}, page_html(jsonld=False))
    assert (it.title, it.methods["title"]) == ("Nền tảng số quản lý đề tài (og)", "meta")
    assert (it.summary, it.methods["summary"]) == ("Tóm tắt trong thẻ meta.", "meta")


def test_the_only_h1_comes_before_the_document_title() -> None:
    it = item({}, page_html(jsonld=False, meta=False))
    assert it.title == "Nền tảng số quản lý đề tài nghiên cứu"
    assert it.methods["title"] == "markup"
    two = item({}, page_html(jsonld=False, meta=False, h1s=2))
    assert two.title == "Nền tảng số quản lý đề tài - Cổng thông tin tỉnh"  # <title>
    assert two.methods["title"] == "markup"


@pytest.mark.parametrize(
    "time",
    [
        '<time itemprop="datePublished" datetime="2026-09-05T14:10:00+07:00">5/9</time>',
        '<time pubdate datetime="2026-09-05T07:10:00Z">5/9</time>',
        '<time datetime="2026-09-05 14:10">14:10</time>',
    ],
)
def test_a_marked_up_date_answers_when_meta_and_jsonld_do_not(time: str) -> None:
    it = item({}, page_html(jsonld=False, meta=False, time=time))
    assert it.published_at == datetime(2026, 9, 5, 7, 10, tzinfo=UTC)
    assert it.methods["published_at"] == "markup"


def test_no_date_anywhere_is_a_warning_not_a_guess() -> None:
    it = item({}, page_html(jsonld=False, meta=False))
    assert it.published_at is None and "published_at" not in it.methods
    assert "missing published_at" in it.warnings


# -- the fixture sites ---------------------------------------------------------------------------


def _fixture(root, host: str):  # noqa: ANN001, ANN202
    data = json.loads((root / host / "_expected.json").read_text("utf-8"))
    for want in data["articles"]:
        path = want["url"].split(host, 1)[1].lstrip("/")
        yield want, (root / host / path).read_text("utf-8")


@pytest.mark.parametrize("root", [FIXTURE_SITES, REDESIGNED], ids=["original", "redesigned"])
def test_fixture_pages_as_their_expected_files_say(root) -> None:  # noqa: ANN001
    cls = page_class(KHCN_SELECTORS, "khcn-thu-nghiem")
    checked = 0
    for want, html in _fixture(root, KHCN):
        it = cls(want["url"], html, source="khcn-thu-nghiem").to_item()
        got = {"title": it.title, "summary": it.summary, "author": it.author, "tags": it.tags,
               "category": it.category, "text": it.text,
               "published_at": it.published_at.isoformat(),
               "images": [asdict(i) for i in it.images]}  # fmt: skip
        assert got == {k: want[k] for k in got}, want["url"]
        assert {f: it.methods.get(f) for f in want["extraction"]} == want["extraction"]
        checked += 1
    assert checked >= 5
