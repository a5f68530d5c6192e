"""``vnnews retag``, ``vnnews provinces``, ``vnnews topics``, and the province/topic names
``query`` accepts.

A province is named by its slug (``lai-chau``), its Vietnamese name with or without diacritics
(``Lai Châu``, ``lai chau``), its English name, or the name of an old province merged into it
(``Bắc Kạn`` finds Thái Nguyên's articles); an unknown name is an error listing the closest.
"""

from __future__ import annotations

import argparse
import sys
import time

from crawler.commands.common import EXIT_OK, UsageError, print_json, sessions

# How often ``retag`` prints its progress line.
PROGRESS_SECONDS = 2.0


def resolve_province(name: str) -> str:
    """The slug of the unit ``name`` designates (now or before the 2025 merger)."""
    from crawler.tagging.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    province = gazetteer.resolve(name)
    if province is None:
        close = gazetteer.suggest(name, 5)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UsageError(
            f"unknown province {name!r}{hint} (`vnnews provinces` lists the 34 and their old names)"
        )
    return province.slug


def resolve_topic(name: str) -> str:
    """A topic slug from its slug or its Vietnamese/English label (any case, accents optional)."""
    from crawler.tagging.topics import find_topic, suggest_topics

    topic = find_topic(name)
    if topic is not None:
        return topic.slug
    close = suggest_topics(name, 5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UsageError(f"unknown topic {name!r}{hint} (`vnnews topics` lists them)")


def cmd_retag(args: argparse.Namespace) -> int:
    """Tag the archive again with the current gazetteer, taxonomy and rules.

    Only articles tagged by another version are visited unless ``--all``; an article whose
    tags come out the same is not written. Running it twice changes nothing the second time.
    """
    from crawler.ingest import tag_stored
    from crawler.tagging import tagging_version
    from storage.tags import count_for_tagging, iter_for_tagging

    version = tagging_version()
    only = None if args.all else version
    visited = changed = 0
    started = last_report = time.monotonic()
    with sessions(args)() as session:
        total = count_for_tagging(session, only_outdated=only)
        print(f"retagging {total} articles (tagger {version})", file=sys.stderr)
        for batch in iter_for_tagging(session, batch_size=args.batch_size, only_outdated=only):
            for article in batch:
                changed += tag_stored(session, article)
                visited += 1
            session.commit()
            session.expunge_all()  # keep memory flat on large archives
            now = time.monotonic()
            if not args.quiet and now - last_report >= PROGRESS_SECONDS:
                rate = visited / max(now - started, 1e-9)
                print(f"  {visited}/{total} · changed {changed} · {rate:.0f}/s", file=sys.stderr)
                last_report = now
    print(f"retagged {visited} articles: {changed} changed, {visited - changed} unchanged")
    return EXIT_OK


def cmd_provinces(args: argparse.Namespace) -> int:
    """The 34 units with their codes, old names and article counts."""
    from crawler.tagging.gazetteer import load_gazetteer
    from storage.tags import province_counts

    with sessions(args)() as session:
        counts = province_counts(session, include_irrelevant=args.include_irrelevant)
    rows = []
    for unit in load_gazetteer().units:
        count = counts.get(unit.slug, {"articles": 0, "primary": 0})
        rows.append({
            "slug": unit.slug, "code": unit.code, "name": unit.name_vi, "name_en": unit.name_en,
            "old_names": [old.name_vi for old in unit.old if old.name_vi != unit.name_vi],
            "articles": count["articles"], "primary": count["primary"],
        })  # fmt: skip
    if args.format == "json":
        return print_json(rows)
    print(f"{'code':>4} {'slug':<13} {'name':<14} {'articles':>8} {'primary':>7}  merged from")
    for r in rows:
        print(f"{r['code']:>4} {r['slug']:<13} {r['name']:<14} {r['articles']:>8} "
              f"{r['primary']:>7}  {', '.join(r['old_names']) or '-'}")  # fmt: skip
    print("(articles: tagged with the province in any role; primary: about it first of all)")
    return EXIT_OK


def cmd_topics(args: argparse.Namespace) -> int:
    """The taxonomy's topics with their labels and article counts."""
    from crawler.tagging.topics import load_topics
    from storage.tags import topic_counts

    with sessions(args)() as session:
        counts = topic_counts(session)
    rows = [{"slug": t.slug, "label_vi": t.label_vi, "label_en": t.label_en,
             "articles": counts.get(t.slug, 0)} for t in load_topics()]  # fmt: skip
    if args.format == "json":
        return print_json(rows)
    for r in rows:
        print(f"{r['slug']:<24} {r['articles']:>6}  {r['label_vi']} / {r['label_en']}")
    return EXIT_OK
