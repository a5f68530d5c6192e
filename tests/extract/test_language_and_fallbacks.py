"""The base page object's cascades that every family shares: language (declared, URL,
detected, default), the generic body fallback, lead signatures and hreflang alternates."""

from __future__ import annotations

import pytest

from crawler.extract.language import detect_language, language_code
from crawler.extract.page import ArticlePage

VI = (
    "Tỉnh triển khai nền tảng số dùng chung cho các sở, ngành và ủy ban nhân dân cấp xã, "
    "giúp người dân nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết thủ tục hành chính."
)
RU = (
    "Провинция внедрила общую цифровую платформу для департаментов и коммун, чтобы жители "
    "могли подавать документы онлайн и следить за рассмотрением административных процедур."
)
NO = (
    "Provinsen har tatt i bruk en felles digital plattform for etatene og kommunene, slik at "
    "innbyggerne kan sende inn søknader på nett og følge behandlingen av saken sin."
)


class _Page(ArticlePage):
    TITLE_CSS = "h1.title"
    SUMMARY_CSS = ".lead"
    CONTENT_CSS = ".body"


def page(body: str, *, url: str = "https://example.vn/a-1.html", html_attrs: str = "",
         head: str = "", cls: type[ArticlePage] = _Page, default_lang: str | None = "vi"):  # fmt: skip
    html = (
        f"<html {html_attrs}><head><title>T</title>{head}</head><body>"
        f"<h1 class='title'>Tiêu đề</h1>{body}</body></html>"
    )
    return cls(url, html, source="test", default_lang=default_lang).to_item()


@pytest.mark.parametrize(
    ("value", "code"),
    [("vi-VN", "vi"), ("en_US", "en"), ("nb", "no"), ("RU", "ru"), ("vn", "vi"), ("", None),
     ("not a tag", None), (None, None)],
)  # fmt: skip
def test_language_codes(value: str | None, code: str | None) -> None:
    assert language_code(value) == code


def test_detection_needs_enough_text() -> None:
    assert detect_language(RU) == "ru"
    assert detect_language(NO) == "no"
    assert detect_language(VI) == "vi"
    assert detect_language("Xin chào") is None


def test_declared_language_wins_over_everything() -> None:
    item = page(f"<div class='body'><p>{RU}</p></div>", html_attrs='lang="ru-RU"',
                url="https://example.vn/en/a-1.html")  # fmt: skip
    assert (item.lang, item.methods["lang"]) == ("ru", "markup")
    item = page(f"<div class='body'><p>{RU}</p></div>",
                head='<meta property="og:locale" content="uk_UA">')  # fmt: skip
    assert (item.lang, item.methods["lang"]) == ("uk", "meta")


def test_url_edition_answers_when_the_page_says_nothing() -> None:
    item = page(f"<div class='body'><p>{VI}</p></div>", url="https://example.vn/ru/a-1.html")
    assert (item.lang, item.methods["lang"]) == ("ru", "url")
    item = page(f"<div class='body'><p>{VI}</p></div>", url="https://example.vn/en_US/web/a.aspx")
    assert (item.lang, item.methods["lang"]) == ("en", "url")
    # a first path segment that is a word, not an edition, is not a language
    item = page(f"<div class='body'><p>{VI}</p></div>", url="https://example.vn/tin/a-1.html")
    assert item.methods["lang"] == "detected"


def test_text_detection_then_the_source_default() -> None:
    item = page(f"<div class='body'><p>{NO}</p></div>")
    assert (item.lang, item.methods["lang"]) == ("no", "detected")
    item = page("<div class='body'><p>Ngắn.</p></div>", default_lang="vi")
    assert (item.lang, item.methods["lang"]) == ("vi", "default")


def test_lead_signature_is_stripped_and_kept_as_the_outlet() -> None:
    item = page(f"<p class='lead'>TCCS - Chuyển đổi số là động lực phát triển.</p>"
                f"<div class='body'><p>{VI}</p></div>")  # fmt: skip
    assert item.summary == "Chuyển đổi số là động lực phát triển."
    assert (item.credited_outlet, item.methods["credited_outlet"]) == ("TCCS", "lead")
    plain = page(
        f"<p class='lead'>Chuyển đổi số là động lực.</p><div class='body'><p>{VI}</p></div>"
    )
    assert plain.credited_outlet is None and "credited_outlet" not in plain.methods


def test_hreflang_alternates() -> None:
    head = (
        '<link rel="alternate" hreflang="vi" href="/a-1.html">'
        '<link rel="alternate" hreflang="ru-RU" href="https://example.vn/ru/a-1.html">'
        '<link rel="alternate" hreflang="x-default" href="/a-1.html">'
    )
    item = page(f"<div class='body'><p>{VI}</p></div>", head=head)
    # the page's own edition ("vi", a relative link to itself) is not another edition
    assert item.alternates == {"ru": "https://example.vn/ru/a-1.html"}
    assert item.methods["alternates"] == "markup"


LONG_ARTICLE = "".join(
    f"<p>{VI} Đoạn thứ {n} nói thêm về kết quả triển khai và kế hoạch năm tới.</p>"
    for n in range(1, 6)
)


def test_body_falls_back_to_the_generic_extractor_when_the_selector_misses() -> None:
    html_body = (
        "<nav><a href='/'>Trang chủ</a> <a href='/tin'>Tin tức</a></nav>"
        f"<div class='bai-viet-moi'>{LONG_ARTICLE}</div>"
        "<footer>Bản quyền thuộc về cổng thông tin</footer>"
    )
    item = page(html_body)
    assert item.methods["text"] == "generic"
    assert "Đoạn thứ 1" in item.text and "Đoạn thứ 5" in item.text
    assert "Bản quyền" not in item.text and "Tiêu đề" not in item.text
    assert "text" in item.selector_fields  # judged by health: the site has a content selector


def test_selector_body_when_it_matches() -> None:
    item = page(f"<div class='body'>{LONG_ARTICLE}</div><aside>Tin liên quan</aside>")
    assert item.methods["text"] == "selector"
    assert "Tin liên quan" not in item.text
