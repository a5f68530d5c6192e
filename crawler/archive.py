"""One archive connection per database URL for all Scrapy components of a process."""

from __future__ import annotations

from functools import lru_cache

from scrapy.settings import BaseSettings
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import open_archive, resolve_database_url, session_factory


@lru_cache(maxsize=8)
def _sessions_for(url: str) -> sessionmaker[Session]:
    return session_factory(open_archive(url))


def archive_sessions(settings: BaseSettings) -> sessionmaker[Session]:
    """Sessions on the archive the settings name (migrated to the latest schema on first use)."""
    return _sessions_for(resolve_database_url(settings.get("VNNEWS_DATABASE_URL")))
