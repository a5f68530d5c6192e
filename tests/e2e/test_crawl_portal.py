"""``vnnews --sites FILE crawl KEY`` end to end for config entries (the ``portal`` spider).

Two fixture sites on 127.0.0.1, crawled through Scrapy's real engine into a real archive: one
whose entry has selectors (khcn-thu-nghiem.test, with every kind of bad page) and one without
(bao-thu-nghiem.test: JSON-LD, meta and the generic extractor). Then the first site again, as
served after a redesign that renamed its CSS classes: the run must be reported as degraded,
naming the fields, while its articles are still stored through the fallbacks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.devserver import FixtureServer
from crawler.health import Health
from storage.models import Article
from tests.conftest import FIXTURE_SITES, ROOT
from tests.e2e.checks import check_article
from tests.e2e.conftest import Archive, run_cli, sqlite_url

SITES_FILE = ROOT / "tests" / "fixtures" / "portal_sites.toml"
REDESIGNED_SITES = ROOT / "tests" / "fixtures" / "sites-redesigned"
KHCN, BAO = "khcn-thu-nghiem.test", "bao-thu-nghiem.test"
KHCN_KEY, BAO_KEY = "khcn-thu-nghiem", "bao-thu-nghiem"


def _expected(root: Path, host: str) -> dict[str, Any]:
    return json.loads((root / host / "_expected.json").read_text("utf-8"))


KHCN_EXPECTED = _expected(FIXTURE_SITES, KHCN)
BAO_EXPECTED = _expected(FIXTURE_SITES, BAO)
REDESIGNED_EXPECTED = _expected(REDESIGNED_SITES, KHCN)
BAD = KHCN_EXPECTED["bad_pages"]


def _path(url: str) -> str:
    return urlsplit(url).path


def _portal(*args: str, db: str) -> Any:
    return run_cli("--sites", str(SITES_FILE), *args, db=db)


def _check_stored(stored: Article | None, want: dict[str, Any]) -> None:
    """Every field as the records say, and which extraction step answered each."""
    assert stored is not None, want["url"]
    check_article(stored, want)
    assert stored.url == want["url"]
    assert stored.text == want["text"], want["url"]
    steps = {field: stored.extraction.get(field) for field in want["extraction"]}
    assert steps == want["extraction"], want["url"]


@pytest.fixture(scope="module")
def crawl(
    fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    """Both entries crawled in one ``vnnews crawl`` run, then ``vnnews status``."""
    db = sqlite_url(tmp_path_factory.mktemp("portal") / "archive.sqlite3")
    fixture_server.reset()
    fixture_server.clear_log()
    result = _portal(
        "crawl", KHCN_KEY, BAO_KEY, "--quiet",
        "--host-map", f"{KHCN}={fixture_server.base_url}",
        "--host-map", f"{BAO}={fixture_server.base_url}",
        db=db,
    )  # fmt: skip
    log = list(fixture_server.requests)
    archive = Archive(db)
    status = _portal("status", "--format", "json", db=db)
    status_text = _portal("status", db=db)
    runs = {run.source.key: run for run in archive.runs("portal")}
    return SimpleNamespace(
        result=result, log=log, articles=archive.articles(), runs=runs,
        status=status, status_rows={r["source"]: r for r in json.loads(status.stdout)},
        status_text=status_text,
    )  # fmt: skip


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The entry with selectors against its site after the redesign, into a fresh archive."""
    db = sqlite_url(tmp_path_factory.mktemp("portal-redesigned") / "archive.sqlite3")
    with FixtureServer(REDESIGNED_SITES) as server:
        result = _portal("crawl", KHCN_KEY, "--quiet", "--host-map", f"{KHCN}={server.base_url}",
                         db=db)  # fmt: skip
    archive = Archive(db)
    status = _portal("status", "--format", "json", db=db)
    return SimpleNamespace(
        result=result, articles=archive.articles(), run=archive.runs("portal")[0],
        status_rows={r["source"]: r for r in json.loads(status.stdout)},
    )  # fmt: skip


# -- both entries in one crawl -------------------------------------------------------------------


def test_crawl_of_two_config_entries_ends_cleanly(crawl: SimpleNamespace) -> None:
    assert crawl.result.returncode == 0, crawl.result.stderr
    assert "Traceback" not in crawl.result.stderr
    out = crawl.result.stdout
    rows = {line.split()[0]: line.split()[1] for line in out.split("summary")[1].splitlines()[1:3]}
    assert rows == {KHCN_KEY: "ok", BAO_KEY: "ok"}
    assert "degraded" not in out
    assert set(crawl.runs) == {KHCN_KEY, BAO_KEY}
    assert all(run.status == "ok" for run in crawl.runs.values())
    # each entry is a source of its own, as its config entry describes it
    khcn, bao = crawl.runs[KHCN_KEY].source, crawl.runs[BAO_KEY].source
    assert (khcn.name, khcn.host, khcn.spider, khcn.lang, khcn.province) == (
        "Sở Khoa học và Công nghệ (trang thử nghiệm)", KHCN, "portal", "vi", "lam-dong",
    )  # fmt: skip
    assert (bao.name, bao.host, bao.spider, bao.province) == (
        "Báo Thử Nghiệm – Khoa học (trang thử nghiệm)", BAO, "portal", None,
    )  # fmt: skip


@pytest.mark.parametrize("want", KHCN_EXPECTED["articles"], ids=lambda w: _path(w["url"])[9:45])
def test_site_with_selectors_stores_every_article_field_by_field(
    crawl: SimpleNamespace, want: dict
) -> None:
    _check_stored(crawl.articles.get(want["url"]), want)
    assert crawl.articles[want["url"]].source.key == KHCN_KEY


@pytest.mark.parametrize("want", BAO_EXPECTED["articles"], ids=lambda w: _path(w["url"])[9:45])
def test_site_without_selectors_stores_every_article_through_the_fallbacks(
    crawl: SimpleNamespace, want: dict
) -> None:
    stored = crawl.articles.get(want["url"])
    _check_stored(stored, want)
    assert stored.extraction["text"] == "generic"
    assert "selector" not in stored.extraction.values()


def test_every_discovery_path_of_the_entries_was_used(crawl: SimpleNamespace) -> None:
    requested = {(r.host, r.path) for r in crawl.log}
    for want in KHCN_EXPECTED["articles"] + BAO_EXPECTED["articles"]:
        assert (urlsplit(want["url"]).hostname, _path(want["url"])) in requested
    via = Counter(v for a in KHCN_EXPECTED["articles"] for v in a["discovered_via"])
    assert via["rss"] and via["sitemap"] and via["listing"]
    # the listing's next page came from the entry's next_page selector
    assert (KHCN, "/tin-tuc/khoa-hoc-cong-nghe/trang-2/") in requested
    # the newspaper's "most read" links are not articles of the entry (pattern /khoa-hoc/...)
    assert not any(r.host == BAO and r.path.startswith("/doi-song/") for r in crawl.log)
    # both sites' robots.txt asked first
    for host in (KHCN, BAO):
        assert next(r.path for r in crawl.log if r.host == host) == "/robots.txt"


def test_health_tells_selectors_from_generic_extraction(crawl: SimpleNamespace) -> None:
    with_selectors = Health.from_dict(crawl.runs[KHCN_KEY].health)
    generic = Health.from_dict(crawl.runs[BAO_KEY].health)
    assert not crawl.runs[KHCN_KEY].degraded and not crawl.runs[BAO_KEY].degraded
    assert not with_selectors.generic_only and with_selectors.fallback_share is not None
    assert with_selectors.field_fallback_share["title"] == 0.0
    assert with_selectors.field_fallback_share["text"] == 0.0
    assert generic.generic_only and generic.fallback_share is None
    assert "generic extraction (no selectors)" in generic.summary()
    assert "generic extraction" not in with_selectors.summary()
    assert "fallbacks " in with_selectors.summary()

    assert crawl.status.returncode == 0, crawl.status.stderr
    assert crawl.status_rows[KHCN_KEY]["health"] == "ok"
    assert crawl.status_rows[BAO_KEY]["health"] == "generic"
    lines = crawl.status_text.stdout.splitlines()
    bao_at = next(i for i, line in enumerate(lines) if line.startswith(BAO_KEY))
    assert "generic extraction (no selectors)" in lines[bao_at + 1]
    khcn_at = next(i for i, line in enumerate(lines) if line.startswith(KHCN_KEY))
    assert "fallbacks" in lines[khcn_at + 1] and "generic" not in lines[khcn_at + 1]


def test_bad_pages_are_logged_counted_and_do_not_stop_the_crawl(crawl: SimpleNamespace) -> None:
    stats = crawl.runs[KHCN_KEY].stats
    err = crawl.result.stderr
    details = KHCN_EXPECTED["bad_page_details"]

    no_date = crawl.articles[BAD["no_date"]]
    assert no_date.published_at is None
    assert (no_date.title, no_date.summary, no_date.author) == (
        details["no_date"]["title"], details["no_date"]["summary"], details["no_date"]["author"]
    )  # fmt: skip
    assert details["no_date"]["text_contains"][0] in no_date.text
    assert stats["vnnews/warnings/missing_published_at"] == 1
    assert stats["vnnews/fields/published_at/missing"] == 1
    assert f"{BAD['no_date']}: missing published_at" in err

    truncated = crawl.articles[BAD["truncated"]]
    assert truncated.title == details["truncated"]["title"]
    assert truncated.summary == details["truncated"]["summary"]
    assert truncated.published_at.isoformat() == details["truncated"]["published_at"]
    assert details["truncated"]["text_contains"][0] in truncated.text
    assert stats["vnnews/warnings/truncated_html"] == 1
    assert f"{BAD['truncated']}: truncated html" in err

    assert crawl.articles[BAD["wrong_charset"]].title.startswith("Cuộc thi khởi nghiệp")
    assert stats["vnnews/charset/mislabelled"] == 1
    assert f"{BAD['wrong_charset']} declares charset" in err

    assert BAD["not_found"] not in crawl.articles
    assert stats["vnnews/errors/http_404"] == 1
    assert f"could not fetch {BAD['not_found']}: HTTP 404" in err

    assert BAD["retry_500"] in crawl.articles
    assert stats["retry/count"] == 1
    statuses = [r.status for r in crawl.log if r.host == KHCN and r.path == _path(BAD["retry_500"])]
    assert statuses == [500, 200]

    assert BAD["too_large"] not in crawl.articles
    assert stats["vnnews/errors/too_large"] == 1
    assert f"could not fetch {BAD['too_large']}: larger than the download size limit" in err

    assert stats["vnnews/errors/malformed_feed"] == 1
    assert f"malformed feed {BAD['malformed_feed']}" in err

    assert stats["vnnews/listing/empty"] == 1
    assert f"listing {BAD['empty_listing']} holds no article links" in err
    assert stats["vnnews/listing/selector_missed"] == 1  # only on the empty listing

    run = crawl.runs[KHCN_KEY]
    assert run.errors == 3  # 404, too large, malformed feed
    assert run.new == KHCN_EXPECTED["good_article_count"] + 2  # + no date, truncated
    assert set(crawl.articles) >= {a["url"] for a in KHCN_EXPECTED["articles"]}


def test_the_generic_site_had_no_errors(crawl: SimpleNamespace) -> None:
    run = crawl.runs[BAO_KEY]
    assert run.errors == 0 and run.new == BAO_EXPECTED["good_article_count"]
    assert not any(k.startswith("vnnews/errors/") for k in run.stats)
    assert run.stats["vnnews/articles/selectorless"] == BAO_EXPECTED["good_article_count"]


# -- the same entry after the site's redesign ----------------------------------------------------


def test_redesign_is_reported_as_degraded_with_the_fields_named(
    redesigned: SimpleNamespace,
) -> None:
    assert redesigned.result.returncode == 0, redesigned.result.stderr
    run = redesigned.run
    assert run.status == "ok"
    assert run.degraded is True
    health = Health.from_dict(run.health)
    assert health.degraded and not health.generic_only
    assert health.field_fallback_share == {
        "title": 1.0, "summary": 1.0, "published_at": 1.0, "text": 1.0,
    }  # fmt: skip
    (reason,) = health.reasons
    assert reason.startswith("site selectors stopped matching: fallbacks answered")
    for field in ("title 100%", "summary 100%", "published_at 100%", "text 100%"):
        assert field in reason
    assert f"degraded: {reason}" in redesigned.result.stdout
    assert "degraded sources: khcn-thu-nghiem" in redesigned.result.stdout
    assert redesigned.status_rows[KHCN_KEY]["health"] == "degraded"
    # discovery noticed the listing selector missing too, and still found the articles
    assert run.stats["vnnews/listing/selector_missed"] == 1
    assert "listing_links selector" in redesigned.result.stderr


@pytest.mark.parametrize(
    "want", REDESIGNED_EXPECTED["articles"], ids=lambda w: _path(w["url"])[9:45]
)
def test_redesigned_site_still_stores_the_same_articles_through_fallbacks(
    redesigned: SimpleNamespace, want: dict
) -> None:
    stored = redesigned.articles.get(want["url"])
    _check_stored(stored, want)
    assert "selector" not in stored.extraction.values()


def test_redesign_changes_steps_not_values(
    crawl: SimpleNamespace, redesigned: SimpleNamespace
) -> None:
    fields = ("title", "summary", "text", "author", "tags", "category", "images", "published_at")
    assert set(redesigned.articles) == {a["url"] for a in REDESIGNED_EXPECTED["articles"]}
    for url, after in redesigned.articles.items():
        before = crawl.articles[url]
        assert {f: getattr(after, f) for f in fields} == {f: getattr(before, f) for f in fields}
        assert after.content_hash == before.content_hash


# -- Scrapy's own command line -------------------------------------------------------------------


def _scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("VNNEWS_DATABASE_URL", "SCRAPY_SETTINGS_MODULE", "VNNEWS_SITES_FILE"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)  # fmt: skip


def test_scrapy_crawl_portal_with_a_site_argument(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    db = sqlite_url(tmp_path / "scrapy.sqlite3")
    result = _scrapy(
        "crawl", "portal", "-a", f"site={BAO_KEY}",
        "-s", f"VNNEWS_SITES_FILE={SITES_FILE}",
        "-s", f"VNNEWS_DATABASE_URL={db}",
        "-s", f"VNNEWS_HOST_MAP={json.dumps({BAO: fixture_server.base_url})}",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    archive = Archive(db)
    assert set(archive.articles()) == {a["url"] for a in BAO_EXPECTED["articles"]}
    (run,) = archive.runs("portal")
    assert run.source.key == BAO_KEY and run.health["generic_only"] is True


def test_scrapy_crawl_portal_refuses_an_unknown_site(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path / "scrapy.sqlite3")
    result = _scrapy("crawl", "portal", "-a", "site=no-such-site",
                     "-s", f"VNNEWS_SITES_FILE={SITES_FILE}", "-s", f"VNNEWS_DATABASE_URL={db}")  # fmt: skip
    assert result.returncode != 0
    assert "unknown site 'no-such-site' (config entries: " in result.stderr
    assert BAO_KEY in result.stderr and KHCN_KEY in result.stderr
