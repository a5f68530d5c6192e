"""``vnnews crawl vietnamvn`` end to end: the www.vietnam.vn fixture site on 127.0.0.1 (Vietnamese
pages and machine-translated editions reached through hreflang), crawled through Scrapy's real
engine and downloader into a real SQLite archive, checked field by field, then crawled again."""

from __future__ import annotations

import json
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest

from crawler.devserver import FixtureServer
from spiders.registry import VIETNAMVN
from storage.models import Article
from tests.e2e.conftest import (
    Archive,
    article_requests,
    crawl_source,
    expected,
    request_target,
    run_cli,
    sqlite_url,
)

HOST = "www.vietnam.vn"
EXPECTED = expected(HOST)
BAD = EXPECTED["bad_pages"]
BY_URL = {a["url"]: a for a in EXPECTED["articles"]}


def _article_paths(records: list) -> list[str]:  # noqa: ANN001
    return article_requests(records, HOST, VIETNAMVN.article_path)


@pytest.fixture(scope="module")
def crawl(
    fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("vietnamvn")
    db = sqlite_url(folder / "archive.sqlite3")
    first = crawl_source(fixture_server, db, "vietnamvn", HOST, "--quiet")
    exported = run_cli("export", "-o", str(folder / "export.jsonl"), db=db)
    lines = (
        (folder / "export.jsonl").read_text("utf-8").splitlines() if not exported.returncode else []
    )
    second = crawl_source(fixture_server, db, "vietnamvn", HOST, "--quiet", fresh=False)
    return SimpleNamespace(
        first=first.result, second=second.result, first_log=first.log, second_log=second.log,
        articles=first.articles, after_second=second.articles, runs=Archive(db).runs("vietnamvn"),
        exported=exported, export={row["url"]: row for row in map(json.loads, lines)},
    )  # fmt: skip


def check_article(stored: Article, want: dict[str, Any]) -> None:
    """Every stored field against the generated expectation (vietnam.vn has no author)."""
    url = want["url"]
    assert stored.url == url
    assert stored.title == want["title"], url
    assert stored.summary == want["summary"], url
    assert _iso(stored.published_at) == want["published_at"], url
    assert _iso(stored.modified_at) == want["modified_at"], url
    assert stored.author == want["author"], url
    assert stored.tags == want["tags"], url
    assert stored.category == want["category"], url
    assert stored.images == want["images"], url
    assert stored.lang == want["lang"], url
    assert stored.credited_outlet == want["credited_outlet"], url
    assert stored.credited_url == want["credited_url"], url
    assert stored.alternates == want["alternates"], url
    for sentence in want["text_contains"]:
        assert sentence in stored.text, (url, sentence)
    for noise in want["text_excludes"]:
        assert noise not in stored.text, (url, noise)
    assert stored.body_html and "<script" not in stored.body_html, url
    steps = stored.extraction
    assert steps["lang"] == want["lang_step"], (url, steps)
    assert steps["credited_outlet"] == want["credited_outlet_step"], (url, steps)
    assert steps["credited_url"] == want["credited_url_step"], (url, steps)
    for field in ("title", "summary", "published_at", "text"):
        assert steps[field] == want["fallbacks"].get(field, "selector"), (url, field, steps)
    for field, step in want["fallbacks"].items():
        assert steps.get(field) == step, (url, field, steps)


def _iso(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value is not None else None


def test_crawl_ends_cleanly(crawl: SimpleNamespace) -> None:
    assert crawl.first.returncode == 0, crawl.first.stderr
    assert "vietnamvn      ok" in crawl.first.stdout
    assert "Traceback" not in crawl.first.stderr


@pytest.mark.parametrize("want", EXPECTED["articles"], ids=lambda w: request_target(w["url"])[:36])
def test_every_expected_article_is_stored_field_by_field(
    crawl: SimpleNamespace, want: dict
) -> None:
    stored = crawl.articles.get(want["url"])
    assert stored is not None, f"{want['url']} not stored; stored: {sorted(crawl.articles)}"
    check_article(stored, want)


def test_each_edition_is_an_article_of_its_own(crawl: SimpleNamespace) -> None:
    langs = Counter(a.lang for a in crawl.articles.values())
    assert {"vi", "en", "ru", "uk", "fr", "no"} <= set(langs)
    by_original = Counter(a.credited_url for a in crawl.articles.values() if a.credited_url)
    assert max(by_original.values()) == 4  # one story, four editions, four articles
    # the Norwegian page's canonical link points at the Vietnamese one: stored under its own
    norwegian = next(w["url"] for w in EXPECTED["articles"] if w["lang"] == "no")
    assert crawl.articles[norwegian].canonical_url == norwegian


def test_export_writes_language_and_credits(crawl: SimpleNamespace) -> None:
    assert crawl.exported.returncode == 0, crawl.exported.stderr
    french = next(w for w in EXPECTED["articles"] if w["lang"] == "fr")
    row = crawl.export[french["url"]]
    assert row["lang"] == "fr"
    assert row["credited_outlet"] == french["credited_outlet"]
    assert row["credited_url"] == french["credited_url"]
    assert row["alternates"] == french["alternates"]


def test_discovery_listing_feed_and_editions(crawl: SimpleNamespace) -> None:
    requested = [r.path for r in crawl.first_log]
    assert requested[0] == "/robots.txt"
    for path in EXPECTED["discovery"]:  # every listing page (pagination) and feed was read
        if path.startswith("/"):
            assert path in requested, path
    articles = set(_article_paths(crawl.first_log))
    for want in EXPECTED["articles"]:
        assert request_target(want["url"]) in articles
    # editions no listing or feed links: reached through the hreflang alternates only
    linked = {
        u for path, urls in EXPECTED["discovery"].items() if path.startswith("/") for u in urls
    }
    editions = [w["url"] for w in EXPECTED["articles"] if w["discovered_via"] == ["alternate"]]
    assert len(editions) >= 6 and not set(editions) & linked
    assert crawl.runs[0].stats["vnnews/links/edition"] == len(editions)
    for url in EXPECTED["not_followed"]:  # an edition the registry does not crawl
        assert request_target(url) not in articles


def test_no_article_page_is_requested_twice(crawl: SimpleNamespace) -> None:
    counts = Counter(_article_paths(crawl.first_log))
    assert {p: n for p, n in counts.items() if n > 1} == {request_target(BAD["retry_500"]): 2}


def test_bad_pages_are_logged_counted_and_do_not_stop_the_crawl(crawl: SimpleNamespace) -> None:
    stats = crawl.runs[0].stats
    err = crawl.first.stderr
    details = EXPECTED["bad_page_details"]

    no_date = crawl.articles[BAD["no_date"]]
    assert no_date.published_at is None
    assert no_date.credited_url == details["no_date"]["credited_url"]
    assert stats["vnnews/warnings/missing_published_at"] == 1
    assert f"{BAD['no_date']}: missing published_at" in err

    truncated = crawl.articles[BAD["truncated"]]
    assert truncated.title == details["truncated"]["title"]
    assert truncated.summary == details["truncated"]["summary"]
    assert _iso(truncated.published_at) == details["truncated"]["published_at"]
    assert truncated.credited_outlet == details["truncated"]["credited_outlet"]
    assert details["truncated"]["text_contains"][0] in truncated.text
    assert stats["vnnews/warnings/truncated_html"] == 1
    assert f"{BAD['truncated']}: truncated html" in err

    assert BAD["wrong_charset"] in crawl.articles  # checked field by field above
    assert stats["vnnews/charset/mislabelled"] == 1
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

    stored = set(crawl.articles)
    assert stored == {*BY_URL, BAD["no_date"], BAD["truncated"]}


def test_run_is_recorded_and_healthy(crawl: SimpleNamespace) -> None:
    run = crawl.runs[0]
    assert run.status == "ok"
    assert run.new == len(crawl.articles) == EXPECTED["good_article_count"] + 2
    assert run.errors == 3  # 404, too large, malformed feed
    assert run.degraded is False, run.health
    assert run.health["reasons"] == []
    assert run.health["articles_parsed"] == len(crawl.articles)
    # the one generic-layout page and the one page without a date are the only fallbacks
    assert run.health["field_fallback_share"]["title"] == 0.0
    assert run.health["fallback_share"] < 0.1


def test_second_crawl_stores_nothing_and_skips_archived_articles(crawl: SimpleNamespace) -> None:
    assert crawl.second.returncode == 0, crawl.second.stderr
    second_run = crawl.runs[1]
    assert second_run.new == 0 and second_run.updated == 0
    assert second_run.degraded is False
    stored_paths = {request_target(url) for url in crawl.articles}
    again = set(_article_paths(crawl.second_log))
    assert not again & stored_paths
    # only what failed the first time and a listing or feed still links is tried again
    assert again == {request_target(BAD["not_found"]), request_target(BAD["too_large"])}
    assert crawl.after_second.keys() == crawl.articles.keys()
