"""``vnnews scheduler``: APScheduler 3 wired to the archive.

- The ``schedules`` table is what the user asked for (``vnnews schedule add|remove|pause|
  resume``, from any process); APScheduler's SQLAlchemy job store, in the same database, keeps
  one job per schedule (``crawl:<source>``) with its next run, so schedules and their timing
  survive restarts.
- A sync job reconciles the two every ``sync_seconds`` (default 10 s): a schedule added, changed,
  paused or removed by another process takes effect within that delay. APScheduler 3 only reads
  its job store when it wakes up; the sync job also makes sure it wakes that often.
- Jobs coalesce missed runs into one, run at most one instance each, and start with a small
  random delay (jitter); a crawl started by hand is not doubled (``schedules.jobs``).
- On first start, when the user has no schedules of their own, the built-in (seed) sources get
  a default schedule. That it was offered once is remembered in the job store (a paused marker
  job), so removing every schedule later does not bring the defaults back.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from schedules import jobs
from schedules.durations import format_duration
from schedules.runs import reap_dead_runs
from schedules.spec import (
    DEFAULT_EVERY_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    describe,
    make_trigger,
    signature,
)
from storage.engine import make_engine, open_archive, session_factory
from storage.schedules import (
    JOB_PREFIX,
    ScheduleSpec,
    count_schedules,
    job_id,
    list_schedules,
    recent_runs,
    save_schedule,
)

logger = logging.getLogger("vnnews.scheduler")

SYNC_JOB = "vnnews:sync"
DEFAULTS_MARKER = "vnnews:defaults-offered"
DEFAULT_SYNC_SECONDS = 10.0
DEFAULT_MAX_CONCURRENT = 4


def _never() -> None:
    """The marker job's function: the marker is paused for good and never runs."""


@dataclass
class ServiceConfig:
    db_url: str
    sites_file: str
    crawl_args: tuple[str, ...] = ()
    max_concurrent: int = DEFAULT_MAX_CONCURRENT
    sync_seconds: float = DEFAULT_SYNC_SECONDS
    kill_grace: float = 30.0
    defaults: bool = True  # offer the seed sources a default schedule on first start
    seed_sources: tuple[str, ...] = ()  # the built-in sources (spiders.registry.SITES)
    spiders: dict[str, str] = field(default_factory=dict)  # source key -> spider


class SchedulerService:
    """The scheduler of one archive; :meth:`start` and :meth:`stop` (run one per archive)."""

    def __init__(self, config: ServiceConfig):
        self.config = config
        self.sessions: sessionmaker[Session] = session_factory(open_archive(config.db_url))
        self.runner = jobs.Runner(
            options=jobs.CrawlOptions(
                db_url=config.db_url,
                sites_file=config.sites_file,
                crawl_args=tuple(config.crawl_args),
                kill_grace=config.kill_grace,
            ),
            sessions=self.sessions,
            spider_of=lambda source: config.spiders.get(source, source),
            on_interval_changed=self._interval_changed,
        )
        self.scheduler: Any = None
        self._sync_lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        # The job store gets an engine of its own: APScheduler disposes of it on shutdown.
        store = SQLAlchemyJobStore(engine=make_engine(self.config.db_url))
        self.scheduler = BackgroundScheduler(
            jobstores={"default": store, "internal": MemoryJobStore()},
            executors={
                "default": ThreadPoolExecutor(self.config.max_concurrent),
                "internal": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        jobs.install(self.runner)
        # Paused: bring the stored jobs in line with the schedules before any of them fires.
        self.scheduler.start(paused=True)
        self._offer_defaults()
        self.sync()
        self.scheduler.add_job(
            self.sync, "interval", seconds=self.config.sync_seconds, id=SYNC_JOB,
            name="sync schedules", jobstore="internal", executor="internal",
        )  # fmt: skip
        self.scheduler.resume()
        logger.info("scheduler started on %s: %d schedule(s); changes made elsewhere are "
                    "picked up within %s", self.config.db_url, len(self._schedules()),
                    format_duration(self.config.sync_seconds))  # fmt: skip

    def stop(self) -> None:
        """Start nothing new; running crawls get SIGTERM (SIGKILL after the grace) and their
        runs are closed; returns when they have ended."""
        running = self.runner.running()
        if running:
            logger.info("stopping: waiting for %s to stop (at most %s)",
                        ", ".join(f"{s} (pid {p})" for s, p in running.items()),
                        format_duration(self.config.kill_grace))  # fmt: skip
        self.runner.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        jobs.install(None)
        logger.info("scheduler stopped")

    # -- defaults -------------------------------------------------------------------------

    def _offer_defaults(self) -> None:
        if self.scheduler.get_job(DEFAULTS_MARKER, jobstore="default") is not None:
            return
        with self.sessions() as session:
            if self.config.defaults and count_schedules(session) == 0:
                for source in self.config.seed_sources:
                    spec = ScheduleSpec(
                        source=source,
                        kind="interval",
                        every_seconds=DEFAULT_EVERY_SECONDS,
                        min_seconds=15 * 60,
                        max_seconds=24 * 3600,
                        timeout_seconds=DEFAULT_TIMEOUT_SECONDS,
                    )
                    save_schedule(session, spec, reason="default schedule of a seed source")
                session.commit()
                logger.info("first start: default schedules for %s (every %s; change them with "
                            "`vnnews schedule add|remove`)", ", ".join(self.config.seed_sources),
                            format_duration(DEFAULT_EVERY_SECONDS))  # fmt: skip
        self.scheduler.add_job(
            f"{__name__}:_never", "interval", days=36500, id=DEFAULTS_MARKER,
            name="default schedules were offered", next_run_time=None, replace_existing=True,
        )  # fmt: skip

    # -- keeping the jobs in line with the schedules -------------------------------------

    def _schedules(self) -> list[Any]:
        with self.sessions() as session:
            return list_schedules(session)

    def sync(self) -> None:
        """Add, reschedule, pause, resume and remove jobs to match the ``schedules`` table;
        close runs whose process died."""
        with self._sync_lock:
            with self.sessions() as session:
                reap_dead_runs(session)
                session.commit()
                schedules = list_schedules(session)
            jobs_now = {
                job.id: job
                for job in self.scheduler.get_jobs(jobstore="default")
                if job.id.startswith(JOB_PREFIX)
            }
            for schedule in schedules:
                self._apply(schedule, jobs_now.pop(job_id(schedule.source), None))
            for stale in jobs_now:
                self.scheduler.remove_job(stale, jobstore="default")
                logger.info("%s: schedule removed", stale[len(JOB_PREFIX) :])

    def _apply(self, schedule: Any, job: Any | None) -> None:
        wanted = signature(schedule)
        if job is None or job.name != wanted:
            with self.sessions() as session:
                last = recent_runs(session, schedule.source, limit=1)
            tz = self.scheduler.timezone
            trigger = make_trigger(
                schedule,
                now=datetime.now(UTC),
                last_started=last[0].started_at if last else None,
                tz=tz,
            )
            extra = {"next_run_time": None} if schedule.paused else {}
            job = self.scheduler.add_job(
                jobs.JOB_FUNC, trigger, args=(schedule.source,), id=job_id(schedule.source),
                name=wanted, jobstore="default", executor="default", replace_existing=True,
                **extra,
            )  # fmt: skip
            job = self.scheduler.get_job(job.id, jobstore="default")
            logger.info("%s: %s%s", schedule.source, describe(schedule),
                        " (paused)" if schedule.paused
                        else f", next run {_when(job.next_run_time)}")  # fmt: skip
            return
        if schedule.paused and job.next_run_time is not None:
            self.scheduler.pause_job(job.id, jobstore="default")
            logger.info("%s: paused", schedule.source)
        elif not schedule.paused and job.next_run_time is None:
            self.scheduler.resume_job(job.id, jobstore="default")
            job = self.scheduler.get_job(job.id, jobstore="default")
            logger.info("%s: resumed, next run %s", schedule.source, _when(job.next_run_time))

    def _interval_changed(self, source: str) -> None:
        """After a run adapted the interval: reschedule now rather than at the next sync."""
        if self.runner.stopping.is_set():
            return
        with self._sync_lock:
            schedule = next((s for s in self._schedules() if s.source == source), None)
            if schedule is not None:
                self._apply(schedule, self.scheduler.get_job(job_id(source), jobstore="default"))


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
