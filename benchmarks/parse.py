"""Article-page extraction throughput against a bare lxml parse of the same pages.

Pages: every article page of the fixture sites plus the real baochinhphu.vn capture. Each
measurement repeats the whole set until at least ``--seconds`` have passed. The last line
printed is one JSON object: {"pages_per_s", "bare_parse_pages_per_s", "ratio", ...}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.extract.pages.cdnchinhphu import CdnChinhPhuArticlePage  # noqa: E402
from spiders.registry import SITES  # noqa: E402
from tests.conftest import FIXTURE_SITES, baochinhphu_capture  # noqa: E402

PAGE_CLASSES = {"mst.gov.vn": CdnChinhPhuArticlePage, "baochinhphu.vn": CdnChinhPhuArticlePage}


def load_pages() -> list[tuple[type, str, str]]:
    pages = []
    for site in SITES.values():
        folder = FIXTURE_SITES / site.host
        for path in sorted(folder.rglob("*.htm")):
            rel = "/" + path.relative_to(folder).as_posix()
            if site.article_path.match(rel):
                html = path.read_text("utf-8", errors="replace")
                pages.append((PAGE_CLASSES[site.host], f"https://{site.host}{rel}", html))
    url, html = baochinhphu_capture()
    pages.append((CdnChinhPhuArticlePage, url, html))
    return pages


def rate(
    pages: list[tuple[type, str, str]], work: Callable[[type, str, str], object], seconds: float
) -> float:
    done, start = 0, time.perf_counter()
    while True:
        for cls, url, html in pages:
            work(cls, url, html)
        done += len(pages)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum time per measurement")
    args = parser.parse_args()
    pages = load_pages()
    rate(pages, lambda c, u, h: c(u, h, source="bench").to_item(), 0.3)  # warm-up (imports, caches)
    extract = rate(pages, lambda c, u, h: c(u, h, source="bench").to_item(), args.seconds)
    bare = rate(pages, lambda c, u, h: lxml_html.fromstring(h), args.seconds)
    result = {
        "pages_per_s": round(extract, 1),
        "bare_parse_pages_per_s": round(bare, 1),
        "ratio": round(extract / bare, 3),
        "pages": len(pages),
        "mean_page_kb": round(sum(len(h) for _, _, h in pages) / len(pages) / 1024, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
