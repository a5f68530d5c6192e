"""Shared test fixtures: paths to the shared reference material and the fixture sites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURE_SITES = ROOT / "tests" / "fixtures" / "sites"
SAMPLES = SHARED / "samples" / "html"


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
