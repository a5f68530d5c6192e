"""The ``schedules`` table (what the user asked for, and the interval as it adapts), the
scheduler's view of ``crawl_runs`` (runs of a source, runs left ``running``, closing a run the
crawl could not close itself) and the numbers ``vnnews status`` shows.

APScheduler's own job store (``apscheduler_jobs``, :class:`storage.models.SchedulerJob`) is
written by APScheduler; only its ``next_run_time`` is read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, and_, delete, func, inspect, or_, select
from sqlalchemy.orm import Session

from storage.engine import begin_write
from storage.models import Article, CrawlRun, Schedule, SchedulerJob, Source, utcnow
from storage.runs import RUN_STATUSES

SCHEDULE_KINDS = ("interval", "cron")
JOB_PREFIX = "crawl:"  # APScheduler job id of a source's crawl: "crawl:<source>"


def job_id(source: str) -> str:
    return f"{JOB_PREFIX}{source}"


@dataclass(frozen=True)
class ScheduleSpec:
    """What ``vnnews schedule add`` asks for; validated by the caller (schedules.spec)."""

    source: str
    kind: str  # interval | cron
    timeout_seconds: int
    every_seconds: int | None = None
    min_seconds: int | None = None
    max_seconds: int | None = None
    cron: str | None = None


# -- schedules ------------------------------------------------------------------------------


def get_schedule(session: Session, source: str) -> Schedule | None:
    return session.get(Schedule, source, populate_existing=True)


def list_schedules(session: Session) -> list[Schedule]:
    """Every schedule, by source key."""
    stmt = select(Schedule).order_by(Schedule.source).execution_options(populate_existing=True)
    return list(session.scalars(stmt).all())


def count_schedules(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Schedule)) or 0)


def save_schedule(session: Session, spec: ScheduleSpec, *, reason: str) -> bool:
    """Insert or replace the source's schedule; returns whether it is new. The caller commits.

    Replacing starts the adaptive interval again from what the user asked for; a paused
    schedule stays paused.
    """
    if spec.kind not in SCHEDULE_KINDS:
        raise ValueError(f"unknown schedule kind {spec.kind!r} (one of {SCHEDULE_KINDS})")
    begin_write(session)
    row = get_schedule(session, spec.source)
    created = row is None
    if row is None:
        row = Schedule(source=spec.source, created_at=utcnow(), paused=False)
        session.add(row)
    row.kind, row.cron = spec.kind, spec.cron
    row.interval_seconds = row.base_seconds = spec.every_seconds
    row.min_seconds, row.max_seconds = spec.min_seconds, spec.max_seconds
    row.timeout_seconds = spec.timeout_seconds
    row.reason = reason
    row.updated_at = utcnow()
    session.flush()
    return created


def remove_schedule(session: Session, source: str) -> bool:
    """Delete the source's schedule; ``False`` when it had none. The caller commits."""
    begin_write(session)
    result = session.execute(delete(Schedule).where(Schedule.source == source))
    return bool(result.rowcount)


def set_paused(session: Session, source: str, paused: bool) -> Schedule | None:
    """Pause or resume; ``None`` when the source has no schedule. The caller commits."""
    begin_write(session)
    row = get_schedule(session, source)
    if row is not None and row.paused != paused:
        row.paused = paused
        row.updated_at = utcnow()
        session.flush()
    return row


def set_interval(session: Session, source: str, seconds: int, reason: str) -> Schedule | None:
    """Record the adapted interval and why; ``None`` when the schedule is gone. The caller
    commits."""
    begin_write(session)
    row = get_schedule(session, source)
    if row is not None:
        row.interval_seconds = seconds
        row.reason = reason
        row.updated_at = utcnow()
        session.flush()
    return row


# -- APScheduler's job store ----------------------------------------------------------------


def job_store_exists(bind: Engine | Connection) -> bool:
    """Whether the job store table exists (it does once the archive is at migration 0005)."""
    return inspect(bind).has_table(SchedulerJob.__tablename__)


def scheduled_jobs(session: Session) -> list[str]:
    """The ids of the jobs in the job store."""
    return list(session.scalars(select(SchedulerJob.id).order_by(SchedulerJob.id)).all())


def next_run_times(session: Session) -> dict[str, datetime | None]:
    """Next run of each source's job, by source key (``None``: paused in the scheduler).

    A source missing from the answer has no job yet: the scheduler has not picked its schedule
    up (it does within its sync interval) or has never been started.
    """
    rows = session.execute(
        select(SchedulerJob.id, SchedulerJob.next_run_time).where(
            SchedulerJob.id.startswith(JOB_PREFIX)
        )
    ).all()
    return {
        job[len(JOB_PREFIX) :]: None if ts is None else datetime.fromtimestamp(ts, UTC)
        for job, ts in rows
    }


# -- crawl runs, as the scheduler sees them -------------------------------------------------


def _of_source(source: str):  # noqa: ANN202 - a SQL condition
    """Runs of the source: by its row, or (a run recorded before the source row existed) by
    the spider of the same name."""
    source_id = select(Source.id).where(Source.key == source).scalar_subquery()
    return (CrawlRun.source_id == source_id) | (
        CrawlRun.source_id.is_(None) & (CrawlRun.spider == source)
    )


def recent_runs(session: Session, source: str, limit: int = 20) -> list[CrawlRun]:
    """The source's latest runs, newest first."""
    stmt = (
        select(CrawlRun)
        .where(_of_source(source))
        .order_by(CrawlRun.id.desc())
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(stmt).all())


def running_runs(session: Session, source: str | None = None) -> list[CrawlRun]:
    """Runs still marked ``running`` (of one source, or all), oldest first."""
    stmt = select(CrawlRun).where(CrawlRun.status == "running")
    if source is not None:
        stmt = stmt.where(_of_source(source))
    stmt = stmt.order_by(CrawlRun.id).execution_options(populate_existing=True)
    return list(session.scalars(stmt).all())


def run_of_process(session: Session, pid: int, since: datetime) -> CrawlRun | None:
    """The run a crawl process recorded (its pid, started at or after ``since``)."""
    stmt = (
        select(CrawlRun)
        .where(CrawlRun.pid == pid, CrawlRun.started_at >= since)
        .order_by(CrawlRun.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )
    return session.scalar(stmt)


def close_run(session: Session, run_id: int, *, status: str, message: str | None) -> None:
    """Give a run the outcome its crawl could not record (killed at its limit, died, stopped):
    ``status`` replaces the one recorded, counts stay as they are. The caller commits."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r} (one of {', '.join(RUN_STATUSES)})")
    begin_write(session)
    run = session.get(CrawlRun, run_id, populate_existing=True)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    run.status = status
    run.finished_at = run.finished_at or utcnow()
    if message:
        run.message = f"{message}; {run.message}" if run.message else message
    session.flush()


def record_run(
    session: Session,
    *,
    spider: str,
    source: str,
    status: str,
    started_at: datetime,
    message: str | None,
    trigger: str,
    pid: int | None,
) -> int:
    """A run the crawl never recorded (it failed or hung before opening): what the scheduler
    saw. The caller commits."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r} (one of {', '.join(RUN_STATUSES)})")
    source_id = session.scalar(select(Source.id).where(Source.key == source))
    run = CrawlRun(
        spider=spider,
        source_id=source_id,
        started_at=started_at,
        finished_at=utcnow(),
        status=status,
        message=message,
        trigger=trigger,
        pid=pid,
        stats={},
        health={},
    )
    session.add(run)
    session.flush()
    return run.id


# -- what `vnnews status` adds --------------------------------------------------------------


def articles_since(
    session: Session, since: datetime, sources: Sequence[str] = ()
) -> dict[str, int]:
    """Articles per source key published since ``since`` (fetched since, when undated)."""
    recent = or_(
        Article.published_at >= since,
        and_(Article.published_at.is_(None), Article.fetched_at >= since),
    )
    stmt = (
        select(Source.key, func.count(Article.id))
        .join(Article, Article.source_id == Source.id)
        .where(recent)
        .group_by(Source.key)
    )
    if sources:
        stmt = stmt.where(Source.key.in_(sources))
    return {key: count for key, count in session.execute(stmt).all()}
