"""``vnnews schedule add|list|remove|pause|resume`` and ``vnnews scheduler``.

The commands write the ``schedules`` table; ``vnnews scheduler`` (the service, in the
foreground) runs the crawls and picks up changes made by these commands, from any process,
within its sync interval (``--sync-seconds``, default 10 s). See :mod:`schedules.service`.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    all_sources,
    print_json,
    sessions,
    sites_file,
)

OVERDUE_AFTER = timedelta(minutes=2)  # a next run this far in the past: is the service running?


def _known_source(args: argparse.Namespace, source: str) -> str:
    sites = all_sources(args)
    if source not in sites:
        raise UsageError(
            f"unknown source {source!r} (sources: {', '.join(sites)}; `vnnews sources` lists "
            "them, `vnnews sources add FILE` adds one)"
        )
    return source


def cmd_schedule_add(args: argparse.Namespace) -> int:
    from schedules.durations import format_duration
    from schedules.spec import SpecError, build_spec, describe
    from storage.schedules import get_schedule, save_schedule

    source = _known_source(args, args.source)
    try:
        spec = build_spec(
            source,
            every=args.every,
            cron=args.cron,
            minimum=args.min,
            maximum=args.max,
            fixed=args.fixed,
            timeout=args.timeout,
        )
    except SpecError as exc:
        raise UsageError(str(exc)) from exc
    reason = "as asked" if spec.kind == "interval" else "fixed times"
    with sessions(args)() as session:
        created = save_schedule(session, spec, reason=reason)
        session.commit()
        row = get_schedule(session, source)
    verb = "scheduled" if created else "rescheduled"
    print(f"{verb} {source}: {describe(row)}, time limit {format_duration(row.timeout_seconds)}"
          f"{' (paused)' if row.paused else ''}")  # fmt: skip
    print("a running `vnnews scheduler` picks this up within its sync interval (10s by default)")
    return EXIT_OK


def _change(args: argparse.Namespace, what: str) -> int:
    from storage.schedules import remove_schedule, set_paused

    missing = []
    with sessions(args)() as session:
        for source in args.sources:
            if what == "remove":
                found = remove_schedule(session, source)
            else:
                found = set_paused(session, source, what == "pause") is not None
            if found:
                print(f"{what + ('d' if what.endswith('e') else 'ed')} {source}")
            else:
                missing.append(source)
        session.commit()
    if missing:
        print(f"not scheduled: {', '.join(missing)} (`vnnews schedule list` shows the schedules)",
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    return EXIT_OK


def cmd_schedule_remove(args: argparse.Namespace) -> int:
    return _change(args, "remove")


def cmd_schedule_pause(args: argparse.Namespace) -> int:
    return _change(args, "pause")


def cmd_schedule_resume(args: argparse.Namespace) -> int:
    return _change(args, "resume")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def schedule_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One record per schedule: what was asked, the current interval and why, next and last run
    (also used by ``vnnews status``)."""
    from schedules.runs import effective_status
    from schedules.spec import describe
    from storage.runs import last_runs
    from storage.schedules import list_schedules, next_run_times

    with sessions(args)() as session:
        schedules = list_schedules(session)
        upcoming = next_run_times(session)
        runs = last_runs(session)
    rows = []
    for s in schedules:
        run = runs.get(s.source)
        rows.append(
            {
                "source": s.source,
                "kind": s.kind,
                "schedule": describe(s),
                "cron": s.cron,
                "interval_seconds": s.interval_seconds,
                "every_seconds": s.base_seconds,
                "min_seconds": s.min_seconds,
                "max_seconds": s.max_seconds,
                "reason": s.reason,
                "paused": s.paused,
                "timeout_seconds": s.timeout_seconds,
                "scheduled": s.source in upcoming,  # the scheduler has a job for it
                "next_run": None if s.paused else _iso(upcoming.get(s.source)),
                "last_run": None if run is None else {
                    "id": run.id,
                    "started_at": _iso(run.started_at),
                    "finished_at": _iso(run.finished_at),
                    "status": effective_status(run),
                    "trigger": run.trigger,
                    "new": run.new,
                },
            }
        )  # fmt: skip
    return rows


def next_run_label(row: dict[str, Any], now: datetime | None = None) -> str:
    if row["paused"]:
        return "paused"
    if not row["scheduled"] or row["next_run"] is None:
        return "pending"  # the scheduler has not picked it up (yet)
    moment = datetime.fromisoformat(row["next_run"])
    label = moment.strftime("%Y-%m-%d %H:%M")
    if moment < (now or datetime.now(UTC)) - OVERDUE_AFTER:
        label += " overdue"
    return label


def cmd_schedule_list(args: argparse.Namespace) -> int:
    rows = schedule_rows(args)
    if args.format == "json":
        return print_json(rows)
    if not rows:
        print("no schedules: add one with `vnnews schedule add SOURCE --every 2h` (the "
              "scheduler gives the built-in sources a default schedule on its first start)")  # fmt: skip
        return EXIT_OK
    print(f"{'source':<16} {'schedule':<24} {'next run (UTC)':<24} {'last run (UTC)':<17} "
          f"{'outcome':<12} {'new':>4}  why")  # fmt: skip
    for row in rows:
        run = row["last_run"]
        last = run["started_at"][:16].replace("T", " ") if run else "-"
        outcome = run["status"] if run else "-"
        new = str(run["new"]) if run else "-"
        print(f"{row['source']:<16} {row['schedule']:<24} {next_run_label(row):<24} {last:<17} "
              f"{outcome:<12} {new:>4}  {row['reason'] or ''}")  # fmt: skip
    notes = []
    if any(next_run_label(r) == "pending" for r in rows):
        notes.append("pending: not yet picked up by `vnnews scheduler` (is it running?)")
    if any(next_run_label(r).endswith("overdue") for r in rows):
        notes.append("overdue: is `vnnews scheduler` running?")
    for note in notes:
        print(note)
    return EXIT_OK


# -- the service --------------------------------------------------------------------------


def _crawl_args(args: argparse.Namespace) -> tuple[str, ...]:
    """The options every scheduled crawl gets (checked here, not in each child)."""
    from crawler.commands.crawl import parse_host_map

    parse_host_map(args.host_map)
    passed: list[str] = []
    for pair in args.host_map:
        passed += ["--host-map", pair]
    for pair in args.set:
        if "=" not in pair:
            raise UsageError(f"--set {pair!r}: expected NAME=VALUE")
        passed += ["--set", pair]
    if args.fixtures:
        passed += ["--fixtures", args.fixtures]
    return tuple(passed)


def cmd_scheduler(args: argparse.Namespace) -> int:
    """Run the scheduled crawls in the foreground until SIGTERM or SIGINT."""
    from schedules.service import SchedulerService, ServiceConfig
    from spiders.registry import SITES
    from storage.engine import resolve_database_url

    if args.sync_seconds <= 0 or args.max_concurrent < 1 or args.kill_grace < 0:
        raise UsageError("--sync-seconds must be > 0, --max-concurrent >= 1, --kill-grace >= 0")
    crawl_args = _crawl_args(args)
    sites = all_sources(args)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet = logging.INFO if args.verbose else logging.WARNING
    for name in ("apscheduler", "alembic"):  # their INFO lines are noise in a service log
        logging.getLogger(name).setLevel(quiet)
    config = ServiceConfig(
        db_url=resolve_database_url(args.db),
        sites_file=str(sites_file(args)),
        crawl_args=crawl_args,
        max_concurrent=args.max_concurrent,
        sync_seconds=args.sync_seconds,
        kill_grace=args.kill_grace,
        defaults=not args.no_defaults,
        seed_sources=tuple(SITES),
        spiders={key: site.spider for key, site in sites.items()},
    )
    stop = threading.Event()
    received: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    service = SchedulerService(config)
    try:
        service.start()
        while not stop.wait(1.0):
            pass
        logging.getLogger("vnnews.scheduler").info("%s received: stopping", received[0])
    finally:
        service.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return EXIT_OK


def add_parsers(sub: Any) -> None:  # sub: argparse's subparsers action
    """Register ``schedule`` and ``scheduler`` on the ``vnnews`` parser."""
    schedule = sub.add_parser(
        "schedule",
        help="when each source is crawled: add, list, remove, pause, resume",
        description="Schedules of the crawls `vnnews scheduler` runs. An interval schedule "
        "adapts: it shrinks while runs find new articles and grows while they find none, "
        "between --min and --max.",
    )
    schedule_sub = schedule.add_subparsers(dest="schedule_command", metavar="COMMAND",
                                           required=True)  # fmt: skip
    add = schedule_sub.add_parser(
        "add",
        help="schedule a source (or change its schedule)",
        description="Crawl SOURCE --every DURATION (adaptive, between --min and --max; "
        "defaults 15m and 1d, widened to include --every) or at --cron times (fixed, in the "
        "scheduler's local time zone). Durations: 90s, 30m, 2h, 1d, 1h30m.",
    )
    add.add_argument("source", metavar="SOURCE", help="a source key (`vnnews sources`)")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--every", metavar="DURATION", help="start interval, e.g. 2h")
    when.add_argument("--cron", metavar="EXPR", help="crontab times, e.g. '0 */3 * * *'")
    add.add_argument("--min", metavar="DURATION", help="shortest interval (default 15m)")
    add.add_argument("--max", metavar="DURATION", help="longest interval (default 1d)")
    add.add_argument("--fixed", action="store_true", help="keep the interval as given")
    add.add_argument(
        "--timeout", metavar="DURATION", help="stop a crawl running longer (default 1h)"
    )
    add.set_defaults(func=cmd_schedule_add)
    listing = schedule_sub.add_parser(
        "list", help="schedules: current interval and why, next run, last run and outcome"
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(func=cmd_schedule_list)
    for name, func, text in (
        ("remove", cmd_schedule_remove, "stop scheduling these sources"),
        ("pause", cmd_schedule_pause, "pause these sources' schedules"),
        ("resume", cmd_schedule_resume, "resume these sources' schedules"),
    ):
        cmd = schedule_sub.add_parser(name, help=text)
        cmd.add_argument("sources", nargs="+", metavar="SOURCE")
        cmd.set_defaults(func=func)

    service = sub.add_parser(
        "scheduler",
        help="run the scheduled crawls (foreground service; SIGTERM or Ctrl-C stops it)",
        description="Run the scheduled crawls, each in a child process within its time limit, "
        "until SIGTERM or SIGINT; logs go to stderr. Schedule changes made by `vnnews "
        "schedule` in other processes are picked up within --sync-seconds. On first start, "
        "without schedules of your own, the built-in sources get a default schedule (every "
        "2h, adaptive between 15m and 1d).",
    )
    service.add_argument(
        "--host-map", action="append", default=[], metavar="HOST=URL",
        help="passed to every crawl: fetch HOST from URL instead (repeatable)",
    )  # fmt: skip
    service.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="passed to every crawl: a Scrapy/vnnews setting (repeatable)",
    )  # fmt: skip
    service.add_argument(
        "--fixtures", metavar="DIR",
        help="passed to every crawl: crawl the fixture sites in DIR (offline demo)",
    )  # fmt: skip
    service.add_argument("--max-concurrent", type=int, default=4, metavar="N",
                         help="crawls running at once (default 4)")  # fmt: skip
    service.add_argument("--sync-seconds", type=float, default=10.0, metavar="S",
                         help="how often schedule changes are picked up (default 10)")  # fmt: skip
    service.add_argument("--kill-grace", type=float, default=30.0, metavar="S",
                         help="seconds a stopped crawl gets to close before SIGKILL "
                         "(default 30)")  # fmt: skip
    service.add_argument("--no-defaults", action="store_true",
                         help="no default schedules for the built-in sources on first start")  # fmt: skip
    service.set_defaults(func=cmd_scheduler)
