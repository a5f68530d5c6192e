"""``vnnews crawl baolamdong`` end to end: the baolamdong.vn fixture site (OneCMS markup, our
own text) on 127.0.0.1, crawled through Scrapy's real engine and downloader by the real CLI in
a child process into a real SQLite archive, checked field by field against _expected.json."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.devserver import FixtureServer
from spiders.baolamdong import BaolamdongSpider
from spiders.registry import BAOLAMDONG
from tests.conftest import project_crawler
from tests.e2e.checks import check_article
from tests.e2e.conftest import (
    Archive,
    article_requests,
    crawl_source,
    expected,
    request_target,
    sqlite_url,
)

HOST = "baolamdong.vn"
SPIDER = "baolamdong"
EXPECTED = expected(HOST)
BAD = EXPECTED["bad_pages"]
DETAILS = EXPECTED["bad_page_details"]


def _article_paths(records: list) -> list[str]:  # noqa: ANN001
    return article_requests(records, HOST, BAOLAMDONG.article_path)


@pytest.fixture(scope="module")
def crawl(
    fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    db = sqlite_url(tmp_path_factory.mktemp(SPIDER) / "archive.sqlite3")
    crawl = crawl_source(fixture_server, db, SPIDER, HOST, "--quiet")
    return SimpleNamespace(
        result=crawl.result, log=crawl.log, articles=crawl.articles, runs=Archive(db).runs(SPIDER)
    )


def test_crawl_ends_cleanly_with_a_summary(crawl: SimpleNamespace) -> None:
    assert crawl.result.returncode == 0, crawl.result.stderr
    assert f"{SPIDER:<14} ok" in crawl.result.stdout
    assert "Traceback" not in crawl.result.stderr


@pytest.mark.parametrize("want", EXPECTED["articles"], ids=lambda w: request_target(w["url"])[1:41])
def test_every_expected_article_is_stored_field_by_field(
    crawl: SimpleNamespace, want: dict
) -> None:
    stored = crawl.articles.get(want["url"])
    assert stored is not None, f"{want['url']} not stored; stored: {sorted(crawl.articles)}"
    check_article(stored, want)
    assert stored.url == want["url"]
    assert stored.source.key == SPIDER
    assert stored.lang == want["lang"]
    assert stored.extraction.get("lang") == want["fallbacks"].get("lang", "markup")
    assert stored.credited_outlet == want["credited_outlet"]
    assert stored.credited_url == want["credited_url"]
    # every recorded fallback is the step the fixture was built to exercise
    for field, step in want["fallbacks"].items():
        assert stored.extraction.get(field) == step, (field, stored.extraction)
    for field in ("author", "tags", "category", "credited_outlet", "credited_url"):
        if field not in want["fallbacks"] and getattr(stored, field):
            assert stored.extraction.get(field) == "selector", (field, stored.extraction)


def test_republication_records_outlet_and_original_url(crawl: SimpleNamespace) -> None:
    republished = [a for a in EXPECTED["articles"] if a["credited_url"]]
    assert republished, "the fixture site needs a republication"
    for want in republished:
        stored = crawl.articles[want["url"]]
        assert urlsplit(stored.credited_url).netloc not in ("", HOST)
        assert stored.extraction["credited_url"] == "selector"  # the source box
    own = [a for a in EXPECTED["articles"] if not a["credited_outlet"]]
    assert own and all(crawl.articles[a["url"]].credited_outlet is None for a in own)


def test_every_discovery_path_found_articles(crawl: SimpleNamespace) -> None:
    via = Counter(v for a in EXPECTED["articles"] for v in a["discovered_via"])
    assert via["rss"] and via["listing"]
    requested = {r.path for r in crawl.log}
    for start in EXPECTED["discovery"]:
        assert start in requested, start
    for want in EXPECTED["articles"]:
        assert request_target(want["url"]) in requested, want["url"]


def test_listing_pagination_follows_load_more_to_the_empty_end(crawl: SimpleNamespace) -> None:
    listing = [r.path for r in crawl.log if r.path.startswith("/cong-nghe-chuyen-doi-so")]
    assert listing == [request_target(u) for u in EXPECTED["listing_pages"]]
    stats = crawl.runs[0].stats
    assert "vnnews/listing/guessed_next" not in stats  # every page had a real "Xem thêm" link


def test_bad_pages_are_logged_counted_and_do_not_stop_the_crawl(crawl: SimpleNamespace) -> None:
    stats = crawl.runs[0].stats
    err = crawl.result.stderr

    no_date = crawl.articles[BAD["no_date"]]
    assert no_date.title == DETAILS["no_date"]["title"]
    assert no_date.published_at is None
    assert stats["vnnews/warnings/missing_published_at"] == 1
    assert f"{BAD['no_date']}: missing published_at" in err

    truncated = crawl.articles[BAD["truncated"]]
    assert truncated.title == DETAILS["truncated"]["title"]
    assert truncated.summary == DETAILS["truncated"]["summary"]
    assert truncated.published_at.isoformat() == DETAILS["truncated"]["published_at"]
    for sentence in DETAILS["truncated"]["text_contains"]:
        assert sentence in truncated.text
    assert stats["vnnews/warnings/truncated_html"] == 1
    assert f"{BAD['truncated']}: truncated html" in err

    mislabelled = crawl.articles[BAD["wrong_charset"]]
    assert mislabelled.title == DETAILS["wrong_charset"]["title"]
    assert mislabelled.author == DETAILS["wrong_charset"]["author"]
    for sentence in DETAILS["wrong_charset"]["text_contains"]:
        assert sentence in mislabelled.text
    assert stats["vnnews/charset/mislabelled"] >= 1
    assert "declares charset" in err

    assert BAD["not_found"] not in crawl.articles
    assert stats["vnnews/errors/http_404"] == 1
    assert f"could not fetch {BAD['not_found']}: HTTP 404" in err

    assert BAD["retry_500"] in crawl.articles
    assert stats["retry/count"] >= 1
    assert [r.status for r in crawl.log if r.path == request_target(BAD["retry_500"])] == [500, 200]

    assert BAD["too_large"] not in crawl.articles
    assert stats["vnnews/errors/too_large"] == 1
    assert "larger than the download size limit" in err

    assert stats["vnnews/errors/malformed_feed"] == 1
    assert f"malformed feed {BAD['malformed_feed']}" in err
    assert stats["vnnews/listing/empty"] == 1
    assert f"listing {BAD['empty_listing']} holds no article links" in err


def test_run_is_recorded_and_healthy(crawl: SimpleNamespace) -> None:
    run = crawl.runs[0]
    assert run.status == "ok"
    assert run.new == len(crawl.articles) == EXPECTED["stored_count"]
    assert run.errors >= 3  # 404, too large, malformed feed
    assert not run.degraded, run.health
    health = run.health
    assert health["degraded"] is False and health["reasons"] == []
    assert health["articles_parsed"] == EXPECTED["stored_count"]
    assert health["missing_dates"] == 1
    # the fixture's fallback variants show up as a small, non-zero share
    assert 0 < health["fallback_share"] < 0.5
    assert health["field_fallback_share"]["summary"] > 0  # the older template's lead
    assert health["field_fallback_share"]["published_at"] > 0  # meta date, no date


def test_no_article_page_is_requested_twice(crawl: SimpleNamespace) -> None:
    counts = Counter(_article_paths(crawl.log))
    assert {p: n for p, n in counts.items() if n > 1} == {request_target(BAD["retry_500"]): 2}


# -- the spider's listing pagination on hand-made responses (no server) -------------------------


def _listing_requests(html: str, url: str, page: int, max_pages: int = 5) -> list:
    crawler = project_crawler(BaolamdongSpider, VNNEWS_MAX_LISTING_PAGES=max_pages)
    spider = BaolamdongSpider.from_crawler(crawler)
    request = Request(url, meta={"vnnews_role": "listing", "page": page})
    response = HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)
    return list(spider.parse_listing(response))


JS_LISTING = """<html><body><ul class="onecms__loading">
<li class="article__loading"><h3 class="b-grid__title">
<a href="/lam-dong-ra-mat-ban-do-so-386301.html">A</a></h3></li></ul>
<div class="c-more onecms__loadmore"><a href="javascript:;">Xem thêm</a></div></body></html>"""


def test_spider_guesses_the_next_page_when_load_more_is_javascript_only() -> None:
    url = f"https://{HOST}/cong-nghe-chuyen-doi-so?page=2"
    requests = _listing_requests(JS_LISTING, url, page=2)
    roles = [(r.meta["vnnews_role"], r.url) for r in requests]
    assert roles == [
        ("article", f"https://{HOST}/lam-dong-ra-mat-ban-do-so-386301.html"),
        ("listing", f"https://{HOST}/cong-nghe-chuyen-doi-so?page=3"),
    ]
    assert requests[1].meta["page"] == 3
    # the page limit holds for guessed pages too
    assert [r.meta["vnnews_role"] for r in _listing_requests(JS_LISTING, url, page=5)] == [
        "article"
    ]
