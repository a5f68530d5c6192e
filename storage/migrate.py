"""Run the archive's Alembic migrations from code.

The application upgrades the archive whenever it opens it (:func:`storage.engine.open_archive`),
so no ``alembic.ini`` is needed at runtime: the configuration is built here, pointing at the
``migrations`` folder beside this file, which works the same from a checkout and from an
installed package.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Alembic's ``context`` and ``op`` are module-level proxies, shared by all threads: two
# migrations running at once in one process (two archives opened by two threads) would mix.
_ALEMBIC_LOCK = threading.Lock()


class SchemaTooNew(RuntimeError):
    """The archive was migrated by a newer vnnews than this one; upgrading vnnews fixes it."""


class SchemaOutdated(RuntimeError):
    """The archive predates this vnnews's schema and may not be upgraded (a read-only open)."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the archive's migrations, optionally bound to a connection."""
    config = Config()
    # configparser interpolates "%": escape it in case the install path contains one.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: compare everything but the full-text index, which
    lives outside the models (:mod:`storage.search`)."""
    from storage.search import search_object

    return not (type_ in ("table", "index") and search_object(name))


def head_revisions() -> set[str]:
    """The revisions the code expects the schema to be at."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> set[str]:
    """The revisions the database is at (empty for a new database)."""
    return set(MigrationContext.configure(connection).get_current_heads())


def _outdated(engine: Engine) -> tuple[set[str], set[str]] | None:
    """``None`` when the archive is at the revisions the code expects; else the revisions it
    is at and those expected. Raises :class:`SchemaTooNew` when a newer vnnews migrated it.
    Reads only, and takes no lock."""
    script = ScriptDirectory.from_config(alembic_config())
    heads = set(script.get_heads())
    with engine.connect() as connection:
        current = current_revisions(connection)
    if current == heads:
        return None
    unknown = current - {script_rev.revision for script_rev in script.walk_revisions()}
    if unknown:
        raise SchemaTooNew(
            f"the archive {engine.url!r} is at schema revision {', '.join(sorted(unknown))}, "
            "newer than this vnnews knows: upgrade vnnews to use it"
        )
    return current, heads


def check_schema(engine: Engine) -> None:
    """Raise unless the database is at the revision the code expects: :class:`SchemaTooNew`
    or :class:`SchemaOutdated`, each saying what to do. Reads only."""
    outdated = _outdated(engine)
    if outdated is None:
        return
    current, heads = outdated
    raise SchemaOutdated(
        f"the archive {engine.url!r} is at schema revision {', '.join(sorted(current)) or '(none)'}"
        f", not {', '.join(sorted(heads))}: open it once without read-only mode (any vnnews "
        "command upgrades it) and try again"
    )


def upgrade(engine: Engine) -> None:
    """Bring the database to the latest revision; a no-op when it is already there.

    The common case, an up-to-date archive, is answered by one read without taking any lock.
    Otherwise, on SQLite the whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction: two
    processes opening a new archive at once then migrate one after the other (the second finds
    nothing to do) instead of both creating the tables, and a failed migration leaves no half
    of itself behind.
    """
    if _outdated(engine) is None:
        return
    with _ALEMBIC_LOCK, engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
