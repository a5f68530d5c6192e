"""Storing articles idempotently and querying them, on a real SQLite archive."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import (
    Article,
    StoreOutcome,
    article_known,
    article_to_dict,
    count_articles,
    iter_articles,
    open_archive,
    query_articles,
    session_factory,
    store_article,
)
from tests.storage.conftest import record

URL = "https://mst.gov.vn/ha-tang-du-lieu-quoc-gia-197260905.htm"


def rows(session: Session) -> int:
    return session.scalar(select(func.count(Article.id))) or 0


def test_store_new_then_duplicate_leaves_one_row(session: Session) -> None:
    first = store_article(session, record(URL))
    session.commit()
    assert first.status == "new"
    second = store_article(session, record(URL))
    session.commit()
    assert second == StoreOutcome("duplicate", first.article_id)
    assert rows(session) == 1
    article = session.get(Article, first.article_id)
    assert article is not None and article.updated_at is None


def test_duplicate_writes_nothing(engine: Engine, session: Session) -> None:
    store_article(session, record(URL))
    session.commit()
    store_article(session, record(URL, fetched_at=datetime(2026, 9, 9, tzinfo=UTC)))
    assert not session.dirty and not session.new
    session.commit()
    with session_factory(engine)() as fresh:
        stored = fresh.scalars(select(Article)).one()
        assert stored.fetched_at == datetime(2026, 9, 5, 8, 0, tzinfo=UTC)


def test_changed_content_updates_the_row(session: Session) -> None:
    first = store_article(session, record(URL))
    session.commit()
    changed = record(URL, text="Nội dung đã sửa về Đà Lạt.", tags=["sửa"])
    outcome = store_article(session, changed)
    session.commit()
    assert outcome == StoreOutcome("updated", first.article_id)
    assert rows(session) == 1
    article = session.get(Article, first.article_id)
    assert article is not None
    assert article.text == "Nội dung đã sửa về Đà Lạt."
    assert article.tags == ["sửa"]
    assert article.content_hash == changed["content_hash"]
    assert article.updated_at is not None and article.updated_at.tzinfo is UTC
    assert "da lat" in article.search_text
    assert query_articles(session, text="noi dung da sua") == [article]


def test_stored_fields(engine: Engine, session: Session) -> None:
    outcome = store_article(session, record(URL))
    session.commit()
    with session_factory(engine)() as fresh:
        article = fresh.get(Article, outcome.article_id)
    assert article is not None
    assert article.source.key == "mst"  # loaded with the article, usable after close
    assert article.url == URL + "?utm_source=rss"
    assert article.images == [{"url": "https://mst.gov.vn/a.jpg", "caption": "Hội nghị"}]
    assert article.extraction == {"title": "selector", "published_at": "meta"}
    assert article.published_at == datetime(2026, 9, 5, 6, 30, tzinfo=UTC)
    assert article.search_text == (
        "ha tang du lieu quoc gia bo khoa hoc va cong nghe cong bo ke hoach. "
        "ke hoach nam 2026 tap trung vao du lieu mo."
    )


def test_unknown_source_is_a_lookup_error(session: Session) -> None:
    with pytest.raises(LookupError, match="unknown source 'nosuch'.*ensure_source"):
        store_article(session, record(URL, source="nosuch"))


def test_incomplete_record_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="lacks canonical_url"):
        store_article(session, {**record(URL), "canonical_url": None})
    with pytest.raises(ValueError, match="naive published_at"):
        store_article(session, record(URL, published_at=datetime(2026, 9, 5)))


def test_caller_owns_the_transaction(engine: Engine, session: Session) -> None:
    """The SAVEPOINT nests in the caller's transaction: rolling that back undoes the store."""
    store_article(session, record(URL))
    session.rollback()
    assert rows(session) == 0
    store_article(session, record(URL))
    session.commit()
    with session_factory(engine)() as fresh:
        assert rows(fresh) == 1


def test_article_known_by_url_or_canonical_url(session: Session) -> None:
    store_article(session, record(URL))
    session.commit()
    assert article_known(session, URL)
    assert article_known(session, URL + "?utm_source=rss")
    assert not article_known(session, URL + "?page=2")
    assert not article_known(session, "https://mst.gov.vn/")


def test_concurrent_insert_is_retried_as_duplicate(engine: Engine, session: Session) -> None:
    """Another writer's row appears after our lookup: the INSERT fails on the unique
    canonical URL, is rolled back to its SAVEPOINT and the store becomes a duplicate."""
    raced: list[Any] = []

    def insert_first(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("SAVEPOINT") and not raced:
            raced.append(True)  # the same row, written through this connection
            cursor.execute(
                "INSERT INTO articles (source_id, url, canonical_url, title, tags, images, "
                "fetched_at, content_hash, extraction, search_text) "
                "VALUES (1, ?, ?, 'T', '[]', '[]', '2026-09-05 00:00:00', ?, '{}', '')",
                (URL, URL, record(URL)["content_hash"]),
            )

    event.listen(engine, "before_cursor_execute", insert_first)
    try:
        outcome = store_article(session, record(URL))
    finally:
        event.remove(engine, "before_cursor_execute", insert_first)
    session.commit()
    assert raced and outcome.status == "duplicate"
    assert rows(session) == 1


def test_two_archives_storing_the_same_article_at_once(db_url: str, session: Session) -> None:
    """Two engines on one file (as two crawler processes) store one URL: one row results."""
    engines = [open_archive(db_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def store(engine: Engine) -> None:
        with session_factory(engine)() as own:
            try:
                barrier.wait()
                outcomes.append(store_article(own, record(URL)).status)
                time.sleep(0.05)  # hold the transaction open: the other store must wait
                own.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

    threads = [threading.Thread(target=store, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(outcomes) == ["duplicate", "new"]
    assert rows(session) == 1


def _archive_for_queries(session: Session) -> dict[str, int]:
    ids = {}
    specs = [
        ("a", "mst", "Chuyển đổi số quốc gia", datetime(2026, 9, 1, 2, tzinfo=UTC)),
        ("b", "baolamdong", "Đà Lạt thúc đẩy đổi mới sáng tạo", datetime(2026, 9, 2, tzinfo=UTC)),
        ("c", "mst", "Trí tuệ nhân tạo 100% nội địa", datetime(2026, 9, 3, tzinfo=UTC)),
        ("d", "mst", "Bài không có ngày", None),
        ("e", "baolamdong", "Lâm Đồng: dữ liệu mở", datetime(2026, 9, 3, tzinfo=UTC)),
    ]
    for name, source, title, published in specs:
        data = record(f"https://example.vn/{name}", source=source, title=title)
        data.update(summary=None, text=f"Nội dung bài {name.upper()}.", published_at=published)
        ids[name] = store_article(session, data).article_id
    session.commit()
    return ids


def _names(articles: list[Article], ids: dict[str, int]) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[a.id] for a in articles]


def test_query_order_newest_first_undated_last(session: Session) -> None:
    ids = _archive_for_queries(session)
    # e and c share a date: the later stored (higher id) first; undated d last.
    assert _names(query_articles(session), ids) == ["e", "c", "b", "a", "d"]
    assert _names(query_articles(session, limit=2), ids) == ["e", "c"]
    assert _names(query_articles(session, limit=2, offset=2), ids) == ["b", "a"]
    assert _names(query_articles(session, limit=2, offset=4), ids) == ["d"]


def test_query_by_source_and_dates(session: Session) -> None:
    ids = _archive_for_queries(session)
    assert _names(query_articles(session, source="baolamdong"), ids) == ["e", "b"]
    assert query_articles(session, source="nosuch") == []
    since = datetime(2026, 9, 2, tzinfo=UTC)  # inclusive
    until = datetime(2026, 9, 3, tzinfo=UTC)  # exclusive
    assert _names(query_articles(session, since=since), ids) == ["e", "c", "b"]
    assert _names(query_articles(session, until=until), ids) == ["b", "a"]
    assert _names(query_articles(session, since=since, until=until), ids) == ["b"]
    assert _names(query_articles(session, source="mst", since=since), ids) == ["c"]


def test_query_text_ignores_accents_and_case(session: Session) -> None:
    ids = _archive_for_queries(session)
    assert _names(query_articles(session, text="chuyen doi so"), ids) == ["a"]
    assert _names(query_articles(session, text="CHUYỂN ĐỔI"), ids) == ["a"]
    assert _names(query_articles(session, text="da lat"), ids) == ["b"]
    assert _names(query_articles(session, text="Đà Lạt"), ids) == ["b"]
    assert _names(query_articles(session, text="lat da"), ids) == ["b"]  # every word, any order
    assert _names(query_articles(session, text="noi dung bai e."), ids) == ["e"]  # text is searched
    assert query_articles(session, text="da lat hue") == []
    assert _names(query_articles(session, text="  "), ids) == ["e", "c", "b", "a", "d"]


def test_query_text_escapes_like_wildcards(session: Session) -> None:
    ids = _archive_for_queries(session)
    assert _names(query_articles(session, text="100%"), ids) == ["c"]
    assert query_articles(session, text="50%") == []
    assert query_articles(session, text="_") == []
    # Words, not patterns: punctuation separates words ("tri_tue" is "tri tue", in c's title).
    assert _names(query_articles(session, text="tri_tue"), ids) == ["c"]
    assert query_articles(session, text="tri%tue_x") == []


def test_iter_articles_covers_every_row_across_batches(session: Session) -> None:
    ids = _archive_for_queries(session)
    for n in range(12):
        store_article(session, record(f"https://mst.gov.vn/more-{n}.htm", title=f"Thêm {n}"))
    session.commit()
    seen = [a.id for a in iter_articles(session, batch_size=5)]
    assert len(seen) == 17 == count_articles(session)
    assert seen == sorted(seen) and len(set(seen)) == 17
    assert [a.id for a in iter_articles(session, batch_size=3, source="baolamdong")] == [
        ids["b"],
        ids["e"],
    ]
    since = datetime(2026, 9, 2, tzinfo=UTC)
    assert len(list(iter_articles(session, since=since, batch_size=2))) == 15
    assert len(list(iter_articles(session, until=since))) == 1
    with pytest.raises(ValueError):
        next(iter_articles(session, batch_size=0))


def test_count_articles(session: Session) -> None:
    _archive_for_queries(session)
    assert count_articles(session) == 5
    assert count_articles(session, source="mst") == 3
    assert count_articles(session, source="nosuch") == 0


def test_article_to_dict_is_the_export_record(engine: Engine, session: Session) -> None:
    outcome = store_article(session, record(URL))
    session.commit()
    with session_factory(engine)() as fresh:
        article = fresh.get(Article, outcome.article_id)
    assert article is not None
    exported = article_to_dict(article)
    assert list(exported) == [
        "id",
        "url",
        "canonical_url",
        "source",
        "title",
        "summary",
        "text",
        "lang",
        "published_at",
        "modified_at",
        "fetched_at",
        "author",
        "tags",
        "category",
        "images",
        "content_hash",
        "extraction",
        "credited_outlet",
        "credited_url",
        "alternates",
    ]
    assert exported["source"] == "mst"
    assert exported["published_at"] == "2026-09-05T06:30:00+00:00"
    assert exported["modified_at"] is None
    assert exported["fetched_at"] == "2026-09-05T08:00:00+00:00"
    assert exported["images"] == [{"url": "https://mst.gov.vn/a.jpg", "caption": "Hội nghị"}]


def test_foreign_keys_are_enforced(session: Session) -> None:
    store_article(session, record(URL))
    session.commit()
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        session.execute(text("UPDATE articles SET source_id = 999"))
    session.rollback()


def test_store_compares_with_the_current_row_not_a_stale_copy(
    engine: Engine, session: Session
) -> None:
    """A long-lived session (the importer's) still holds the article it stored; another
    process changes the row meanwhile. Storing the first version again is an update."""
    held = session.get(Article, store_article(session, record(URL)).article_id)
    session.commit()
    with session_factory(engine)() as other:
        assert store_article(other, record(URL, text="Bản khác.")).status == "updated"
        other.commit()
    assert store_article(session, record(URL)).status == "updated"
    session.commit()
    assert held is not None and held.text == record(URL)["text"]


def test_credits_and_alternates_are_stored_and_exported(engine: Engine, session: Session) -> None:
    original = "https://baolamdong.vn/da-lat-so-hoa-123456.html"
    data = record(
        URL,
        credited_outlet="Báo Lâm Đồng",
        credited_url=original,
        alternates={"ru": "https://www.vietnam.vn/ru/x", "en": "https://www.vietnam.vn/en/x"},
    )
    outcome = store_article(session, data)
    session.commit()
    with session_factory(engine)() as fresh:
        exported = article_to_dict(fresh.get(Article, outcome.article_id))
        by_credit = fresh.scalars(select(Article).where(Article.credited_url == original)).all()
    assert exported["credited_outlet"] == "Báo Lâm Đồng"
    assert exported["credited_url"] == original
    assert exported["alternates"] == {"ru": "https://www.vietnam.vn/ru/x",
                                      "en": "https://www.vietnam.vn/en/x"}  # fmt: skip
    assert [a.id for a in by_credit] == [outcome.article_id]
