"""Scheduler tests: the real ``vnnews scheduler`` in a child process, with intervals of
seconds, crawling small fixture sites (:mod:`tests.schedules.sites`) served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crawler.devserver import FixtureServer
from storage.engine import open_archive, session_factory
from storage.models import CrawlRun, Schedule, Source
from tests.conftest import ROOT
from tests.e2e.conftest import run_cli
from tests.schedules.sites import TinySite


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
    """``check()``'s first truthy answer within ``timeout`` seconds, else fail saying ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


class Archive:
    """What the scheduler left in the test archive."""

    def __init__(self, url: str):
        self.url = url
        self.sessions = session_factory(open_archive(url))

    def runs(self, source: str) -> list[CrawlRun]:
        with self.sessions() as session:
            stmt = (
                select(CrawlRun)
                .join(Source, CrawlRun.source_id == Source.id, isouter=True)
                .where((Source.key == source) | (CrawlRun.spider == source))
                .order_by(CrawlRun.id)
            )
            return list(session.scalars(stmt).unique().all())

    def finished(self, source: str) -> list[CrawlRun]:
        return [r for r in self.runs(source) if r.status != "running"]

    def schedule(self, source: str) -> Schedule | None:
        with self.sessions() as session:
            return session.get(Schedule, source)


class Scheduler:
    """``vnnews scheduler`` as a child process, its stderr in a file."""

    def __init__(self, db: str, sites: Path, log: Path, *args: str):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        env.pop("VNNEWS_DATABASE_URL", None)
        self.log_path = log
        self._log = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--db", db, "--sites", str(sites),
             "scheduler", *args],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text("utf-8")

    def stop(self, timeout: float = 30, signum: int = signal.SIGTERM) -> tuple[int, float]:
        """SIGTERM (or ``signum``); its exit status and how long it took to exit."""
        began = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._log.close()
        return code, time.monotonic() - began


@pytest.fixture()
def site_root(tmp_path: Path) -> Path:
    root = tmp_path / "sites"
    root.mkdir()
    return root


@pytest.fixture()
def server(site_root: Path) -> Iterator[FixtureServer]:
    with FixtureServer(site_root) as running:
        yield running


class World:
    """The sites, the user's sites file and the archive of one test."""

    def __init__(self, tmp_path: Path, site_root: Path, server: FixtureServer):
        self.tmp = tmp_path
        self.root = site_root
        self.server = server
        self.db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        self.sites_file = tmp_path / "sites.toml"
        self.sites: dict[str, TinySite] = {}
        self.schedulers: list[Scheduler] = []

    def site(self, key: str, name: str, articles: int = 0) -> TinySite:
        site = TinySite(self.root, key, name)
        site.publish(articles)
        self.sites[key] = site
        self.sites_file.write_text(
            "\n".join(s.entry() for s in self.sites.values()), encoding="utf-8"
        )
        return site

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--sites", str(self.sites_file), *args, db=self.db, timeout=60)

    def schedule_list(self) -> dict[str, dict[str, Any]]:
        result = self.cli("schedule", "list", "--format", "json")
        assert result.returncode == 0, result.stderr
        return {row["source"]: row for row in json.loads(result.stdout)}

    def host_maps(self) -> list[str]:
        pairs = []
        for site in self.sites.values():
            pairs += ["--host-map", f"{site.host}={self.server.base_url}"]
        return pairs

    def scheduler(self, *args: str) -> Scheduler:
        log = self.tmp / f"scheduler-{len(self.schedulers) + 1}.log"
        sched = Scheduler(self.db, self.sites_file, log, "--sync-seconds", "0.5",
                          "--kill-grace", "2", *self.host_maps(), *args)  # fmt: skip
        self.schedulers.append(sched)
        return sched

    def archive(self) -> Archive:
        return Archive(self.db)


@pytest.fixture()
def world(tmp_path: Path, site_root: Path, server: FixtureServer) -> Iterator[World]:
    w = World(tmp_path, site_root, server)
    yield w
    for sched in w.schedulers:  # a failed test leaves no service behind
        if sched.proc.poll() is None:
            sched.stop(timeout=20)
