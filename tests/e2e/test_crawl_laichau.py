"""``vnnews crawl laichau`` end to end: the laichau.gov.vn fixture site (VHV platform) on
127.0.0.1, crawled through Scrapy's real engine and downloader into a real SQLite archive.

The site has no RSS or sitemap, so discovery is its section listings with pagination; the
"malformed feed" kind is a listing page that stops mid-item, whose links must still be taken.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from crawler.devserver import FixtureServer
from spiders.registry import LAICHAU
from tests.e2e.checks import check_article
from tests.e2e.conftest import (
    Archive,
    article_requests,
    crawl_source,
    expected,
    request_target,
    sqlite_url,
)

HOST = "laichau.gov.vn"
EXPECTED = expected(HOST)
BAD = EXPECTED["bad_pages"]
DETAILS = EXPECTED["bad_page_details"]


def _article_paths(records: list) -> list[str]:  # noqa: ANN001
    return article_requests(records, HOST, LAICHAU.article_path)


@pytest.fixture(scope="module")
def crawl(
    fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    db = sqlite_url(tmp_path_factory.mktemp("laichau") / "archive.sqlite3")
    crawl = crawl_source(fixture_server, db, "laichau", HOST, "--quiet")
    return SimpleNamespace(result=crawl.result, log=crawl.log, articles=crawl.articles,
                           run=Archive(db).runs("laichau")[0])  # fmt: skip


def test_crawl_ends_cleanly(crawl: SimpleNamespace) -> None:
    assert crawl.result.returncode == 0, crawl.result.stderr
    assert "laichau        ok" in crawl.result.stdout
    assert "Traceback" not in crawl.result.stderr


@pytest.mark.parametrize("want", EXPECTED["articles"], ids=lambda w: request_target(w["url"])[-40:])
def test_every_expected_article_is_stored_field_by_field(
    crawl: SimpleNamespace, want: dict
) -> None:
    stored = crawl.articles.get(want["url"])
    assert stored is not None, f"{want['url']} not stored; stored: {sorted(crawl.articles)}"
    check_article(stored, want)
    assert stored.url == want["url"]
    assert stored.modified_at is not None
    assert stored.lang == want["lang"]
    assert stored.extraction["lang"] == want["lang_method"]
    assert stored.credited_outlet == want["credited_outlet"]
    assert stored.extraction.get("credited_outlet") == want["credited_outlet_method"]
    for field, step in want["fallbacks"].items():  # the step itself, not just "not selector"
        assert stored.extraction.get(field) == step, (field, stored.extraction)
    assert stored.source.key == "laichau"


def test_only_the_expected_pages_are_stored(crawl: SimpleNamespace) -> None:
    parsed_bad = {BAD["no_date"], BAD["truncated"], BAD["wrong_charset"]}
    want = {a["url"] for a in EXPECTED["articles"]} | parsed_bad
    assert set(crawl.articles) == want
    assert crawl.run.new == len(want) == EXPECTED["good_article_count"] + len(parsed_bad)


def test_discovery_walks_every_listing_page(crawl: SimpleNamespace) -> None:
    requested = {r.path for r in crawl.log}
    assert crawl.log[0].path == "/robots.txt"
    for listing, links in EXPECTED["discovery"].items():
        assert request_target(listing) in requested, listing
        for url in links:
            if url != BAD["not_found"]:
                assert url in crawl.articles or url == BAD["too_large"], (listing, url)
    # pagination: three pages of one section, two of the other
    assert {"/tin-tuc-su-kien/chuyen-de/chuyen-doi-so/?page=2",
            "/tin-tuc-su-kien/chuyen-de/chuyen-doi-so/?page=3",
            "/tin-tuc-su-kien/khoa-hoc-cong-nghe/?page=2"} <= requested  # fmt: skip
    for want in EXPECTED["articles"]:
        assert any(request_target(url) in requested for url in want["listed_on"])


def test_broken_listing_page_still_yields_its_links(crawl: SimpleNamespace) -> None:
    stats = crawl.run.stats
    assert stats["vnnews/errors/malformed_listing"] == 1
    assert f"malformed listing {BAD['malformed_listing']}" in crawl.result.stderr
    # the two complete items are linked from no other page: stored means salvaged
    for url in DETAILS["malformed_listing"]["links"]:
        assert url in crawl.articles
    assert request_target(DETAILS["malformed_listing"]["lost"]) not in {r.path for r in crawl.log}


def test_empty_listing_is_not_filled_from_the_sidebar(crawl: SimpleNamespace) -> None:
    stats = crawl.run.stats
    assert stats["vnnews/listing/empty"] == 1
    assert f"listing {BAD['empty_listing']} holds no article links" in crawl.result.stderr
    # the links the listings found, each counted once: sidebars did not add any
    listed = {u for links in EXPECTED["discovery"].values() for u in links}
    assert stats["vnnews/links/article"] == len(listed)


def test_bad_pages_are_logged_counted_and_do_not_stop_the_crawl(crawl: SimpleNamespace) -> None:
    stats = crawl.run.stats
    err = crawl.result.stderr

    no_date = crawl.articles[BAD["no_date"]]
    assert no_date.published_at is None
    assert no_date.title == DETAILS["no_date"]["title"]
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
    assert stats["vnnews/charset/mislabelled"] == 1
    assert "declares charset" in err

    assert BAD["not_found"] not in crawl.articles
    assert stats["vnnews/errors/http_404"] == 1
    assert f"could not fetch {BAD['not_found']}: HTTP 404" in err

    assert BAD["retry_500"] in crawl.articles
    assert stats["retry/count"] == 1
    assert [r.status for r in crawl.log if r.path == request_target(BAD["retry_500"])] == [500, 200]

    assert BAD["too_large"] not in crawl.articles
    assert stats["vnnews/errors/too_large"] == 1
    assert "larger than the download size limit" in err


def test_run_is_recorded_healthy(crawl: SimpleNamespace) -> None:
    run = crawl.run
    want = EXPECTED["health"]
    assert run.status == "ok"
    assert run.errors == 3  # 404, too large, malformed listing
    assert run.degraded is want["degraded"] is False
    assert run.health["degraded"] is False and run.health["reasons"] == []
    assert run.health["articles_parsed"] == want["articles_parsed"]
    assert run.health["missing_dates"] == want["missing_dates"]
    assert run.health["fallback_share"] == want["fallback_share"]
    assert run.health["fallback_share"] < 0.1
    assert run.health["field_fallback_share"]["title"] == 0
    assert run.health["field_fallback_share"]["text"] == 0


def test_no_article_page_is_requested_twice(crawl: SimpleNamespace) -> None:
    counts = Counter(_article_paths(crawl.log))
    assert {p: n for p, n in counts.items() if n > 1} == {request_target(BAD["retry_500"]): 2}
