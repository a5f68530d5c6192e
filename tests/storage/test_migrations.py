"""Migrations: the application upgrades the archive on open, repeatably and safely."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from storage import Base, open_archive, upgrade
from storage.migrate import MIGRATIONS, current_revisions, head_revisions, include_name
from tests.storage.conftest import sqlite_url


def test_open_creates_every_table_at_head(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"sources", "articles", "crawl_runs", "alembic_version"} <= tables
    with engine.connect() as conn:
        assert current_revisions(conn) == head_revisions() and len(head_revisions()) == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (key, name, host, spider, created_at) "
                "VALUES ('mst', 'MST', 'mst.gov.vn', 'mst', '2026-09-05 00:00:00')"
            )
        )
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert conn.execute(text("SELECT key FROM sources")).scalars().all() == ["mst"]


def test_migrations_match_the_models(engine: Engine) -> None:
    """A model changed without a migration (or the reverse) fails here."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert (MIGRATIONS / "__init__.py").is_file()  # found by setuptools' packages.find
    assert (MIGRATIONS / "versions" / "__init__.py").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()


def test_two_openers_of_a_new_archive_at_once(tmp_path: Path) -> None:
    """Separate engines, as two processes would have: one migrates, the other finds it done."""
    url = sqlite_url(tmp_path / "fresh.sqlite3")
    errors: list[BaseException] = []
    engines: list[Engine] = []
    barrier = threading.Barrier(2)

    def open_it() -> None:
        barrier.wait()
        try:
            engines.append(open_archive(url))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engines[0].connect() as conn:
        assert current_revisions(conn) == head_revisions()
    for engine in engines:
        engine.dispose()


def test_an_archive_at_0001_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    """Migrations only ever append: an archive made by the first release keeps every row."""
    from alembic import command
    from sqlalchemy import select

    from storage import Article, CrawlRun, make_engine, session_factory
    from storage.migrate import alembic_config

    url = sqlite_url(tmp_path / "old.sqlite3")
    old = make_engine(url)
    with old.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO sources (id, key, name, host, spider, created_at) "
                "VALUES (1, 'mst', 'MST', 'mst.gov.vn', 'mst', '2026-09-05 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO articles (source_id, url, canonical_url, title, tags, images, "
                "fetched_at, content_hash, extraction, search_text) VALUES (1, 'https://mst.gov.vn/a-1.htm', "
                "'https://mst.gov.vn/a-1.htm', 'T', '[]', '[]', '2026-09-05 00:00:00', 'h', '{}', 't')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO crawl_runs (spider, started_at, status, pages, new, duplicates, updated, "
                "errors, stats) VALUES ('mst', '2026-09-05 00:00:00', 'ok', 1, 1, 0, 0, 0, '{}')"
            )
        )
    old.dispose()

    engine = open_archive(url)
    with session_factory(engine)() as session:
        article = session.scalars(select(Article)).one()
        assert article.title == "T" and article.alternates == {}
        assert article.credited_outlet is None and article.credited_url is None
        run = session.scalars(select(CrawlRun)).one()
        assert run.health == {} and run.degraded is False
    engine.dispose()
