"""Run history as the scheduler needs it: is a ``running`` run still alive, and closing the runs
whose process is gone.

A crawl records its run as ``running`` with its pid (``crawler.extensions.RunRecorder``); a
crawl killed outright (SIGKILL, power loss) leaves that row behind. Such a run is recognised by
its process: gone, a zombie, or a different process that started after the run did (the pid was
reused). The check only means something on the machine that ran the crawl.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from storage.schedules import close_run, running_runs

logger = logging.getLogger("vnnews.scheduler")

# A ``running`` row without a pid (recorded before runs kept one) counts as alive this long.
PIDLESS_RUN_ALIVE = timedelta(hours=6)
_START_SLACK = timedelta(seconds=2)  # /proc's boot time is whole seconds


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (Linux), or ``None``."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2 :].split()


def _boot_time() -> float | None:
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def process_started_at(pid: int) -> datetime | None:
    """When process ``pid`` started (Linux ``/proc``), or ``None`` when that cannot be told."""
    fields = _proc_stat(pid)
    boot = _boot_time()
    if fields is None or boot is None or len(fields) < 20:
        return None
    ticks = int(fields[19])  # field 22 of stat: start time in clock ticks after boot
    return datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), UTC)


def process_alive(pid: int, *, started_by: datetime | None = None) -> bool:
    """Whether ``pid`` is a live process (not a zombie) that started by ``started_by``."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    except OSError:
        return False
    fields = _proc_stat(pid)
    if fields is not None and fields[0] == "Z":
        return False
    if started_by is not None:
        started = process_started_at(pid)
        if started is not None and started > started_by + _START_SLACK:
            return False  # the pid now belongs to a younger process
    return True


def run_alive(run: Any, now: datetime | None = None) -> bool:  # run: storage.models.CrawlRun
    """Whether a run marked ``running`` is really still running."""
    if run.status != "running":
        return False
    if run.pid is None:
        return (now or datetime.now(UTC)) - run.started_at < PIDLESS_RUN_ALIVE
    return process_alive(run.pid, started_by=run.started_at)


def effective_status(run: Any) -> str:
    """The run's status, with a ``running`` run whose process is gone read as ``interrupted``."""
    if run.status == "running" and not run_alive(run):
        return "interrupted"
    return run.status


def dead_run_message(run: Any) -> str:
    if run.pid is None:
        return "the crawl stopped without closing its run"
    return f"the crawl process (pid {run.pid}) ended without closing its run"


def reap_dead_runs(session: Session, source: str | None = None) -> list[int]:
    """Close every ``running`` run (of ``source``, or all) whose process is gone as
    ``interrupted``; returns their ids. The caller commits."""
    closed = []
    for run in running_runs(session, source):
        if not run_alive(run):
            close_run(session, run.id, status="interrupted", message=dead_run_message(run))
            closed.append(run.id)
            logger.warning("run %d (%s) was left running by a dead process: interrupted",
                           run.id, run.source.key if run.source else run.spider)  # fmt: skip
    return closed


def live_run(session: Session, source: str) -> Any | None:
    """A crawl of ``source`` running now (by hand or by a scheduler), or ``None``."""
    for run in running_runs(session, source):
        if run_alive(run):
            return run
    return None
