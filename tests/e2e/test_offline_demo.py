"""The README's offline variant: ``vnnews crawl --all --fixtures tests/fixtures/sites`` serves
every fixture site itself and crawls each source that has one — and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from spiders.registry import SITES
from tests.conftest import FIXTURE_SITES, ROOT
from tests.e2e.conftest import Archive, run_cli, sqlite_url

PORTAL_SITES = ROOT / "tests" / "fixtures" / "portal_sites.toml"


def test_offline_demo_crawls_every_fixture_site_and_only_those(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path / "demo.sqlite3")
    result = run_cli("--sites", str(PORTAL_SITES), "crawl", "--all", "--fixtures",
                     "tests/fixtures/sites", "--quiet", db=db)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "serving fixture sites" in result.stderr
    # the shipped config entries have no fixture site: named, not crawled (no live traffic)
    assert "no fixture site, not crawled: chinhphu-xdcs" in result.stderr
    assert "vnnews query" in result.stdout

    stored = Archive(db).articles()
    hosts = sorted(p.name for p in FIXTURE_SITES.iterdir() if p.is_dir())
    for host in hosts:
        want = json.loads((FIXTURE_SITES / host / "_expected.json").read_text("utf-8"))
        missing = [a["url"] for a in want["articles"] if a["url"] not in stored]
        assert not missing, f"{host}: not stored {missing}"
    crawled = {a.source.key for a in stored.values()}
    assert set(SITES) <= crawled  # every built-in source has a fixture site
    assert {"khcn-thu-nghiem", "bao-thu-nghiem"} <= crawled
    # the tag stage ran on every crawled article: provincial sites give their source province
    assert all(a.relevant is not None for a in stored.values())
    for article in stored.values():
        roles = {(p.province, p.role) for p in article.provinces}
        if article.source.key == "laichau":
            assert ("lai-chau", "source") in roles, article.url
        if article.source.key == "baolamdong":
            assert ("lam-dong", "source") in roles, article.url
    summary = result.stdout.split("summary", 1)[1].split("archive", 1)[0]
    assert "unreachable" not in summary and "degraded" not in summary
