"""Alembic environment for the archive.

At runtime :func:`storage.migrate.upgrade` passes an open connection in
``config.attributes["connection"]``, so no ``alembic.ini`` or URL is needed. A developer may
also run ``alembic -c storage/migrations/alembic.ini ...``; the URL then comes from
``$VNNEWS_DATABASE_URL`` (or the ini's ``sqlalchemy.url``), the same as the application's.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from storage.engine import DEFAULT_DATABASE_URL, ENV_VAR, make_engine
from storage.migrate import include_name
from storage.models import Base

config = context.config
target_metadata = Base.metadata

if config.config_file_name is not None and "connection" not in config.attributes:
    # Developer command line only: the application's own logging is left alone.
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return (
        os.environ.get(ENV_VAR) or config.get_main_option("sqlalchemy.url") or DEFAULT_DATABASE_URL
    )


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,  # the full-text index is not in the models (search.py)
    )


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it."""
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
