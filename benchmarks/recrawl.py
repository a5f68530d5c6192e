"""How much a re-crawl of an unchanged site costs: requests of the second crawl / the first.

A portal of ``--articles`` articles (default 200; tests/fixtures/generated_site.py: two feeds,
a sitemap index, a paginated listing) is generated into a temporary folder, served on
127.0.0.1 by the fixture server, and crawled twice through the real CLI (``vnnews crawl``
in a child process, a fresh archive). Every request the server saw for the site counts,
robots.txt included. The first crawl fetches every page; the second sends conditional
requests for the start pages, gets ``304 Not Modified`` and fetches no article.

The per-crawl breakdown (status codes, request kinds, wall time) goes to stderr; the last line
printed is one JSON object: {"first_crawl_requests", "second_crawl_requests", "ratio",
"articles"}. Target: ratio <= 0.05.

    .venv/bin/python benchmarks/recrawl.py [--articles N] [--per-page N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.devserver import FixtureServer, RequestRecord  # noqa: E402
from tests.fixtures.generated_site import GeneratedSite, build_site  # noqa: E402


def kind(record: RequestRecord) -> str:
    path = record.path
    if path == "/robots.txt":
        return "robots"
    if path.startswith("/rss/"):
        return "feed"
    if "sitemap" in path:
        return "sitemap"
    if path == "/tin-tuc/" or "/trang-" in path:
        return "listing"
    return "article"


def crawl(
    site: GeneratedSite, server: FixtureServer, db: Path
) -> tuple[list[RequestRecord], float]:
    server.clear_log()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VNNEWS_DATABASE_URL", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "--db", f"sqlite:///{db}", "--sites",
         str(site.sites_file), "crawl", site.key, "--quiet",
         "--host-map", f"{site.host}={server.base_url}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"crawl failed:\n{result.stdout}\n{result.stderr}")
    return [r for r in server.requests if r.host == site.host], elapsed


def describe(name: str, log: list[RequestRecord], elapsed: float) -> None:
    kinds = Counter(kind(r) for r in log)
    statuses = Counter(r.status for r in log)
    conditional = sum(
        1 for r in log if "If-None-Match" in r.headers or "If-Modified-Since" in r.headers
    )
    print(
        f"{name}: {len(log)} requests in {elapsed:.1f} s; "
        f"by kind {dict(sorted(kinds.items()))}; by status {dict(sorted(statuses.items()))}; "
        f"conditional {conditional}",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--per-page", type=int, default=40, help="articles per listing page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vnnews-recrawl-") as tmp:
        folder = Path(tmp)
        site = build_site(folder / "sites", args.articles, per_page=args.per_page)
        db = folder / "archive.sqlite3"
        with FixtureServer(site.root) as server:
            first, t1 = crawl(site, server, db)
            second, t2 = crawl(site, server, db)
    describe("first crawl", first, t1)
    describe("second crawl", second, t2)
    print(json.dumps({
        "first_crawl_requests": len(first),
        "second_crawl_requests": len(second),
        "ratio": round(len(second) / len(first), 4),
        "articles": args.articles,
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
