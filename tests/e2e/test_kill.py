"""Crash safety end to end: ``vnnews crawl`` in a child process, SIGKILLed at seeded random
points (right before the fixture server answers its N-th request), then crawled again.

After every kill the archive must be sound:

- ``PRAGMA integrity_check`` says ``ok`` and no foreign key is broken;
- no duplicate: one row per canonical URL, and per fetched URL;
- no partial article. An article row is *whole* when everything the one pipeline writes in its
  transaction is there: it is tagged (``tagging_version``, ``relevant``, ``tagged_at`` set),
  it has its fingerprint row, its canonical URL in ``article_urls``, and a story
  (``story_id`` naming an existing story). Nothing may hang without its article either: no
  fingerprint, band, URL, tag or link row of a missing article, and no live (not merged)
  story without members or whose original is not a member;
- no validator (``http_validators``) was stored by a crawl that did not finish.

Then the next runs resume from the journal the killed ones left, and once a run finishes every
fixture article is stored exactly once. Set ``VNNEWS_KILL_SEED`` to try other kill points.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.devserver import FixtureServer, RequestRecord
from tests.conftest import ROOT
from tests.fixtures.generated_site import GeneratedSite, build_site

SEED = int(os.environ.get("VNNEWS_KILL_SEED", "20261123"))
KILLS = 3


def start_crawl(
    site: GeneratedSite, server: FixtureServer, db: Path, out: Path
) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.pop("VNNEWS_DATABASE_URL", None)
    with out.open("w") as log:  # a file, not a pipe: a killed child must not block on it
        return subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--db", f"sqlite:///{db}", "--sites",
             str(site.sites_file), "crawl", site.key, "--quiet",
             "--host-map", f"{site.host}={server.base_url}"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def crawl(site: GeneratedSite, server: FixtureServer, db: Path, out: Path,
          kill_at: int | None = None, jitter: float = 0.0, *,
          kill_when: Callable[[int, RequestRecord], bool] | None = None,
          before_kill: Callable[[], None] | None = None) -> tuple[int, list[RequestRecord]]:  # fmt: skip
    """Run one crawl; with ``kill_at``, SIGKILL it while the server holds back its answer to
    request number ``kill_at`` (robots.txt is number 1), ``jitter`` seconds after it arrived,
    so the child is caught wherever its other work has got to (storing an article, parsing a
    page); ``kill_when(number, record)`` chooses the request otherwise, and ``before_kill``
    runs first. Returns the exit code and the request log."""
    server.clear_log()
    proc: subprocess.Popen | None = None
    seen = 0
    when = kill_when or (lambda n, _record: n == kill_at)
    killed = False

    def hook(record: RequestRecord) -> None:
        nonlocal seen, killed
        seen += 1
        if killed or proc is None or not when(seen, record):
            return
        killed = True
        if before_kill is not None:
            before_kill()
        time.sleep(jitter)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()  # dead before this request is answered

    server.before_answer = hook
    try:
        proc = start_crawl(site, server, db, out)
        code = proc.wait(timeout=120)
    finally:
        server.before_answer = None
    return code, server.requests


def problems(db: Path, expected_urls: set[str] | None = None) -> list[str]:
    """What is wrong with the archive (see the module docstring); empty when it is sound."""
    con = sqlite3.connect(db)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        found = []
        if (result := q("PRAGMA integrity_check")) != [("ok",)]:
            found.append(f"integrity_check: {result}")
        if broken := q("PRAGMA foreign_key_check"):
            found.append(f"foreign keys: {broken}")
        checks = {
            "duplicate canonical URL": "SELECT canonical_url FROM articles GROUP BY 1 HAVING count(*) > 1",
            "duplicate fetched URL": "SELECT url FROM articles GROUP BY 1 HAVING count(*) > 1",
            "article not tagged": "SELECT id FROM articles WHERE tagging_version IS NULL "
            "OR relevant IS NULL OR tagged_at IS NULL",
            "article without fingerprint": "SELECT id FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_fingerprints f WHERE f.article_id = a.id)",
            "article without its URL": "SELECT id FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_urls u WHERE u.url = a.canonical_url AND u.article_id = a.id)",
            "article without story": "SELECT id FROM articles a WHERE story_id IS NULL OR NOT "
            "EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id)",
            "empty story": "SELECT id FROM stories s WHERE merged_into IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.story_id = s.id)",
            "story original not a member": "SELECT s.id FROM stories s WHERE merged_into IS NULL "
            "AND original_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = s.original_id AND a.story_id = s.id)",
        }
        for table in ("article_fingerprints", "dedup_bands", "dedup_features", "article_urls",
                      "article_links", "article_provinces", "article_topics"):  # fmt: skip
            checks[f"orphan {table}"] = (
                f"SELECT article_id FROM {table} t WHERE NOT EXISTS "
                "(SELECT 1 FROM articles a WHERE a.id = t.article_id)"
            )
        for what, sql in checks.items():
            if rows := q(sql):
                found.append(f"{what}: {rows[:5]}")
        if expected_urls is not None:
            stored = {url for (url,) in q("SELECT canonical_url FROM articles")}
            if stored - expected_urls:
                found.append(f"articles that are not in the site: {sorted(stored - expected_urls)}")
        return found
    finally:
        con.close()


def count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_killed_crawls_leave_a_sound_archive_and_the_next_run_completes(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    site = build_site(tmp_path / "sites", 48, per_page=12)
    db = tmp_path / "archive.sqlite3"
    journal = tmp_path / "jobs" / site.key / "requests.journal"
    # A full crawl makes about 57 requests (robots.txt, 2 feeds, a sitemap index and its child,
    # 4 listing pages, 48 articles); a resumed one first asks for the discovery pages again
    # (about 9 requests), then for what is left: the later runs are killed sooner, so that each
    # is killed before it could finish.
    kill_points = [rng.randint(8, 30), rng.randint(5, 22), rng.randint(3, 14)][:KILLS]
    stored_before = 0
    with FixtureServer(site.root) as server:
        for n, kill_at in enumerate(kill_points):
            out = tmp_path / f"run{n}.log"
            code, log = crawl(site, server, db, out, kill_at, jitter=rng.uniform(0, 0.1))
            why = f"seed {SEED}: run {n}, kill at request {kill_at}, made {len(log)}"
            assert code == -signal.SIGKILL, f"{why}: not killed\n{out.read_text()}"
            assert len(log) >= kill_at, why  # two requests may be in flight at once
            found = problems(db, site.article_urls)
            assert found == [], f"seed {SEED}, killed at request {kill_at} of run {n}: {found}"
            assert count(db, "SELECT count(*) FROM http_validators") == 0, (
                "a crawl that did not finish stored validators"
            )
            stored = count(db, "SELECT count(*) FROM articles")
            assert stored >= stored_before  # nothing already stored is lost
            stored_before = stored
            assert journal.exists(), "the killed crawl left no journal to resume"
        assert stored_before < len(site.records), "the kills came too late to leave work undone"

        out = tmp_path / "final.log"
        code, _ = crawl(site, server, db, out)
    text = out.read_text()
    assert code == 0, text
    assert "resuming an interrupted crawl" in text
    assert problems(db, site.article_urls) == []
    con = sqlite3.connect(db)
    try:
        urls = [url for (url,) in con.execute("SELECT canonical_url FROM articles")]
        status = con.execute("SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    assert sorted(urls) == sorted(site.article_urls)  # every article, exactly once
    assert status == ("ok",)
    assert not journal.exists()  # the finished crawl cleared it
    assert count(db, "SELECT count(*) FROM http_validators") > 0  # now it may


def test_a_resumed_listing_crawl_finds_the_pages_the_killed_one_had_queued(
    tmp_path: Path,
) -> None:
    """A listing-only site crawled once in full, then grown by more than two pages of new
    articles. The next crawl is killed once every new article of listing page 1 is stored and
    page 2's are not: page 1 now holds only archived articles, which stops the pagination of a
    crawl starting afresh, and page 2 and 3 would be lost. The journal still has the pages and
    articles the killed crawl had queued, so the resumed crawl stores every new article."""
    root = tmp_path / "sites"
    before = build_site(root, 12, per_page=8, feeds=False, sitemap=False)
    db = tmp_path / "archive.sqlite3"
    with FixtureServer(before.root) as server:
        code, _ = crawl(before, server, db, tmp_path / "first.log")
        assert code == 0, (tmp_path / "first.log").read_text()
        assert count(db, "SELECT count(*) FROM articles") == 12
        grown = build_site(root, 30, per_page=8, feeds=False, sitemap=False)  # 18 new
        newest = grown.records[::-1]
        page1 = {r.url for r in newest[:8]}
        page2_paths = {r.path for r in newest[8:16]}
        quoted = ", ".join(f"'{u}'" for u in page1)

        def page1_stored() -> None:  # the child stores them one by one: wait for the last
            deadline = time.monotonic() + 20
            sql = f"SELECT count(*) FROM articles WHERE canonical_url IN ({quoted})"
            while count(db, sql) < len(page1) and time.monotonic() < deadline:
                time.sleep(0.05)

        code, log = crawl(grown, server, db, tmp_path / "killed.log",
                          kill_when=lambda _n, record: record.path in page2_paths,
                          before_kill=page1_stored)  # fmt: skip
        assert code == -signal.SIGKILL, (tmp_path / "killed.log").read_text()
        assert problems(db, grown.article_urls) == []
        stored = count(db, "SELECT count(*) FROM articles")
        assert 12 + len(page1) <= stored < 30  # page 1 done, page 2 not
        code, _ = crawl(grown, server, db, tmp_path / "resumed.log")
    text = (tmp_path / "resumed.log").read_text()
    assert code == 0, text
    assert "resuming an interrupted crawl" in text
    assert problems(db, grown.article_urls) == []
    con = sqlite3.connect(db)
    try:
        urls = sorted(url for (url,) in con.execute("SELECT canonical_url FROM articles"))
    finally:
        con.close()
    assert urls == sorted(grown.article_urls)


@pytest.mark.parametrize("kill_at", [2, 3])
def test_a_kill_before_any_article_leaves_an_empty_sound_archive(
    tmp_path: Path, kill_at: int
) -> None:
    site = build_site(tmp_path / "sites", 6, per_page=6)
    db = tmp_path / "archive.sqlite3"
    with FixtureServer(site.root) as server:
        code, _ = crawl(site, server, db, tmp_path / "run.log", kill_at)
        assert code == -signal.SIGKILL
        assert problems(db) == []
        assert count(db, "SELECT count(*) FROM articles") == 0
        code, _ = crawl(site, server, db, tmp_path / "again.log")
    assert code == 0
    assert count(db, "SELECT count(*) FROM articles") == 6


def test_the_soundness_check_finds_a_half_written_article(tmp_path: Path) -> None:
    """An article row written alone (no tags, fingerprint or story), as a pipeline committing
    stage by stage would leave it after a kill, is reported."""
    from crawler.extract.normalize import normalize
    from crawler.items import ArticleItem
    from storage.articles import store_article
    from storage.engine import open_archive, session_factory
    from storage.sources import ensure_source

    db = tmp_path / "archive.sqlite3"
    with session_factory(open_archive(f"sqlite:///{db}"))() as session:
        ensure_source(session, key="k", name="K", host="k.test", spider="portal")
        store_article(session, normalize(ArticleItem(url="https://k.test/a-12345.html",
                                                     source="k", title="Tiêu đề",
                                                     text="Một đoạn văn.")))  # fmt: skip
        session.commit()
    found = " ".join(problems(db, {"https://k.test/other.html"}))
    for what in ("article not tagged", "article without fingerprint", "article without story",
                 "articles that are not in the site"):  # fmt: skip
        assert what in found
