"""``vnnews crawl mst`` end to end: the mst.gov.vn fixture site on 127.0.0.1, crawled through
Scrapy's real engine and downloader into a real SQLite archive, then crawled again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from crawler.devserver import FixtureServer
from spiders.registry import MST
from tests.e2e.checks import check_article
from tests.e2e.conftest import (
    Archive,
    article_requests,
    crawl_source,
    expected,
    request_target,
    run_cli,
    sqlite_url,
)

HOST = "mst.gov.vn"
EXPECTED = expected(HOST)
BAD = EXPECTED["bad_pages"]


def _article_paths(records: list) -> list[str]:  # noqa: ANN001
    return article_requests(records, HOST, MST.article_path)


@pytest.fixture(scope="module")
def crawl(
    fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    db = sqlite_url(tmp_path_factory.mktemp("mst") / "archive.sqlite3")
    first = crawl_source(fixture_server, db, "mst", HOST, "--progress-interval", "0.5")
    second = crawl_source(fixture_server, db, "mst", HOST, "--quiet", fresh=False)
    return SimpleNamespace(
        first=first.result, second=second.result, first_log=first.log, second_log=second.log,
        articles=first.articles, after_second=second.articles, runs=Archive(db).runs("mst"),
    )  # fmt: skip


def test_crawl_ends_cleanly_with_progress_and_summary(crawl: SimpleNamespace) -> None:
    assert crawl.first.returncode == 0, crawl.first.stderr
    assert "mst: pages" in crawl.first.stderr  # the progress line
    assert "summary" in crawl.first.stdout
    assert "mst            ok" in crawl.first.stdout
    assert "Traceback" not in crawl.first.stderr


@pytest.mark.parametrize("want", EXPECTED["articles"], ids=lambda w: request_target(w["url"])[:40])
def test_every_expected_article_is_stored_field_by_field(
    crawl: SimpleNamespace, want: dict
) -> None:
    stored = crawl.articles.get(want["url"])
    assert stored is not None, f"{want['url']} not stored; stored: {sorted(crawl.articles)}"
    check_article(stored, want)
    assert stored.url == want["url"]


def test_every_discovery_path_found_articles(crawl: SimpleNamespace) -> None:
    via = Counter(v for a in EXPECTED["articles"] for v in a["discovered_via"])
    assert via["rss"] and via["sitemap"] and via["listing"]
    requested = set(_article_paths(crawl.first_log))
    for want in EXPECTED["articles"]:
        assert request_target(want["url"]) in requested


def test_politeness(crawl: SimpleNamespace) -> None:
    assert crawl.first_log[0].path == "/robots.txt"
    agents = {r.headers.get("User-Agent", "") for r in crawl.first_log}
    assert all(a.startswith("vnnews/") and "https://github.com/vnnews/vnnews" in a for a in agents)
    assert request_target(BAD["robots_disallowed"]) not in {r.path for r in crawl.first_log}
    stats = crawl.runs[0].stats
    assert stats.get("robotstxt/forbidden", 0) >= 1


def test_bad_pages_are_logged_counted_and_do_not_stop_the_crawl(crawl: SimpleNamespace) -> None:
    stats = crawl.runs[0].stats
    err = crawl.first.stderr

    no_date = crawl.articles[BAD["no_date"]]
    assert no_date.published_at is None
    assert stats["vnnews/warnings/missing_published_at"] >= 1
    assert f"{BAD['no_date']}: missing published_at" in err

    truncated = crawl.articles[BAD["truncated"]]
    assert truncated.title == EXPECTED["bad_page_details"]["truncated"]["title"]
    assert truncated.summary == EXPECTED["bad_page_details"]["truncated"]["summary"]
    assert stats["vnnews/warnings/truncated_html"] == 1
    assert f"{BAD['truncated']}: truncated html" in err

    mislabelled = crawl.articles[BAD["wrong_charset"]]
    assert mislabelled.title == EXPECTED["bad_page_details"]["wrong_charset"]["title"]
    assert stats["vnnews/charset/mislabelled"] >= 1
    assert "declares charset" in err

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
    assert "larger than the download size limit" in err

    assert stats["vnnews/errors/malformed_feed"] == 1
    assert f"malformed feed {BAD['malformed_feed']}" in err
    assert stats["vnnews/listing/empty"] == 1
    assert f"listing {BAD['empty_listing']} holds no article links" in err


def test_run_is_recorded(crawl: SimpleNamespace) -> None:
    run = crawl.runs[0]
    assert run.status == "ok"
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.new == len(crawl.articles)
    assert run.errors >= 3  # 404, too large, malformed feed
    assert run.pages >= len(crawl.articles)


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
    stored_paths = {request_target(url) for url in crawl.articles}
    again = set(_article_paths(crawl.second_log))
    assert not again & stored_paths
    # only what failed the first time is tried again
    assert again == {request_target(BAD["not_found"]), request_target(BAD["too_large"])}
    # discovery pages are fetched again
    assert any(r.path.endswith(".rss") for r in crawl.second_log)
    assert any(r.path == "/sitemap.xml" for r in crawl.second_log)
    assert crawl.after_second.keys() == crawl.articles.keys()


def test_unreachable_site_is_reported_per_source(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path / "a.sqlite3")
    # port 9 on loopback: nothing listens, connections are refused
    result = run_cli("crawl", "mst", "--host-map", f"{HOST}=http://127.0.0.1:9", "--quiet",
                     "--set", "RETRY_TIMES=0", db=db)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "mst            unreachable" in result.stdout
    assert "connection refused" in result.stdout
    assert "check the network" in result.stdout
    assert Archive(db).runs("mst")[0].status == "unreachable"
    strict = run_cli("crawl", "mst", "--host-map", f"{HOST}=http://127.0.0.1:9", "--quiet",
                     "--strict", "--set", "RETRY_TIMES=0", db=db)  # fmt: skip
    assert strict.returncode == 1
