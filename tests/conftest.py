"""Shared test fixtures: paths to the shared reference material and the fixture sites."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURE_SITES = ROOT / "tests" / "fixtures" / "sites"
SAMPLES = SHARED / "samples" / "html"


def project_crawler(spider_cls: type, **overrides: Any):  # noqa: ANN201 - a scrapy Crawler
    """A crawler for ``spider_cls`` on the project's settings module (``get_crawler`` alone
    uses Scrapy's defaults), on an in-memory archive and without a job folder unless a test
    names them: a test never writes into the checkout's default archive."""
    from scrapy.utils.test import get_crawler

    from crawler import settings as project_settings

    base = {k: v for k, v in vars(project_settings).items() if k.isupper()}
    defaults = {"VNNEWS_DATABASE_URL": "sqlite://", "VNNEWS_JOBDIR": None}
    return get_crawler(spider_cls, {**base, **defaults, **overrides})


def run_benchmark(script: str, *args: str, timeout: float = 600) -> tuple[dict[str, Any], str]:
    """Run ``benchmarks/<script>`` as users do; its last stdout line (one JSON object) and its
    stderr (the per-part breakdown, for assertion messages)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr[-3000:]


def baochinhphu_capture() -> tuple[str, str]:
    """The real baochinhphu.vn article capture joined as its SOURCE.txt says: (url, html)."""
    folder = SAMPLES / "baochinhphu.vn"
    head = (folder / "article_102260905122709839.part1_head_0-12624.html").read_text("utf-8")
    body = (folder / "article_102260905122709839.part2_body_301228-333519.html").read_text("utf-8")
    url = "https://baochinhphu.vn/co-che-chinh-sach-xac-dinh-gia-san-pham-in-duc-tien-102260905122709839.htm"
    return url, head[: head.rfind("<style")] + "</head><body>" + body


def nguoiquansat_capture() -> tuple[str, str]:
    """The real nguoiquansat.vn (OneCMS) capture as saved — a verbatim 32,000-character slice
    without <head> — and the page URL its SOURCE.txt names: (url, html)."""
    folder = SAMPLES / "nguoiquansat.vn"
    source = (folder / "SOURCE.txt").read_text("utf-8")
    match = re.search(r"https://nguoiquansat\.vn/\S+-\d+\.html", source)
    if match is None:
        raise ValueError(f"{folder / 'SOURCE.txt'} does not name the page URL")
    return match.group(0), (folder / "article_314409.chars_16000-48000.html").read_text("utf-8")


@pytest.fixture(scope="session")
def capture() -> tuple[str, str]:
    if not SAMPLES.is_dir():
        pytest.fail(f"{SAMPLES} is missing: clone the project with ../shared beside it")
    return baochinhphu_capture()
