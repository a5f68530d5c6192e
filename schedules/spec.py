"""What a schedule may be: the checks behind ``vnnews schedule add``, and the APScheduler
trigger a schedule row becomes.

Interval schedules adapt (:mod:`schedules.adaptive`) between a minimum and a maximum; cron
schedules run at fixed times, read in the scheduler's local time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from schedules.adaptive import default_bounds
from schedules.durations import DurationError, format_duration, parse_duration
from storage.schedules import ScheduleSpec

DEFAULT_TIMEOUT_SECONDS = 3600
DEFAULT_EVERY_SECONDS = 2 * 3600  # the seed sources' default schedule
FIRST_RUN_DELAY = 30.0  # seconds: a source never crawled is crawled this soon (at most)
JITTER_SHARE = 0.05  # of the interval, added at random to each start ...
JITTER_MAX = 120.0  # ... but at most this many seconds
CRON_JITTER = 30.0


class SpecError(ValueError):
    """A schedule that cannot be; the message says what to write instead."""


def _duration(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise SpecError(f"{option} {exc}") from None


def check_cron(expr: str) -> str:
    """``expr`` if APScheduler reads it as a crontab line, else :class:`SpecError`."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(expr)
    except ValueError as exc:
        raise SpecError(
            f"--cron {expr!r} is not a crontab expression ({exc}): write five fields, minute "
            "hour day-of-month month day-of-week, e.g. '0 */3 * * *' (every 3 hours) or "
            "'30 6 * * mon-fri'"
        ) from None
    return " ".join(expr.split())


def build_spec(
    source: str,
    *,
    every: str | None = None,
    cron: str | None = None,
    minimum: str | None = None,
    maximum: str | None = None,
    fixed: bool = False,
    timeout: str | None = None,
) -> ScheduleSpec:
    """A checked schedule from the command line's strings."""
    if (every is None) == (cron is None):
        raise SpecError("give either --every DURATION or --cron EXPRESSION")
    timeout_seconds = _duration("--timeout", timeout) or DEFAULT_TIMEOUT_SECONDS
    if cron is not None:
        if minimum or maximum or fixed:
            raise SpecError("--min, --max and --fixed go with --every (cron times are fixed)")
        return ScheduleSpec(
            source=source, kind="cron", cron=check_cron(cron), timeout_seconds=timeout_seconds
        )
    every_seconds = _duration("--every", every)
    assert every_seconds is not None
    low, high = default_bounds(every_seconds)
    if fixed:
        if minimum or maximum:
            raise SpecError("--fixed keeps the interval as given: leave out --min and --max")
        low = high = every_seconds
    low = _duration("--min", minimum) or low
    high = _duration("--max", maximum) or high
    if not low <= every_seconds <= high:
        raise SpecError(
            f"--every {format_duration(every_seconds)} is outside --min {format_duration(low)} "
            f".. --max {format_duration(high)}"
        )
    return ScheduleSpec(
        source=source,
        kind="interval",
        every_seconds=every_seconds,
        min_seconds=low,
        max_seconds=high,
        timeout_seconds=timeout_seconds,
    )


def describe(schedule: Any) -> str:  # schedule: storage.models.Schedule
    """``every 2h (15m..1d)``, ``every 2h (fixed)`` or ``cron 0 */3 * * *``."""
    if schedule.kind == "cron":
        return f"cron {schedule.cron}"
    low, high = schedule.min_seconds, schedule.max_seconds
    bounds = "fixed" if low == high else f"{format_duration(low)}..{format_duration(high)}"
    return f"every {format_duration(schedule.interval_seconds)} ({bounds})"


def signature(schedule: Any) -> str:
    """What the scheduler's job must match (kept as the job's name): a changed schedule, by
    the user or by adaptation, has a different one and is rescheduled."""
    if schedule.kind == "cron":
        return f"{schedule.source}: cron {schedule.cron}"
    return f"{schedule.source}: every {int(schedule.interval_seconds)}s"


def jitter(interval: float) -> float:
    return min(JITTER_MAX, interval * JITTER_SHARE)


def make_trigger(schedule: Any, *, now: datetime, last_started: datetime | None, tz: Any) -> Any:
    """The APScheduler trigger of a schedule row.

    An interval counts from the start of the source's last run (any trigger): a source crawled
    by hand an hour ago, with a 2 h interval, is next crawled in an hour; one never crawled,
    within ``FIRST_RUN_DELAY``. Each start gets a small random delay (``jitter``) so that
    sources on the same interval do not all start in the same second.
    """
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if schedule.kind == "cron":
        trigger = CronTrigger.from_crontab(schedule.cron, timezone=tz)
        trigger.jitter = CRON_JITTER
        return trigger
    interval = float(schedule.interval_seconds)
    first = now + timedelta(seconds=min(FIRST_RUN_DELAY, interval))
    if last_started is not None:
        first = max(first, last_started + timedelta(seconds=interval))
    return IntervalTrigger(seconds=interval, start_date=first, timezone=tz, jitter=jitter(interval))
