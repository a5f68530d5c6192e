from datetime import UTC, datetime

import pytest

from crawler.dedup.urls import canonical_url
from crawler.extract.charset import corrected_encoding, looks_truncated
from crawler.extract.normalize import Rejected, content_hash, normalize
from crawler.extract.text import split_outlet_prefix, squash, tidy_paragraphs
from crawler.items import ArticleItem, Image


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://MST.gov.vn:443/a-1.htm?utm_source=fb&b=2&a=1#top",
            "https://mst.gov.vn/a-1.htm?a=1&b=2",
        ),
        ("http://mst.gov.vn/a-1.htm?fbclid=x&zarsi=1", "https://mst.gov.vn/a-1.htm"),
        ("https://mst.gov.vn", "https://mst.gov.vn/"),
        ("https://h.vn:8443/x", "https://h.vn:8443/x"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_outlet_prefix() -> None:
    assert split_outlet_prefix("(Chinhphu.vn) - Chính phủ ban hành") == (
        "Chinhphu.vn",
        "Chính phủ ban hành",
    )
    assert split_outlet_prefix("TCCS - Bài viết phân tích") == ("TCCS", "Bài viết phân tích")
    assert split_outlet_prefix("Hà Nội - một câu bình thường có dấu gạch") == (
        None,
        "Hà Nội - một câu bình thường có dấu gạch",
    )
    assert split_outlet_prefix(None) == (None, None)


def test_squash_and_paragraphs() -> None:
    decomposed = "Vie\u0323\u0302t Nam"  # dot below + circumflex, as some editors emit
    assert squash(f"  {decomposed}&nbsp;\n  mới ") == "Việt Nam mới"
    assert squash(" \n ") is None
    assert tidy_paragraphs("a  b\n\n\n c\nd \n\n") == "a b\n\nc d"


def test_charset_correction() -> None:
    utf8 = "Chuyển đổi số".encode()
    assert corrected_encoding("iso-8859-1", utf8) == "utf-8"
    assert corrected_encoding("cp1252", utf8) == "utf-8"
    assert corrected_encoding("utf-8", utf8) is None
    assert corrected_encoding("iso-8859-1", b"plain ascii") is None
    assert corrected_encoding("iso-8859-1", "café".encode("latin-1")) is None  # really latin-1


def test_truncation() -> None:
    assert looks_truncated(b"<html><body><p>cut he")
    assert not looks_truncated(b"<html><body><p>ok</p></body></html>\n")


def test_normalize_record() -> None:
    item = ArticleItem(
        url="http://mst.gov.vn/a-19726090514301234.htm?utm_source=x",
        source="mst",
        title="  Tiêu đề ",
        text="Đoạn 1.\n\n\nĐoạn 2.",
        images=[Image("https://mst.gov.vn/i.jpg", "Chú thích")],
        published_at=datetime(2026, 9, 5, 14, 30),  # naive: Vietnam time
        methods={"title": "selector"},
    )
    record = normalize(item, now=datetime(2026, 9, 6, tzinfo=UTC))
    assert record["canonical_url"] == "https://mst.gov.vn/a-19726090514301234.htm"
    assert record["url"] == item.url
    assert record["title"] == "Tiêu đề"
    assert record["text"] == "Đoạn 1.\n\nĐoạn 2."
    assert record["published_at"] == datetime(2026, 9, 5, 7, 30, tzinfo=UTC)
    assert record["fetched_at"] == datetime(2026, 9, 6, tzinfo=UTC)
    assert record["images"] == [{"url": "https://mst.gov.vn/i.jpg", "caption": "Chú thích"}]
    assert record["content_hash"] == content_hash("Tiêu đề", None, "Đoạn 1.\n\nĐoạn 2.")
    assert record["extraction"] == {"title": "selector"}


@pytest.mark.parametrize(
    ("title", "text", "reason"), [(None, "x", "no title"), ("T", " ", "no body text")]
)
def test_normalize_rejects(title: str | None, text: str, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        normalize(ArticleItem(url="https://x.vn/a", source="s", title=title, text=text))
