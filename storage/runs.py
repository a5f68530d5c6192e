"""The ``crawl_runs`` table: one row per crawl, for the report, the scheduler and debugging."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, Source, utcnow

RUN_STATUSES = ("running", "ok", "unreachable", "failed", "interrupted", "timed_out")


def start_run(
    session: Session,
    *,
    spider: str,
    source_key: str | None,
    trigger: str = "manual",
    pid: int | None = None,
) -> int:
    """Record a crawl as ``running`` and return its id; the caller commits.

    An unknown ``source_key`` leaves the run without a source rather than failing: the record
    of a crawl matters most when something is wrong. ``trigger`` says who started it
    (``manual`` or ``schedule``), ``pid`` which process runs it (to tell a dead crawl's
    ``running`` row from a live one).
    """
    source_id = None
    if source_key is not None:
        source_id = session.scalar(select(Source.id).where(Source.key == source_key))
    run = CrawlRun(
        spider=spider,
        source_id=source_id,
        started_at=utcnow(),
        status="running",
        trigger=trigger,
        pid=pid,
    )
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    pages: int,
    new: int,
    duplicates: int,
    updated: int,
    errors: int,
    stats: Mapping[str, Any],
    message: str | None,
    health: Mapping[str, Any] | None = None,
    degraded: bool = False,
) -> None:
    """Close the run with its outcome, counts and extraction health; the caller commits.

    ``stats`` and ``health`` must be JSON-serializable (Scrapy's stats with datetimes turned
    into strings; ``crawler.health.Health.as_dict()``).
    """
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r} (one of {', '.join(RUN_STATUSES)})")
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    run.finished_at = utcnow()
    run.status = status
    run.pages, run.new, run.duplicates = pages, new, duplicates
    run.updated, run.errors = updated, errors
    run.stats = dict(stats)
    run.message = message
    run.health = dict(health or {})
    run.degraded = degraded
    session.flush()


def last_runs(session: Session) -> dict[str, CrawlRun]:
    """The latest run of each source, by source key (a run without a source: by spider name).

    One spider may crawl many sources (``portal``), so the source is what a run belongs to.
    """
    with_source = (
        select(func.max(CrawlRun.id))
        .where(CrawlRun.source_id.is_not(None))
        .group_by(CrawlRun.source_id)
    )
    without_source = (
        select(func.max(CrawlRun.id)).where(CrawlRun.source_id.is_(None)).group_by(CrawlRun.spider)
    )
    latest: dict[str, CrawlRun] = {}
    for ids in (with_source, without_source):
        for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(ids))).all():
            key = run.source.key if run.source is not None else run.spider
            if key not in latest or latest[key].id < run.id:
                latest[key] = run
    return dict(sorted(latest.items()))


def articles_per_source(session: Session) -> dict[str, int]:
    """Article count per source key, including sources with none yet."""
    stmt = (
        select(Source.key, func.count(Article.id))
        .outerjoin(Article, Article.source_id == Source.id)
        .group_by(Source.key)
        .order_by(Source.key)
    )
    return {key: count for key, count in session.execute(stmt).all()}
