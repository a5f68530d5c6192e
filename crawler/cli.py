"""``vnnews``: crawl the sources into the archive, query it, import and export JSONL.

The archive is ``--db URL``, else ``$VNNEWS_DATABASE_URL``, else
``sqlite:///data/vnnews.sqlite3`` under the current directory (created on first use).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from crawler.extract.dates import parse_iso

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A wrong argument: printed with what to do instead, exit status 2."""


# -- shared helpers ---------------------------------------------------------------------------


def _sessions(args: argparse.Namespace):  # noqa: ANN202
    from storage.engine import open_archive, resolve_database_url, session_factory

    return session_factory(open_archive(resolve_database_url(args.db)))


def _when(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_iso(value)
    if parsed is None:
        raise UsageError(
            f"{name} {value!r} is not a date: use ISO 8601, e.g. 2026-09-01 or 2026-09-01T08:00+07:00"
        )
    return parsed


def _spider_loader():  # noqa: ANN202
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    return settings, SpiderLoader.from_settings(settings)


# -- crawl ------------------------------------------------------------------------------------


def _parse_host_map(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        host, sep, target = pair.partition("=")
        if not sep or not host or not target.startswith("http"):
            raise UsageError(
                f"--host-map {pair!r}: expected HOST=URL, e.g. mst.gov.vn=http://127.0.0.1:8765"
            )
        mapping[host.strip().lower()] = target.strip()
    return mapping


def cmd_crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler import settings as defaults
    from crawler.runstats import run_counts
    from storage.engine import open_archive, resolve_database_url

    settings, loader = _spider_loader()
    available = sorted(loader.list())
    names = available if args.all else list(args.spiders)
    if not names:
        raise UsageError(f"name the spiders to run or use --all (spiders: {', '.join(available)})")
    unknown = [n for n in names if n not in available]
    if unknown:
        raise UsageError(f"unknown spider {', '.join(unknown)} (spiders: {', '.join(available)})")

    db_url = resolve_database_url(args.db)
    open_archive(db_url)  # migrate before any crawler touches it
    host_map = _parse_host_map(args.host_map)
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
        overrides: dict[str, Any] = {
            "VNNEWS_DATABASE_URL": db_url,
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
        for pair in args.set:
            key, sep, value = pair.partition("=")
            if not sep:
                raise UsageError(f"--set {pair!r}: expected NAME=VALUE")
            overrides[key] = value
        settings.setdict(overrides, priority="cmdline")

        process = CrawlerProcess(settings)
        crawlers = {}
        for name in names:
            crawler = process.create_crawler(name)
            crawlers[name] = crawler
            process.crawl(crawler)
        print(f"crawling {', '.join(names)} into {db_url}", file=sys.stderr)
        process.start()

    print("\nsummary")
    failed = 0
    for name, crawler in crawlers.items():
        stats = crawler.stats.get_stats()
        counts = run_counts(stats)
        status = stats.get("vnnews/run_status") or "unknown"
        print(f"  {name:<14} {status:<12} {counts.line()}")
        if status != "ok":
            failed += 1
            reason = stats.get("vnnews/first_error") or stats.get("finish_reason")
            print(f"  {'':<14} {reason}")
            if status == "unreachable":
                print(
                    f"  {'':<14} check the network, or try the offline fixture sites: "
                    "vnnews crawl --all --fixtures tests/fixtures/sites"
                )
    print()
    _print_report(args)
    return EXIT_FAILED if failed and args.strict else EXIT_OK


# -- report, query ----------------------------------------------------------------------------


def _print_report(args: argparse.Namespace) -> None:
    from storage.articles import count_articles, query_articles
    from storage.engine import resolve_database_url
    from storage.runs import articles_per_source

    with _sessions(args)() as session:
        per_source = articles_per_source(session)
        total = count_articles(session)
        latest = query_articles(session, limit=5)
    print(f"archive {resolve_database_url(args.db)}: {total} articles")
    for key, count in sorted(per_source.items()):
        print(f"  {key:<14} {count}")
    if latest:
        print("latest:")
        for article in latest:
            when = (
                article.published_at.strftime("%Y-%m-%d %H:%M")
                if article.published_at
                else "no date"
            )
            print(f"  {when}  {article.source.key:<12} {article.title}")
    print("query it with: vnnews query --limit 20   (or --format json, --q 'chuyen doi so')")


def cmd_report(args: argparse.Namespace) -> int:
    _print_report(args)
    return EXIT_OK


QUERY_FIELDS = ("id", "published_at", "source", "title", "url")


def _write_table(rows: list[dict[str, Any]], out: TextIO) -> None:
    width = 70
    out.write(f"{'published (UTC)':<17} {'source':<12} {'title':<{width}} url\n")
    for row in rows:
        published = (row["published_at"] or "")[:16].replace("T", " ")
        title = row["title"] or ""
        title = title if len(title) <= width else title[: width - 1] + "…"
        out.write(f"{published:<17} {row['source']:<12} {title:<{width}} {row['url']}\n")
    out.write(f"({len(rows)} articles)\n")


def cmd_query(args: argparse.Namespace) -> int:
    from storage.articles import article_to_dict, query_articles

    since, until = _when(args.since, "--since"), _when(args.until, "--until")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with _sessions(args)() as session:
        articles = query_articles(
            session, source=args.source, since=since, until=until, text=args.q, limit=args.limit
        )
        rows = [article_to_dict(a) for a in articles]
    out = sys.stdout
    if args.format == "table":
        _write_table(rows, out)
    elif args.format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(out, fieldnames=[*QUERY_FIELDS, "summary"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return EXIT_OK


# -- import, export ---------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from crawler.importer import import_lines

    def bad(number: int, reason: str) -> None:
        print(f"{args.file}:{number}: skipped: {reason}", file=sys.stderr)

    with ExitStack() as stack:
        if args.file == "-":
            stream = sys.stdin
        else:
            path = Path(args.file)
            if not path.is_file():
                raise UsageError(f"{path}: no such file")
            stream = stack.enter_context(path.open(encoding="utf-8", errors="replace"))
        report = import_lines(stream, _sessions(args), default_source=args.source, on_bad_line=bad)
    o = report.outcomes
    print(
        f"imported: {o['new']} new, {o['updated']} updated, {o['duplicate']} duplicate; "
        f"{len(report.bad_lines)} bad lines skipped",
        file=sys.stderr,
    )
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_export(args: argparse.Namespace) -> int:
    from storage.articles import article_to_dict, iter_articles

    since, until = _when(args.since, "--since"), _when(args.until, "--until")
    count = 0
    with ExitStack() as stack:
        out = (
            sys.stdout
            if args.output == "-"
            else stack.enter_context(open(args.output, "w", encoding="utf-8"))
        )  # noqa: SIM115
        with _sessions(args)() as session:
            for article in iter_articles(session, source=args.source, since=since, until=until):
                out.write(json.dumps(article_to_dict(article), ensure_ascii=False) + "\n")
                count += 1
    print(f"exported {count} articles", file=sys.stderr)
    return EXIT_OK


# -- argument parsing -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vnnews",
        description="Vietnamese science, technology and digital-transformation news: "
        "crawl the sources into one archive and query it.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="archive database (SQLAlchemy URL); default "
        "$VNNEWS_DATABASE_URL or sqlite:///data/vnnews.sqlite3",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log crawl details (INFO)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser(
        "crawl",
        help="crawl sources into the archive, then report",
        description="Crawl the named spiders (or --all) politely into the archive. "
        "Articles already archived are not fetched again.",
    )
    crawl.add_argument("spiders", nargs="*", metavar="SPIDER", help="spider names (see --all)")
    crawl.add_argument("--all", action="store_true", help="every registered spider")
    crawl.add_argument(
        "--fixtures",
        metavar="DIR",
        help="serve the fixture sites in DIR on "
        "127.0.0.1 and crawl those instead of the live sites (offline demo)",
    )
    crawl.add_argument(
        "--host-map",
        action="append",
        default=[],
        metavar="HOST=URL",
        help="fetch HOST from URL instead (repeatable)",
    )
    crawl.add_argument(
        "--max-articles",
        type=int,
        default=0,
        metavar="N",
        help="stop each spider after N articles (default: no limit)",
    )
    crawl.add_argument(
        "--max-listing-pages",
        type=int,
        default=0,
        metavar="N",
        help="follow listing pagination at most N pages deep (default 5)",
    )
    crawl.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/vnnews setting (repeatable)",
    )
    crawl.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when any source failed or could not be reached",
    )
    crawl.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    crawl.add_argument(
        "--progress-interval", type=float, default=5.0, metavar="SECONDS", help=argparse.SUPPRESS
    )
    crawl.set_defaults(func=cmd_crawl)

    report = sub.add_parser("report", help="what the archive holds, per source")
    report.set_defaults(func=cmd_report)

    query = sub.add_parser("query", help="list archived articles, newest first")
    query.add_argument("--source", help="source key, e.g. mst")
    query.add_argument("--since", help="published at or after (ISO 8601; naive = Vietnam time)")
    query.add_argument("--until", help="published before (ISO 8601)")
    query.add_argument(
        "--q", metavar="TEXT", help="words in title, lead or text (accents optional)"
    )
    query.add_argument("--limit", type=int, default=20)
    query.add_argument("--format", choices=("table", "json", "jsonl", "csv"), default="table")
    query.set_defaults(func=cmd_query)

    imp = sub.add_parser("import", help="import JSONL articles (FILE or - for stdin)")
    imp.add_argument("file", metavar="FILE|-")
    imp.add_argument("--source", default="import", help="source key for lines without one")
    imp.set_defaults(func=cmd_import)

    export = sub.add_parser("export", help="write the archive as JSONL")
    export.add_argument("-o", "--output", default="-", help="file to write (default stdout)")
    export.add_argument("--source")
    export.add_argument("--since")
    export.add_argument("--until")
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"vnnews {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``vnnews query | head``): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
