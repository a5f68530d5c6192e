"""The ``sources`` table: the sites articles come from, keyed by a stable ``key``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.engine import begin_write
from storage.models import Source


def get_source(session: Session, key: str) -> Source | None:
    """The source with ``key``, or ``None``."""
    return session.scalar(select(Source).where(Source.key == key))


def ensure_source(
    session: Session,
    *,
    key: str,
    name: str,
    host: str,
    spider: str,
    lang: str | None = None,
    province: str | None = None,
) -> Source:
    """Insert the source, or bring its row up to date with the registry; the caller commits.

    Called whenever a spider opens, so the sites registry stays the one place a source is
    described: a renamed site or a moved host is corrected here, and calling it again with the
    same values writes nothing.
    """
    values = {"name": name, "host": host, "spider": spider, "lang": lang, "province": province}
    begin_write(session)
    lookup = select(Source).where(Source.key == key).execution_options(populate_existing=True)
    for attempt in (1, 2):
        source = session.scalar(lookup)
        if source is not None:
            for field, value in values.items():
                if getattr(source, field) != value:
                    setattr(source, field, value)
            session.flush()
            return source
        try:
            with session.begin_nested():
                source = Source(key=key, **values)
                session.add(source)
            return source
        except IntegrityError:
            if attempt == 2:
                raise
            continue  # inserted concurrently by another process: update that row instead
    raise AssertionError("unreachable")
