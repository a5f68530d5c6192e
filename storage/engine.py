"""Engine and session setup: which database, how SQLite is tuned, and upgrading on open.

The archive is a SQLite file by default, shared by a crawl, an import, the scheduler and the web
app, possibly at the same time; hence WAL (readers never block the writer), a generous busy
timeout (writers wait for each other instead of failing), and foreign keys switched on (SQLite
leaves them off unless asked, per connection). Other databases are used as configured.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.migrate import upgrade

DEFAULT_DATABASE_URL = "sqlite:///data/vnnews.sqlite3"
ENV_VAR = "VNNEWS_DATABASE_URL"

# Applied to every new SQLite connection: settings such as foreign_keys and busy_timeout are
# per connection, so setting them once on the file would not be enough. busy_timeout comes
# first: switching a new file to WAL needs a lock, and without the timeout a second process
# opening the archive at that moment would fail at once with "database is locked".
SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=30000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)
WAL_SWITCH_TIMEOUT = 30.0  # seconds, as busy_timeout


def resolve_database_url(cli_url: str | None, env: Mapping[str, str] | None = None) -> str:
    """The archive URL: ``--db`` wins, then ``$VNNEWS_DATABASE_URL``, then the default.

    The default is relative to the current directory, so a checkout keeps its own archive.
    ``env`` defaults to ``os.environ``; tests pass their own mapping.
    """
    if cli_url:
        return cli_url
    environ = os.environ if env is None else env
    return environ.get(ENV_VAR) or DEFAULT_DATABASE_URL


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, or ``None`` for in-memory and ``file:`` URI databases."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:" or parsed.query.get("uri"):
        return None
    return Path(database)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            if pragma.startswith("PRAGMA journal_mode"):
                _switch_to_wal(cursor, pragma)
            else:
                cursor.execute(pragma)
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any, pragma: str) -> None:
    """Set WAL, retrying while another connection holds the lock the switch needs.

    WAL is a property of the file, so this only has work to do on a new archive; but when two
    processes open a new archive at once, SQLite answers one of them "database is locked" at
    once (to avoid a deadlock) instead of waiting the busy timeout, hence the retries.
    """
    deadline = time.monotonic() + WAL_SWITCH_TIMEOUT
    while True:
        try:
            cursor.execute(pragma)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and the pragmas above.

    Transactions on SQLite keep the sqlite3 driver's default ("legacy") control: a SELECT does
    not open a transaction, the first write does. That lets a writer wait for the lock with a
    fresh view of the file; code that reads then writes calls :func:`begin_write` first.
    """
    engine = create_engine(url)
    if _is_sqlite(url):
        path = _sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def begin_write(session: Session) -> None:
    """On SQLite, take the database write lock now, unless this transaction already holds it.

    A SQLite transaction that has read and then tries to write cannot wait for another writer
    (it fails at once with "database is locked", since its view may be stale). Read-then-write
    code such as "look the article up, insert it if missing" therefore starts with
    ``BEGIN IMMEDIATE``: it waits (``busy_timeout``) for other writers and then reads the latest
    committed state, so its decision holds until commit. A no-op on other databases, where the
    callers' SAVEPOINT-and-retry handles concurrent inserts.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if not getattr(dbapi_connection, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_archive(url: str) -> Engine:
    """An engine on the archive at ``url``, upgraded to the latest schema.

    The application upgrades the database when it starts, so a user never runs migrations by
    hand and an old archive keeps working after an update.
    """
    engine = make_engine(url)
    upgrade(engine)
    return engine


def open_archive_read_only(url: str) -> Engine:
    """An engine on the archive at ``url`` that cannot write, for readers such as the web app.

    Nothing is created or migrated: the archive must exist and be at the schema this code
    expects (:func:`storage.migrate.check_schema`), else ``LookupError``/``SchemaTooNew``/
    ``SchemaOutdated``. SQLite files are opened with ``mode=ro`` and ``query_only``, so the
    database engine itself refuses writes (readers still see a crawler's commits: WAL);
    PostgreSQL sessions are read-only transactions. Other databases are opened as they are.
    """
    from storage.migrate import check_schema

    parsed = make_url(url)
    if _is_sqlite(url):
        path = _sqlite_file(url)
        if path is not None:
            if not path.is_file():
                raise LookupError(f"no archive at {path}: crawl or import into it first")
            parsed = parsed.set(database=f"file:{path.resolve()}?mode=ro", query={"uri": "true"})
        engine = create_engine(parsed)
        event.listen(engine, "connect", _set_read_only_sqlite_pragmas)
    else:
        engine = create_engine(parsed)
        if parsed.get_backend_name() == "postgresql":
            event.listen(engine, "connect", _set_read_only_postgresql_session)
    check_schema(engine)
    return engine


def _set_read_only_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in ("PRAGMA busy_timeout=30000", "PRAGMA query_only=ON"):
            cursor.execute(pragma)
    finally:
        cursor.close()


def _set_read_only_postgresql_session(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    finally:
        cursor.close()
    dbapi_connection.commit()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``; objects stay readable after commit (``expire_on_commit=False``)
    because the CLI and the web layer render them after the session has committed or closed."""
    return sessionmaker(bind=engine, expire_on_commit=False)
