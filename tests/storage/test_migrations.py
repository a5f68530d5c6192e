"""Migrations: the application upgrades the archive on open, repeatably and safely."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from storage import Base, open_archive, upgrade
from storage.migrate import MIGRATIONS, current_revisions, head_revisions
from tests.storage.conftest import sqlite_url


def test_open_creates_every_table_at_head(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"sources", "articles", "crawl_runs", "alembic_version"} <= tables
    with engine.connect() as conn:
        assert current_revisions(conn) == head_revisions() == {"0001"}
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
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
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
        assert current_revisions(conn) == {"0001"}
    for engine in engines:
        engine.dispose()
