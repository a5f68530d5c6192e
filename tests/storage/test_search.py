"""Full-text search (storage/search.py) on real databases: SQLite files with the FTS5 index, and
a real PostgreSQL server with its GIN index — the same questions, the same answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, text
from sqlalchemy.orm import Session

from storage import Article, open_archive, query_articles, session_factory, store_article
from storage.search import Term, parse_query
from tests.pg import pg_url_fixture, postgres_server_fixture  # noqa: F401 - fixtures
from tests.storage.conftest import add_sources, record, sqlite_url

DOCS = {
    "a": ("Chuyển đổi số quốc gia", "Chính phủ đẩy mạnh chuyển đổi số trong năm 2026."),
    "b": ("Đà Lạt thúc đẩy đổi mới sáng tạo", "Thành phố Đà Lạt hỗ trợ khởi nghiệp công nghệ."),
    "c": ("Trí tuệ nhân tạo 100% nội địa", "Triển khai Nghị quyết 57-NQ/TW về khoa học."),
    "d": ("Công nghiệp 4.0 và dữ liệu lớn", "Doanh nghiệp ứng dụng dữ liệu lớn trong sản xuất."),
    "e": ("Semiconductor chips for Vietnam", "A new chip design centre opens in Hanoi."),
    "f": ("Цифровая трансформация во Вьетнаме", "Правительство утвердило программу."),
}
CASES = [
    ("chuyen doi so", {"a"}),
    ("CHUYỂN ĐỔI SỐ", {"a"}),
    ("chuyển đổi số 2026", {"a"}),
    ("da lat", {"b"}),
    ("lat da", {"b"}),  # every word, any order
    ('"doi moi sang tao"', {"b"}),  # a phrase: these words, in this order
    ('"sang tao doi moi"', set()),
    ("sang tao doi moi", {"b"}),
    ("57-NQ/TW", {"c"}),
    ("nghi quyet 57", {"c"}),
    ("4.0", {"d"}),
    ("cong nghiep 4.0 du lieu", {"d"}),
    ("tri tu*", {"c"}),  # a prefix
    ('"du lieu l"*', {"d"}),  # a phrase ending in a prefix
    ("du*", {"d"}),  # dữ liệu (đẩy folds to "day")
    ("semiconductor", {"e"}),
    ("semiconductors", set()),  # whole words, no stemming
    ("uyen", set()),  # not a substring match
    ("цифровая", {"f"}),  # other scripts are folded the same way on both sides
    ("hanoi chip", {"e"}),
    ("100%", {"c"}),
    ("%", set()),
    ("a OR b", set()),  # no operators: "or" is a word like any other
    ('" OR 1=1 --', set()),
    ("NEAR(chuyen doi)", set()),  # not FTS5 syntax: "near chuyen" is one term, not there
    ("search_text:chuyen", set()),
    ("-chuyen ^doi", {"a"}),
    ("", {"a", "b", "c", "d", "e", "f"}),
]


def _fill(session: Session) -> dict[str, int]:
    add_sources(session)
    ids = {}
    for n, (name, (title, body)) in enumerate(sorted(DOCS.items())):
        data = record(f"https://example.vn/{name}", title=title, summary=None, text=body,
                      published_at=datetime(2026, 9, 1 + n, tzinfo=UTC))  # fmt: skip
        ids[name] = store_article(session, data).article_id
    session.commit()
    return ids


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = (
        sqlite_url(tmp_path / "search.sqlite3")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    engine = open_archive(url)
    yield engine
    engine.dispose()


@pytest.fixture()
def filled(archive: Engine) -> Iterator[tuple[Session, dict[str, int]]]:
    with session_factory(archive)() as session:
        ids = _fill(session)
        yield session, ids


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_search_answers_the_same_on_both_databases(
    filled: tuple[Session, dict[str, int]], query: str, expected: set[str]
) -> None:
    session, ids = filled
    names = {v: k for k, v in ids.items()}
    found = {names[a.id] for a in query_articles(session, text=query, limit=100)}
    assert found == expected


def test_search_combines_with_the_other_filters_and_keyset_pages(
    filled: tuple[Session, dict[str, int]],
) -> None:
    session, ids = filled
    since = datetime(2026, 9, 2, tzinfo=UTC)
    assert [a.id for a in query_articles(session, text="doi")] == [ids["b"], ids["a"]]
    assert [a.id for a in query_articles(session, text="doi", since=since)] == [ids["b"]]
    first = query_articles(session, text="doi", limit=1)
    assert [a.id for a in first] == [ids["b"]]
    after = (first[0].published_at, first[0].id)
    assert [a.id for a in query_articles(session, text="doi", after=after)] == [ids["a"]]


def test_the_index_follows_updates_and_deletes(filled: tuple[Session, dict[str, int]]) -> None:
    session, ids = filled
    changed = record("https://example.vn/a", title="Hạ tầng dữ liệu mở", summary=None,
                     text="Nội dung mới về băng thông rộng.")  # fmt: skip
    assert store_article(session, changed).status == "updated"
    session.commit()
    assert query_articles(session, text="chuyen doi so") == []
    assert [a.id for a in query_articles(session, text="bang thong")] == [ids["a"]]
    session.execute(delete(Article).where(Article.id == ids["b"]))
    session.commit()
    assert query_articles(session, text="da lat") == []
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"))


def test_parse_query() -> None:
    assert parse_query('Đà Lạt "chuyển đổi số" công nghệ* 57-NQ/TW "x y"*') == [
        Term(("da",)), Term(("lat",)), Term(("chuyen", "doi", "so")), Term(("cong",)),
        Term(("nghe",), prefix=True), Term(("57", "nq", "tw")), Term(("x", "y"), prefix=True),
    ]  # fmt: skip
    assert parse_query("  ") == [] and parse_query("%_!") == []
    assert parse_query("da da DA") == [Term(("da",))]


def test_sqlite_triggers_and_index_exist_at_head(tmp_path: Path) -> None:
    """A later migration that rebuilds ``articles`` would drop the triggers: this says so."""
    engine = open_archive(sqlite_url(tmp_path / "a.sqlite3"))
    with engine.connect() as connection:
        triggers = set(connection.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'")
        ).scalars())  # fmt: skip
        tables = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
    engine.dispose()
    assert {"articles_fts_insert", "articles_fts_delete", "articles_fts_update"} <= triggers
    assert "articles_fts" in tables


def test_migration_0006_indexes_articles_stored_before_it(tmp_path: Path) -> None:
    from alembic import command

    from storage import make_engine
    from storage.migrate import alembic_config

    url = sqlite_url(tmp_path / "old.sqlite3")
    old = make_engine(url)
    with old.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
    with session_factory(old)() as session:
        ids = _fill(session)
    old.dispose()

    engine = open_archive(url)  # upgrades to 0006: the index is built from the rows
    with session_factory(engine)() as session:
        assert [a.id for a in query_articles(session, text="chuyen doi so")] == [ids["a"]]
    with engine.begin() as connection:  # and down again, and up again
        command.downgrade(alembic_config(connection), "0005")
        assert "articles_fts" not in set(
            connection.execute(text("SELECT name FROM sqlite_master")).scalars()
        )
        command.upgrade(alembic_config(connection), "head")
    with session_factory(engine)() as session:
        assert [a.id for a in query_articles(session, text="da lat")] == [ids["b"]]
    engine.dispose()


def test_every_row_is_in_the_index(filled: tuple[Session, dict[str, int]]) -> None:
    session, ids = filled
    for name, (title, _) in DOCS.items():
        found = query_articles(session, text=f'"{title}"', limit=10)
        assert [a.id for a in found] == [ids[name]], title
    assert len(query_articles(session, text="", limit=100)) == len(
        session.scalars(select(Article.id)).all()
    )
