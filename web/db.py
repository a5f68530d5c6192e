"""The web app's access to the archive: one engine per app, a session per request.

The app never writes. Without read-only mode it opens the archive the way every vnnews command
does — created and upgraded to the current schema at start-up — and then serves it through a
second, read-only engine; in read-only mode it skips the upgrade (the archive must exist and be
current) and so writes nothing at all, not even at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import open_archive, open_archive_read_only, session_factory
from web.config import Settings


def open_engine(settings: Settings) -> Engine:
    """A read-only engine on the archive, upgraded first unless ``settings.read_only``."""
    if not settings.read_only:
        open_archive(settings.database_url).dispose()
    return open_archive_read_only(settings.database_url)


def sessions_of(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request (FastAPI dependency); closed when the response is sent."""
    with sessions_of(request)() as session:
        yield session


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)
