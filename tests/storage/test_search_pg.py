"""The archive on a real PostgreSQL server (driver pg8000): the whole migration chain, the
models agreeing with it, the full-text GIN index in use, the pipeline storing, tagging and
deduplicating into it, and a read-only engine that cannot write."""

from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from crawler.importer import import_lines
from storage import Base, open_archive, query_articles, session_factory
from storage.engine import open_archive_read_only
from storage.migrate import alembic_config, current_revisions, head_revisions, include_name
from storage.models import Article
from storage.search import PG_INDEX, text_condition
from tests.pg import pg_url_fixture, postgres_server_fixture  # noqa: F401 - fixtures

LAND = (
    "Tỉnh Lâm Đồng triển khai nền tảng số quản lý đất đai, giúp người dân tra cứu hồ sơ trực "
    "tuyến. Chuyển đổi số trong lĩnh vực đất đai là nhiệm vụ trọng tâm của Lâm Đồng năm 2026."
)
LINES = [
    {"url": "https://mst.gov.vn/lam-dong-dat-dai-197260901.htm", "source": "mst",
     "title": "Lâm Đồng chuyển đổi số quản lý đất đai", "text": LAND,
     "published_at": "2026-09-01T08:00:00"},
    {"url": "https://baolamdong.vn/lam-dong-dat-dai-1.html", "source": "baolamdong",
     "title": "Lâm Đồng chuyển đổi số quản lý đất đai", "text": LAND,
     "published_at": "2026-09-01T15:00:00",
     "credited_url": "https://mst.gov.vn/lam-dong-dat-dai-197260901.htm"},
    {"url": "https://laichau.gov.vn/tin/ai-nong-nghiep.html", "source": "laichau",
     "title": "Lai Châu ứng dụng trí tuệ nhân tạo",
     "text": "Tỉnh Lai Châu ứng dụng trí tuệ nhân tạo (AI) trong nông nghiệp. Mô hình trí tuệ "
     "nhân tạo dự báo sâu bệnh cho nông dân Lai Châu.", "published_at": "2026-09-03T08:00:00"},
]  # fmt: skip


def test_the_migration_chain_runs_and_matches_the_models(pg_url: str) -> None:
    engine = open_archive(pg_url)
    with engine.connect() as connection:
        assert current_revisions(connection) == head_revisions()
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
        indexes = set(connection.execute(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'articles'")
        ).scalars())  # fmt: skip
    assert PG_INDEX in indexes
    with engine.begin() as connection:  # down to 0005 and up again
        command.downgrade(alembic_config(connection), "0005")
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()


def test_the_pipeline_stores_tags_and_dedups_into_postgresql(pg_url: str) -> None:
    engine = open_archive(pg_url)
    report = import_lines([json.dumps(line, ensure_ascii=False) for line in LINES],
                          session_factory(engine))  # fmt: skip
    assert report.ok and report.outcomes["new"] == 3
    with session_factory(engine)() as session:
        stories = query_articles(session, provinces=["lam-dong"], one_per_story=True)
        assert [a.url for a in stories] == [LINES[0]["url"]]
        both = query_articles(session, provinces=["lam-dong"], text="chuyen doi so dat dai")
        assert {a.relation for a in both} == {"original", "republished"}
        assert [a.url for a in query_articles(session, text="tri tue nhan tao", topics=["ai"])] == [
            LINES[2]["url"]
        ]
        assert query_articles(session, text="khong co") == []
    engine.dispose()


def test_the_gin_index_answers_text_queries(pg_url: str) -> None:
    engine = open_archive(pg_url)
    import_lines([json.dumps(line, ensure_ascii=False) for line in LINES], session_factory(engine))
    with session_factory(engine)() as session:
        session.execute(text("SET enable_seqscan = off"))  # three rows: force the choice
        condition = text_condition("chuyen doi so", "postgresql")
        sql = select(Article.id).where(condition).compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )  # fmt: skip
        plan = "\n".join(session.execute(text(f"EXPLAIN {sql}")).scalars())
    engine.dispose()
    assert PG_INDEX in plan, plan


def test_a_read_only_engine_cannot_write(pg_url: str) -> None:
    open_archive(pg_url).dispose()
    engine = open_archive_read_only(pg_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM articles")).scalar() == 0
        with pytest.raises(Exception, match="read-only transaction"):
            connection.execute(text("DELETE FROM articles"))
    engine.dispose()
