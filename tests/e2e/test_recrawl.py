"""Incremental re-crawls end to end: a generated portal on a real 127.0.0.1 server, crawled
through the real CLI five times as it changes, the server's request log read after each.

1. first crawl: every article stored;
2. unchanged site: only conditional requests for the start pages, all answered ``304``;
3. three new articles on top: feeds, sitemap and listing page 1 changed, listing page 2 holds
   only archived articles, so pagination stops there; only the new article pages are fetched;
4. an article edited in place (its listing and feed entries unchanged): not fetched again;
5. ``--refresh``: every page fetched whole, the edited article stored as an update.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from crawler.devserver import FixtureServer, RequestRecord
from storage.models import HttpValidator
from tests.e2e.conftest import Archive, run_cli, sqlite_url
from tests.fixtures.generated_site import BASE, FEEDS, LISTING, SITEMAP, build_site

PER_PAGE = 10
FIRST, GROWN = 30, 33
EDITED = 5


def crawl(server: FixtureServer, site, db: str, *args: str) -> SimpleNamespace:  # noqa: ANN001
    server.clear_log()
    result = run_cli("--sites", str(site.sites_file), "crawl", site.key, "--quiet",
                     "--host-map", f"{site.host}={server.base_url}", *args, db=db)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    archive = Archive(db)
    with archive.sessions() as session:
        validators = {v.url: v for v in session.scalars(select(HttpValidator)).all()}
    run = archive.runs("portal")[-1]
    assert run.status == "ok" and run.degraded is False, run.health  # 304s are no symptom
    return SimpleNamespace(
        log=[r for r in server.requests if r.host == site.host],
        run=run,
        articles=archive.articles(),
        validators=validators,
        stderr=result.stderr,
    )


def article_paths(log: list[RequestRecord]) -> list[str]:
    return [r.path for r in log if r.path.startswith("/tin-tuc/") and r.path.endswith(".html")
            and "/trang-" not in r.path]  # fmt: skip


def listing_paths(log: list[RequestRecord]) -> list[str]:
    return [r.path for r in log if r.path == LISTING or "/trang-" in r.path]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("recrawl")
    db = sqlite_url(root / "archive.sqlite3")
    site = build_site(root / "sites", FIRST, per_page=PER_PAGE)
    out = SimpleNamespace(site_first=site)
    with FixtureServer(site.root) as server:
        out.first = crawl(server, site, db)
        out.unchanged = crawl(server, site, db)
        out.site_grown = build_site(root / "sites", GROWN, per_page=PER_PAGE)
        out.grown = crawl(server, out.site_grown, db)
        out.site_edited = build_site(root / "sites", GROWN, per_page=PER_PAGE, edited={EDITED})
        out.edited = crawl(server, out.site_edited, db)
        out.refresh = crawl(server, out.site_edited, db, "--refresh")
    return out


def test_first_crawl_stores_every_article_and_keeps_validators(runs: SimpleNamespace) -> None:
    assert set(runs.first.articles) == runs.site_first.article_urls
    assert runs.first.run.new == FIRST
    assert not any("If-None-Match" in r.headers for r in runs.first.log)
    # feeds, sitemap index and its child, the three listing pages: each with the ETag and
    # Last-Modified it answered with, once the crawl had finished
    pages = [*FEEDS, SITEMAP, "/sitemaps/2026-07.xml", *runs.site_first.listing_pages]
    assert sorted(runs.first.validators) == sorted(BASE + p for p in pages)
    answered = {r.path: r for r in runs.first.log}
    for url, row in runs.first.validators.items():
        assert row.etag and row.etag.startswith('"') and row.last_modified, url
    assert len({row.etag for row in runs.first.validators.values()}) == len(pages)
    assert all(answered[p].status == 200 for p in pages)


def test_an_unchanged_site_answers_304_to_conditional_requests(runs: SimpleNamespace) -> None:
    log = runs.unchanged.log
    assert [r.path for r in log if r.status == 200] == ["/robots.txt"]
    discovery = [r for r in log if r.path != "/robots.txt"]
    assert sorted(r.path for r in discovery) == sorted([*FEEDS, SITEMAP, LISTING])
    for record in discovery:
        assert record.status == 304, record
        stored = runs.first.validators[BASE + record.path]
        assert record.headers.get("If-None-Match") == stored.etag, record.headers
        assert record.headers.get("If-Modified-Since") == stored.last_modified, record.headers
    assert article_paths(log) == []
    stats = runs.unchanged.run.stats
    assert stats["vnnews/conditional/not_modified"] == len(discovery)
    assert stats["vnnews/conditional/sent"] == len(discovery)
    assert runs.unchanged.run.new == 0 and runs.unchanged.run.errors == 0
    assert runs.unchanged.articles.keys() == runs.first.articles.keys()


def test_pagination_stops_at_the_first_page_of_archived_articles(runs: SimpleNamespace) -> None:
    grown = runs.grown
    new = runs.site_grown.article_urls - runs.site_first.article_urls
    assert len(new) == GROWN - FIRST
    assert set(grown.articles) == runs.site_grown.article_urls
    assert grown.run.new == len(new)
    # page 1 has the new articles, page 2 only archived ones: pages 3 and 4 are not asked for
    assert runs.site_grown.listing_pages[:2] == listing_paths(grown.log)
    assert len(runs.site_grown.listing_pages) == 4
    assert grown.run.stats["vnnews/listing/stopped_known"] == 1
    # archived article pages were not fetched; each new one once
    assert sorted(article_paths(grown.log)) == sorted(urlsplit(u).path for u in new)


def test_stored_articles_are_not_fetched_again_without_refresh(runs: SimpleNamespace) -> None:
    edited = runs.edited
    assert article_paths(edited.log) == []
    assert {r.status for r in edited.log if r.path != "/robots.txt"} == {304}
    url = runs.site_edited.records[EDITED].url
    assert "Cập nhật:" not in (edited.articles[url].text or "")


def test_refresh_fetches_every_page_and_stores_the_change(runs: SimpleNamespace) -> None:
    refresh = runs.refresh
    assert not any("If-None-Match" in r.headers or "If-Modified-Since" in r.headers
                   for r in refresh.log)  # fmt: skip
    assert sorted(set(article_paths(refresh.log))) == sorted(
        urlsplit(u).path for u in runs.site_edited.article_urls
    )
    assert listing_paths(refresh.log) == runs.site_edited.listing_pages  # no stop either
    assert refresh.run.updated == 1 and refresh.run.new == 0
    url = runs.site_edited.records[EDITED].url
    assert "Cập nhật:" in refresh.articles[url].text
    assert refresh.articles.keys() == runs.grown.articles.keys()


def test_job_folders_are_cleared_after_finished_crawls(runs: SimpleNamespace) -> None:
    jobs = Path(runs.site_first.root).parent / "jobs" / runs.site_first.key
    assert jobs.is_dir()  # the default: beside the archive
    assert not (jobs / "requests.journal").exists()
