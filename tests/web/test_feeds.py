"""Feeds: every RSS and Atom variant well-formed for a real parser (feedparser, no bozo flag;
feedparser 6 does not read JSON Feed), every JSON Feed valid against the JSON Feed 1.1 schema, one entry per story with its copies, stable ids,
dates, absolute links, categories, RFC 5005 paging and conditional requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.web.archive import (
    BAOLAMDONG,
    DAKNONG,
    HANOI,
    LAICHAU,
    MST,
    UNDATED,
    VIETNAMVN_EN,
    build_archive,
)
from tests.web.support import (  # noqa: F401 - fixtures
    FEED_PATHS,
    FORMATS,
    Archive,
    archive_fixture,
    client_fixture,
    client_for,
    json_feed_errors,
    make_archive,
)

VARIANTS = [f"{path}.{fmt}" for path in FEED_PATHS for fmt in FORMATS] + [
    f"/feeds/all.{fmt}?q=chuyen+doi+so&lang=vi&since=2026-08-01&until=2026-12-31&copies=true"
    for fmt in FORMATS
] + [
    f"/feeds/provinces/lai-chau.{fmt}?province=ha-noi&topic=ai&source=laichau&limit=1"
    for fmt in FORMATS
]  # fmt: skip
XML_VARIANTS = [v for v in VARIANTS if ".json" not in v]
JSON_VARIANTS = [v for v in VARIANTS if ".json" in v]
VERSIONS = {"rss": "rss20", "atom": "atom10"}


def _parse(client: TestClient, url: str, **headers: str) -> feedparser.FeedParserDict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return feedparser.parse(response.content, response_headers=dict(response.headers))


def _ids(feed: feedparser.FeedParserDict) -> list[str]:
    return [entry.id for entry in feed.entries]


def _entry_ids(client: TestClient, url: str) -> list[str]:
    """Entry ids of any feed format, in document order."""
    if ".json" in url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]
    return _ids(_parse(client, url))


@pytest.mark.parametrize("url", XML_VARIANTS)
def test_every_feed_variant_parses_without_bozo(client: TestClient, url: str) -> None:
    fmt = url.split("?")[0].rsplit(".", 1)[1]
    parsed = _parse(client, url)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == VERSIONS[fmt]
    assert parsed.feed.title.startswith("vnnews: ")
    assert parsed.entries, "every variant here has stories"
    for entry in parsed.entries:
        assert entry.id and entry.title and entry.link.startswith("https://")


@pytest.mark.parametrize("url", JSON_VARIANTS)
def test_json_feed_validates_against_the_json_feed_1_1_schema(client: TestClient, url: str) -> None:
    document = client.get(url).json()
    assert json_feed_errors(document) == []
    assert document["title"].startswith("vnnews: ") and document["items"]
    for item in document["items"]:
        assert item["id"] and item["title"] and item["url"].startswith("https://")


def test_the_schema_catches_what_it_should() -> None:
    """The schema file is not a rubber stamp: broken documents fail it."""
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t",
            "items": [{"id": "1", "content_html": "<p>x</p>"}]}  # fmt: skip
    assert json_feed_errors(good) == []
    for broken in (
        {**good, "version": "1.1"},
        {**good, "items": [{"id": "1"}]},  # no content
        {**good, "items": [{"id": "1", "content_text": "x", "date_published": "2026-09-01"}]},
        {**good, "items": [{"id": "1", "content_text": "x", "url": "/relative"}]},
        {**good, "next_url": "not a url"},
        {**good, "itemz": []},
        {**good, "authors": []},
    ):
        assert json_feed_errors(broken), broken


def test_one_entry_per_story_the_original_with_its_copies(client: TestClient) -> None:
    atom = _parse(client, "/feeds/provinces/lam-dong.atom")
    assert _ids(atom) == [DAKNONG, MST]  # newest first; the story of MST once, not thrice
    entry = atom.entries[1]
    assert entry.link == MST
    related = sorted(link.href for link in entry.links if link.rel == "related")
    assert related == sorted([BAOLAMDONG, VIETNAMVN_EN])
    assert "Also published (2)" in entry.content[0].value
    assert BAOLAMDONG in entry.content[0].value and VIETNAMVN_EN in entry.content[0].value

    document = client.get("/feeds/provinces/lam-dong.json").json()
    copies = document["items"][1]["_vnnews"]["copies"]
    assert {(c["url"], c["relation"], c["language"]) for c in copies} == {
        (BAOLAMDONG, "republished", "vi"),
        (VIETNAMVN_EN, "translated", "en"),
    }


def test_all_feed_order_and_irrelevant_left_out(client: TestClient) -> None:
    for fmt in ("rss", "atom", "json"):
        assert _entry_ids(client, f"/feeds/all.{fmt}") == [DAKNONG, HANOI, LAICHAU, MST, UNDATED]


def test_ids_are_stable_across_base_urls_and_formats(archive: Archive) -> None:
    with client_for(archive.url, base_url="https://news.example.org/vn") as other:
        assert _ids(_parse(other, "/feeds/all.atom")) == _ids(
            _parse(other, "/feeds/all.rss")
        ) == [DAKNONG, HANOI, LAICHAU, MST, UNDATED]  # fmt: skip


def test_dates(client: TestClient) -> None:
    vn_8am_utc = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)
    rss = _parse(client, "/feeds/provinces/lam-dong.rss").entries[1]
    assert datetime(*rss.published_parsed[:6], tzinfo=UTC) == vn_8am_utc
    atom = _parse(client, "/feeds/provinces/lam-dong.atom").entries[1]
    assert datetime(*atom.published_parsed[:6], tzinfo=UTC) == vn_8am_utc
    assert datetime(*atom.updated_parsed[:6], tzinfo=UTC) == vn_8am_utc  # never re-fetched
    item = client.get("/feeds/provinces/lam-dong.json").json()["items"][1]
    assert item["date_published"] == "2026-09-01T01:00:00Z"
    # The undated article: no published date is made up; RSS falls back to when it was fetched.
    undated = client.get("/feeds/all.json").json()["items"][-1]
    assert undated["id"] == UNDATED and "date_published" not in undated
    assert _parse(client, "/feeds/all.rss").entries[-1].published_parsed is not None


def test_title_summary_author_content_and_categories(client: TestClient) -> None:
    entry = _parse(client, "/feeds/provinces/lam-dong.atom").entries[1]
    assert entry.title == "Lâm Đồng đẩy mạnh chuyển đổi số trong quản lý đất đai"
    assert entry.summary == "Tỉnh Lâm Đồng số hóa toàn bộ dữ liệu đất đai."
    assert "nền tảng số quản lý đất đai" in entry.content[0].value
    terms = {(t.term, t.label, t.scheme) for t in entry.tags}
    assert ("lam-dong", "Lâm Đồng", "http://testserver/api/provinces") in terms
    assert ("digital-transformation", "Chuyển đổi số", "http://testserver/api/topics") in terms
    rss = _parse(client, "/feeds/provinces/lam-dong.rss").entries[1]
    assert {t.term for t in rss.tags} >= {"Lâm Đồng", "Chuyển đổi số"}
    item = client.get("/feeds/provinces/lam-dong.json").json()["items"][1]
    assert set(item["tags"]) == {"lam-dong", "digital-transformation"}
    assert item["summary"] == "Tỉnh Lâm Đồng số hóa toàn bộ dữ liệu đất đai."


def test_absolute_links_from_forwarded_headers_and_base_url(archive: Archive) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "news.example.org",
                 "X-Forwarded-Prefix": "/vn"}  # fmt: skip
    with client_for(archive.url) as trusting:
        atom = _parse(trusting, "/feeds/all.atom?limit=2", **forwarded)
        links = {link.rel: link.href for link in atom.feed.links}
        assert links["self"] == "https://news.example.org/vn/feeds/all.atom?limit=2"
        assert links["first"] == "https://news.example.org/vn/feeds/all.atom?limit=2"
        assert links["next"].startswith(
            "https://news.example.org/vn/feeds/all.atom?limit=2&cursor="
        )
        assert links["alternate"] == "https://news.example.org/vn/"
        document = trusting.get("/feeds/all.json", headers=forwarded).json()
        assert document["feed_url"] == "https://news.example.org/vn/feeds/all.json"
    # Headers from a peer that is not a trusted proxy are ignored.
    with client_for(archive.url, forwarded_allow_ips="127.0.0.1") as wary:
        atom = _parse(wary, "/feeds/all.atom", **forwarded)
        assert {link.rel: link.href for link in atom.feed.links}["self"] == (
            "http://testserver/feeds/all.atom"
        )
    # A Host or forwarded host that is no host name is not echoed into the document.
    with client_for(archive.url) as trusting:
        for headers in ({"Host": "<script>x</script>"}, {"X-Forwarded-Host": 'a b"c'}):
            atom = _parse(trusting, "/feeds/all.atom", **headers)
            self_link = {link.rel: link.href for link in atom.feed.links}["self"]
            assert self_link in (
                "http://localhost/feeds/all.atom",
                "http://testserver/feeds/all.atom",
            )
    with client_for(archive.url, base_url="https://vnnews.example.net/") as configured:
        rss = _parse(configured, "/feeds/topics/ai.rss", **forwarded)
        assert rss.feed.link == "https://vnnews.example.net/"
        assert any(
            link.href == "https://vnnews.example.net/feeds/topics/ai.rss" for link in rss.feed.links
        )


def test_atom_next_links_page_through_every_story_once(client: TestClient) -> None:
    """RFC 5005 paged feed: follow ``next`` from the first page to the last."""
    seen: list[str] = []
    url: str | None = "/feeds/all.atom?limit=2"
    pages = 0
    while url:
        parsed = _parse(client, url)
        assert parsed.bozo == 0
        seen += _ids(parsed)
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["first"] == "http://testserver/feeds/all.atom?limit=2"
        url = links.get("next")
        pages += 1
    assert pages == 3
    assert seen == [DAKNONG, HANOI, LAICHAU, MST, UNDATED]
    document = client.get("/feeds/all.json?limit=4").json()
    assert len(document["items"]) == 4 and "cursor=" in document["next_url"]
    last = client.get(document["next_url"].replace("http://testserver", "")).json()
    assert [i["id"] for i in last["items"]] == [UNDATED] and "next_url" not in last


def test_province_feed_widens_with_province_topic_feed_narrows(client: TestClient) -> None:
    widened = _entry_ids(client, "/feeds/provinces/lai-chau.json?province=Hà Nội")
    assert widened == [HANOI, LAICHAU]
    narrowed = _entry_ids(client, "/feeds/topics/digital-transformation.atom?province=lam-dong")
    assert narrowed == [MST]


def test_names_redirect_to_the_slug_feed(client: TestClient) -> None:
    for name in ("Lâm Đồng", "lam dong", "Đắk Nông"):  # a name, unaccented, an old province
        response = client.get(f"/feeds/provinces/{name}.atom?limit=5", follow_redirects=False)
        assert response.status_code == 308
        assert (
            response.headers["location"]
            == "http://testserver/feeds/provinces/lam-dong.atom?limit=5"
        )
    response = client.get("/feeds/topics/Trí tuệ nhân tạo.rss", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "http://testserver/feeds/topics/ai.rss"


def test_unknown_province_or_topic_is_a_404_with_the_closest_names(client: TestClient) -> None:
    response = client.get("/feeds/provinces/lam-dongg.rss")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "unknown_province" and "Lâm Đồng" in body["closest"]
    response = client.get("/feeds/topics/semiconductor.json")
    assert response.status_code == 404 and "semiconductors" in response.json()["closest"]
    response = client.get("/feeds/all.rss?province=Lam Dongg")
    assert response.status_code == 404 and response.json()["param"] == "province"


def test_cache_control_and_validators(client: TestClient) -> None:
    for fmt in FORMATS:
        response = client.get(f"/feeds/all.{fmt}")
        assert response.headers["cache-control"] == "public, max-age=300"
        assert response.headers["etag"].startswith('"')
        # Last-Modified: the latest change of anything in the feed (all stored 'now' here).
        modified = datetime.strptime(response.headers["last-modified"], "%a, %d %b %Y %H:%M:%S GMT")
        assert abs((modified.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()) < 600


def _import(url: str, record: dict) -> None:
    build_archive(url, [record])


NEW_STORY = {
    "url": "https://baolamdong.vn/da-lat-thu-nghiem-xe-tu-hanh-499999.html", "source": "baolamdong",
    "lang": "vi", "published_at": "2026-09-09T08:00:00",
    "title": "Đà Lạt thử nghiệm xe buýt tự hành phục vụ du khách",
    "text": "Thành phố Đà Lạt, tỉnh Lâm Đồng thử nghiệm xe buýt tự hành ứng dụng trí tuệ nhân tạo "
    "trên tuyến quanh hồ Xuân Hương. Hệ thống trí tuệ nhân tạo điều khiển xe và nhận diện người "
    "đi bộ. Sở Khoa học và Công nghệ Lâm Đồng đánh giá công nghệ AI này trước khi nhân rộng.",
}  # fmt: skip
OTHER_PROVINCE = {
    "url": "https://laichau.gov.vn/tin-tuc/lai-chau-mang-5g.html", "source": "laichau",
    "lang": "vi", "published_at": "2026-09-09T09:00:00",
    "title": "Lai Châu phủ sóng mạng 5G tại trung tâm tỉnh",
    "text": "Tỉnh Lai Châu phủ sóng mạng 5G tại trung tâm tỉnh, phục vụ chuyển đổi số. Nhà mạng "
    "lắp đặt trạm phát sóng 5G mới ở thành phố Lai Châu.",
}  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_conditional_requests(tmp_path: Path, fmt: str) -> None:
    archive_ = make_archive(tmp_path)
    url = f"/feeds/provinces/lam-dong.{fmt}"
    with client_for(archive_.url) as client_:
        first = client_.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client_.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag and again.headers["cache-control"]
        assert client_.get(url, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
        assert client_.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert (
            client_.get(
                url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
            ).status_code
            == 200
        )
        assert client_.get(url, headers={"If-Modified-Since": "yesterday"}).status_code == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110): a stale tag is a full answer.
        stale = client_.get(url, headers={"If-None-Match": '"old"', "If-Modified-Since": modified})
        assert stale.status_code == 200

        _import(archive_.url, OTHER_PROVINCE)  # another province's story: this feed unchanged
        assert client_.get(url, headers={"If-None-Match": etag}).status_code == 304

        _import(archive_.url, NEW_STORY)  # a new story of the province: a new ETag
        changed = client_.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert _entry_ids(client_, url)[0] == NEW_STORY["url"]
        assert (
            client_.get(url, headers={"If-None-Match": changed.headers["etag"]}).status_code == 304
        )


def test_json_feed_is_utf8_json_with_its_media_type(client: TestClient) -> None:
    response = client.get("/feeds/all.json")
    assert response.headers["content-type"] == "application/feed+json; charset=utf-8"
    assert (
        json.loads(response.content.decode("utf-8"))["version"]
        == "https://jsonfeed.org/version/1.1"
    )
    assert "Lâm Đồng" in response.content.decode("utf-8")  # not \\u-escaped
