"""``vnnews report``: what the archive holds per source (also the end of every crawl)."""

from __future__ import annotations

import argparse

from crawler.commands.common import EXIT_OK, sessions


def print_report(args: argparse.Namespace) -> None:
    from storage.articles import count_articles, query_articles
    from storage.engine import resolve_database_url
    from storage.runs import articles_per_source

    with sessions(args)() as session:
        per_source = articles_per_source(session)
        total = count_articles(session)
        latest = query_articles(session, limit=5)
    print(f"archive {resolve_database_url(args.db)}: {total} articles")
    w = max([14, *(len(key) + 1 for key in per_source)])
    for key, count in sorted(per_source.items()):
        print(f"  {key:<{w}} {count}")
    if latest:
        print("latest:")
        for article in latest:
            when = (
                article.published_at.strftime("%Y-%m-%d %H:%M")
                if article.published_at
                else "no date"
            )
            print(f"  {when}  {article.source.key:<{w}} {article.title}")
    print("query it with: vnnews query --limit 20   (or --format json, --q 'chuyen doi so')")


def cmd_report(args: argparse.Namespace) -> int:
    print_report(args)
    return EXIT_OK
