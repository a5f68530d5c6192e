"""The scheduled job: crawl one source in a child process, within its time limit, record how
it ended, and adapt the source's interval.

Each crawl is a child process (``python -m crawler.cli ... crawl SOURCE``) because Twisted's
reactor runs once per process. The child records its own run (``RunRecorder``, with
``trigger="schedule"`` and its pid); this module records what the child cannot:

- past the schedule's limit, the child gets SIGTERM (Scrapy closes the spider), then SIGKILL
  after a grace period; its run is ``timed_out``;
- when the service stops, running children get SIGTERM (in-flight items finish), then SIGKILL
  after the grace; a run left open is ``interrupted``;
- a child that died before recording anything gets a ``failed`` run with its last words.

APScheduler stores the job by reference (``schedules.jobs:run_scheduled_crawl``) with the source
key as its only argument; how to crawl (archive, sites file, extra crawl options) belongs to
the service process, installed here with :func:`install`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session, sessionmaker

from schedules.adaptive import Outcome, next_interval
from schedules.durations import format_duration
from schedules.runs import live_run, reap_dead_runs
from storage.models import utcnow
from storage.schedules import (
    close_run,
    get_schedule,
    recent_runs,
    record_run,
    run_of_process,
    set_interval,
)

logger = logging.getLogger("vnnews.scheduler")

JOB_FUNC = "schedules.jobs:run_scheduled_crawl"
TRIGGER = "schedule"
POLL_SECONDS = 0.2
STDERR_TAIL = 1500  # characters of a failed child's stderr kept in its run's message
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CrawlOptions:
    """How the service runs a crawl: the archive, the sites file, extra ``crawl`` options
    (``--host-map``, ``--set``) and how long a stopped crawl may take to close."""

    db_url: str
    sites_file: str
    crawl_args: Sequence[str] = ()
    kill_grace: float = 30.0
    python: str = sys.executable


@dataclass
class CrawlResult:
    run_id: int | None
    status: str
    new: int = 0
    message: str | None = None


@dataclass
class Runner:
    """Process-wide state of the scheduled crawls: what runs now, and whether to stop."""

    options: CrawlOptions
    sessions: sessionmaker[Session]
    spider_of: Callable[[str], str]  # source key -> the spider that crawls it
    on_interval_changed: Callable[[str], None] = lambda source: None
    stopping: threading.Event = field(default_factory=threading.Event)
    _active: set[str] = field(default_factory=set)
    _children: dict[str, subprocess.Popen] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- the job --------------------------------------------------------------------------

    def run(self, source: str) -> CrawlResult | None:
        """Crawl ``source`` if its schedule still wants it and nothing crawls it now."""
        if self.stopping.is_set():
            return None
        with self.sessions() as session:
            schedule = get_schedule(session, source)
            if schedule is None or schedule.paused:
                logger.info("%s: %s, not crawled", source,
                            "paused" if schedule else "no longer scheduled")  # fmt: skip
                return None
            timeout = int(schedule.timeout_seconds)
        with self._lock:
            if source in self._active:
                logger.info("%s: still crawling since the last start; skipped", source)
                return None
            self._active.add(source)
        try:
            with self.sessions() as session:
                reap_dead_runs(session, source)
                session.commit()
                busy = live_run(session, source)
            if busy is not None:
                who = "by hand" if busy.trigger == "manual" else f"by {busy.trigger}"
                logger.warning("%s: a crawl started %s is running (run %d, pid %s); skipped",
                               source, who, busy.id, busy.pid)  # fmt: skip
                return None
            result = self.crawl(source, timeout)
            self.adapt(source, result)
            return result
        finally:
            with self._lock:
                self._active.discard(source)

    def crawl(self, source: str, timeout: float) -> CrawlResult:
        """One crawl in a child process, killed at ``timeout`` seconds; its recorded result."""
        started = utcnow()
        command = [
            self.options.python, "-m", "crawler.cli",
            "--db", self.options.db_url, "--sites", self.options.sites_file,
            "crawl", source, "--quiet", "--set", f"VNNEWS_RUN_TRIGGER={TRIGGER}",
            *self.options.crawl_args,
        ]  # fmt: skip
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stderr:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=_child_env(),
                # Its own process group: a Ctrl-C in the service's terminal reaches the
                # service only, which stops the crawl once (a second signal would make Scrapy
                # skip its clean close).
                start_new_session=True,
            )
            with self._lock:
                self._children[source] = proc
            logger.info("%s: crawl started (pid %d, limit %s)", source, proc.pid,
                        format_duration(timeout))  # fmt: skip
            try:
                ending = self._wait(proc, timeout)
            finally:
                with self._lock:
                    self._children.pop(source, None)
            result = self._record(source, proc, started, ending, timeout, _tail(stderr))
        logger.info("%s: crawl %s (run %s, %d new)%s", source, result.status, result.run_id,
                    result.new, f": {result.message}" if result.status != "ok" and result.message
                    else "")  # fmt: skip
        return result

    def _wait(self, proc: subprocess.Popen, timeout: float) -> str | None:
        """Wait for the child; stop it at the limit or when the service stops. Returns why it
        was stopped (``timed_out``, ``interrupted``) or ``None``."""
        deadline = time.monotonic() + timeout
        ending: str | None = None
        signalled_at = 0.0
        while True:
            try:
                proc.wait(timeout=POLL_SECONDS)
                return ending
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if ending is None:
                if self.stopping.is_set():
                    ending = "interrupted"
                elif now >= deadline:
                    ending = "timed_out"
                if ending is not None:
                    logger.warning("pid %d: %s, stopping it (SIGTERM)", proc.pid,
                                   "the service stops" if ending == "interrupted"
                                   else "past its time limit")  # fmt: skip
                    _signal(proc, signal.SIGTERM)
                    signalled_at = now
            elif now - signalled_at >= self.options.kill_grace:
                logger.warning("pid %d: still running %s after SIGTERM; SIGKILL", proc.pid,
                               format_duration(self.options.kill_grace))  # fmt: skip
                _signal(proc, signal.SIGKILL)
                signalled_at = float("inf")  # once

    def _record(
        self,
        source: str,
        proc: subprocess.Popen,
        started: datetime,
        ending: str | None,
        timeout: float,
        stderr_tail: str,
    ) -> CrawlResult:
        """Close the child's run with what only the parent knows; the run as recorded."""
        code = proc.returncode
        with self.sessions() as session:
            # The child records its run when its spider opens, after ``started``.
            run = run_of_process(session, proc.pid, started - timedelta(seconds=1))
            status: str | None = None
            if ending == "timed_out":
                status = "timed_out"
                message = f"killed after {format_duration(timeout)}, the schedule's time limit"
            elif run is None or run.status == "running":
                status = "interrupted" if ending == "interrupted" or code < 0 else "failed"
                message = (
                    "stopped with the scheduler"
                    if ending == "interrupted"
                    else _exit_message(code, stderr_tail)
                )
            if status is not None:
                if run is None:
                    run_id = record_run(
                        session, spider=self.spider_of(source), source=source, status=status,
                        started_at=started, message=message, trigger=TRIGGER, pid=proc.pid,
                    )  # fmt: skip
                else:
                    close_run(session, run.id, status=status, message=message)
                    run_id = run.id
                session.commit()
                run = run_of_process(session, proc.pid, started - timedelta(seconds=1))
                if run is None or run.id != run_id:  # not expected: it was written just above
                    return CrawlResult(run_id, status, 0, message)
            return CrawlResult(run.id, run.status, run.new, run.message)

    # -- adaptive interval ----------------------------------------------------------------

    def adapt(self, source: str, result: CrawlResult) -> None:
        """Shrink or grow the source's interval after a run (interval schedules only)."""
        if result.run_id is None:
            return
        with self.sessions() as session:
            schedule = get_schedule(session, source)
            if schedule is None or schedule.kind != "interval":
                return
            if schedule.min_seconds == schedule.max_seconds:
                return  # fixed
            runs = recent_runs(session, source)
            earlier = [Outcome(r.status, r.new) for r in runs if r.id < result.run_id]
            decision = next_interval(
                int(schedule.interval_seconds),
                minimum=int(schedule.min_seconds),
                maximum=int(schedule.max_seconds),
                latest=Outcome(result.status, result.new),
                earlier=earlier,
            )
            changed = decision.seconds != schedule.interval_seconds
            set_interval(session, source, decision.seconds, decision.reason)
            session.commit()
        logger.info("%s: %s", source, decision.reason)
        if changed:
            self.on_interval_changed(source)

    # -- stopping -------------------------------------------------------------------------

    def running(self) -> dict[str, int]:
        """Sources being crawled now, with their child's pid."""
        with self._lock:
            return {source: proc.pid for source, proc in self._children.items()}

    def stop(self) -> None:
        """Stop starting crawls; running ones get SIGTERM now (from their wait loop)."""
        self.stopping.set()


def _signal(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has just ended
        proc.send_signal(signum)


def _child_env() -> dict[str, str]:
    """The service's environment, with this checkout importable (an uninstalled checkout runs
    ``python -m crawler.cli`` too)."""
    env = dict(os.environ)
    paths = [str(PROJECT_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.pop("VNNEWS_DATABASE_URL", None)  # --db is explicit
    return env


def _tail(stream: IO[str]) -> str:
    stream.seek(0)
    return stream.read()[-STDERR_TAIL:].strip()


def _exit_message(code: int | None, stderr_tail: str) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = f"the crawl process was killed by {name}"
    else:
        why = f"the crawl process exited with status {code} before finishing its run"
    last = stderr_tail.splitlines()[-1] if stderr_tail else ""
    return f"{why}: {last}" if last else why


# -- the job APScheduler stores, and the runner it uses --------------------------------------

_runner: Runner | None = None


def install(runner: Runner | None) -> None:
    """Make ``runner`` the one scheduled jobs of this process use (``None``: none)."""
    global _runner
    _runner = runner


def run_scheduled_crawl(source: str) -> None:
    """The job APScheduler runs: crawl ``source`` now."""
    if _runner is None:
        raise RuntimeError("no scheduler service is running in this process")
    _runner.run(source)
