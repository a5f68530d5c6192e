"""The vietnam.vn page object on the generated fixture pages and on edge cases: credits in
each edition, which evidence wins per field, chrome kept out of the text; and the spider's
article URL pattern and edition following."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from crawler.extract.pages.vietnamvn import VietnamvnArticlePage, edition
from crawler.items import ArticleItem
from spiders.registry import VIETNAMVN
from spiders.vietnamvn import VietnamvnSpider
from tests.conftest import FIXTURE_SITES
from tests.conftest import project_crawler as make_crawler

SITE = FIXTURE_SITES / "www.vietnam.vn"
EXPECTED = json.loads((SITE / "_expected.json").read_text("utf-8"))
ORIGINAL = "https://baolamdong.vn/lam-dong-van-hanh-mang-luoi-cam-bien-412857.html"
URL_EN = "https://www.vietnam.vn/en/lam-dong-van-hanh-mang-luoi-cam-bien"


def page_of(url: str) -> VietnamvnArticlePage:
    html = (SITE / urlsplit(url).path.lstrip("/")).read_bytes().decode("utf-8")
    return VietnamvnArticlePage(url, html, source="vietnamvn")


# -- the fixture pages ------------------------------------------------------------------------


@pytest.mark.parametrize("want", EXPECTED["articles"], ids=lambda w: urlsplit(w["url"]).path[:32])
def test_fixture_page_yields_the_expected_fields(want: dict) -> None:
    item = page_of(want["url"]).to_item()
    assert item.title == want["title"]
    assert item.summary == want["summary"]
    assert item.lang == want["lang"]
    assert item.methods["lang"] == want["lang_step"]
    assert item.credited_outlet == want["credited_outlet"]
    assert item.methods["credited_outlet"] == want["credited_outlet_step"]
    assert item.credited_url == want["credited_url"]
    assert item.methods["credited_url"] == want["credited_url_step"]
    assert item.alternates == want["alternates"]
    assert item.published_at.isoformat() == want["published_at"]
    assert item.category == want["category"]
    assert item.tags == want["tags"]
    assert [{"url": i.url, "caption": i.caption} for i in item.images] == want["images"]
    for sentence in want["text_contains"]:
        assert sentence in item.text
    for noise in want["text_excludes"]:
        assert noise not in item.text
    assert item.author is None
    assert item.warnings == []


def test_fixture_editions_cover_the_required_languages_and_credit_styles() -> None:
    langs = {w["lang"] for w in EXPECTED["articles"]}
    assert {"vi", "en", "ru", "uk", "fr", "no"} <= langs
    hosts = {urlsplit(w["credited_url"]).hostname for w in EXPECTED["articles"]}
    assert hosts == {"baolamdong.vn", "mst.gov.vn", "laichau.gov.vn", "www.tapchicongsan.org.vn"}
    french = next(w for w in EXPECTED["articles"] if w["lang"] == "fr")
    html = (SITE / urlsplit(french["url"]).path.lstrip("/")).read_text("utf-8")
    assert f'Crédit: <a href="{french["credited_url"]}"' in html  # the URL only in the href
    assert f">{french['credited_url']}<" not in html


def test_cyrillic_editions_credit_the_original() -> None:
    for code, label in (("ru", "Источник"), ("uk", "Джерело")):
        want = next(w for w in EXPECTED["articles"] if w["lang"] == code)
        html = (SITE / urlsplit(want["url"]).path.lstrip("/")).read_text("utf-8")
        assert label in html
        assert page_of(want["url"]).to_item().credited_url == want["credited_url"]


def test_bad_fixture_pages() -> None:
    bad, details = EXPECTED["bad_pages"], EXPECTED["bad_page_details"]
    no_date = page_of(bad["no_date"]).to_item()
    assert no_date.published_at is None and "missing published_at" in no_date.warnings
    assert no_date.credited_url == details["no_date"]["credited_url"]
    truncated = page_of(bad["truncated"]).to_item()
    assert truncated.title == details["truncated"]["title"]
    assert truncated.credited_outlet == details["truncated"]["credited_outlet"]
    assert truncated.credited_url is None  # the credit line was cut off with the file


# -- which evidence wins ----------------------------------------------------------------------


def make_page(
    *,
    url: str = URL_EN,
    html_lang: str | None = "en",
    head: str = '<meta property="article:published_time" content="2026-09-05T14:30:00+07:00">',
    sapo: str = "(Lam Dong Newspaper) - More than 400 sensor stations were installed.",
    outlet: str | None = "Báo Lâm Đồng",
    date: str | None = "05/09/2026",
    body: str = "<p>Data from the stations reaches the platform every 15 minutes.</p>"
    "<p>Farmers receive irrigation advice on their phones.</p>",
    credit: str = f'<p>Source: <a href="{ORIGINAL}">{ORIGINAL}</a></p>',
    after: str = '<div class="v-article-comment"><h3>Comments (0)</h3></div>'
    '<section class="v-related"><h3>Same topic</h3><a class="v-link-title" href="/en/a-b-c">'
    "Students build a landslide warning device</a></section>",
) -> VietnamvnArticlePage:
    lang = f' lang="{html_lang}"' if html_lang else ""
    meta = (
        f'<div class="v-article-meta"><a class="v-source-logo" href="https://baolamdong.vn/">'
        f'<span>{outlet}</span></a><a class="v-source-name" href="https://baolamdong.vn/">'
        f"{outlet}</a>" + (f'<span class="v-article-date">{date}</span>' if date else "") + "</div>"
        if outlet
        else (f'<span class="v-article-date">{date}</span>' if date else "")
    )
    html = (
        f"<!DOCTYPE html><html{lang}><head><title>T - Vietnam.vn</title>{head}</head><body>"
        '<article class="v-article"><h1 class="v-article-title">Lam Dong sensor network</h1>'
        f'<div class="v-article-sapo">{sapo}</div>{meta}'
        f'<div class="v-article-content">{body}{credit}</div>{after}</article></body></html>'
    )
    return VietnamvnArticlePage(url, html, source="vietnamvn")


def test_outlet_under_the_title_beats_credit_line_and_lead() -> None:
    credit = f"<p>Source: Lam Dong Newspaper - {ORIGINAL}</p>"
    item = make_page(credit=credit).to_item()
    assert item.credited_outlet == "Báo Lâm Đồng"
    assert item.methods["credited_outlet"] == "selector"
    assert item.credited_url == ORIGINAL
    assert item.methods["credited_url"] == "credit"


def test_outlet_named_in_the_credit_line_beats_the_lead() -> None:
    credit = f'<p>Source: <a href="{ORIGINAL}">Lam Dong Newspaper</a></p>'
    item = make_page(outlet=None, credit=credit).to_item()
    assert (item.credited_outlet, item.methods["credited_outlet"]) == (
        "Lam Dong Newspaper",
        "credit",
    )
    assert item.credited_url == ORIGINAL


def test_lead_signature_beats_a_bare_host_name() -> None:
    item = make_page(outlet=None).to_item()  # the credit line gives only a URL
    assert (item.credited_outlet, item.methods["credited_outlet"]) == ("Lam Dong Newspaper", "lead")
    assert item.credited_url == ORIGINAL
    assert item.summary == "More than 400 sensor stations were installed."


def test_host_name_of_the_original_when_nothing_names_the_outlet() -> None:
    item = make_page(outlet=None, sapo="More than 400 sensor stations were installed.").to_item()
    assert (item.credited_outlet, item.methods["credited_outlet"]) == ("baolamdong.vn", "credit")


def test_no_credit_line_leaves_the_url_empty() -> None:
    item = make_page(credit="").to_item()
    assert item.credited_url is None and "credited_url" not in item.methods
    assert item.credited_outlet == "Báo Lâm Đồng"


def test_anchor_only_credit_and_its_line_kept_out_of_the_text() -> None:
    credit = f'<p>Crédit: <a href="{ORIGINAL}" target="_blank">Lien source</a></p>'
    item = make_page(url=URL_EN.replace("/en/", "/fr/"), html_lang="fr", credit=credit).to_item()
    assert item.credited_url == ORIGINAL
    assert item.credited_outlet == "Báo Lâm Đồng"
    assert "Lien source" not in item.text and "Crédit" not in item.text
    assert item.text.endswith("Farmers receive irrigation advice on their phones.")


def test_chrome_inside_the_body_is_cut_by_its_text() -> None:
    after = (
        '<div class="x-comments"><span>Comments (3)</span><p>Great news for farmers!</p></div>'
        '<div class="x-box"><h4>Same category</h4><p>Hanoi pilots driverless buses</p></div>'
    )
    item = make_page(body=make_page.__kwdefaults__["body"] + after, after="").to_item()
    # the credit sits after the chrome here: only what comes before the chrome is the article
    for noise in ("Comments", "Great news", "Same category", "Hanoi pilots"):
        assert noise not in item.text
    assert item.text.endswith("Farmers receive irrigation advice on their phones.")


def test_chrome_after_the_credit_inside_the_body() -> None:
    body = make_page.__kwdefaults__["body"]
    credit = f"<p>Источник: {ORIGINAL}</p>" + (
        "<div><h3>Комментарии (0)</h3></div><div><h3>По теме</h3><p>Другая статья</p></div>"
    )
    item = make_page(url=URL_EN.replace("/en/", "/ru/"), body=body, credit=credit, after="")
    result = item.to_item()
    assert result.credited_url == ORIGINAL
    assert "Комментарии" not in result.text and "Другая статья" not in result.text
    assert "Источник" not in result.text


# -- language, dates, canonical, editions -----------------------------------------------------


def test_the_edition_in_the_url_beats_a_wrong_html_lang() -> None:
    item = make_page(url=URL_EN.replace("/en/", "/uk/"), html_lang="vi").to_item()
    assert (item.lang, item.methods["lang"]) == ("uk", "url")


def test_vietnamese_page_declares_and_undeclared_page_is_detected() -> None:
    vi_url = "https://www.vietnam.vn/lam-dong-van-hanh-mang-luoi-cam-bien"
    body = (
        "<p>Dữ liệu từ các trạm được truyền về nền tảng nông nghiệp số của tỉnh mỗi 15 phút.</p>"
        "<p>Nông dân nhận khuyến nghị tưới tiêu qua ứng dụng trên điện thoại di động.</p>"
    )
    declared = make_page(url=vi_url, html_lang="vi", body=body).to_item()
    assert (declared.lang, declared.methods["lang"]) == ("vi", "markup")
    detected = make_page(url=vi_url, html_lang=None, body=body).to_item()
    assert (detected.lang, detected.methods["lang"]) == ("vi", "detected")


def test_edition_of_a_url() -> None:
    assert edition("https://www.vietnam.vn/ru/a-b-c") == "ru"
    assert edition("https://www.vietnam.vn/zh-cn/a-b-c") == "zh-cn"
    assert edition("https://www.vietnam.vn/a-b-c") == "vi"
    assert edition("https://www.vietnam.vn/ai-chip-viet-nam") == "vi"


def test_visible_date_is_made_precise_by_the_meta_time_of_the_same_day() -> None:
    item = make_page().to_item()
    assert item.published_at == datetime(2026, 9, 5, 7, 30, tzinfo=UTC)
    assert item.methods["published_at"] == "selector"
    only_day = make_page(head="").to_item()
    assert only_day.published_at == datetime(2026, 9, 4, 17, 0, tzinfo=UTC)  # 00:00 Vietnam
    assert only_day.methods["published_at"] == "selector"
    other_day = make_page(date="04/09/2026").to_item()  # the meta time is of another day
    assert other_day.published_at == datetime(2026, 9, 3, 17, 0, tzinfo=UTC)
    no_visible = make_page(date=None).to_item()
    assert no_visible.methods["published_at"] == "meta"


def test_both_signatures_leave_the_lead() -> None:
    item = make_page(sapo="(Tạp chí Cộng sản) - TCCS - Thể chế thông thoáng là điều kiện.")
    result = item.to_item()
    assert result.summary == "Thể chế thông thoáng là điều kiện."
    assert result.credited_outlet == "Báo Lâm Đồng"  # the outlet block still answers first
    plain = make_page(sapo="(Lam Dong Newspaper) - Hanoi - a city of many lakes.").to_item()
    assert plain.summary == "Hanoi - a city of many lakes."  # only an all-caps signature goes


def test_canonical_link_to_another_edition_is_ignored() -> None:
    vi = "https://www.vietnam.vn/lam-dong-van-hanh-mang-luoi-cam-bien"
    wrong = make_page(head=f'<link rel="canonical" href="{vi}">').to_item()
    assert wrong.canonical_url is None  # stored under its own URL
    right = make_page(head=f'<link rel="canonical" href="{URL_EN}">').to_item()
    assert right.canonical_url == URL_EN


def test_alternates_are_the_other_editions() -> None:
    vi = "https://www.vietnam.vn/lam-dong-van-hanh-mang-luoi-cam-bien"
    links = "".join(
        f'<link rel="alternate" hreflang="{code}" href="{href}">'
        for code, href in (("vi", vi), ("en", URL_EN), ("ru", URL_EN.replace("/en/", "/ru/")),
                           ("x-default", vi), ("zh-Hans", URL_EN.replace("/en/", "/zh/")))
    )  # fmt: skip
    item = make_page(head=links).to_item()
    assert item.alternates == {
        "vi": vi,
        "ru": URL_EN.replace("/en/", "/ru/"),
        "zh": URL_EN.replace("/en/", "/zh/"),
    }


# -- the spider's URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "article"),
    [
        ("/lam-dong-van-hanh-mang-luoi-cam-bien-nong-nghiep-thong-minh", True),
        ("/en/lam-dong-van-hanh-mang-luoi-cam-bien-nong-nghiep-thong-minh", True),
        ("/ru/hoan-thien-the-che-cho-khoa-hoc", True),
        ("/zh-cn/hoan-thien-the-che-cho-khoa-hoc", True),
        ("/14-5-trieu-tai-khoan-bi-ro-ri", True),
        ("/category/khoa-hoc-cong-nghe", False),
        ("/en/category/khoa-hoc-cong-nghe", False),
        ("/category/khoa-hoc-cong-nghe/rss", False),
        ("/category-khoa-hoc-cong-nghe", False),
        ("/en", False),
        ("/en/", False),
        ("/", False),
        ("/tag/nong-nghiep-thong-minh", False),
        ("/search", False),
    ],
)
def test_article_path(path: str, article: bool) -> None:
    assert bool(VIETNAMVN.article_path.match(path)) is article


def test_spider_follows_configured_editions_once() -> None:
    crawler = make_crawler(VietnamvnSpider)
    spider = VietnamvnSpider.from_crawler(crawler)
    crawler.spider = spider
    origin = "https://www.vietnam.vn"
    item = ArticleItem(url=f"{origin}/a-b-c", source="vietnamvn")
    item.alternates = {
        "en": f"{origin}/en/a-b-c",
        "ru": f"{origin}/ru/a-b-c",
        "th": f"{origin}/th/a-b-c",  # not in the registry's langs
        "fr": "https://fr.example.org/a-b-c",  # another host
        "de": f"{origin}/de/category/a-b-c",  # not an article URL
    }
    urls = [r.url for r in spider.follow_editions(item)]
    assert urls == [f"{origin}/en/a-b-c", f"{origin}/ru/a-b-c"]
    assert list(spider.follow_editions(item)) == []  # each edition once
    assert crawler.stats.get_value("vnnews/links/edition") == 2
