"""The browse page's filter parsing, feed links and body sanitizing, without a browser."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.tagging.gazetteer import load_gazetteer
from web.pages import SourceChoice, _clean_body, feed_links, parse_filters

SOURCES = [SourceChoice("mst", "Bộ Khoa học và Công nghệ"), SourceChoice("laichau", "Lai Châu")]


def parse(**query: str):
    return parse_filters(query, load_gazetteer(), SOURCES)


@pytest.mark.parametrize(
    ("typed", "slug", "old"),
    [
        ("thai-nguyen", "thai-nguyen", None),
        ("Thái Nguyên", "thai-nguyen", None),
        ("Bắc Kạn", "thai-nguyen", "Bắc Kạn"),
        ("bac kan", "thai-nguyen", "Bắc Kạn"),
        ("tỉnh Bắc Kạn", "thai-nguyen", "Bắc Kạn"),
        ("Thừa Thiên Huế", "hue", "Thừa Thiên Huế"),
        ("Sài Gòn", "ho-chi-minh", None),  # another name, not an old province
        ("Bình Dương", "ho-chi-minh", "Bình Dương"),
        ("Lam Dong", "lam-dong", None),
    ],
)
def test_province_by_slug_name_or_old_name(typed, slug, old):
    filters, notes, problems = parse(province_name=typed)
    assert problems == [] and filters.province is not None
    assert filters.province.slug == slug
    # an old name says which unit it became; the unit's own names say nothing
    if old:
        (note,) = notes
        assert old in note and filters.province.name_vi in note
    else:
        assert notes == []
    # the text box wins over the select, and both accept the same values
    assert parse(province="lai-chau", province_name=typed)[0].province.slug == slug
    assert parse(province=typed)[0].province.slug == slug


def test_unknown_province_suggests_the_closest_names():
    filters, _notes, problems = parse(province="Bac Kn")
    assert filters.province is None
    (problem,) = problems
    assert problem.field == "province" and problem.status == 404
    labels = [label for label, _href in problem.suggestions]
    assert "Bắc Kạn (now Thái Nguyên)" in labels
    queries = dict(problem.suggestions)
    assert queries["Bắc Kạn (now Thái Nguyên)"] == {"province": "thai-nguyen"}


def test_topic_source_dates_text_page():
    filters, notes, problems = parse(
        topic="Digital transformation", source="mst", since="2025-07-01", until="2025-07-31",
        q="  chuyển   đổi số ", page="3",
    )  # fmt: skip
    assert problems == [] and notes == []
    assert filters.topic.slug == "digital-transformation"
    assert filters.source == "mst"
    assert (filters.since, filters.until) == (date(2025, 7, 1), date(2025, 7, 31))
    assert filters.q == "chuyển đổi số"
    assert filters.page == 3
    assert filters.params() == {
        "topic": "digital-transformation", "source": "mst", "since": "2025-07-01",
        "until": "2025-07-31", "q": "chuyển đổi số", "page": "3",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ({"topic": "astrology"}, "topic", 404),
        ({"source": "msst"}, "source", 404),
        ({"since": "01/07/2025"}, "since", 400),
        ({"until": "2025-02-30"}, "until", 400),
        ({"until": "9999-12-31"}, "until", 400),
        ({"since": "0001-01-01"}, "since", 400),
        ({"since": "2025-08-01", "until": "2025-07-01"}, "until", 400),
        ({"page": "0"}, "page", 400),
        ({"page": "x"}, "page", 400),
        ({"page": "501"}, "page", 400),
    ],
)
def test_bad_values_are_problems(query, field, status):
    _filters, _notes, problems = parse(**query)
    assert [(p.field, p.status) for p in problems] == [(field, status)]
    assert problems[0].message


def test_close_source_is_suggested():
    _filters, _notes, (problem,) = parse(source="msst")
    assert problem.suggestions == [("Bộ Khoa học và Công nghệ", {"source": "mst"})]


@pytest.mark.parametrize(
    ("query", "path", "params"),
    [
        ({}, "/feeds/all", {}),
        ({"province": "Bắc Kạn"}, "/feeds/provinces/thai-nguyen", {}),
        ({"topic": "ai"}, "/feeds/topics/ai", {}),
        ({"province": "hue", "topic": "ai"}, "/feeds/provinces/hue", {"topic": ["ai"]}),
        (
            {"source": "mst", "since": "2025-07-01", "q": "5G", "page": "2"},
            "/feeds/all",
            {"source": ["mst"], "since": ["2025-07-01"], "q": ["5G"]},
        ),
        # the page's "To" day is inclusive; the feeds' until is exclusive: the next day
        ({"until": "2025-07-31"}, "/feeds/all", {"until": ["2025-08-01"]}),
    ],
)
def test_feed_links_carry_the_filters(query, path, params):
    filters, _notes, problems = parse(**query)
    assert not problems
    links = feed_links("http://example.test", filters, "t")
    assert [link.media_type for link in links] == [
        "application/rss+xml", "application/atom+xml", "application/feed+json",
    ]  # fmt: skip
    for link, ext in zip(links, ("rss", "atom", "json"), strict=True):
        parts = urlsplit(link.href)
        assert (parts.scheme, parts.netloc, parts.path) == ("http", "example.test", f"{path}.{ext}")
        assert parse_qs(parts.query) == params  # paging is the feed's own


def test_body_is_sanitized_again():
    dirty = (
        '<p onclick="x()">a</p><script>x()</script><a href="javascript:x()">b</a>'
        '<img src="https://example.test/i.png" onerror="x()"><iframe src="https://e.test"></iframe>'
        '<a href="https://example.test/">c</a>'
    )
    clean = str(_clean_body(dirty))
    for bad in ("onclick", "<script", "javascript:", "onerror", "<iframe"):
        assert bad not in clean
    assert '<a href="https://example.test/" rel="noopener noreferrer nofollow">c</a>' in clean
    assert '<img src="https://example.test/i.png">' in clean
    assert _clean_body("<script>x()</script>") is None
    assert _clean_body(None) is None
