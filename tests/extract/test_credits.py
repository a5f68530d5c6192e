"""Credit lines of republications (crawler/extract/credits.py): what counts as a credit, in
every modelled language, and what must not."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.extract.credits import (
    CREDIT_LABELS_BY_LANG,
    SOURCE_LINK_TEXTS_BY_LANG,
    Credit,
    find_credit,
    find_credit_block,
    parse_credit_text,
)

PAGE = "https://www.vietnam.vn/ru/lam-dong-van-hanh-mang-luoi-cam-bien"
ORIGINAL = "https://baolamdong.vn/lam-dong-van-hanh-mang-luoi-cam-bien-412857.html"
BODY = "<p>Первый абзац статьи о датчиках.</p><p>Второй абзац о результатах.</p>"


def body(fragment: str, before: str = BODY) -> html.HtmlElement:
    return html.fromstring(f"<div class='content'>{before}{fragment}</div>")


# -- one line of text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        (f"Nguồn: {ORIGINAL}", "vi"),
        (f"Source: {ORIGINAL}", "en"),
        (f"Источник: {ORIGINAL}", "ru"),
        (f"Джерело: {ORIGINAL}", "uk"),
        (f"Kilde: {ORIGINAL}", "no"),
        (f"Crédit : {ORIGINAL}", "fr"),
        (f"Quelle: {ORIGINAL}", "de"),
        (f"Fuente: {ORIGINAL}", "es"),
        (f"来源：{ORIGINAL}", "zh"),
        (f"출처: {ORIGINAL}", "ko"),
        (f"出典：{ORIGINAL}", "ja"),
    ],
)
def test_labelled_url_in_each_language(line: str, lang: str) -> None:
    credit = parse_credit_text(line)
    assert credit == Credit(outlet="baolamdong.vn", url=ORIGINAL, named=False), lang


def test_every_modelled_edition_has_labels_and_link_texts() -> None:
    for lang in ("vi", "en", "ru", "uk", "fr", "no", "de", "es", "zh", "ko", "ja"):
        assert CREDIT_LABELS_BY_LANG[lang], lang
        assert SOURCE_LINK_TEXTS_BY_LANG[lang], lang
        for label in CREDIT_LABELS_BY_LANG[lang]:  # every label is read as one
            assert parse_credit_text(f"{label}: {ORIGINAL}").url == ORIGINAL, label


def test_named_outlet_with_and_without_url() -> None:
    assert parse_credit_text(f"Nguồn: Báo Lâm Đồng - {ORIGINAL}") == Credit(
        outlet="Báo Lâm Đồng", url=ORIGINAL
    )
    assert parse_credit_text(f"Source: {ORIGINAL} (Lam Dong Newspaper)") == Credit(
        outlet="Lam Dong Newspaper", url=ORIGINAL
    )
    assert parse_credit_text("Nguồn tin: Sở Khoa học và Công nghệ") == Credit(
        outlet="Sở Khoa học và Công nghệ"
    )
    assert parse_credit_text("Kilde: www.mst.gov.vn/a-197260825093005624.htm.") == Credit(
        outlet="mst.gov.vn", url="https://www.mst.gov.vn/a-197260825093005624.htm", named=False
    )


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("Theo Báo Lâm Đồng", "Báo Lâm Đồng"),
        ("(Theo TTXVN)", "TTXVN"),
        ("Theo Chinhphu.vn", "Chinhphu.vn"),
        ("Theo VnExpress.", "VnExpress"),
    ],
)
def test_theo_credits(line: str, outlet: str) -> None:
    assert parse_credit_text(line) == Credit(outlet=outlet)


@pytest.mark.parametrize(
    "line",
    [
        # "Theo" starting a sentence: lower-case word, comma, or too long
        "Theo kế hoạch, các hệ thống sẽ được chuyển lên đám mây trong ba năm.",
        "Theo ông Nguyễn Văn Hùng",
        "Theo Sở Khoa học và Công nghệ, sau một vụ thử nghiệm, lượng nước tưới giảm 30%.",
        "Theo Quyết định của Ủy ban nhân dân tỉnh về việc phê duyệt danh mục nhiệm vụ năm 2027",
        # "nguồn" in running text, without the label's colon
        "Nguồn vốn thực hiện mô hình được lấy từ chương trình hỗ trợ của tỉnh.",
        "Nguồn nhân lực chất lượng cao là điều kiện tiên quyết cho ngành bán dẫn.",
        "Nguồn ảnh: Báo Lâm Đồng",  # a photo credit is not the article's
        "Hệ thống ghi nhận nguồn: dữ liệu quan trắc từ 400 trạm cảm biến.",
        # a labelled line that names neither an outlet nor a URL
        "Nguồn:",
        "Crédit: Lien source",  # the URL is only in the anchor's href (see find_credit)
        f"Источник: {ORIGINAL[:40]}…",  # a shortened URL is not the address
        "Source: " + "a long explanation of where the figures in this article come from " * 2,
        "",
        None,
    ],
)
def test_lines_that_are_not_credits(line: str | None) -> None:
    assert parse_credit_text(line) is None


# -- the end of a body ----------------------------------------------------------------------


def test_anchor_href_beats_the_printed_and_shortened_url() -> None:
    content = body(f'<p><em>Источник: <a href="{ORIGINAL}">{ORIGINAL[:40]}…</a></em></p>')
    assert find_credit(content, PAGE) == Credit(outlet="baolamdong.vn", url=ORIGINAL, named=False)


def test_anchor_only_credit_lien_source() -> None:
    content = body(f'<p>Crédit: <a href="{ORIGINAL}" target="_blank">Lien source</a></p>')
    credit, block = find_credit_block(content, PAGE)
    assert credit == Credit(outlet="baolamdong.vn", url=ORIGINAL, named=False)
    assert block.tag == "p" and "Lien source" in block.text_content()


@pytest.mark.parametrize(
    "fragment",
    [
        f'<p><a href="{ORIGINAL}">Lien source</a></p>',
        f'<p>Xem bài gốc tại: <a href="{ORIGINAL}">Link bài gốc</a></p>',
        f'<p><a href="{ORIGINAL}">Originalartikkel</a></p>',
        f'<p><a href="{ORIGINAL}">원문 보기</a></p>',
        f'<p><a href="{ORIGINAL}">{ORIGINAL}</a></p>',
        f"<p>{ORIGINAL}</p>",
    ],
)
def test_unlabelled_source_anchor_or_bare_url_line(fragment: str) -> None:
    assert find_credit(body(fragment), PAGE) == Credit(
        outlet="baolamdong.vn", url=ORIGINAL, named=False
    )


def test_labelled_line_with_the_outlet_as_anchor_text() -> None:
    content = body(f'<p>Nguồn: <a href="{ORIGINAL}">Báo Lâm Đồng</a></p>')
    assert find_credit(content, PAGE) == Credit(outlet="Báo Lâm Đồng", url=ORIGINAL)


def test_theo_line_at_the_end_of_the_body() -> None:
    content = body('<p style="text-align:right"><strong>(Theo Báo Lâm Đồng)</strong></p>')
    assert find_credit(content, PAGE) == Credit(outlet="Báo Lâm Đồng")


def test_the_last_credit_line_wins_over_earlier_links() -> None:
    content = body(
        '<p>Người dân tra cứu trên <a href="https://truyxuat.laichau.gov.vn/">cổng truy xuất '
        f'nguồn gốc</a>.</p><p>Nguồn: <a href="{ORIGINAL}">{ORIGINAL}</a></p>'
    )
    assert find_credit(content, PAGE).url == ORIGINAL


@pytest.mark.parametrize(
    "fragment",
    [
        # a link to another site inside a sentence is not a credit
        '<p>Người tiêu dùng có thể tra cứu trên <a href="https://truyxuat.laichau.gov.vn/">'
        "cổng truy xuất nguồn gốc của tỉnh</a>.</p>",
        '<p>Hồ sơ nộp tại <a href="https://dichvucong.gov.vn/">https://dichvucong.gov.vn/</a> '
        "trước ngày 30/9.</p>",
        '<p>Chi tiết xem <a href="https://mst.gov.vn/van-ban.htm">tại đây</a>.</p>',
        # running text with "nguồn"
        "<p>Nguồn vốn thực hiện mô hình được lấy từ chương trình hỗ trợ của tỉnh.</p>",
        # a chart's source is a caption, not the article's credit
        '<figure><img src="x.jpg"><figcaption><p>Nguồn: Tổng cục Thống kê</p></figcaption>'
        "</figure>",
        "<table><tr><td><p>Nguồn: Sở Khoa học và Công nghệ</p></td></tr></table>",
        # a link to the site itself ("source" of nothing)
        '<p><a href="/ru/lam-dong-khac">Источник</a></p>',
    ],
)
def test_tail_blocks_that_are_not_credits(fragment: str) -> None:
    assert find_credit(body(fragment), PAGE) is None


def test_credit_far_from_the_end_is_not_taken() -> None:
    later = "".join(f"<p>Đoạn văn thứ {n} của bài viết.</p>" for n in range(5))
    content = body(later, before=f"<p>Nguồn: {ORIGINAL}</p>")
    assert find_credit(content, PAGE) is None
