"""Datetimes: aware in, aware UTC out, naive refused; and folding for search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from storage import CrawlRun, Source, fold, query_articles, session_factory, start_run

VIETNAM = timezone(timedelta(hours=7))


def test_aware_datetime_round_trips_as_utc(engine: Engine, session: Session) -> None:
    started = datetime(2026, 9, 5, 13, 30, tzinfo=VIETNAM)
    session.add(CrawlRun(spider="mst", started_at=started))
    session.commit()
    with engine.connect() as conn:  # stored as naive UTC
        assert conn.execute(text("SELECT started_at FROM crawl_runs")).scalar() == (
            "2026-09-05 06:30:00.000000"
        )
    with session_factory(engine)() as fresh:
        run = fresh.scalars(select(CrawlRun)).one()
        assert run.started_at == started
        assert run.started_at.tzinfo is UTC
        assert run.started_at.isoformat() == "2026-09-05T06:30:00+00:00"


def test_naive_datetime_is_refused(session: Session) -> None:
    naive = datetime(2026, 9, 5, 13, 30)
    with pytest.raises(ValueError, match="naive started_at"):
        CrawlRun(spider="mst", started_at=naive)
    run = session.get(CrawlRun, start_run(session, spider="mst", source_key=None))
    assert run is not None
    with pytest.raises(ValueError, match="timezone-aware"):
        run.finished_at = naive
    with pytest.raises(ValueError, match="naive created_at"):
        Source(key="x", name="x", host="x", spider="x", created_at=naive)
    with pytest.raises(ValueError, match="naive since"):
        query_articles(session, since=naive)


def test_default_timestamps_are_aware(session: Session) -> None:
    source = session.scalars(select(Source).where(Source.key == "mst")).one()
    assert source.created_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - source.created_at) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Chuyển đổi số", "chuyen doi so"),
        ("ĐÀ LẠT", "da lat"),
        ("  Hà\tNội \n\n Việt Nam ", "ha noi viet nam"),
        ("Trí tuệ nhân tạo (AI)", "tri tue nhan tao (ai)"),
        ("", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded
