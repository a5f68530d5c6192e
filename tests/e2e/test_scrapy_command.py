"""Scrapy's own command line works from the repository root: ``scrapy list`` and
``scrapy crawl mst`` run the project's spiders and pipeline (scrapy.cfg → crawler.settings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.devserver import FixtureServer
from tests.conftest import ROOT
from tests.e2e.conftest import Archive, expected, sqlite_url


def _scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VNNEWS_DATABASE_URL", None)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_scrapy_list_names_the_spiders() -> None:
    result = _scrapy("list")
    assert result.returncode == 0, result.stderr
    assert {"mst", "baochinhphu"} <= set(result.stdout.split())


def test_scrapy_crawl_mst_stores_into_the_archive(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    db = sqlite_url(tmp_path / "scrapy.sqlite3")
    host_map = json.dumps({"mst.gov.vn": fixture_server.base_url})
    result = _scrapy(
        "crawl", "mst",
        "-s", f"VNNEWS_DATABASE_URL={db}",
        "-s", f"VNNEWS_HOST_MAP={host_map}",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "LOG_LEVEL=WARNING",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    stored = Archive(db).articles()
    want = {a["url"] for a in expected("mst.gov.vn")["articles"]}
    assert want <= set(stored)
    assert Archive(db).runs("mst")[0].status == "ok"
