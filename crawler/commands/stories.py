"""``vnnews story ID`` (one story's articles, sites, languages and relations) and ``vnnews
dedup`` (put articles without a story — an archive from before stories — into theirs)."""

from __future__ import annotations

import argparse
import json
import sys
import time

from crawler.commands.common import EXIT_FAILED, EXIT_OK, sessions

PROGRESS_SECONDS = 2.0


def _when(value) -> str:  # noqa: ANN001
    return value.strftime("%Y-%m-%d %H:%M") if value else "no date"


def cmd_story(args: argparse.Namespace) -> int:
    from storage.stories import UPDATED, resolve_story, story_members, versions_of

    with sessions(args)() as session:
        story = resolve_story(session, args.id)
        if story is None:
            print(f"vnnews story: no story {args.id} (`vnnews query` shows story ids)",
                  file=sys.stderr)  # fmt: skip
            return EXIT_FAILED
        members = story_members(session, story.id)
        versions = versions_of(session, [m.id for m in members])
        rows = [
            {"article_id": m.id, "relation": m.relation, "source": m.source.key,
             "host": m.source.host, "lang": m.lang, "published_at": _iso(m.published_at),
             "title": m.title, "url": m.url, "credited_url": m.credited_url}
            for m in members
        ]  # fmt: skip
        updated = [
            {"article_id": v.article_id, "relation": UPDATED, "title": v.title,
             "fetched_at": _iso(v.fetched_at), "replaced_at": _iso(v.replaced_at)}
            for v in versions
        ]  # fmt: skip
    if args.format == "json":
        merged = {"merged_from": args.id} if story.id != args.id else {}
        json.dump({"story_id": story.id, **merged, "articles": rows, "versions": updated},
                  sys.stdout, ensure_ascii=False, indent=2)  # fmt: skip
        sys.stdout.write("\n")
        return EXIT_OK
    if story.id != args.id:
        print(f"story {args.id} was merged into story {story.id}")
    sites = sorted({r["host"] for r in rows})
    langs = sorted({r["lang"] or "?" for r in rows})
    print(f"story {story.id}: {len(rows)} articles on {len(sites)} sites "
          f"({', '.join(sites)}) in {', '.join(langs)}")  # fmt: skip
    for r in rows:
        print(f"  {r['relation'] or '-':<12} {r['lang'] or '?':<3} {r['source']:<14} "
              f"{(r['published_at'] or 'no date')[:16].replace('T', ' '):<16}  {r['title']}")  # fmt: skip
        print(f"  {'':<12} {r['url']}")
    for v in updated:
        print(f"  {UPDATED:<12} article {v['article_id']}: earlier version fetched "
              f"{v['fetched_at'][:16].replace('T', ' ')}: {v['title']}")  # fmt: skip
    return EXIT_OK


def _iso(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value is not None else None


def cmd_dedup(args: argparse.Namespace) -> int:
    """Index and put into stories the articles that have no story yet (or all, ``--all``).

    Stories only ever grow or merge, so running it again changes nothing.
    """
    from sqlalchemy import select

    from crawler.dedup_stage import dedup_stored
    from storage.models import Article

    with sessions(args)() as session:
        query = select(Article.id).order_by(Article.id)
        if not args.all:
            query = query.where(Article.story_id.is_(None))
        ids = list(session.scalars(query).all())
        print(f"deduplicating {len(ids)} articles", file=sys.stderr)
        started = last = time.monotonic()
        for done, article_id in enumerate(ids, 1):
            dedup_stored(session, session.get(Article, article_id))
            session.commit()
            now = time.monotonic()
            if not args.quiet and now - last >= PROGRESS_SECONDS:
                rate = done / max(now - started, 1e-9)
                print(f"  {done}/{len(ids)} · {rate:.0f}/s", file=sys.stderr)
                last = now
        session.expunge_all()
        from storage.stories import story_count

        stories = story_count(session)
    print(f"deduplicated {len(ids)} articles; the archive holds {stories} stories")
    return EXIT_OK
