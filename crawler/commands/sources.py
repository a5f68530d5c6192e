"""``vnnews sources`` (list, add, check) and ``vnnews status``: which sites, and how they fare.

Health comes from each source's last crawl run (``crawler.health``): ``ok``, ``degraded``
(its site selectors stopped matching), ``generic`` (a config entry without selectors, read by
the fallbacks by design), ``unreachable``/``failed`` (the last run did not get through), or
``never crawled``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from crawler.commands.common import (
    EXIT_OK,
    UsageError,
    all_sources,
    sessions,
    sites_file,
)


def health_label(run: Any) -> str:  # run: storage.models.CrawlRun | None
    """One word for a source's state after its last run."""
    if run is None:
        return "never crawled"
    if run.status == "running":
        return "running"  # or a crawl that died; the scheduler issue records those
    if run.status in ("unreachable", "failed", "interrupted"):
        return run.status
    if run.degraded:
        return "degraded"
    if (run.health or {}).get("generic_only"):
        return "generic"
    return "ok"


def _last_runs(args: argparse.Namespace) -> dict:
    from storage.runs import last_runs

    with sessions(args)() as session:
        return last_runs(session)


def _source_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    runs = _last_runs(args)
    rows = []
    for key, site in all_sources(args).items():
        run = runs.get(key)
        rows.append(
            {
                "key": key,
                "name": site.name,
                "host": site.host,
                "kind": site.kind,
                "spider": site.spider,
                "province": site.province,
                "langs": list(site.langs),
                "verified": site.verified,
                "health": health_label(run),
                "start_urls": list(site.start_urls),
            }
        )
    return rows


def cmd_sources(args: argparse.Namespace) -> int:
    rows = _source_rows(args)
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
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


def cmd_status(args: argparse.Namespace) -> int:
    """Each source's last run, its outcome and extraction health."""
    from crawler.health import Health

    runs = _last_runs(args)
    sites = all_sources(args)
    keys = list(sites) + [k for k in runs if k not in sites]
    rows = []
    for key in keys:
        run = runs.get(key)
        health = Health.from_dict(run.health) if run is not None else None
        rows.append(
            {
                "source": key,
                "health": health_label(run),
                "last_run": None if run is None else {
                    "id": run.id,
                    "started_at": run.started_at.isoformat(),
                    "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                    "status": run.status,
                    "pages": run.pages,
                    "new": run.new,
                    "duplicates": run.duplicates,
                    "errors": run.errors,
                    "message": run.message,
                },
                "extraction": None if health is None else health.as_dict(),
            }
        )  # fmt: skip
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"{'source':<16} {'health':<14} {'last run (UTC)':<17} {'status':<12} pages  new errors")
    for row in rows:
        run = row["last_run"]
        if run is None:
            print(f"{row['source']:<16} {row['health']:<14} -")
            continue
        started = run["started_at"][:16].replace("T", " ")
        print(
            f"{row['source']:<16} {row['health']:<14} {started:<17} {run['status']:<12} "
            f"{run['pages']:>5} {run['new']:>4} {run['errors']:>6}"
        )
        if row["extraction"] is not None and run["status"] not in ("unreachable", "running"):
            print(f"{'':<16} {Health.from_dict(row['extraction']).summary()}")
        if run["message"] and run["status"] != "ok":
            print(f"{'':<16} {run['message']}")
    degraded = [r["source"] for r in rows if r["health"] == "degraded"]
    if degraded:
        print(f"\ndegraded: {', '.join(degraded)} — the site's layout changed; "
              "update its page object (built-ins) or its selectors (config entries)")  # fmt: skip
    return EXIT_OK
