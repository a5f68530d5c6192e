"""Article-page extraction throughput per site family, against a bare lxml parse of the same pages.

Pages: every article page of every fixture site (found through each spider's ``site`` and
``article_page``; the portal test entries through their configured page classes) plus the real
captures (baochinhphu.vn for cdnchinhphu, nguoiquansat.vn for OneCMS). Each measurement
repeats its page set until at least ``--seconds`` have passed. The last line printed is one
JSON object: {"pages_per_s", "bare_parse_pages_per_s", "ratio", "pages", "mean_page_kb",
"families": {family: {"pages", "pages_per_s", "bare_parse_pages_per_s", "ratio"}}}.

    .venv/bin/python benchmarks/parse.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spiders  # noqa: E402
from crawler.extract.page import ArticlePage  # noqa: E402
from crawler.extract.pages.cdnchinhphu import CdnChinhPhuArticlePage  # noqa: E402
from crawler.extract.pages.configured import page_class  # noqa: E402
from crawler.extract.pages.onecms import OneCmsArticlePage  # noqa: E402
from spiders.base import ArticleSpider  # noqa: E402
from spiders.portal_config import load_file  # noqa: E402
from tests.conftest import (  # noqa: E402
    FIXTURE_SITES,
    baochinhphu_capture,
    nguoiquansat_capture,
)

Page = tuple[type[ArticlePage], str, str]  # page class, URL, HTML
PORTAL_TEST_SITES = ROOT / "tests" / "fixtures" / "portal_sites.toml"


def _family(page_cls: type[ArticlePage]) -> str:
    """``crawler.extract.pages.vhv`` -> ``vhv``; every config entry is ``configured``."""
    return page_cls.__module__.rsplit(".", 1)[-1]


def _site_pages(page_cls: type[ArticlePage], host: str, article_path) -> list[Page]:  # noqa: ANN001
    folder = FIXTURE_SITES / host
    pages = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = "/" + path.relative_to(folder).as_posix()
        if "__" not in rel and not path.name.startswith("_") and article_path.match(rel):
            pages.append((page_cls, f"https://{host}{rel}", path.read_text("utf-8", "replace")))
    return pages


def load_pages() -> dict[str, list[Page]]:
    """Article pages by site family."""
    families: dict[str, list[Page]] = {}
    seen: set[type] = set()
    for module in pkgutil.iter_modules(spiders.__path__):
        loaded = importlib.import_module(f"spiders.{module.name}")
        for spider in vars(loaded).values():
            is_site_spider = (
                isinstance(spider, type)
                and issubclass(spider, ArticleSpider)
                and "site" in vars(spider)
            )
            if not is_site_spider or spider in seen:
                continue
            seen.add(spider)
            site, page_cls = spider.site, spider.article_page
            pages = _site_pages(page_cls, site.host, site.article_path)
            families.setdefault(_family(page_cls), []).extend(pages)
    for site in load_file(PORTAL_TEST_SITES):
        cls = page_class(site.selectors, site.key)
        families.setdefault("configured", []).extend(_site_pages(cls, site.host, site.article_path))
    url, html = baochinhphu_capture()
    families["cdnchinhphu"].append((CdnChinhPhuArticlePage, url, html))
    url, html = nguoiquansat_capture()
    families["onecms"].append((OneCmsArticlePage, url, html))
    return {name: pages for name, pages in sorted(families.items()) if pages}


def rate(pages: list[Page], work: Callable[[Page], object], seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while True:
        for page in pages:
            work(page)
        done += len(pages)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def extract(page: Page) -> object:
    cls, url, html = page
    return cls(url, html, source="bench").to_item()


def bare(page: Page) -> object:
    return lxml_html.fromstring(page[2])


def measure(pages: list[Page], seconds: float) -> dict[str, float | int]:
    extracted, parsed = rate(pages, extract, seconds), rate(pages, bare, seconds)
    return {
        "pages": len(pages),
        "pages_per_s": round(extracted, 1),
        "bare_parse_pages_per_s": round(parsed, 1),
        "ratio": round(extracted / parsed, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum time per measurement")
    args = parser.parse_args()
    families = load_pages()
    everything = [page for pages in families.values() for page in pages]
    rate(everything, extract, 0.5)  # warm-up: imports (trafilatura, py3langid), caches
    per_family = {}
    for name, pages in families.items():
        per_family[name] = measure(pages, args.seconds)
        print(f"{name:<12} {json.dumps(per_family[name])}", file=sys.stderr)
    overall = measure(everything, args.seconds)
    result = {
        **overall,
        "mean_page_kb": round(sum(len(p[2]) for p in everything) / len(everything) / 1024, 1),
        "families": per_family,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
