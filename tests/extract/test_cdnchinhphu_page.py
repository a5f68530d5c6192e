"""The cdnchinhphu page object on the real baochinhphu.vn capture and on edge cases."""

from datetime import UTC, datetime

from crawler.extract.pages.cdnchinhphu import CdnChinhPhuArticlePage


def test_real_baochinhphu_capture(capture: tuple[str, str]) -> None:
    url, html = capture
    item = CdnChinhPhuArticlePage(url, html, source="baochinhphu").to_item()

    assert item.title == "Cơ chế, chính sách xác định giá sản phẩm in, đúc tiền"
    assert item.summary.startswith("Chính phủ ban hành Nghị quyết số 40/2026/NQ-CP")
    assert "(Chinhphu.vn)" not in item.summary
    assert item.published_at == datetime(2026, 9, 5, 6, 30, tzinfo=UTC)
    assert item.modified_at == datetime(2026, 9, 5, 6, 34, tzinfo=UTC)
    assert item.author == "Phương Nhi"
    assert item.tags == ["đúc tiền", "in tiền"]
    assert item.category == "Chỉ đạo, quyết định của Chính phủ - Thủ tướng Chính phủ"
    assert item.lang == "vi"
    assert item.canonical_url == url

    text = item.text
    assert text.startswith("Theo Nghị quyết, cơ chế, chính sách")
    assert text.endswith("Nghị quyết này có hiệu lực từ ngày 04/9/2026.")
    assert text.count("\n\n") == 5  # six paragraphs
    for noise in (
        "Tham khảo thêm",
        "Nhà máy In tiền Quốc gia được sản xuất vàng miếng",
        "Phương Nhi",
        "runinit",
        "giai đoạn 2020 - 2024\n",
    ):
        assert noise not in text
    # the caption is kept apart from the text, with its image
    assert len(item.images) == 1
    assert item.images[0].url.startswith("https://bcp.cdnchinhphu.vn/334894974524682240/2026/9/5/")
    assert (
        item.images[0].caption
        == "Cơ chế, chính sách xác định giá sản phẩm in, đúc tiền giai đoạn 2020 - 2024"
    )
    assert item.images[0].caption not in text

    assert item.methods == {
        "title": "selector", "summary": "selector", "published_at": "selector",
        "modified_at": "meta", "author": "selector", "tags": "selector", "category": "selector",
        "lang": "markup", "canonical_url": "markup", "text": "selector", "images": "selector",
        "credited_outlet": "lead",
    }  # fmt: skip
    assert item.credited_outlet == "Chinhphu.vn"  # the lead's signature, kept apart
    assert item.credited_url is None
    assert item.warnings == []


def test_sanitized_html_keeps_structure_not_scripts(capture: tuple[str, str]) -> None:
    url, html = capture
    body = CdnChinhPhuArticlePage(url, html, source="baochinhphu").to_item().body_html
    assert "<p>Theo Nghị quyết" in body
    assert "<figcaption>" in body  # caption beside its image in HTML
    for banned in ("<script", "onclick", "style=", "RelatedNewsBox", "Tham khảo thêm", "<svg"):
        assert banned not in body


PAGE = """<html lang="vi-VN"><head>
<meta property="og:title" content="Tiêu đề từ OpenGraph">
<meta name="description" content="Tóm tắt từ meta">
<meta property="article:published_time" content="2026-10-01T08:15:00+07:00">
<meta name="author" content="mst.gov.vn">
<meta name="keywords" content="AI, chuyển đổi số, AI">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tiêu đề JSON-LD",
 "author": {"@type": "Person", "name": "Minh Anh"}}</script>
</head><body><article>
<div class="detail-time"><div data-role="publishdate">01/10/2026</div></div>
<div class="detail-content afcbc-body"><p>Đoạn một.</p><p>Đoạn <b>hai</b>.</p>
<script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">liên kết</a></div>
</article></body></html>"""


def test_fallback_cascade_records_each_step() -> None:
    item = CdnChinhPhuArticlePage(
        "https://mst.gov.vn/x-19726100108150001.htm", PAGE, source="mst"
    ).to_item()
    assert item.title == "Tiêu đề JSON-LD"  # JSON-LD precedes OpenGraph
    assert item.summary == "Tóm tắt từ meta"
    # the visible date has no time: the meta value of the same day is more precise
    assert item.published_at == datetime(2026, 10, 1, 1, 15, tzinfo=UTC)
    assert item.author == "Minh Anh"  # meta author is the site's domain, not a person
    assert item.tags == ["AI", "chuyển đổi số"]
    assert item.lang == "vi"
    assert item.text == "Đoạn một.\n\nĐoạn hai.\n\nliên kết"
    assert "javascript:" not in item.body_html and "onclick" not in item.body_html
    assert item.methods["title"] == "jsonld"
    assert item.methods["summary"] == "meta"
    assert item.methods["published_at"] == "meta"
    assert item.methods["author"] == "jsonld"
    assert item.methods["tags"] == "meta"


def test_page_without_anything_reports_missing_fields() -> None:
    item = CdnChinhPhuArticlePage(
        "https://mst.gov.vn/a-197261001081500011.htm",
        "<html><body><p>x</p></body></html>",
        source="mst",
    ).to_item()
    assert item.title is None and item.text is None and item.published_at is None
    assert set(item.warnings) == {"missing title", "missing text", "missing published_at"}


def test_broken_jsonld_is_a_warning_not_a_crash() -> None:
    html = PAGE.replace('"Minh Anh"}}', '"Minh Anh"')  # unterminated JSON
    item = CdnChinhPhuArticlePage(
        "https://mst.gov.vn/a-19726100108150001.htm", html, source="mst"
    ).to_item()
    assert "invalid JSON-LD" in item.warnings
    assert item.title == "Tiêu đề từ OpenGraph"
