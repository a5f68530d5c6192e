"""The tag timelines (migration 0007) on SQLite and PostgreSQL: the triggers keep them equal to
what the tag tables say through every kind of write, an upgraded archive gets its existing
tags copied in, a listing read from them equals the same listing read without them, and on
SQLite a province's page is a range of the timeline's key (no sort of the province)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, delete, event, insert, select, text, update
from sqlalchemy.orm import Session

import storage.articles
from storage import Article, open_archive, query_articles, session_factory, store_article
from storage.articles import page_key
from storage.migrate import alembic_config
from storage.models import ArticleProvince, ArticleTopic, ProvinceTimeline, Source, TopicTimeline
from storage.tags import set_tags
from storage.timeline import POSTGRESQL_TRIGGERS, SQLITE_TRIGGERS, UNDATED
from tests.pg import pg_url_fixture, postgres_server_fixture  # noqa: F401 - fixtures
from tests.storage.conftest import add_sources, record, sqlite_url

NOW = datetime(2026, 9, 1, tzinfo=UTC)
PROVINCES = ("lam-dong", "lai-chau", "ha-noi", "hue")
TOPICS = ("ai", "digital-transformation", "semiconductors")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "timeline.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = open_archive(url)
    yield engine
    engine.dispose()


def _expected(session: Session) -> tuple[set, set]:
    """The timelines as the tag tables and ``articles.published_at`` define them."""

    def rows(tag_column, article_column) -> set:  # noqa: ANN001
        stmt = select(tag_column, Article.published_at, Article.id).join(
            Article, Article.id == article_column
        )
        return {(tag, when or UNDATED, aid) for tag, when, aid in session.execute(stmt)}

    return (
        rows(ArticleProvince.province, ArticleProvince.article_id),
        rows(ArticleTopic.topic, ArticleTopic.article_id),
    )


def _stored(session: Session) -> tuple[set, set]:
    def rows(table, tag_column) -> set:  # noqa: ANN001
        found = list(session.execute(select(tag_column, table.listed_at, table.article_id)))
        assert len(found) == len(set(found))
        return set(found)

    return (
        rows(ProvinceTimeline, ProvinceTimeline.province),
        rows(TopicTimeline, TopicTimeline.topic),
    )


def _tags(*provinces: tuple[str, str], topics: tuple[str, ...] = ()) -> dict:
    return {
        "primary_province": next((s for s, role in provinces if role == "primary"), None),
        "relevant": True,
        "version": "v1",
        "provinces": [{"slug": s, "code": 1, "name": s, "role": role} for s, role in provinces],
        "topics": [{"slug": t, "score": 1.0} for t in topics],
    }


def test_the_triggers_are_in_place(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            assert set(SQLITE_TRIGGERS) <= set(names.scalars())
        else:
            names = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
            assert set(POSTGRESQL_TRIGGERS) <= set(names.scalars())


def test_every_write_keeps_the_timelines_in_step(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        add_sources(session)
        ids = []
        for k in range(4):
            published = None if k == 3 else NOW + timedelta(days=k)
            outcome = store_article(
                session,
                record(
                    f"https://mst.gov.vn/bai-{k}.html", published_at=published, title=f"Bài {k}"
                ),  # fmt: skip
            )
            ids.append(outcome.article_id)
        session.commit()
        first, second, third, undated = (session.get(Article, i) for i in ids)
        # A province in two roles is listed once; several topics; an undated article.
        set_tags(session, first, _tags(("lam-dong", "source"), ("lam-dong", "primary"),
                                       ("ha-noi", "mentioned"), topics=("ai", "semiconductors")))  # fmt: skip
        set_tags(session, second, _tags(("lai-chau", "primary"), topics=("ai",)))
        set_tags(session, third, _tags(("hue", "primary"), ("ha-noi", "mentioned")))
        set_tags(session, undated, _tags(("hue", "mentioned"), topics=("digital-transformation",)))
        session.commit()
        assert _stored(session) == _expected(session)
        assert ("lam-dong", first.published_at, first.id) in _stored(session)[0]
        assert ("hue", UNDATED, undated.id) in _stored(session)[0]

        # Re-tagging: one role of lam-dong dropped (still listed), ha-noi dropped, topics moved.
        set_tags(session, first, _tags(("lam-dong", "source"), topics=("digital-transformation",)))
        session.commit()
        assert _stored(session) == _expected(session)
        assert not any(r[2] == first.id and r[0] == "ha-noi" for r in _stored(session)[0])
        # Every tag gone.
        set_tags(session, second, _tags())
        session.commit()
        assert _stored(session) == _expected(session)
        assert not any(r[2] == second.id for s in _stored(session) for r in s)

        # A publication time found later, one lost, one corrected.
        session.execute(update(Article).where(Article.id == undated.id)
                        .values(published_at=NOW - timedelta(days=30)))  # fmt: skip
        session.execute(update(Article).where(Article.id == third.id).values(published_at=None))
        first.published_at = NOW + timedelta(days=10, hours=3)
        session.commit()
        assert _stored(session) == _expected(session)

        # Raw SQL on the tag tables, as an import or a repair script would do.
        session.execute(insert(ArticleProvince).values(
            article_id=second.id, province="hue", role="mentioned", position=0, code=1,
            name="Huế", names=[], old_names=[]))  # fmt: skip
        session.execute(update(ArticleProvince).where(ArticleProvince.article_id == third.id,
                                                      ArticleProvince.province == "hue")
                        .values(province="lai-chau"))  # fmt: skip
        session.execute(delete(ArticleTopic).where(ArticleTopic.article_id == undated.id))
        session.commit()
        assert _stored(session) == _expected(session)

        # An article deleted takes its timeline rows with it.
        session.delete(session.get(Article, first.id))
        session.commit()
        assert _stored(session) == _expected(session)
        assert not any(r[2] == first.id for s in _stored(session) for r in s)


def test_an_upgraded_archive_gets_its_tags_copied_in(engine: Engine) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
    sessions = session_factory(engine)
    with sessions() as session:
        add_sources(session)
        for k in range(3):
            article_id = store_article(
                session,
                record(
                    f"https://mst.gov.vn/cu-{k}.html",
                    title=f"Cũ {k}",
                    published_at=None if k == 2 else NOW + timedelta(hours=k),
                ),  # fmt: skip
            ).article_id
            session.execute(insert(ArticleProvince), [
                {"article_id": article_id, "province": p, "role": role, "position": i,
                 "code": 1, "name": p, "names": [], "old_names": []}
                for i, (p, role) in enumerate([("lam-dong", "source"), ("lam-dong", "primary"),
                                               (PROVINCES[k], "mentioned")])
            ])  # fmt: skip
            session.execute(insert(ArticleTopic).values(article_id=article_id, topic="ai",
                                                        position=0, score=1.0))  # fmt: skip
        session.commit()
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with sessions() as session:
        provinces, topics = _stored(session)
        assert (provinces, topics) == _expected(session)
        assert len(provinces) == 5 and len(topics) == 3  # lam-dong once per article


def _random_archive(engine: Engine, seed: int = 11, n: int = 500) -> None:
    """Articles with zero to three provinces in several roles, topics, undated ones, equal
    times, stories of copies, and irrelevant ones, written through the tables."""
    rng = random.Random(seed)
    articles, provinces, topics, stories = [], [], [], []
    story = 0
    for aid in range(1, n + 1):
        if aid == 1 or rng.random() < 0.7:
            story += 1
            stories.append({"id": story, "created_at": NOW})
            relation = "original"
        else:
            relation = rng.choice(("republished", "translated"))
        day = rng.choice([None, *range(60)])
        articles.append({
            "id": aid, "source_id": 1, "url": f"https://x.vn/{aid}", "tags": [], "images": [],
            "canonical_url": f"https://x.vn/{aid}", "title": "t", "fetched_at": NOW,
            "content_hash": "h", "extraction": {}, "search_text": "", "alternates": {},
            "published_at": None if day is None else NOW + timedelta(days=day),
            "story_id": story, "relation": relation, "relevant": rng.random() > 0.1,
        })  # fmt: skip
        for pos, slug in enumerate(rng.sample(PROVINCES, rng.randint(0, 3))):
            for role in rng.sample(("source", "primary", "mentioned"), rng.randint(1, 2)):
                provinces.append({"article_id": aid, "province": slug, "role": role,
                                  "position": pos, "code": 1, "name": slug, "names": [],
                                  "old_names": []})  # fmt: skip
        for pos, topic in enumerate(rng.sample(TOPICS, rng.randint(0, 2))):
            topics.append({"article_id": aid, "topic": topic, "position": pos, "score": 1.0})
    with engine.begin() as conn:
        conn.execute(insert(Source), [{"id": 1, "key": "mst", "name": "MST", "host": "mst.gov.vn",
                                       "spider": "mst", "created_at": NOW}])  # fmt: skip
        conn.execute(insert(storage.models.Story), stories)
        conn.execute(insert(Article), articles)
        conn.execute(insert(ArticleProvince), provinces)
        conn.execute(insert(ArticleTopic), topics)


QUERIES = [
    {"provinces": ["lam-dong"]},
    {"provinces": ["hue", "lai-chau"]},
    {"topics": ["ai"]},
    {"topics": ["ai", "digital-transformation"]},
    {"provinces": ["ha-noi"], "topics": ["semiconductors"]},
    {"provinces": ["lam-dong", "ha-noi"], "topics": ["ai"], "include_irrelevant": True},
]


@pytest.mark.parametrize("one_per_story", [False, True])
@pytest.mark.parametrize("query", QUERIES)
def test_a_listing_from_the_timelines_equals_one_without_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, query: dict, one_per_story: bool
) -> None:
    _random_archive(engine)

    def listing(limit: int) -> tuple[list[int], list[int]]:
        """The whole listing, and the same read in keyset pages of ``limit``."""
        with session_factory(engine)() as session:
            whole = [a.id for a in query_articles(session, limit=1000,
                                                  one_per_story=one_per_story, **query)]  # fmt: skip
            paged, after = [], None
            while True:
                page = query_articles(session, limit=limit, after=after,
                                      one_per_story=one_per_story, **query)  # fmt: skip
                paged += [a.id for a in page]
                if len(page) < limit:
                    return whole, paged
                after = page_key(page[-1])

    from_timelines = listing(9)
    monkeypatch.setattr(storage.articles, "DIALECTS", ())  # as on a database without them
    without = listing(9)
    assert len(without[0]) > 20
    assert from_timelines == without
    assert from_timelines[0] == from_timelines[1]


def test_a_province_page_is_a_range_of_the_timeline_key(tmp_path: Path) -> None:
    engine = open_archive(sqlite_url(tmp_path / "plan.sqlite3"))
    _random_archive(engine, n=300)
    captured: list[tuple] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if "province_timeline" in statement and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with session_factory(engine)() as session:
        query_articles(session, provinces=["lam-dong"], limit=20,
                       after=(NOW + timedelta(days=30), 10**6))  # fmt: skip
    event.remove(engine, "before_cursor_execute", capture)
    assert captured
    statement, parameters = captured[0]
    with engine.connect() as conn:
        plan = " | ".join(row[-1] for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))  # fmt: skip
    assert (
        "SEARCH province_timeline USING PRIMARY KEY (province=? AND (listed_at,article_id)<(?,?))"
        in plan
    ), plan
    assert "TEMP B-TREE" not in plan, plan
    engine.dispose()
