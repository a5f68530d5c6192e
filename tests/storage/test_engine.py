"""Which database, and how SQLite connections are set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage import DEFAULT_DATABASE_URL, make_engine, resolve_database_url


def test_database_url_precedence_cli_then_env_then_default() -> None:
    env = {"VNNEWS_DATABASE_URL": "sqlite:///env.sqlite3"}
    assert resolve_database_url("sqlite:///cli.sqlite3", env) == "sqlite:///cli.sqlite3"
    assert resolve_database_url(None, env) == "sqlite:///env.sqlite3"
    assert resolve_database_url(None, {}) == DEFAULT_DATABASE_URL
    assert resolve_database_url("", {"VNNEWS_DATABASE_URL": ""}) == DEFAULT_DATABASE_URL
    assert DEFAULT_DATABASE_URL == "sqlite:///data/vnnews.sqlite3"


def test_database_url_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNNEWS_DATABASE_URL", "sqlite:///from-env.sqlite3")
    assert resolve_database_url(None) == "sqlite:///from-env.sqlite3"
    monkeypatch.delenv("VNNEWS_DATABASE_URL")
    assert resolve_database_url(None) == DEFAULT_DATABASE_URL


def test_sqlite_file_gets_its_folder_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "a.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert path.parent.is_dir()
        with engine.connect() as conn:
            pragma = lambda name: conn.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("busy_timeout") == 30000
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 1  # NORMAL
    finally:
        engine.dispose()


def test_default_url_is_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = make_engine(DEFAULT_DATABASE_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert (tmp_path / "data" / "vnnews.sqlite3").is_file()


def test_in_memory_sqlite_creates_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert list(tmp_path.iterdir()) == []
