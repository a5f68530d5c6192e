"""The OneCMS page object on the real nguoiquansat.vn capture and on the family's variants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import dates
from crawler.extract.dates import parse_date
from crawler.extract.pages.onecms import OneCmsArticlePage, guessed_next_page
from tests.conftest import SAMPLES, nguoiquansat_capture

CAPTURE = SAMPLES / "nguoiquansat.vn"


@pytest.fixture(scope="module")
def capture() -> tuple[str, str]:
    if not CAPTURE.is_dir():
        pytest.fail(f"{CAPTURE} is missing: clone the project with ../shared beside it")
    return nguoiquansat_capture()


@pytest.fixture(scope="module")
def item(capture: tuple[str, str]):  # noqa: ANN201
    url, html = capture
    return OneCmsArticlePage(url, html, source="nguoiquansat").to_item()


def test_real_capture_header_fields(item, capture: tuple[str, str]) -> None:  # noqa: ANN001
    url, _ = capture
    assert url.endswith("-314409.html")
    assert item.title == (
        "Doanh nghiệp cấp nước cho hơn 32 triệu dân tại TP. HCM, Đồng Nai... sắp hoàn thành "
        "nhà máy hơn 1.000 tỷ đồng, biến 500 tấn rác mỗi ngày thành điện"
    )
    assert item.summary == (
        "Doanh nghiệp hiện đầu tư hoặc tham gia quản lý hơn 17 nhà máy nước, góp mặt tại 6 tỉnh "
        "thành, bao gồm TP. HCM, Đồng Nai, Cần Thơ, Tây Ninh, Vĩnh Long, Quảng Trị."
    )
    # "05/09/2026 - 22:17" Vietnam time
    assert item.published_at == datetime(2026, 9, 5, 15, 17, tzinfo=UTC)
    assert item.author == "Minh Phong"
    assert item.tags == ["Nhà máy điện rác", "BWE", "Điện rác", "Xử lý chất thải",
                         "Năng lượng tái tạo"]  # fmt: skip
    assert item.category == "Doanh nghiệp A-Z"  # the last breadcrumb, entities decoded
    assert item.lang == "vi"  # no <head> in the slice: detected from the text
    # the slice has no <head>: no canonical, no meta dates
    assert item.canonical_url is None and item.modified_at is None


def test_real_capture_credits_the_original_outlet_and_url(item) -> None:  # noqa: ANN001
    assert item.credited_outlet == "Kiến thức Đầu tư"  # "Theo " dropped
    assert item.credited_url == (
        "https://dautu.kinhtechungkhoan.vn/doanh-nghiep-cap-nuoc-cho-hon-32-trieu-dan-tai-tp-"
        "hcm-dong-nai-sap-hoan-thanh-nha-may-dien-rac-hon-1-000-ty-dong-bien-500-tan-rac-moi-"
        "ngay-thanh-dien-1464830.html"
    )


def test_real_capture_body_without_header_ads_related_or_widgets(item) -> None:  # noqa: ANN001
    text = item.text
    assert text.startswith("Nhà máy điện rác BIWASE do CTCP - Tổng Công ty Nước")
    assert text.endswith("(Theo số liệu từ Tổng điều tra kinh tế năm 2025)")  # highlight box
    assert "Qua đó, dự án không chỉ xử lý chất thải" in text  # the paragraph after the ad box
    assert text.count("\n\n") == 15  # 15 paragraphs and the highlight box
    for noise in (
        item.title,  # the header block sits inside article.entry
        item.summary,
        "Minh Phong",
        "05/09/2026",
        "Bài liên quan",
        "Nhà máy điện rác lớn nhất miền Trung chính thức khởi công",  # a related post
        "Theo Kiến thức Đầu tư",
        "Link bài gốc",
        "dautu.kinhtechungkhoan.vn",
        "Chia sẻ",
        "Góp ý",
        "Tags:",
        "Năng lượng tái tạo",
        "zone-40",
        "show()",
    ):
        assert noise not in text, noise
    for caption in (image.caption for image in item.images):
        assert caption not in text


def test_real_capture_images_keep_their_captions(item) -> None:  # noqa: ANN001
    assert [(i.url.rsplit("/", 1)[-1], i.caption) for i in item.images] == [
        ("56D6_ky-su-lilama-18-lap-dat-thiet-bi-lo-hoi-cua-nha-may-dien-rac-biwase..jpg",
         "Kỹ sư LILAMA 18 lắp đặt thiết bị lò hơi của nhà máy điện rác BIWASE "
         "(Nguồn: Bộ Xây dựng)"),
        ("439F_du-kien-nha-may-dien-rac-biwase-se-van-hanh-trong-thang-122026..jpg",
         "Dự kiến, nhà máy điện rác BIWASE sẽ vận hành trong tháng 12/2026 "
         "(Nguồn: Bộ Xây dựng)"),
    ]  # fmt: skip
    assert all(i.url.startswith("https://nqs.1cdn.vn/2026/09/05/") for i in item.images)


def test_real_capture_records_each_step(item) -> None:  # noqa: ANN001
    assert item.methods == {
        "title": "selector", "summary": "selector", "published_at": "selector",
        "author": "selector", "tags": "selector", "category": "selector",
        "credited_outlet": "selector", "credited_url": "selector",
        "text": "selector", "images": "selector", "lang": "detected",
    }  # fmt: skip
    assert set(item.selector_fields) >= {"title", "summary", "published_at", "text"}
    assert item.warnings == []


def test_real_capture_sanitized_html(item) -> None:  # noqa: ANN001
    body = item.body_html
    assert "<figcaption>" in body and "<p>Nhà máy điện rác BIWASE" in body
    for banned in ("<script", "oneads", "c-box", "sc-longform-header", "style=", "onclick"):
        assert banned not in body


# -- the date format of the article header ------------------------------------------------------


def test_header_date_format_is_an_exact_format(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fuzzy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("dateparser was needed")

    monkeypatch.setattr(dates, "_parse_fuzzy", no_fuzzy)
    assert parse_date("05/09/2026 - 22:17") == datetime(2026, 9, 5, 15, 17, tzinfo=UTC)
    assert parse_date(" 5/9/2026 - 08:05 ") == datetime(2026, 9, 5, 1, 5, tzinfo=UTC)
    # the meta format of the same CMS (month first, 12-hour)
    assert parse_date("9/5/2026 10:17:01 PM") == datetime(2026, 9, 5, 15, 17, 1, tzinfo=UTC)


# -- variants and fallbacks ---------------------------------------------------------------------

URL = "https://baolamdong.vn/thu-nghiem-ban-do-so-386001.html"
HEAD = """<html><head>
<meta property="og:title" content="Tiêu đề OpenGraph">
<meta name="description" content="Tóm tắt từ meta">
<meta property="article:published_time" content="9/6/2026 7:05:00 AM">
<meta property="article:author" content="Lâm Anh">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tiêu đề JSON-LD",
 "description": "Tóm tắt JSON-LD"}</script>
</head><body>"""
BREADCRUMB = """<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Trang chủ</a></li>
<li class="breadcrumb-item active"><a href="/cong-nghe-chuyen-doi-so">Công nghệ - Chuyển đổi số</a>
</li></ol>"""
ENTRY = """<article class="entry"><p>Tỉnh đưa bản đồ số vào quản lý đất đai.</p>
<div class="c-box"><div class="oneads" id="zone-1"><script>x()</script></div></div>
<p>Người dân tra cứu thông tin thửa đất trên điện thoại.</p></article>"""


def test_older_detail_head_template() -> None:
    html = (
        HEAD
        + '<div class="c-detail-head">'
        + BREADCRUMB
        + '<h1 class="c-detail-head__title">Thử nghiệm bản đồ số</h1>'
        + '<span class="c-detail-head__author">Ngọc Lan</span>'
        + '<span class="c-detail-head__time">06-09-2026 07:05</span></div>'
        + ENTRY
        + "</body></html>"
    )
    item = OneCmsArticlePage(URL, html, source="baolamdong").to_item()
    assert item.title == "Thử nghiệm bản đồ số"
    assert item.published_at == datetime(2026, 9, 6, 0, 5, tzinfo=UTC)
    assert item.author == "Ngọc Lan"
    assert item.category == "Công nghệ - Chuyển đổi số"
    assert item.summary == "Tóm tắt JSON-LD"  # no lead selector in this template
    assert item.text == (
        "Tỉnh đưa bản đồ số vào quản lý đất đai.\n\n"
        "Người dân tra cứu thông tin thửa đất trên điện thoại."
    )
    assert item.methods["title"] == "selector"
    assert item.methods["published_at"] == "selector"
    assert item.methods["author"] == "selector"
    assert item.methods["summary"] == "jsonld"


def test_unknown_theme_falls_back_field_by_field() -> None:
    """A baolamdong theme unlike nguoiquansat's: every field from JSON-LD or meta."""
    html = HEAD + '<div class="main"><p>Không có khối bài viết quen thuộc.</p></div></body></html>'
    item = OneCmsArticlePage(URL, html, source="baolamdong").to_item()
    assert item.title == "Tiêu đề JSON-LD"
    assert item.summary == "Tóm tắt JSON-LD"
    assert item.published_at == datetime(2026, 9, 6, 0, 5, tzinfo=UTC)  # "M/D/YYYY h:mm AM"
    assert item.author == "Lâm Anh"
    assert item.methods["title"] == "jsonld"
    assert item.methods["published_at"] == "meta"
    assert item.methods["author"] == "meta"
    assert item.methods.get("text") != "selector"


def test_category_from_the_header_when_breadcrumb_is_only_home() -> None:
    html = (
        HEAD
        + '<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Trang chủ</a></li></ol>'
        + '<article class="entry"><div class="sc-longform-header">'
        + '<span class="sc-longform-header-cate">Chuyển đổi số</span>'
        + '<h1 class="sc-longform-header-title">Tiêu đề</h1></div><p>Nội dung.</p></article>'
        + "</body></html>"
    )
    item = OneCmsArticlePage(URL, html, source="baolamdong").to_item()
    assert item.category == "Chuyển đổi số"
    assert item.methods["category"] == "selector"
    assert item.text == "Nội dung."


def _with_source_box(box: str, entry: str = ENTRY) -> str:
    return HEAD + entry + f'<div class="c-author-page">{box}</div></body></html>'


def test_source_box_without_theo_and_with_a_link() -> None:
    box = (
        '<span class="js-source-copy"><span>Báo Nhân Dân</span></span>'
        "<div><label>Link bài gốc</label>"
        '<a href="https://nhandan.vn/ban-do-so-post123.html">nhandan.vn</a></div>'
    )
    item = OneCmsArticlePage(URL, _with_source_box(box), source="baolamdong").to_item()
    assert item.credited_outlet == "Báo Nhân Dân"
    assert item.credited_url == "https://nhandan.vn/ban-do-so-post123.html"


def test_source_box_pointing_at_the_site_itself_is_not_an_original() -> None:
    box = (
        '<span class="js-source-copy"><span>Theo Báo Lâm Đồng</span></span>'
        f'<span id="url-copy"> {URL} </span>'
    )
    item = OneCmsArticlePage(URL, _with_source_box(box), source="baolamdong").to_item()
    assert item.credited_outlet == "Báo Lâm Đồng"
    assert item.credited_url is None


def test_credit_line_in_the_body_when_there_is_no_source_box() -> None:
    entry = ENTRY.replace(
        "</article>",
        '<p style="text-align: right;"><strong>Nguồn: https://vietnamplus.vn/a-123.vnp</strong>'
        "</p></article>",
    )
    item = OneCmsArticlePage(URL, HEAD + entry + "</body></html>", source="baolamdong").to_item()
    assert item.credited_outlet == "vietnamplus.vn"
    assert item.credited_url == "https://vietnamplus.vn/a-123.vnp"
    assert item.methods["credited_outlet"] == "credit"
    assert item.methods["credited_url"] == "credit"


def test_own_article_credits_nobody() -> None:
    item = OneCmsArticlePage(URL, HEAD + ENTRY + "</body></html>", source="baolamdong").to_item()
    assert item.credited_outlet is None and item.credited_url is None


# -- listing pagination ------------------------------------------------------------------------

LISTING = """<html><body><ul class="onecms__loading">
<li class="article__loading"><h3 class="b-grid__title"><a href="/a-386001.html">A</a></h3></li>
</ul>{more}</body></html>"""
JS_MORE = '<div class="c-more onecms__loadmore"><a href="javascript:;">Xem thêm</a></div>'


def test_guessed_next_page_when_load_more_has_no_link() -> None:
    base = "https://baolamdong.vn/cong-nghe-chuyen-doi-so"
    html = LISTING.format(more=JS_MORE)
    assert guessed_next_page(html, base) == base + "?page=2"
    assert guessed_next_page(html, base + "?page=2") == base + "?page=3"


def test_no_guess_without_items_or_without_load_more() -> None:
    base = "https://baolamdong.vn/cong-nghe-chuyen-doi-so"
    assert guessed_next_page(LISTING.format(more=""), base) is None
    empty = '<html><body><ul class="onecms__loading"></ul>' + JS_MORE + "</body></html>"
    assert guessed_next_page(empty, base + "?page=3") is None
