"""One item per story, paged by keyset, on SQLite and PostgreSQL: the listing the API, the
feeds and ``vnnews query`` show, checked against a plain-Python reference on a random archive
with stories of one to four members, copies older than their original, undated members,
stories whose original does not match the filters, and more candidates than one batch."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from storage import Article, open_archive, query_articles, session_factory
from storage.articles import page_key
from storage.models import ArticleProvince, Source, Story
from tests.pg import pg_url_fixture, postgres_server_fixture  # noqa: F401 - fixtures
from tests.storage.conftest import sqlite_url

PROVINCES = ("lam-dong", "lai-chau", "ha-noi")
NOW = datetime(2026, 9, 1, tzinfo=UTC)
WORDS = ("du lieu", "tri tue", "ban dan")


def _build(engine: Engine, seed: int = 7, n: int = 400) -> list[dict]:
    """Rows written straight into the archive (the shape is what matters here), and the
    same rows as dicts for the reference."""
    rng = random.Random(seed)
    rows, provinces, stories = [], [], []
    article_id, story_id = 0, 0
    while article_id < n:
        story_id += 1
        stories.append({"id": story_id})
        size = rng.choice((1, 1, 2, 3, 4))
        original = rng.randrange(size)
        for k in range(size):
            article_id += 1
            day = rng.choice([None, *range(40)])  # undated members too; equal dates too
            published = (
                None if day is None else datetime(2026, 8, 1, tzinfo=UTC) + timedelta(days=day)
            )
            row = {"id": article_id, "story_id": story_id,
                   "relation": "original" if k == original else rng.choice(("republished", "translated")),
                   "published_at": published, "province": rng.choice(PROVINCES),
                   "words": rng.choice(WORDS), "relevant": rng.random() > 0.1}  # fmt: skip
            rows.append(row)
            provinces.append({"a": article_id, "p": row["province"]})
    # Through the tables' own types (as the application writes them): SQLite compares the
    # stored time strings, so their format must be the application's.
    with engine.begin() as connection:
        connection.execute(insert(Source), [{"id": 1, "key": "mst", "name": "MST",
                           "host": "mst.gov.vn", "spider": "mst", "created_at": NOW}])  # fmt: skip
        connection.execute(insert(Story), [{**s, "created_at": NOW} for s in stories])
        connection.execute(
            insert(Article),
            [{"id": r["id"], "source_id": 1, "url": f"https://x.vn/{r['id']}",
              "canonical_url": f"https://x.vn/{r['id']}", "title": "t", "tags": [], "images": [],
              "fetched_at": NOW, "content_hash": "h", "extraction": {}, "search_text": r["words"],
              "alternates": {}, "published_at": r["published_at"], "story_id": r["story_id"],
              "relation": r["relation"], "relevant": r["relevant"]} for r in rows],
        )  # fmt: skip
        connection.execute(
            insert(ArticleProvince),
            [{"article_id": p["a"], "province": p["p"], "role": "primary", "position": 0,
              "code": 1, "name": "X", "names": [], "old_names": []} for p in provinces],
        )  # fmt: skip
    return rows


def _reference(rows: list[dict], province: str | None, words: str | None) -> list[int]:
    def matches(r: dict) -> bool:
        return (
            r["relevant"]
            and (province is None or r["province"] == province)
            and (words is None or r["words"] == words)
        )

    def rank(r: dict) -> tuple:
        published = r["published_at"]
        return (r["relation"] != "original", published is None, published or datetime.min, r["id"])

    best: dict[int, dict] = {}
    for r in filter(matches, rows):
        if r["story_id"] not in best or rank(r) < rank(best[r["story_id"]]):
            best[r["story_id"]] = r
    chosen = list(best.values())
    # Listing order: newest first, undated last, then the higher id first.
    chosen.sort(key=lambda r: (r["published_at"] is None,
                               -(r["published_at"].timestamp() if r["published_at"] else 0),
                               -r["id"]))  # fmt: skip
    return [r["id"] for r in chosen]


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Session, list]]:
    url = (
        sqlite_url(tmp_path / "stories.sqlite3")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    engine = open_archive(url)
    rows = _build(engine)
    with session_factory(engine)() as session:
        yield session, rows
    engine.dispose()


@pytest.mark.parametrize(
    ("province", "words"),
    [(None, None), ("lam-dong", None), (None, "tri tue"), ("ha-noi", "du lieu")],
)
def test_one_per_story_matches_the_reference_page_by_page(
    archive: tuple[Session, list], province: str | None, words: str | None
) -> None:
    session, rows = archive
    expected = _reference(rows, province, words)
    candidates = query_articles(session, limit=1000, provinces=[province] if province else [],
                                text=words)  # fmt: skip
    assert len(candidates) > 50 and len(expected) > 20  # pages of 7 need several batches
    kwargs = {"provinces": [province] if province else [], "text": words, "one_per_story": True}
    assert [a.id for a in query_articles(session, limit=1000, **kwargs)] == expected
    # Keyset pages of 7, and OFFSET pages of 7, give the same sequence.
    paged: list[int] = []
    after = None
    while True:
        page = query_articles(session, limit=7, after=after, **kwargs)
        paged += [a.id for a in page]
        if len(page) < 7:
            break
        after = page_key(page[-1])
    assert paged == expected
    by_offset = [a.id for o in range(0, len(expected), 7)
                 for a in query_articles(session, limit=7, offset=o, **kwargs)]  # fmt: skip
    assert by_offset == expected


def test_copies_lists_every_matching_article(archive: tuple[Session, list]) -> None:
    session, rows = archive
    every = [a.id for a in query_articles(session, provinces=["lai-chau"], limit=1000)]
    assert sorted(every) == sorted(
        r["id"] for r in rows if r["relevant"] and r["province"] == "lai-chau"
    )
    assert all(isinstance(a, Article) for a in query_articles(session, limit=3))
