"""``vnnews query``, ``import`` and ``export``: the archive in and out."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from crawler.commands.common import EXIT_FAILED, EXIT_OK, UsageError, sessions, when

QUERY_FIELDS = ("id", "published_at", "source", "primary_province", "title", "url")


def _write_table(rows: list[dict[str, Any]], out: TextIO) -> None:
    width = 70
    out.write(f"{'published (UTC)':<17} {'source':<12} {'province':<12} {'title':<{width}} url\n")
    for row in rows:
        published = (row["published_at"] or "")[:16].replace("T", " ")
        province = row.get("primary_province") or "-"
        title = row["title"] or ""
        title = title if len(title) <= width else title[: width - 1] + "…"
        out.write(f"{published:<17} {row['source']:<12} {province:<12} {title:<{width}} "
                  f"{row['url']}\n")  # fmt: skip
    out.write(f"({len(rows)} articles)\n")


def cmd_query(args: argparse.Namespace) -> int:
    from crawler.commands.tags import resolve_province, resolve_topic
    from storage.articles import article_to_dict, query_articles

    since, until = when(args.since, "--since"), when(args.until, "--until")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    provinces = [resolve_province(name) for name in args.province]
    topics = [resolve_topic(name) for name in args.topic]
    with sessions(args)() as session:
        articles = query_articles(
            session, source=args.source, since=since, until=until, text=args.q,
            provinces=provinces, topics=topics, include_irrelevant=args.include_irrelevant,
            one_per_story=not args.copies, limit=args.limit,
        )  # fmt: skip
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
        report = import_lines(stream, sessions(args), default_source=args.source, on_bad_line=bad)
    o = report.outcomes
    print(
        f"imported: {o['new']} new, {o['updated']} updated, {o['duplicate']} duplicate; "
        f"{len(report.bad_lines)} bad lines skipped",
        file=sys.stderr,
    )
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_export(args: argparse.Namespace) -> int:
    from storage.articles import article_to_dict, iter_articles

    since, until = when(args.since, "--since"), when(args.until, "--until")
    count = 0
    with ExitStack() as stack:
        out = (
            sys.stdout
            if args.output == "-"
            else stack.enter_context(open(args.output, "w", encoding="utf-8"))
        )  # noqa: SIM115
        with sessions(args)() as session:
            for article in iter_articles(session, source=args.source, since=since, until=until):
                out.write(json.dumps(article_to_dict(article), ensure_ascii=False) + "\n")
                count += 1
    print(f"exported {count} articles", file=sys.stderr)
    return EXIT_OK
