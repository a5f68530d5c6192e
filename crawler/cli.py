"""``vnnews``: crawl the sources into the archive, query it, import and export JSONL, and
see how each source fares.

The archive is ``--db URL``, else ``$VNNEWS_DATABASE_URL``, else
``sqlite:///data/vnnews.sqlite3`` under the current directory (created on first use). Config
entries for further sites are read from ``spiders/portals.toml`` and the user's ``--sites``
file (``$VNNEWS_SITES_FILE``, else ``data/sites.toml``). Each subcommand lives in
:mod:`crawler.commands`; this module parses arguments and dispatches.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from crawler.commands.archive import cmd_export, cmd_import, cmd_query
from crawler.commands.common import EXIT_OK, EXIT_USAGE, UsageError
from crawler.commands.crawl import cmd_crawl
from crawler.commands.report import cmd_report
from crawler.commands.sources import cmd_sources, cmd_sources_add, cmd_sources_check, cmd_status
from crawler.commands.stories import cmd_dedup, cmd_story
from crawler.commands.tags import cmd_provinces, cmd_retag, cmd_topics


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
    parser.add_argument(
        "--sites",
        metavar="FILE",
        help="your config entries for further sites (TOML); default "
        "$VNNEWS_SITES_FILE or data/sites.toml",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log crawl details (INFO)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser(
        "crawl",
        help="crawl sources into the archive, then report",
        description="Crawl the named sources (or --all) politely into the archive. "
        "Articles already archived are not fetched again.",
    )
    crawl.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="source keys (`vnnews sources` lists them); 'portal' = every config entry",
    )
    crawl.add_argument("--all", action="store_true", help="every registered source")
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
        help="stop each source after N articles (default: no limit)",
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
    crawl.add_argument(
        "--refresh",
        action="store_true",
        help="fetch every page again: archived articles and unchanged feeds, sitemaps and "
        "listings too; changed articles are stored as updates",
    )
    crawl.add_argument(
        "--jobdir",
        metavar="DIR",
        help="keep each source's request journal in DIR/<source>, so that a killed crawl is "
        "resumed by the next one (default: jobs/ beside a SQLite archive, e.g. data/jobs/)",
    )
    crawl.add_argument(
        "--no-jobdir", action="store_true", help="keep no request journal (no resuming)"
    )
    crawl.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    crawl.add_argument(
        "--progress-interval", type=float, default=5.0, metavar="SECONDS", help=argparse.SUPPRESS
    )
    crawl.set_defaults(func=cmd_crawl)

    status = sub.add_parser(
        "status", help="each source's last crawl, its outcome and extraction health"
    )
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(func=cmd_status)

    from crawler.commands.schedule import add_parsers as add_schedule_parsers

    add_schedule_parsers(sub)  # `schedule add|list|remove|pause|resume` and `scheduler`

    sources = sub.add_parser(
        "sources",
        help="list the registered sources; add or check config entries",
        description="Without a subcommand: list built-in sources and config entries with "
        "their province, languages and health.",
    )
    sources.add_argument("--format", choices=("table", "json"), default="table")
    sources.set_defaults(func=cmd_sources)
    sources_sub = sources.add_subparsers(dest="sources_command", metavar="COMMAND")
    add = sources_sub.add_parser(
        "add",
        help="validate [[site]] entries in FILE and append them to your sites file",
        description="Validate the [[site]] TOML entries in FILE (or - for stdin) and append "
        "them to your sites file (--sites). Nothing is crawled; a malformed entry is refused "
        "with what to fix.",
    )
    add.add_argument("file", metavar="FILE|-")
    add.set_defaults(func=cmd_sources_add)
    check = sources_sub.add_parser("check", help="validate [[site]] entries without adding them")
    check.add_argument("file", metavar="FILE|-")
    check.set_defaults(func=cmd_sources_check)

    report = sub.add_parser("report", help="what the archive holds, per source")
    report.set_defaults(func=cmd_report)

    query = sub.add_parser("query", help="list archived articles, newest first")
    query.add_argument("--source", help="source key, e.g. mst")
    query.add_argument("--since", help="published at or after (ISO 8601; naive = Vietnam time)")
    query.add_argument("--until", help="published before (ISO 8601)")
    query.add_argument(
        "--q", metavar="TEXT", help="words in title, lead or text (accents optional)"
    )
    query.add_argument(
        "--province",
        action="append",
        default=[],
        metavar="P",
        help="tagged with this province (slug, name with or without accents, or an old "
        "province's name; repeat for any of several)",
    )
    query.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="T",
        help="tagged with this topic (slug or label; repeat: all of them)",
    )
    query.add_argument(
        "--include-irrelevant",
        action="store_true",
        help="also articles tagged as not about science, technology or digital transformation",
    )
    query.add_argument(
        "--copies",
        action="store_true",
        help="every article; by default one per story (its original where it matches)",
    )
    query.add_argument("--limit", type=int, default=20)
    query.add_argument("--format", choices=("table", "json", "jsonl", "csv"), default="table")
    query.set_defaults(func=cmd_query)

    story = sub.add_parser(
        "story", help="one story: its original and copies, sites, languages and relations"
    )
    story.add_argument("id", type=int, metavar="ID", help="a story id (export's story_id)")
    story.add_argument("--format", choices=("table", "json"), default="table")
    story.set_defaults(func=cmd_story)

    dedup = sub.add_parser(
        "dedup",
        help="put articles without a story into theirs (archives from before stories)",
    )
    dedup.add_argument("--all", action="store_true", help="every article again")
    dedup.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    dedup.set_defaults(func=cmd_dedup)

    retag = sub.add_parser(
        "retag",
        help="tag the archive again after a gazetteer, taxonomy or rules change",
        description="Re-tag articles tagged by an older tagger (or --all); unchanged tags are "
        "not rewritten, so running it twice does nothing the second time.",
    )
    retag.add_argument("--all", action="store_true", help="every article, not only outdated ones")
    retag.add_argument("--batch-size", type=int, default=200, help=argparse.SUPPRESS)
    retag.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    retag.set_defaults(func=cmd_retag)

    provinces = sub.add_parser(
        "provinces", help="the 34 provinces with their old names and article counts"
    )
    provinces.add_argument("--format", choices=("table", "json"), default="table")
    provinces.add_argument("--include-irrelevant", action="store_true", help="count those too")
    provinces.set_defaults(func=cmd_provinces)

    topics = sub.add_parser("topics", help="the topics with their labels and article counts")
    topics.add_argument("--format", choices=("table", "json"), default="table")
    topics.set_defaults(func=cmd_topics)

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

    from crawler.commands.serve import add_parser as add_serve_parser

    add_serve_parser(sub)  # `serve`: the JSON API, feeds and browse page
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
