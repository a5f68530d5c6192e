"""``vnnews crawl``: run the sources' spiders in one process, then summarize and report.

A source is crawled by its spider: a built-in source by the spider of the same name, a config
entry by the ``portal`` spider with the entry's key as argument. Each source gets a crawler of
its own, so progress, stats, the run record and the health verdict are per source.

Each source also gets a job folder (``--jobdir DIR`` gives the parent: ``DIR/<source>``;
default ``jobs/`` beside a SQLite archive, else ``data/jobs``; ``--no-jobdir``: none) holding
the journal of its requests, so a crawl that was killed is resumed by the next one
(:mod:`crawler.jobdir`). ``--refresh`` fetches every page again, archived articles and
unchanged feeds included, and stores what changed as an update.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from crawler.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    all_sources,
    sites_file,
)
from crawler.commands.report import print_report

PORTAL = "portal"


def parse_host_map(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        host, sep, target = pair.partition("=")
        if not sep or not host or not target.startswith("http"):
            raise UsageError(
                f"--host-map {pair!r}: expected HOST=URL, e.g. mst.gov.vn=http://127.0.0.1:8765"
            )
        mapping[host.strip().lower()] = target.strip()
    return mapping


def plan(names: Sequence[str], *, everything: bool, sites: dict) -> list:  # list[Site]
    """The sources to crawl, in order: named ones (``portal`` = every config entry) or all."""
    if everything:
        return list(sites.values())
    if not names:
        raise UsageError(f"name the sources to crawl or use --all (sources: {', '.join(sites)})")
    chosen: dict[str, Any] = {}
    unknown = []
    for name in names:
        if name == PORTAL:
            chosen.update({k: s for k, s in sites.items() if s.spider == PORTAL})
        elif name in sites:
            chosen[name] = sites[name]
        else:
            unknown.append(name)
    if unknown:
        raise UsageError(
            f"unknown source {', '.join(unknown)} (sources: {', '.join(sites)}; "
            "`vnnews sources` lists them, `vnnews sources add FILE` adds one)"
        )
    if not chosen:
        raise UsageError("no config entries to crawl: add one with `vnnews sources add FILE`")
    return list(chosen.values())


def _settings():  # noqa: ANN202
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def cmd_crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler import settings as defaults
    from crawler.jobdir import default_jobs_root
    from storage.engine import open_archive, resolve_database_url

    sources = plan(args.sources, everything=args.all, sites=all_sources(args))
    settings = _settings()
    db_url = resolve_database_url(args.db)
    open_archive(db_url)  # migrate before any crawler touches it
    jobs_root = jobs_root_for(args, default_jobs_root(db_url))
    host_map = parse_host_map(args.host_map)
    with ExitStack() as stack:
        if args.fixtures:
            from crawler.devserver import FixtureServer

            root = Path(args.fixtures)
            if not root.is_dir():
                raise UsageError(
                    f"--fixtures {root}: no such directory (the fixture sites are in tests/fixtures/sites)"
                )
            server = stack.enter_context(FixtureServer(root))
            host_map = {**server.host_map(), **host_map}
            print(
                f"serving fixture sites {', '.join(server.hosts())} on {server.base_url}",
                file=sys.stderr,
            )
            if args.all:  # offline: only what is served, never the live sites
                served = [s for s in sources if s.host in host_map]
                skipped = [s.key for s in sources if s.host not in host_map]
                if skipped:
                    print(f"no fixture site, not crawled: {', '.join(skipped)}", file=sys.stderr)
                sources = served
        overrides: dict[str, Any] = {
            "VNNEWS_DATABASE_URL": db_url,
            "VNNEWS_SITES_FILE": str(sites_file(args)),
            "VNNEWS_PROGRESS_ENABLED": not args.quiet,
            "VNNEWS_PROGRESS_INTERVAL": args.progress_interval,
            "LOG_LEVEL": "INFO" if args.verbose else "WARNING",
            "LOG_FORMAT": "%(levelname)s %(name)s: %(message)s",
        }
        if host_map:
            overrides["VNNEWS_HOST_MAP"] = host_map
            if all("127.0.0.1" in t or "localhost" in t for t in host_map.values()):
                overrides.update(defaults.LOOPBACK_OVERRIDES)
        if args.max_articles:
            overrides["CLOSESPIDER_ITEMCOUNT"] = args.max_articles
        if args.max_listing_pages:
            overrides["VNNEWS_MAX_LISTING_PAGES"] = args.max_listing_pages
        if getattr(args, "refresh", False):
            overrides["VNNEWS_REFRESH"] = True
            overrides["VNNEWS_SKIP_KNOWN_ENABLED"] = False
        for pair in args.set:
            key, sep, value = pair.partition("=")
            if not sep:
                raise UsageError(f"--set {pair!r}: expected NAME=VALUE")
            overrides[key] = value
        settings.setdict(overrides, priority="cmdline")

        process = CrawlerProcess(settings)
        jobdirs = job_folders(jobs_root, [site.key for site in sources])
        crawlers = {}
        for site in sources:
            crawler = process.create_crawler(site.spider)
            if site.key in jobdirs:
                crawler.settings.set("VNNEWS_JOBDIR", str(jobdirs[site.key]), priority="cmdline")
            crawlers[site.key] = crawler
            if site.spider == PORTAL:
                process.crawl(crawler, site=site.key)
            else:
                process.crawl(crawler)
        print(f"crawling {', '.join(crawlers)} into {db_url}", file=sys.stderr)
        process.start()

    failed = print_summary({key: c.stats.get_stats() for key, c in crawlers.items()})
    print()
    print_report(args)
    return EXIT_FAILED if failed and args.strict else EXIT_OK


def jobs_root_for(args: argparse.Namespace, default: Path) -> Path | None:
    """The folder holding one job folder per source, or ``None`` (``--no-jobdir``)."""
    if getattr(args, "no_jobdir", False):
        return None
    chosen = getattr(args, "jobdir", None)
    return Path(chosen) if chosen else default


def job_folders(root: Path | None, keys: Sequence[str]) -> dict[str, Path]:
    """Each source's job folder; refuses when a running crawl holds one of them."""
    from crawler.jobdir import jobdir_in_use, source_jobdir

    if root is None:
        return {}
    folders = {key: source_jobdir(root, key) for key in keys}
    busy = [key for key, folder in folders.items() if jobdir_in_use(folder)]
    if busy:
        raise UsageError(
            f"another crawl of {', '.join(busy)} is running (its job folder "
            f"{', '.join(str(folders[k]) for k in busy)} is in use); wait for it to end"
        )
    return folders


def print_summary(stats_by_source: dict[str, dict[str, Any]]) -> int:
    """One line per source (and its reason when not ok); returns how many did not end ok."""
    from crawler.health import run_health
    from crawler.runstats import run_counts

    print("\nsummary")
    failed = 0
    degraded = []
    w = max([14, *(len(key) + 1 for key in stats_by_source)])  # the key column
    for key, stats in stats_by_source.items():
        counts = run_counts(stats)
        status = stats.get("vnnews/run_status") or "unknown"
        print(f"  {key:<{w}} {status:<12} {counts.line()}")
        if status != "ok":
            failed += 1
            reason = stats.get("vnnews/first_error") or stats.get("finish_reason")
            print(f"  {'':<{w}} {reason}")
            if status == "unreachable":
                print(
                    f"  {'':<{w}} check the network, or try the offline fixture sites: "
                    "vnnews crawl --all --fixtures tests/fixtures/sites"
                )
        if stats.get("vnnews/degraded"):
            degraded.append(key)
            for reason in run_health(stats).reasons:
                print(f"  {'':<{w}} degraded: {reason}")
    if degraded:
        print(
            f"\ndegraded sources: {', '.join(degraded)} — their pages no longer match the "
            "site selectors; articles were kept through fallbacks where possible "
            "(vnnews status shows the details)"
        )
    return failed
