"""``vnnews serve`` for real: uvicorn in a child process on 127.0.0.1, read by a real feed
reader from Debian's packages (newsboat, driven headless) that subscribes to a province feed.

newsboat runs with its own HOME, URL file, config and cache: ``-x reload`` fetches the feed,
``-x print-unread`` counts what it took in, and its cache (an SQLite file) lists the items by
title, link and guid. A second reload must be a conditional request answered ``304``.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.web.archive import DAKNONG, MST, build_archive

NEWSBOAT = shutil.which("newsboat") or "/usr/bin/newsboat"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, db: str, log: Path, *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        env.pop("VNNEWS_DATABASE_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--db", db, "serve", "--host", "127.0.0.1",
             "--port", str(self.port), *args],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"vnnews serve exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"vnnews serve did not answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(2)  # SIGINT: uvicorn shuts down gracefully
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    build_archive(db)
    running = Server(db, tmp_path / "serve.log")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def newsboat(folder: Path, *commands: str) -> str:
    if not Path(NEWSBOAT).exists():
        pytest.fail("newsboat is not installed: run scripts/test (it installs it)")
    env = {**os.environ, "HOME": str(folder), "LANG": "C.UTF-8", "TERM": "dumb"}
    result = subprocess.run(
        [NEWSBOAT, "-u", str(folder / "urls"), "-c", str(folder / "cache.db"),
         "-C", str(folder / "config"), "-x", *commands],
        env=env, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_newsboat_subscribes_to_a_province_feed(server: Server, tmp_path: Path) -> None:
    reader = tmp_path / "newsboat"
    reader.mkdir()
    feed = f"{server.url}/feeds/provinces/lam-dong.rss"
    (reader / "urls").write_text(feed + "\n", encoding="utf-8")
    (reader / "config").write_text("reload-threads 1\n", encoding="utf-8")

    newsboat(reader, "reload")
    assert newsboat(reader, "print-unread").strip() == "2 unread articles"
    with sqlite3.connect(reader / "cache.db") as cache:
        items = cache.execute(
            "SELECT title, url, guid, pubDate FROM rss_item WHERE feedurl = ? ORDER BY pubDate DESC",
            (feed,),
        ).fetchall()
        title = cache.execute("SELECT title FROM rss_feed WHERE rssurl = ?", (feed,)).fetchone()
    assert title == ("vnnews: Lâm Đồng",)
    assert [(t, u, g) for t, u, g, _ in items] == [
        ("Đắk Nông xây dựng phòng thí nghiệm vi mạch bán dẫn", DAKNONG, DAKNONG),
        ("Lâm Đồng đẩy mạnh chuyển đổi số trong quản lý đất đai", MST, MST),
    ]
    assert items[1][3] == 1788224400  # 2026-09-01 08:00 Vietnam time

    # Later reloads are conditional and the server answers 304. (newsboat 2.21 keeps the
    # validators only once the feed is in its cache, so its second request is not yet
    # conditional: the third is.)
    newsboat(reader, "reload")
    newsboat(reader, "reload")
    log = server.log.read_text()
    requests = [line for line in log.splitlines() if "GET /feeds/provinces/lam-dong.rss" in line]
    statuses = [line.split('"')[-1].strip() for line in requests]
    assert len(statuses) == 3 and statuses[0] == "200 OK", log
    assert statuses[-1] == "304 Not Modified", log
    assert newsboat(reader, "print-unread").strip() == "2 unread articles"
    with sqlite3.connect(reader / "cache.db") as cache:
        (etag,) = cache.execute("SELECT etag FROM rss_feed WHERE rssurl = ?", (feed,)).fetchone()
    with urllib.request.urlopen(feed) as response:
        assert response.headers["ETag"] == etag


def test_serve_read_only_refuses_an_archive_it_would_have_to_create(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VNNEWS_DATABASE_URL", None)
    missing = tmp_path / "none.sqlite3"

    def serve(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "crawler.cli", "--db", f"sqlite:///{missing}", "serve", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    result = serve("--read-only", "--port", str(_free_port()))
    assert result.returncode == 2
    assert "no archive at" in result.stderr and not missing.exists()
    bad = serve("--base-url", "ftp://x")
    assert bad.returncode == 2 and "--base-url" in bad.stderr
    threads = serve("--threads", "0")
    assert threads.returncode == 2 and "--threads 0: give a number" in threads.stderr


def test_serve_read_only_serves_an_existing_archive(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    build_archive(db)
    before = (tmp_path / "archive.sqlite3").read_bytes()
    running = Server(db, tmp_path / "serve.log", "--read-only", "--base-url", "https://n.example/x",
                     "--threads", "2")  # fmt: skip
    try:
        running.wait_ready()
        with urllib.request.urlopen(f"{running.url}/feeds/provinces/lam-dong.atom") as response:
            body = response.read().decode()
        assert "https://n.example/x/feeds/provinces/lam-dong.atom" in body and MST in body
    finally:
        running.stop()
    assert running.process.returncode == 0
    assert (tmp_path / "archive.sqlite3").read_bytes() == before
