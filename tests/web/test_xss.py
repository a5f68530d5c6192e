"""Hostile articles come out of every feed and every API field inert.

The rows are written straight into the archive (no pipeline, so nothing cleaned them on the
way in): script tags, event handlers, iframes, javascript: and data: URLs in every disguise,
malformed and nested markup, tag-like text in plain-text fields, and bytes XML cannot carry.
Each output is then parsed the way a client would — XML for the feeds, HTML for every field
that carries HTML — and searched for anything active.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tests.web.archive import LAM_DONG_TAGS, add_article
from tests.web.support import FORMATS, client_for, make_archive

HOSTILE_URL = "https://hostile.example.vn/tin-doc-hai.htm"
JS_URL = "javascript:alert(23)//https://x.vn/a.htm"
BODY = (
    '<p onclick="alert(5)">Đoạn mở đầu</p><script>alert(6)</script>'
    '<iframe src="https://evil.example/"></iframe><a href="javascript:alert(7)">một</a>'
    '<a href="JaVaScRiPt&#58;alert(8)">hai</a><a href=" javascript:alert(9)">ba</a>'
    '<a href="java\tscript:alert(24)">bốn</a><a href="vbscript:msgbox(25)">năm</a>'
    '<img src="javascript:alert(10)"><img src=x onerror="alert(11)"><style>body{display:none}</style>'
    "<object data=x></object><embed src=x><form action=https://evil.example/><input name=a></form>"
    '<svg><script>alert(12)</script><a xlink:href="javascript:alert(13)">s</a></svg>'
    '<math><mi xlink:href="javascript:alert(13)">m</mi></math>'
    '<div style="background:url(javascript:alert(14))">kiểu</div>'
    '<a href="data:text/html,<script>alert(15)</script>">dữ liệu</a>'
    "<p>chưa đóng <b>đậm <i>nghiêng</p></div></span><!-- <script>alert(16)</script> -->"
    "<<script>script>alert(17)<</script>/script>"
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(18)">'
    '<noscript><p title="</noscript><img src=x onerror=alert(19)>"></noscript>'
    '<a href="/tuong-doi">tương đối</a><details open ontoggle=alert(26)><summary>x</summary></details>'
    '<table background="javascript:alert(27)"><tr><td>ô</td></tr></table>'
    "<textarea><script>alert(28)</script></textarea><template><script>alert(29)</script></template>"
    "\x00\x0b\x1f<p>ký tự điều khiển</p>"
)
HOSTILE = {
    "url": HOSTILE_URL,
    "title": '<script>alert("t")</script>Tiêu đề <img src=x onerror=alert(1)> \x07nguy hiểm',
    "summary": '<b onmouseover="alert(2)">Tóm tắt</b> &lt;script&gt;alert(3)&lt;/script&gt; a < b',
    "author": "<svg onload=alert(4)>Tác giả",
    "body_html": BODY,
    "text": "Văn bản\x00 có <script>alert(30)</script> ký tự \x0c lạ.",
    "category": "<script>alert(31)</script>Chuyên mục",
    "tags": ["<img src=x onerror=alert(32)>"],
    "images": [
        {"url": "javascript:alert(20)", "caption": "<script>alert(21)</script>ảnh"},
        {"url": "/anh.jpg", "caption": "<b>đẹp</b>"},
    ],  # fmt: skip
    "alternates": {
        "en": "javascript:alert(22)",
        "<x>": "https://hostile.example.vn/x",
        "fr": "https://hostile.example.vn/fr",
    },  # fmt: skip
    "credited_url": "javascript:alert(33)",
    "credited_outlet": "<iframe src=x>",
    "published_at": None,
}
HOSTILE_JS_LINK = {
    "url": JS_URL, "title": "Liên kết javascript", "body_html": "<p>nội dung</p>",
    "summary": "x",
}  # fmt: skip

ACTIVE_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
    "meta", "base", "form", "input", "button", "textarea", "select", "svg", "math", "noscript",
    "template", "details", "audio", "video", "source", "marquee",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster",
                  "xlink:href", "cite", "srcset", "lowsrc", "dynsrc"}  # fmt: skip
_TAG_LIKE = re.compile(r"<[A-Za-z!?/]")  # what an HTML parser takes for a tag (WHATWG)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    archive = make_archive(tmp_path_factory.mktemp("hostile"))
    add_article(archive.url, HOSTILE, LAM_DONG_TAGS)
    add_article(archive.url, HOSTILE_JS_LINK, LAM_DONG_TAGS)
    with client_for(archive.url) as client:
        yield client


def assert_inert_html(markup: str, where: str) -> None:
    """Nothing in ``markup`` can run: no active element, no event handler or style, no URL
    but http(s)/mailto, and no control character."""
    assert not _XML_INVALID.search(markup), where
    if not markup.strip():
        return
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}")[-1].lower()
        assert tag not in ACTIVE_TAGS, f"{where}: <{tag}> in {markup[:300]!r}"
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            assert not name.startswith("on"), f"{where}: {name}= on <{tag}>"
            assert name != "style", f"{where}: style= on <{tag}>"
            if name in URL_ATTRIBUTES or name.endswith("href"):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).split(":", 1)
                assert len(scheme) == 1 or scheme[0].lower() in ("http", "https", "mailto"), (
                    f"{where}: {name}={value!r}"
                )
                assert not value.startswith("/"), f"{where}: relative {name}={value!r}"


def assert_plain(text: str | None, where: str) -> None:
    """A plain-text field: no tag-like sequence (a reader treating it as HTML finds none)."""
    if text is None:
        return
    assert not _TAG_LIKE.search(text), f"{where}: {text!r}"
    assert not _XML_INVALID.search(text), f"{where}: control character in {text!r}"


def assert_link(url: str | None, where: str) -> None:
    if url is None:
        return
    assert url.split(":", 1)[0] in ("http", "https"), f"{where}: {url!r}"


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}creator"


def check_xml_feed(body: bytes, fmt: str) -> int:
    root = etree.fromstring(body)  # well-formed XML, or this raises
    entries = root.findall(f"{ATOM}entry") if fmt == "atom" else root.findall("channel/item")
    for entry in entries:
        for element in entry.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            value = element.text or ""
            where = f"{fmt} {tag}"
            if tag in (f"{ATOM}content", CONTENT, "description"):
                assert_inert_html(value, where)
            elif tag in (f"{ATOM}title", f"{ATOM}summary", "title", f"{ATOM}name", DC):
                assert_plain(value, where)
            elif tag in (f"{ATOM}id", "guid", "link") and value:
                assert_link(value.strip(), where)
            for name, attr in element.attrib.items():
                if name == "href":
                    assert_link(attr, f"{where}@href")
                elif name in ("label", "term", "title"):
                    assert_plain(attr, f"{where}@{name}")
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return len(entries)


@pytest.mark.parametrize("path", ["/feeds/all", "/feeds/provinces/lam-dong",
                                  "/feeds/topics/digital-transformation"])  # fmt: skip
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_feed_is_inert(hostile_client: TestClient, path: str, fmt: str) -> None:
    response = hostile_client.get(f"{path}.{fmt}")
    assert response.status_code == 200, response.text
    if fmt == "json":
        document = response.json()
        items = document["items"]
        for item in items:
            assert_inert_html(item["content_html"], "json content_html")
            for key in ("title", "summary"):
                assert_plain(item.get(key), f"json {key}")
            for author in item.get("authors", []):
                assert_plain(author["name"], "json author")
            for tag in item.get("tags", []):
                assert_plain(tag, "json tag")
            assert_link(item["url"], "json url")
            for copy in item["_vnnews"]["copies"]:
                assert_link(copy["url"], "json copy")
        count = len(items)
    else:
        count = check_xml_feed(response.content, fmt)
    # The hostile articles are in the feed (not dropped): the test would see them.
    assert count >= 2
    text = response.content.decode("utf-8")
    assert "Tiêu đề" in text and "Đoạn mở đầu" in text


def test_the_hostile_entry_keeps_its_harmless_content(hostile_client: TestClient) -> None:
    document = hostile_client.get("/feeds/provinces/lam-dong.json").json()
    item = next(i for i in document["items"] if i["id"] == HOSTILE_URL)
    assert item["title"] == "Tiêu đề nguy hiểm"
    assert item["summary"].startswith("Tóm tắt")
    assert "a < b" in item["summary"]  # plain text keeps a lone "<"
    assert item["authors"] == [{"name": "Tác giả"}]
    html = item["content_html"]
    assert "Đoạn mở đầu" in html and "ký tự điều khiển" in html
    assert 'href="https://hostile.example.vn/tuong-doi"' in html  # relative made absolute
    js = next(i for i in document["items"] if i["title"] == "Liên kết javascript")
    assert js["url"].startswith("http://testserver/api/articles/")  # not javascript:


def test_api_fields_are_inert(hostile_client: TestClient) -> None:
    listing = hostile_client.get("/api/articles?province=lam-dong").json()["items"]
    hostile = next(item for item in listing if item["url"] == HOSTILE_URL)
    for key in ("title", "summary", "author"):
        assert_plain(hostile[key], f"api {key}")
    detail = hostile_client.get(hostile["api_url"].replace("http://testserver", "")).json()
    assert_inert_html(detail["content_html"], "api content_html")
    for key in ("title", "summary", "author", "category", "credited_outlet"):
        assert_plain(detail[key], f"api {key}")
    for tag in detail["tags"]:
        assert_plain(tag, "api tag")
    assert detail["images"] == [{"url": "https://hostile.example.vn/anh.jpg", "caption": "đẹp"}]
    assert detail["alternates"] == {"fr": "https://hostile.example.vn/fr"}
    assert detail["credited_url"] is None
    assert "Đoạn mở đầu" in detail["content_html"]


def test_the_checks_catch_active_markup() -> None:
    """The checkers themselves fail on what they must find."""
    for bad in ('<p onclick="x">a</p>', "<script>x</script>", '<a href="javascript:x">a</a>',
                '<a href=" JaVaScript:x">a</a>', '<img src="data:image/svg+xml,x">',
                '<div style="x">a</div>', "<iframe></iframe>", '<a href="/relative">a</a>',
                "<svg></svg>"):  # fmt: skip
        with pytest.raises(AssertionError):
            assert_inert_html(bad, "probe")
    with pytest.raises(AssertionError):
        assert_plain("<b>x</b>", "probe")
    with pytest.raises(AssertionError):
        assert_link("javascript:alert(1)", "probe")


def test_hostile_text_never_breaks_a_document(tmp_path: Path) -> None:
    """Characters XML cannot carry, in every field, still give well-formed feeds."""
    archive = make_archive(tmp_path)
    controls = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
    add_article(archive.url, {
        "url": "https://hostile.example.vn/dieu-khien.htm", "title": f"Tiêu{controls}đề",
        "summary": controls, "author": controls, "body_html": f"<p>{controls}</p>",
        "text": controls,
    }, LAM_DONG_TAGS)  # fmt: skip
    with client_for(archive.url) as client:
        for fmt in ("rss", "atom"):
            response = client.get(f"/feeds/provinces/lam-dong.{fmt}")
            assert response.status_code == 200
            check_xml_feed(response.content, fmt)
        assert client.get("/feeds/provinces/lam-dong.json").status_code == 200
