"""Conditional GET and the pagination stop, component by component: the middleware built with
``get_crawler()`` and fed hand-made requests and responses, the spider's callbacks on
hand-made responses, and the validators table. No network."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response

from crawler.conditional import (
    COMPLETE,
    STOP_PAGINATION,
    VIA,
    ConditionalGetMiddleware,
    DiscoveryMiddleware,
    NotModified,
    page_failed,
)
from crawler.items import ArticleItem
from crawler.pipelines import ArchivePipeline
from spiders.base import STOP_KNOWN
from spiders.cdnchinhphu import MstSpider
from storage.engine import open_archive, session_factory
from storage.models import HttpValidator
from storage.sources import ensure_source
from storage.validators import (
    Validators,
    forget_validators,
    get_validators,
    save_validators,
    touch_validators,
)
from tests.conftest import project_crawler as make_crawler

FEED = "https://mst.gov.vn/rss/home.rss"
LISTING = "https://mst.gov.vn/tin-tuc-su-kien.htm"
ARTICLE = "https://mst.gov.vn/bai-moi-19726090514301234.htm"
ETAG = '"abc123"'
LAST_MODIFIED = "Sat, 05 Sep 2026 07:30:00 GMT"


def project_crawler(**overrides: object):  # noqa: ANN201
    return make_crawler(MstSpider, **{"VNNEWS_RUNS_ENABLED": False, **overrides})


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with session_factory(open_archive(url))() as session:
        ensure_source(session, key="mst", name="MST", host="mst.gov.vn", spider="mst")
        session.commit()
    return url


def rows(db: str) -> dict[str, HttpValidator]:
    with session_factory(open_archive(db))() as session:
        return {r.url: r for r in session.query(HttpValidator).all()}


def seed(db: str, *validators: Validators) -> None:
    with session_factory(open_archive(db))() as session:
        save_validators(session, validators)
        session.commit()


def request(url: str, role: str, **meta: object) -> Request:
    return Request(url, meta={"vnnews_role": role, **meta})


def answer(req: Request, status: int = 200, headers: dict | None = None) -> Response:
    return Response(req.url, status=status, headers=headers or {}, request=req)


def close(crawler, reason: str = "finished") -> None:  # noqa: ANN001
    crawler.signals.send_catch_log(signal=signals.spider_closed, spider=None, reason=reason)


# -- the validators table -------------------------------------------------------------------


def test_validators_are_saved_replaced_touched_and_forgotten(db: str) -> None:
    then = datetime(2026, 9, 1, tzinfo=UTC)
    later = datetime(2026, 9, 2, tzinfo=UTC)
    with session_factory(open_archive(db))() as session:
        assert get_validators(session, FEED) is None
        save_validators(session, [Validators(FEED, ETAG, LAST_MODIFIED)], checked_at=then)
        save_validators(
            session, [Validators(LISTING)], checked_at=then
        )  # none sent: a row all the same
        session.commit()
        save_validators(session, [Validators(FEED, '"new"', None)], checked_at=then)
        assert (
            touch_validators(session, [LISTING, "https://mst.gov.vn/unknown.rss"], checked_at=later)
            == 1
        )
        assert forget_validators(session, ["https://mst.gov.vn/never.rss"]) == 0
        session.commit()
        feed = get_validators(session, FEED)
        assert (feed.etag, feed.last_modified) == ('"new"', None)
        listing = get_validators(session, LISTING)
        assert listing.etag is None and listing.checked_at == later
        assert forget_validators(session, [FEED]) == 1
        session.commit()
        assert get_validators(session, FEED) is None


# -- the downloader middleware ----------------------------------------------------------------


def test_discovery_requests_carry_the_stored_validators(db: str) -> None:
    seed(db, Validators(FEED, ETAG, LAST_MODIFIED), Validators(LISTING))
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    mw = ConditionalGetMiddleware.from_crawler(crawler)

    feed = request(FEED, "feed")
    mw.process_request(feed)
    assert feed.headers[b"If-None-Match"] == ETAG.encode()
    assert feed.headers[b"If-Modified-Since"] == LAST_MODIFIED.encode()
    assert feed.meta[COMPLETE] is True

    listing = request(LISTING, "listing")  # a row without validators: nothing to send
    mw.process_request(listing)
    assert b"If-None-Match" not in listing.headers and listing.meta[COMPLETE] is True

    unknown = request("https://mst.gov.vn/rss/other.rss", "feed")
    mw.process_request(unknown)
    assert not unknown.headers and COMPLETE not in unknown.meta

    article = request(FEED, "article")  # same URL, but not a discovery page
    mw.process_request(article)
    assert not article.headers and COMPLETE not in article.meta
    assert crawler.stats.get_value("vnnews/conditional/sent") == 1


def test_refresh_sends_no_validators(db: str) -> None:
    seed(db, Validators(FEED, ETAG, LAST_MODIFIED))
    mw = ConditionalGetMiddleware.from_crawler(project_crawler(VNNEWS_DATABASE_URL=db,
                                                               VNNEWS_REFRESH=True))  # fmt: skip
    feed = request(FEED, "feed")
    mw.process_request(feed)
    assert not feed.headers


def test_switched_off() -> None:
    with pytest.raises(NotConfigured):
        ConditionalGetMiddleware.from_crawler(project_crawler(VNNEWS_CONDITIONAL_ENABLED=False))


def test_validators_are_stored_only_when_the_crawl_finished(db: str) -> None:
    for reason, stored in (("shutdown", False), ("closespider_itemcount", False),
                           ("finished", True)):  # fmt: skip
        crawler = project_crawler(VNNEWS_DATABASE_URL=db)
        mw = ConditionalGetMiddleware.from_crawler(crawler)
        feed = request(FEED, "feed")
        mw.process_request(feed)
        response = answer(feed, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
        assert mw.process_response(feed, response) is response
        assert rows(db) == {}, "nothing is written before the crawl ends"
        close(crawler, reason)
        assert (FEED in rows(db)) is stored, reason
    row = rows(db)[FEED]
    assert (row.etag, row.last_modified) == (ETAG, LAST_MODIFIED)
    assert crawler.stats.get_value("vnnews/conditional/stored") == 1


def test_a_failure_behind_a_page_keeps_its_validators_out(db: str) -> None:
    seed(db, Validators(LISTING, '"old"', None))
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    mw = ConditionalGetMiddleware.from_crawler(crawler)
    page2 = "https://mst.gov.vn/tin-tuc-su-kien/trang-2.htm"
    for url, role in ((FEED, "feed"), (LISTING, "listing"), (page2, "listing")):
        req = request(url, role)
        mw.process_response(req, answer(req, headers={"ETag": f'"{len(url)}"'}))
    # an article two pages down the listing failed; the feed's articles were all fine
    crawler.signals.send_catch_log(signal=page_failed, meta={VIA: (LISTING, page2)}, url=ARTICLE)
    close(crawler)
    stored = rows(db)
    assert FEED in stored
    assert LISTING not in stored and page2 not in stored  # the old row is gone too
    assert crawler.stats.get_value("vnnews/conditional/forgotten") == 2


def test_pipeline_and_callback_errors_count_as_failures(db: str) -> None:
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    mw = ConditionalGetMiddleware.from_crawler(crawler)
    other = "https://mst.gov.vn/rss/other.rss"
    for url in (FEED, other):
        req = request(url, "feed")
        mw.process_response(req, answer(req, headers={"ETag": ETAG}))
    failed_article = answer(request(ARTICLE, "article", **{VIA: (FEED,)}))
    crawler.signals.send_catch_log(signal=signals.item_error, item=None,
                                   response=failed_article, spider=None, failure=None)  # fmt: skip
    crawler.signals.send_catch_log(signal=signals.spider_error, failure=None,
                                   response=answer(request(other, "feed")), spider=None)  # fmt: skip
    close(crawler)
    assert rows(db) == {}


def test_not_modified_is_counted_and_touched(db: str) -> None:
    seed(db, Validators(FEED, ETAG, None))
    before = rows(db)[FEED].checked_at
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    mw = ConditionalGetMiddleware.from_crawler(crawler)
    feed = request(FEED, "feed")
    mw.process_request(feed)
    response = answer(feed, status=304)
    assert mw.process_response(feed, response) is response
    assert crawler.stats.get_value("vnnews/conditional/not_modified") == 1
    close(crawler)
    row = rows(db)[FEED]
    assert row.etag == ETAG and row.checked_at > before


# -- the spider middleware and the spider ------------------------------------------------------


def html(url: str, body: str, **meta: object) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8",
                        request=Request(url, meta=dict(meta)))  # fmt: skip


def test_requests_remember_the_discovery_pages_above_them() -> None:
    mw = DiscoveryMiddleware.from_crawler(project_crawler())
    page2 = html("https://mst.gov.vn/p2.htm", "", vnnews_role="listing", **{VIA: (LISTING,)})
    child = mw.get_processed_request(request(ARTICLE, "article"), page2)
    assert child.meta[VIA] == (LISTING, "https://mst.gov.vn/p2.htm")
    from_article = mw.get_processed_request(
        request(ARTICLE, "article"), html(ARTICLE, "", vnnews_role="article")
    )
    assert VIA not in from_article.meta
    assert mw.get_processed_request(request(FEED, "feed"), None).meta.get(VIA) is None


def test_a_304_never_reaches_a_callback_and_a_stopped_listing_follows_no_page() -> None:
    mw = DiscoveryMiddleware.from_crawler(project_crawler())
    not_modified = answer(request(FEED, "feed"), status=304)
    with pytest.raises(NotModified):
        mw.process_spider_input(not_modified)
    assert mw.process_spider_input(answer(request(FEED, "feed"))) is None
    assert mw.process_spider_input(answer(request(ARTICLE, "article"), status=304)) is None

    stopped = html(LISTING, "", vnnews_role="listing", **{STOP_PAGINATION: True})
    assert mw.get_processed_request(request(LISTING + "?page=2", "listing"), stopped) is None
    assert mw.get_processed_request(request(ARTICLE, "article"), stopped) is not None


def _listing(*paths: str, next_path: str | None = "/tin-tuc-su-kien/trang-2.htm") -> str:
    items = "".join(
        f'<div class="box-category-item"><a class="box-category-link-title" href="{p}">t</a></div>'
        for p in paths
    )
    nxt = f'<a rel="next" href="{next_path}">sau</a>' if next_path else ""
    return f"<html><body>{items}{nxt}</body></html>"


KNOWN = "/da-luu-19726090514300001.htm"
NEW = "/bai-moi-19726090514300002.htm"


@pytest.fixture()
def mst_spider(db: str) -> MstSpider:
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    spider = MstSpider.from_crawler(crawler)
    crawler.spider = spider
    ArchivePipeline.from_crawler(crawler).process_item(
        ArticleItem(
            url="https://mst.gov.vn" + KNOWN,
            source="mst",
            title="Đã lưu",
            text="Bài đã có trong kho.",
            published_at=datetime(2026, 9, 5, tzinfo=UTC),
        )  # fmt: skip
    )
    return spider


def _roles(requests: list[Request]) -> list[str]:
    return [r.meta["vnnews_role"] for r in requests]


def test_pagination_stops_at_a_page_of_archived_articles(mst_spider: MstSpider) -> None:
    stats = mst_spider.crawler.stats
    # a start page processed in full before: an all-archived page stops the walk
    known_only = html(LISTING, _listing(KNOWN), vnnews_role="listing", page=1, **{COMPLETE: True})
    assert list(mst_spider.parse_listing(known_only)) == []
    assert known_only.meta[STOP_PAGINATION] is True
    assert stats.get_value("vnnews/listing/stopped_known") == 1
    assert stats.get_value("vnnews/links/article") == 1  # found, though not followed: healthy

    # a page with something new goes on, and tells the next page it may stop
    mixed = html(LISTING, _listing(KNOWN, NEW), vnnews_role="listing", page=1, **{COMPLETE: True})
    out = list(mst_spider.parse_listing(mixed))
    assert _roles(out) == ["article", "article", "listing"]
    assert out[-1].meta[STOP_KNOWN] is True and out[-1].meta["page"] == 2
    page2 = html(out[-1].url, _listing(KNOWN), vnnews_role="listing", page=2, **{STOP_KNOWN: True})
    assert list(mst_spider.parse_listing(page2)) == []
    assert stats.get_value("vnnews/listing/stopped_known") == 2


def test_pagination_is_walked_when_the_listing_was_never_finished(mst_spider: MstSpider) -> None:
    # first crawl, or the last one was killed or failed below this listing: no row, no stop
    first = html(LISTING, _listing(KNOWN), vnnews_role="listing", page=1)
    out = list(mst_spider.parse_listing(first))
    assert _roles(out) == ["article", "listing"]
    assert STOP_KNOWN not in out[-1].meta
    # an empty page is not "all archived"
    empty = html(LISTING, _listing(), vnnews_role="listing", page=1, **{COMPLETE: True})
    assert _roles(list(mst_spider.parse_listing(empty))) == ["listing"]
    assert mst_spider.crawler.stats.get_value("vnnews/listing/stopped_known") is None


def test_refresh_walks_every_page(db: str, mst_spider: MstSpider) -> None:
    mst_spider.refresh = True
    page = html(LISTING, _listing(KNOWN), vnnews_role="listing", page=1, **{COMPLETE: True})
    assert _roles(list(mst_spider.parse_listing(page))) == ["article", "listing"]


def test_callbacks_read_304_as_nothing_new(mst_spider: MstSpider) -> None:
    for callback, role in ((mst_spider.parse_feed, "feed"), (mst_spider.parse_sitemap, "sitemap"),
                           (mst_spider.parse_listing, "listing")):  # fmt: skip
        assert list(callback(answer(request(FEED, role), status=304))) == []
    assert mst_spider.crawler.stats.get_value("vnnews/errors/malformed_feed") is None


def test_discovery_requests_accept_304_and_failures_are_reported(mst_spider: MstSpider) -> None:
    req = mst_spider._request(FEED, "feed", mst_spider.parse_feed)
    assert req.meta["handle_httpstatus_list"] == [304]
    assert "handle_httpstatus_list" not in mst_spider._request(ARTICLE, "article", None).meta
    seen = []
    mst_spider.crawler.signals.connect(lambda meta, url: seen.append((meta, url)),
                                       signal=page_failed, weak=False)  # fmt: skip
    broken = html(FEED, "<rss><channel><item>&", vnnews_role="feed", **{VIA: ()})
    list(mst_spider.parse_feed(broken))
    assert seen and seen[0][1] == FEED


def test_an_unchanged_site_is_not_degraded() -> None:
    from crawler.health import run_health

    # robots.txt and four "304 Not Modified": no links, and none expected
    unchanged = {"downloader/response_count": 5, "robotstxt/response_count": 1,
                 "vnnews/conditional/not_modified": 4}  # fmt: skip
    assert not run_health(unchanged).degraded
    # one page did answer with content, and it held no link: that still says something
    changed = {**unchanged, "downloader/response_count": 6}
    assert run_health(changed).degraded
