"""``vnnews crawl tapchicongsan`` end to end: the www.tapchicongsan.org.vn fixture site (Liferay,
Vietnamese and English editions) on 127.0.0.1, crawled by the real CLI through Scrapy's engine
and downloader into a real SQLite archive, then crawled again.

The site has no known RSS feed or sitemap, so discovery is by listings; the broken discovery
page is a listing cut short (see tests/fixtures/sitegen/liferay.py).
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from crawler.devserver import FixtureServer
from spiders.registry import TAPCHICONGSAN
from tests.e2e.checks import check_article
from tests.e2e.conftest import (
    Archive,
    article_requests,
    crawl_source,
    expected,
    request_target,
    sqlite_url,
)

HOST = "www.tapchicongsan.org.vn"
SPIDER = "tapchicongsan"
EXPECTED = expected(HOST)
BAD = EXPECTED["bad_pages"]
DETAILS = EXPECTED["bad_page_details"]
ARTICLES = EXPECTED["articles"]


def _article_paths(records: list) -> list[str]:  # noqa: ANN001
    return article_requests(records, HOST, TAPCHICONGSAN.article_path)


@pytest.fixture(scope="module")
def crawl(
    fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    db = sqlite_url(tmp_path_factory.mktemp("tccs") / "archive.sqlite3")
    first = crawl_source(fixture_server, db, SPIDER, HOST)
    second = crawl_source(fixture_server, db, SPIDER, HOST, "--quiet", fresh=False)
    return SimpleNamespace(
        first=first.result, second=second.result, first_log=first.log, second_log=second.log,
        articles=first.articles, after_second=second.articles, runs=Archive(db).runs(SPIDER),
    )  # fmt: skip


def test_crawl_ends_cleanly_with_a_summary(crawl: SimpleNamespace) -> None:
    assert crawl.first.returncode == 0, crawl.first.stderr
    assert "summary" in crawl.first.stdout
    assert f"{SPIDER}  ok" in crawl.first.stdout
    assert "Traceback" not in crawl.first.stderr


@pytest.mark.parametrize("want", ARTICLES, ids=lambda w: urlsplit(w["url"]).path[-40:])
def test_every_expected_article_is_stored_field_by_field(
    crawl: SimpleNamespace, want: dict
) -> None:
    stored = crawl.articles.get(want["url"])
    assert stored is not None, f"{want['url']} not stored; stored: {sorted(crawl.articles)}"
    check_article(stored, want)
    assert stored.url == want["url"]
    assert stored.source.key == SPIDER
    # the outlet's signature leaves the lead and is kept as the credited outlet
    assert stored.credited_outlet == want["credited_outlet"]
    assert stored.extraction["credited_outlet"] == "lead"
    assert not stored.summary.startswith(want["credited_outlet"])
    assert stored.extraction["lang"] == want["lang_step"]
    assert stored.alternates == want["alternates"]
    for field, step in want["fallbacks"].items():
        assert stored.extraction[field] == step, (field, stored.extraction)


def test_both_editions_are_stored_with_their_language(crawl: SimpleNamespace) -> None:
    langs = Counter(crawl.articles[a["url"]].lang for a in ARTICLES)
    assert langs["en"] == EXPECTED["english_article_count"] >= 3
    assert langs["vi"] >= 5
    steps = {a["lang_step"] for a in ARTICLES}
    # declared by markup, by the /en_US/ URL alone, and detected from the text alone
    assert {"markup", "url", "detected"} <= steps
    english_urls = [a["url"] for a in ARTICLES if "/en_US/" in a["url"] and a["lang"] == "en"]
    assert english_urls and all(crawl.articles[u].lang == "en" for u in english_urls)


def test_discovery_by_listings_with_pagination(crawl: SimpleNamespace) -> None:
    requested = [r.path for r in crawl.first_log]
    for listing_page in EXPECTED["discovery"]:
        assert listing_page in requested, listing_page
    assert any(p.endswith("_cur=3") for p in requested)  # followed the page iterator twice
    article_requests = set(_article_paths(crawl.first_log))
    for want in ARTICLES:
        assert request_target(want["url"]) in article_requests, want["url"]
    # Liferay's navigation parameters were dropped from the article link
    assert request_target(EXPECTED["redirect_linked"]["url"]) in article_requests
    assert not [p for p in requested if "inheritRedirect" in p or "redirect=" in p]


def test_bad_pages_are_logged_counted_and_do_not_stop_the_crawl(crawl: SimpleNamespace) -> None:
    stats = crawl.runs[0].stats
    err = crawl.first.stderr

    no_date = crawl.articles[BAD["no_date"]]
    assert (no_date.title, no_date.published_at) == (DETAILS["no_date"]["title"], None)
    assert stats["vnnews/warnings/missing_published_at"] == 1
    assert f"{BAD['no_date']}: missing published_at" in err

    truncated = crawl.articles[BAD["truncated"]]
    assert truncated.title == DETAILS["truncated"]["title"]
    assert truncated.summary == DETAILS["truncated"]["summary"]
    assert truncated.published_at.isoformat() == DETAILS["truncated"]["published_at"]
    assert DETAILS["truncated"]["text_contains"][0] in truncated.text
    assert stats["vnnews/warnings/truncated_html"] == 1
    assert f"{BAD['truncated']}: truncated html" in err

    assert BAD["wrong_charset"] in crawl.articles  # checked field by field above
    assert stats["vnnews/charset/mislabelled"] == 1
    assert f"{BAD['wrong_charset']} declares charset" in err

    assert BAD["not_found"] not in crawl.articles
    assert stats["vnnews/errors/http_404"] == 1
    assert f"could not fetch {BAD['not_found']}: HTTP 404" in err

    assert BAD["retry_500"] in crawl.articles
    assert stats["retry/count"] >= 1
    assert [r.status for r in crawl.first_log if r.path == request_target(BAD["retry_500"])] == [
        500,
        200,
    ]

    assert BAD["too_large"] not in crawl.articles
    assert stats["vnnews/errors/too_large"] == 1
    assert f"could not fetch {BAD['too_large']}: larger than the download size limit" in err

    # the broken listing: logged and counted, and the link before the cut still followed
    assert stats["vnnews/errors/malformed_listing"] == 1
    assert f"malformed listing {BAD['broken_listing']}" in err
    assert DETAILS["broken_listing"]["links"][0] in crawl.articles
    assert not [p for p in _article_paths(crawl.first_log) if p.endswith("/en_US/web/gu")]

    assert stats["vnnews/listing/empty"] == 1
    assert f"listing {BAD['empty_listing']} holds no article links" in err


def test_extraction_health_is_not_degraded(crawl: SimpleNamespace) -> None:
    run = crawl.runs[0]
    assert run.degraded is False
    assert run.health["degraded"] is False and run.health["reasons"] == []
    assert run.health["articles_parsed"] == len(crawl.articles)
    assert 0 < run.health["fallback_share"] <= 0.5
    stats = run.stats
    # each fallback the fixture records is counted as one, per health field
    for field in ("title", "summary", "published_at", "text"):
        want = sum(1 for a in ARTICLES if field in a["fallbacks"])
        assert stats.get(f"vnnews/fallback/{field}", 0) == want, field
    assert stats["vnnews/fields/published_at/missing"] == 1  # the page without a date


def test_run_is_recorded(crawl: SimpleNamespace) -> None:
    run = crawl.runs[0]
    assert run.status == "ok"
    assert run.finished_at is not None and run.finished_at >= run.started_at
    stored_bad = {BAD["no_date"], BAD["truncated"]}
    assert set(crawl.articles) == {a["url"] for a in ARTICLES} | stored_bad
    assert run.new == len(crawl.articles) == EXPECTED["good_article_count"] + len(stored_bad)
    assert run.errors == 3  # 404, too large and the broken listing


def test_no_article_page_is_requested_twice(crawl: SimpleNamespace) -> None:
    first = Counter(_article_paths(crawl.first_log))
    assert {p: n for p, n in first.items() if n > 1} == {request_target(BAD["retry_500"]): 2}


def test_second_crawl_stores_nothing_and_skips_archived_articles(crawl: SimpleNamespace) -> None:
    assert crawl.second.returncode == 0, crawl.second.stderr
    second_run = crawl.runs[1]
    assert second_run.new == 0 and second_run.updated == 0
    # unchanged feeds, sitemaps and listings answer 304 (conditional GET): nothing behind them
    # is requested; what a changed page still lists is skipped as archived
    assert second_run.stats["vnnews/conditional/not_modified"] >= 1
    assert 0 < second_run.stats["vnnews/skipped/known"] <= len(crawl.articles)
    again = set(_article_paths(crawl.second_log))
    assert again == {request_target(BAD["not_found"]), request_target(BAD["too_large"])}
    assert crawl.after_second.keys() == crawl.articles.keys()
