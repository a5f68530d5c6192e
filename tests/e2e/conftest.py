"""End-to-end helpers: the fixture sites on a real 127.0.0.1 server, the real CLI in a child
process (Twisted's reactor runs once per process), and the resulting archive read back."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from crawler.devserver import FixtureServer, RequestRecord
from storage.engine import open_archive, session_factory
from storage.models import Article, CrawlRun
from tests.conftest import FIXTURE_SITES, ROOT


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[FixtureServer]:
    with FixtureServer(FIXTURE_SITES) as server:
        yield server


def run_cli(*args: str, db: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.pop("VNNEWS_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "--db", db, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def expected(host: str) -> dict[str, Any]:
    return json.loads((FIXTURE_SITES / host / "_expected.json").read_text("utf-8"))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Archive:
    """Read-only view of a test archive."""

    def __init__(self, url: str):
        self.sessions = session_factory(open_archive(url))

    def articles(self) -> dict[str, Article]:
        with self.sessions() as session:
            rows = session.scalars(select(Article)).all()
            return {a.canonical_url: a for a in rows}

    def runs(self, spider: str) -> list[CrawlRun]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(CrawlRun).where(CrawlRun.spider == spider).order_by(CrawlRun.id)
                ).all()
            )


def request_target(url: str) -> str:
    """Path and query of a URL, as the fixture server's log records a request for it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def article_requests(
    records: list[RequestRecord], host: str, article_path: re.Pattern[str]
) -> list[str]:
    """The logged requests for ``host`` whose path is an article's, in order (repeats kept)."""
    return [r.path for r in records if r.host == host and article_path.match(r.path.split("?")[0])]


@dataclass
class Crawl:
    """One ``vnnews crawl`` child process against the fixture server, and what it left."""

    result: subprocess.CompletedProcess[str]
    log: list[RequestRecord]  # the requests the server answered for the host, in order
    articles: dict[str, Article]  # the archive afterwards, by canonical URL


def crawl_source(
    server: FixtureServer, db: str, source: str, host: str, *args: str, fresh: bool = True
) -> Crawl:
    """Crawl ``source`` with ``host`` served by ``server``; ``fresh`` resets the server's
    fail-once counters (a first crawl), a re-crawl keeps them."""
    if fresh:
        server.reset()
    server.clear_log()
    result = run_cli("crawl", source, "--host-map", f"{host}={server.base_url}", *args, db=db)
    log = [r for r in server.requests if r.host == host]
    return Crawl(result=result, log=log, articles=Archive(db).articles())
