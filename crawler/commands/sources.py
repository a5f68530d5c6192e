"""``vnnews sources`` (list, add, check) and ``vnnews status``: which sites, and how they fare.

Health comes from each source's last crawl run (``crawler.health``): ``ok``, ``degraded``
(its site selectors stopped matching), ``generic`` (a config entry without selectors, read by
the fallbacks by design), ``unreachable``/``failed``/``timed_out``/``interrupted`` (the last run
did not get through; a run left ``running`` by a dead process reads as ``interrupted``),
``running``, or ``never crawled``. ``status`` adds each source's schedule and next run
(``vnnews schedule``) and how many articles it published in the last 7 days.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from crawler.commands.common import (
    EXIT_OK,
    UsageError,
    all_sources,
    print_json,
    sessions,
    sites_file,
)
from crawler.source_health import health_label, source_rows


def _last_runs(args: argparse.Namespace) -> dict:
    from storage.runs import last_runs

    with sessions(args)() as session:
        return last_runs(session)


def _source_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    return source_rows(all_sources(args), _last_runs(args))


def cmd_sources(args: argparse.Namespace) -> int:
    rows = _source_rows(args)
    if args.format == "json":
        return print_json(rows)
    print(f"{'source':<16} {'kind':<8} {'province':<12} {'langs':<14} {'checked':<8} health")
    for r in rows:
        langs = ",".join(r["langs"])
        langs = langs if len(langs) <= 14 else langs[:13] + "…"
        checked = "live" if r["verified"] else "no"
        print(
            f"{r['key']:<16} {r['kind']:<8} {r['province'] or '-':<12} {langs:<14} "
            f"{checked:<8} {r['health']}"
        )
    print(
        f"({len(rows)} sources; config entries from spiders/portals.toml and {sites_file(args)}; "
        "'checked: no' = start URLs and selectors not yet seen working on the live site)"
    )
    return EXIT_OK


def _read_entries(source: str) -> tuple[str, str]:
    if source == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{path}: no such file (write the entry as a [[site]] TOML table)")
    return path.read_text("utf-8"), str(path)


def _new_entries(args: argparse.Namespace, refusal: str) -> tuple[list, str]:
    """The valid, not yet registered entries of ``args.file`` and where they came from;
    anything else is a usage error that starts with ``refusal``."""
    from spiders.portal_config import ConfigError, parse_entries

    text, origin = _read_entries(args.file)
    try:
        sites = parse_entries(text, origin)
    except ConfigError as exc:
        raise UsageError(f"{refusal}:\n{exc}") from exc
    if not sites:
        raise UsageError(f"{origin}: no [[site]] entries ({refusal})")
    existing = all_sources(args)
    taken = [s.key for s in sites if s.key in existing]
    if taken:
        raise UsageError(
            f"{refusal}: key already used by a registered source: {', '.join(taken)} "
            "(`vnnews sources` lists them)"
        )
    return sites, text


def cmd_sources_check(args: argparse.Namespace) -> int:
    """Validate entries without adding them (or crawling anything)."""
    sites, _ = _new_entries(args, "not valid")
    count = f"{len(sites)} valid entr{'y' if len(sites) == 1 else 'ies'}"
    print(f"{args.file}: {count}: {', '.join(s.key for s in sites)}")
    return EXIT_OK


def cmd_sources_add(args: argparse.Namespace) -> int:
    """Validate entries, then append them to the user's sites file (never crawls)."""
    sites, text = _new_entries(args, "nothing added")
    target = sites_file(args)
    before = target.read_text("utf-8") if target.is_file() else ""
    separator = "" if not before or before.endswith("\n\n") else "\n"
    if before and not before.endswith("\n"):
        separator = "\n\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(before + separator + text.rstrip() + "\n", encoding="utf-8")
    print(f"added {', '.join(s.key for s in sites)} to {target}")
    print(f"crawl with: vnnews crawl {sites[0].key}    (nothing was crawled yet)")
    return EXIT_OK


def _status_label(run: Any) -> str:  # run: storage.models.CrawlRun | None
    """The health word, with a run left ``running`` by a dead process read as interrupted."""
    from schedules.runs import effective_status

    if run is not None and run.status == "running" and effective_status(run) != "running":
        return "interrupted"
    return health_label(run)


def _articles_last_week(args: argparse.Namespace) -> dict[str, int]:
    from storage.models import utcnow
    from storage.schedules import articles_since

    with sessions(args)() as session:
        return articles_since(session, utcnow() - timedelta(days=7))


def cmd_status(args: argparse.Namespace) -> int:
    """Per source: health and last run (outcome, counts), schedule and next run, and how many
    articles it published in the last 7 days."""
    from crawler.commands.schedule import next_run_label, schedule_rows
    from crawler.health import Health
    from schedules.runs import effective_status

    runs = _last_runs(args)
    sites = all_sources(args)
    schedules = {row["source"]: row for row in schedule_rows(args)}
    week = _articles_last_week(args)
    keys = list(sites) + [k for k in (*runs, *schedules) if k not in sites]
    rows = []
    for key in dict.fromkeys(keys):
        run = runs.get(key)
        health = Health.from_dict(run.health) if run is not None else None
        schedule = schedules.get(key)
        rows.append(
            {
                "source": key,
                "health": _status_label(run),
                "last_run": None if run is None else {
                    "id": run.id,
                    "started_at": run.started_at.isoformat(),
                    "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                    "status": effective_status(run),
                    "trigger": run.trigger,
                    "pages": run.pages,
                    "new": run.new,
                    "duplicates": run.duplicates,
                    "errors": run.errors,
                    "message": run.message,
                },
                "extraction": None if health is None else health.as_dict(),
                "schedule": None if schedule is None else {
                    "description": schedule["schedule"],
                    "interval_seconds": schedule["interval_seconds"],
                    "reason": schedule["reason"],
                    "paused": schedule["paused"],
                },
                "next_run": None if schedule is None else schedule["next_run"],
                "articles_last_7_days": week.get(key, 0),
            }
        )  # fmt: skip
    if args.format == "json":
        return print_json(rows)
    print(f"{'source':<16} {'health':<14} {'last run (UTC)':<17} {'status':<12} pages  new "
          f"errors   7d  {'schedule':<22} next run (UTC)")  # fmt: skip
    for row in rows:
        run = row["last_run"]
        schedule = schedules.get(row["source"])
        plan = schedule["schedule"] if schedule else "-"
        upcoming = next_run_label(schedule) if schedule else "-"
        if run is None:
            started, status, counts = "-", "-", f"{'-':>5} {'-':>4} {'-':>6}"
        else:
            started, status = run["started_at"][:16].replace("T", " "), run["status"]
            counts = f"{run['pages']:>5} {run['new']:>4} {run['errors']:>6}"
        print(f"{row['source']:<16} {row['health']:<14} {started:<17} {status:<12} {counts} "
              f"{row['articles_last_7_days']:>4}  {plan:<22} {upcoming}")  # fmt: skip
        if run is None:
            continue
        if row["extraction"] is not None and run["status"] not in (
            "unreachable", "running", "timed_out", "interrupted"
        ):  # fmt: skip
            print(f"{'':<16} {Health.from_dict(row['extraction']).summary()}")
        if run["message"] and run["status"] != "ok":
            print(f"{'':<16} {run['message']}")
        elif run["status"] == "interrupted" and row["health"] == "interrupted":
            print(f"{'':<16} the crawl process ended without closing its run")
    degraded = [r["source"] for r in rows if r["health"] == "degraded"]
    if degraded:
        print(f"\ndegraded: {', '.join(degraded)} — the site's layout changed; "
              "update its page object (built-ins) or its selectors (config entries)")  # fmt: skip
    print("7d: articles published in the last 7 days; schedules: `vnnews schedule list`")
    return EXIT_OK
