"""The Liferay page object (Tạp chí Cộng sản): URL shapes, lead signatures, the review's date
format, ordered selector guesses, the lead inside the body, editor image tables, canonical
links and the language of each edition.

No capture of the real markup exists (site-notes: selectors NOT FOUND); the pages below are
small hand-made variants of Liferay markup, plus one generated fixture page read end to end.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from crawler.extract.pages.liferay import (
    ARTICLE_PATH,
    LiferayArticlePage,
    clean_article_url,
    review_date,
    split_signature,
)
from tests.conftest import FIXTURE_SITES

ORIGIN = "https://www.tapchicongsan.org.vn"
ARTICLE = f"{ORIGIN}/khoa-hoc-cong-nghe/-/2018/1046999/bai-thu-nghiem.aspx"
EN_ARTICLE = f"{ORIGIN}/en_US/web/guest/focus/-/2018/1046998/a-test-article.aspx"

VI_TEXT = (
    "Chuyển đổi số trong cơ quan nhà nước đòi hỏi hạ tầng dữ liệu đồng bộ, đội ngũ cán bộ có "
    "kỹ năng số và quy trình nghiệp vụ được thiết kế lại từ đầu. Nhiều địa phương đã kết nối "
    "cơ sở dữ liệu dân cư với hệ thống giải quyết thủ tục hành chính, giúp người dân không phải "
    "khai báo lại thông tin đã có. Tuy vậy, dữ liệu chuyên ngành vẫn phân tán và thiếu chuẩn "
    "chung, nên cần một khung quản trị dữ liệu thống nhất cho toàn bộ hệ thống chính trị."
)
EN_TEXT = (
    "Digital transformation in public agencies needs shared data infrastructure, staff with "
    "digital skills and business processes redesigned from the ground up. Many provinces have "
    "linked the population database with their administrative procedure systems, so citizens "
    "no longer declare information the State already holds. Sector data, however, remain "
    "scattered and lack common standards, which calls for a single data governance framework."
)


def page(body: str, *, head: str = "", lang: str | None = "vi-VN") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<html{lang_attr}><head>{head}</head><body>{body}</body></html>"


def news(title: str = "Tiêu đề bài viết", sapo: str = "TCCS - Tóm tắt bài viết.",
         date: str = "10:22, 04-09-2026", text: str = VI_TEXT) -> str:  # fmt: skip
    """The web-content template the page object guesses first."""
    return (
        '<div id="main-content"><div class="journal-content-article"><div class="tccs-detail">'
        f'<h1 class="article-title">{title}</h1><div class="article-date">{date}</div>'
        f'<div class="article-sapo"><p><strong>{sapo}</strong></p></div>'
        f'<div class="article-body"><p>{text}</p></div></div></div></div>'
    )


def item(html: str, url: str = ARTICLE):  # noqa: ANN201
    return LiferayArticlePage(url, html, source="tapchicongsan").to_item()


# -- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        # shapes seen in public links to the site (site-notes [C])
        f"{ORIGIN}/web/guest/kinh-te/-/2018/910402/chinh-sach-cong-nghiep-xanh.aspx",
        f"{ORIGIN}/hoat-ong-cua-lanh-ao-ang-nha-nuoc/-/2018/1690/mo-hinh%2C-muc-tieu.aspx",
        f"{ORIGIN}/van_hoa_xa_hoi/-/2018/52474/view_content",
        f"{ORIGIN}/en_US/web/guest/dang-uy-khoi-doanh-nghiep-trung-uong/-/2018/826621/view_content",
        f"{ORIGIN}/media-story/-/asset_publisher/V8hhp4dK31Gf/content/dot-pha-ve-khoa-hoc",
        f"{ORIGIN}/web/guest/dau-tranh/chi-tiet/-/asset_publisher/YqSB2JpnYto9/content/gia-tri",
        f"{ORIGIN}/web/english/focus/detail/-/asset_publisher/FMhwM2oQCZEZ/content/striving",
        EN_ARTICLE,
    ],
)
def test_article_path_matches_both_editions(url: str) -> None:
    assert ARTICLE_PATH.match(urlsplit(url).path)


@pytest.mark.parametrize(
    "url",
    [
        f"{ORIGIN}/web/guest/khoa-hoc-cong-nghe",
        f"{ORIGIN}/en_US/web/guest/science-technology",
        f"{ORIGIN}/web/guest",
        f"{ORIGIN}/documents/20182/190506806/anh.jpeg/cfd84f6f-d009-475c-ab7a-d61ce08a29ac",
        f"{ORIGIN}/image/journal/article",
        f"{ORIGIN}/web/guest/khoa-hoc-cong-nghe/-/2018/1046201/",
    ],
)
def test_article_path_rejects_other_pages(url: str) -> None:
    assert not ARTICLE_PATH.match(urlsplit(url).path)


def test_clean_article_url_drops_liferay_navigation_only() -> None:
    redirect = "https%3A%2F%2Fwww.tapchicongsan.org.vn%2Fweb%2Fguest%2Fkhoa-hoc-cong-nghe"
    url = f"{EN_ARTICLE}?inheritRedirect=false&redirect={redirect}"
    assert clean_article_url(url) == EN_ARTICLE
    assert clean_article_url(f"{EN_ARTICLE}?redirect=x&page=2") == f"{EN_ARTICLE}?page=2"
    assert clean_article_url(EN_ARTICLE) == EN_ARTICLE


# -- leads and dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "outlet", "rest"),
    [
        ("TCCS - Sáng 4/9, tại Hà Nội.", "TCCS", "Sáng 4/9, tại Hà Nội."),
        ("TCCS – Chuyển đổi số là xu thế.", "TCCS", "Chuyển đổi số là xu thế."),
        ("Communist Review - On 4 September, in Ha Noi.", "Communist Review",
         "On 4 September, in Ha Noi."),
        ("Revista Comunista - La unidad nacional.", "Revista Comunista", "La unidad nacional."),
        ("(Chinhphu.vn) - Chính phủ ban hành.", "Chinhphu.vn", "Chính phủ ban hành."),  # shared
        ("Communist Review is the Party's theoretical journal.", None,
         "Communist Review is the Party's theoretical journal."),
        ("TCCS - ", None, "TCCS - "),  # a signature with nothing after it is not a lead
        (None, None, None),
    ],
)  # fmt: skip
def test_split_signature(lead: str | None, outlet: str | None, rest: str | None) -> None:
    assert split_signature(lead) == (outlet, rest)


@pytest.mark.parametrize(
    "text",
    ["10:22, 04-09-2026", "10:22 04-09-2026", "10:22:00, 04-09-2026", "04/09/2026 10:22",
     "Thứ Sáu, 10:22, 04-09-2026"],
)  # fmt: skip
def test_review_date(text: str) -> None:
    assert review_date(text) == datetime(2026, 9, 4, 3, 22, tzinfo=UTC)


def test_review_date_without_a_date() -> None:
    assert review_date(None) is None
    assert review_date("Tạp chí Cộng sản") is None


# -- fields -------------------------------------------------------------------------------------


def test_template_fields_and_signature() -> None:
    got = item(page(news()))
    assert got.title == "Tiêu đề bài viết"
    assert got.summary == "Tóm tắt bài viết."
    assert got.credited_outlet == "TCCS"
    assert got.published_at == datetime(2026, 9, 4, 3, 22, tzinfo=UTC)
    assert got.text == VI_TEXT
    assert got.lang == "vi"
    assert {k: got.methods[k] for k in ("title", "summary", "published_at", "text", "lang")} == {
        "title": "selector", "summary": "selector", "published_at": "selector",
        "text": "selector", "lang": "markup",
    }  # fmt: skip
    assert got.methods["credited_outlet"] == "lead"
    assert set(LiferayArticlePage(ARTICLE, "", source="t").selector_fields()) >= {
        "title",
        "summary",
        "published_at",
        "text",
    }


def test_english_signature_is_stripped_and_kept_as_outlet() -> None:
    html = page(news("A title", "Communist Review - The lead.", text=EN_TEXT), lang="en-US")
    got = item(html, EN_ARTICLE)
    assert got.summary == "The lead."
    assert got.credited_outlet == "Communist Review"
    assert got.lang == "en"


def test_alternatives_are_tried_in_order_not_in_document_order() -> None:
    # A sidebar portlet with stock classes comes first in the document; the article's own
    # header (a more specific guess) must still win.
    sidebar = (
        '<div class="asset-full-content"><h3 class="asset-title">Bài đọc nhiều</h3></div>'
        '<div class="journal-content-article">Đặt mua tạp chí</div>'
    )
    main = (
        '<div class="taglib-header"><h3 class="header-title"><span>Tiêu đề thật</span></h3></div>'
        f'<div class="asset-full-content"><div class="journal-content-article"><p>{VI_TEXT}</p>'
        "</div></div>"
    )
    got = item(page(f'<div id="main-content">{sidebar}{main}</div>'))
    assert got.title == "Tiêu đề thật"
    assert got.text == VI_TEXT


def test_content_is_the_longest_journal_article_with_enough_text() -> None:
    banner = '<div class="journal-content-article"><p>Đặt mua Tạp chí Cộng sản năm 2027</p></div>'
    article = f'<div class="journal-content-article"><p>{VI_TEXT}</p></div>'
    got = item(page(f'<div id="main-content">{banner}{article}{banner}</div>'))
    assert got.text == VI_TEXT
    assert got.methods["text"] == "selector"


def test_only_banners_is_no_content_and_the_generic_extractor_answers() -> None:
    banner = '<div class="journal-content-article"><p>Đặt mua Tạp chí Cộng sản năm 2027</p></div>'
    story = "".join(f"<p>{VI_TEXT}</p>" for _ in range(2))
    html = page(
        f'<div id="main-content">{banner}<article class="story"><h1>Tiêu đề</h1>{story}'
        "</article></div>",
        head='<meta property="og:title" content="Tiêu đề">',
    )
    got = item(html)
    assert got.methods["text"] == "generic"
    assert "Chuyển đổi số trong cơ quan nhà nước" in got.text
    assert "Đặt mua" not in got.text


def test_signed_first_paragraph_is_the_lead_and_leaves_the_body() -> None:
    # Liferay's stock asset publisher: no sapo element; the author block is template furniture
    body = (
        '<div id="main-content"><div class="asset-full-content"><div class="asset-content">'
        '<div class="journal-content-article">'
        '<div class="article-author"><p class="author-name">TS. Lê Thu Hằng</p></div>'
        "<p><strong>TCCS - Dữ liệu là tư liệu sản xuất mới.</strong></p>"
        f"<p>{VI_TEXT}</p></div>"
        '<div class="taglib-asset-links"><h2>Nội dung liên quan:</h2><ul><li><a href="/x">'
        "Bài khác</a></li></ul></div></div></div></div>"
    )
    got = item(page(body))
    assert got.summary == "Dữ liệu là tư liệu sản xuất mới."
    assert got.methods["summary"] == "selector"
    assert got.credited_outlet == "TCCS"
    assert got.author == "TS. Lê Thu Hằng"
    assert got.text == VI_TEXT  # no lead, no author, no related assets


def test_unsigned_first_paragraph_stays_in_the_body() -> None:
    body = (
        '<div class="asset-full-content"><div class="journal-content-article">'
        f"<p>Mở đầu không có chữ ký.</p><p>{VI_TEXT}</p></div></div>"
    )
    got = item(page(body, head='<meta name="description" content="TCCS - Tóm tắt.">'))
    assert got.text.startswith("Mở đầu không có chữ ký.")
    assert (got.summary, got.methods["summary"]) == ("Tóm tắt.", "meta")


def test_editor_image_table_becomes_a_figure_with_its_caption() -> None:
    table = (
        '<table class="image"><tbody><tr><td><img src="/documents/20182/1/a.jpg/u?t=1"></td></tr>'
        "<tr><td><em>Hội thảo về dữ liệu mở _Ảnh: TTXVN</em></td></tr></tbody></table>"
    )
    data = "<table><tr><td>Năm</td></tr><tr><td>2025</td></tr><tr><td>2026</td></tr></table>"
    got = item(page(news(text=f"{VI_TEXT}</p>{table}{data}<p>Đoạn cuối.")))
    assert [(i.url, i.caption) for i in got.images] == [
        (f"{ORIGIN}/documents/20182/1/a.jpg/u?t=1", "Hội thảo về dữ liệu mở _Ảnh: TTXVN")
    ]
    assert "Hội thảo về dữ liệu mở" not in got.text
    assert "<figcaption>Hội thảo về dữ liệu mở _Ảnh: TTXVN</figcaption>" in got.body_html
    assert "2025" in got.text and got.text.endswith("Đoạn cuối.")  # a data table is kept


def test_date_without_time_defers_to_meta() -> None:
    head = '<meta property="article:published_time" content="2026-09-04T10:22:00+07:00">'
    got = item(page(news(date="04-09-2026"), head=head))
    assert got.published_at == datetime(2026, 9, 4, 3, 22, tzinfo=UTC)
    assert got.methods["published_at"] == "meta"


def test_category_is_the_breadcrumb_past_home() -> None:
    crumbs = '<ul class="breadcrumb"><li><a href="/web/guest">Trang chủ</a></li>{}</ul>'
    section = '<li><a href="/web/guest/khoa-hoc-cong-nghe">Khoa học - Công nghệ</a></li>'
    assert item(page(crumbs.format(section) + news())).category == "Khoa học - Công nghệ"
    assert item(page(crumbs.format("") + news())).category is None  # home alone says nothing


def test_canonical_naming_the_section_page_is_ignored() -> None:
    section = f'<link rel="canonical" href="{ORIGIN}/web/guest/thoi-su">'
    og_url = f'<meta property="og:url" content="{ARTICLE}">'
    got = item(page(news(), head=section + og_url))
    assert (got.canonical_url, got.methods["canonical_url"]) == (ARTICLE, "meta")
    got = item(page(news(), head=section))
    assert got.canonical_url is None and "canonical_url" not in got.methods
    own = f'<link rel="canonical" href="{ARTICLE}">'
    assert item(page(news(), head=own)).methods["canonical_url"] == "markup"


# -- language -----------------------------------------------------------------------------------


def lang_of(html: str, url: str) -> tuple[str | None, str | None]:
    got = item(html, url)
    return got.lang, got.methods.get("lang")


def test_english_page_declared_by_markup() -> None:
    assert lang_of(page(news(text=EN_TEXT), lang="en-US"), EN_ARTICLE) == ("en", "markup")


def test_english_page_declared_by_og_locale_only() -> None:
    html = page(news(text=EN_TEXT), lang=None, head='<meta property="og:locale" content="en_US">')
    assert lang_of(html, EN_ARTICLE) == ("en", "meta")


def test_without_metadata_the_url_answers() -> None:
    assert lang_of(page(news(text=EN_TEXT), lang=None), EN_ARTICLE) == ("en", "url")
    english_site = f"{ORIGIN}/web/english/focus/detail/-/asset_publisher/Ab12/content/a-test"
    assert lang_of(page(news(text=EN_TEXT), lang=None), english_site) == ("en", "url")


def test_without_metadata_or_url_the_text_answers() -> None:
    assert lang_of(page(news(text=EN_TEXT), lang=None), ARTICLE) == ("en", "detected")
    assert lang_of(page(news(text=VI_TEXT), lang=None), ARTICLE) == ("vi", "detected")


def test_untranslated_content_under_en_us_is_stored_as_vietnamese() -> None:
    # Liferay shows a web content without an English translation in its default language
    # under /en_US/ and <html lang="en-US">: the text is the better witness.
    assert lang_of(page(news(text=VI_TEXT), lang="en-US"), EN_ARTICLE) == ("vi", "detected")
    # and English text under a Vietnamese interface is English
    assert lang_of(page(news(text=EN_TEXT), lang="vi-VN"), ARTICLE) == ("en", "detected")


def test_short_text_does_not_overrule_the_declaration() -> None:
    short = "Chuyển đổi số trong cơ quan nhà nước đòi hỏi hạ tầng dữ liệu đồng bộ và kỹ năng số."
    html = page(news(text=short * 2), lang="en-US")
    assert lang_of(html, EN_ARTICLE) == ("en", "markup")


# -- a generated fixture page, read end to end --------------------------------------------------


def test_fixture_page_of_the_news_template() -> None:
    site = FIXTURE_SITES / "www.tapchicongsan.org.vn"
    want = json.loads((site / "_expected.json").read_text("utf-8"))["articles"][0]
    html = (site / urlsplit(want["url"]).path.lstrip("/")).read_text("utf-8")
    got = item(html, want["url"])
    assert got.title == want["title"]
    assert got.summary == want["summary"]
    assert got.author == want["author"]
    assert got.tags == want["tags"]
    assert got.category == want["category"]
    assert [{"url": i.url, "caption": i.caption} for i in got.images] == want["images"]
    assert got.alternates == want["alternates"]
    assert got.methods == {
        "title": "selector", "summary": "selector", "published_at": "selector",
        "author": "selector", "tags": "selector", "category": "selector",
        "canonical_url": "markup", "credited_outlet": "lead", "alternates": "markup",
        "text": "selector", "images": "selector", "lang": "markup",
    }  # fmt: skip
    assert got.warnings == []
    for noise in want["text_excludes"]:
        assert noise not in got.text
