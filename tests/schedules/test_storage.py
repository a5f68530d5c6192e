"""``storage.schedules``: the schedules table, the scheduler's view of runs, and the week's
article counts of ``vnnews status``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import (
    ensure_source,
    finish_run,
    open_archive,
    session_factory,
    start_run,
    store_article,
)
from storage.models import utcnow
from storage.schedules import (
    ScheduleSpec,
    articles_since,
    close_run,
    list_schedules,
    recent_runs,
    record_run,
    remove_schedule,
    run_of_process,
    running_runs,
    save_schedule,
    set_interval,
    set_paused,
)
from tests.storage.conftest import record


@pytest.fixture()
def session(tmp_path: Path):  # noqa: ANN201
    with session_factory(open_archive(f"sqlite:///{tmp_path / 'a.sqlite3'}"))() as session:
        for key in ("mst", "laichau"):
            ensure_source(session, key=key, name=key, host=f"{key}.gov.vn", spider=key)
        session.commit()
        yield session


def test_articles_since_counts_the_week_by_publication_then_fetch_time(session) -> None:  # noqa: ANN001
    now = utcnow()
    rows = [
        ("mst", now - timedelta(days=1), now),
        ("mst", now - timedelta(days=6, hours=23), now),
        ("mst", now - timedelta(days=8), now),  # published before the week, fetched in it
        ("mst", None, now - timedelta(hours=2)),  # undated: its fetch time counts
        ("laichau", None, now - timedelta(days=9)),
        ("laichau", now - timedelta(days=30), now - timedelta(days=30)),
    ]
    for n, (source, published, fetched) in enumerate(rows):
        data = record(f"https://{source}.gov.vn/bai-{n}.htm", source=source, title=f"Tin {n}",
                      published_at=published, fetched_at=fetched)  # fmt: skip
        store_article(session, data)
    session.commit()
    assert articles_since(session, now - timedelta(days=7)) == {"mst": 3}
    assert articles_since(session, now - timedelta(days=40)) == {"mst": 4, "laichau": 2}
    assert articles_since(session, now - timedelta(days=40), ["laichau"]) == {"laichau": 2}


def test_schedule_rows_are_saved_replaced_paused_adapted_and_removed(session) -> None:  # noqa: ANN001
    spec = ScheduleSpec(source="mst", kind="interval", timeout_seconds=600, every_seconds=7200,
                        min_seconds=900, max_seconds=86400)  # fmt: skip
    assert save_schedule(session, spec, reason="as asked") is True
    assert set_paused(session, "mst", True).paused
    assert set_interval(session, "mst", 10800, "1 run without new articles: 2h -> 3h")
    session.commit()
    (row,) = list_schedules(session)
    assert (row.interval_seconds, row.base_seconds, row.paused) == (10800, 7200, True)
    # Replacing starts again from what was asked; a paused schedule stays paused.
    assert save_schedule(session, spec, reason="as asked") is False
    session.commit()
    (row,) = list_schedules(session)
    assert (row.interval_seconds, row.reason, row.paused) == (7200, "as asked", True)
    assert set_paused(session, "ghost", True) is None
    assert set_interval(session, "ghost", 1, "") is None
    assert remove_schedule(session, "mst") and not remove_schedule(session, "mst")
    session.commit()
    assert list_schedules(session) == []
    with pytest.raises(ValueError, match="unknown schedule kind"):
        save_schedule(session, ScheduleSpec(source="mst", kind="daily", timeout_seconds=1),
                      reason="")  # fmt: skip


def test_runs_of_a_source_by_process_and_closing_them(session) -> None:  # noqa: ANN001
    before = utcnow() - timedelta(seconds=1)
    first = start_run(session, spider="mst", source_key="mst", trigger="schedule", pid=4242)
    finish_run(session, first, status="ok", pages=3, new=2, duplicates=0, updated=0, errors=0,
               stats={}, message=None)  # fmt: skip
    second = start_run(session, spider="mst", source_key="mst", trigger="schedule", pid=4343)
    other = start_run(session, spider="laichau", source_key="laichau", pid=4444)
    session.commit()
    assert [r.id for r in recent_runs(session, "mst")] == [second, first]
    assert [r.id for r in running_runs(session)] == [second, other]
    assert [r.id for r in running_runs(session, "mst")] == [second]
    assert run_of_process(session, 4343, before).id == second
    assert run_of_process(session, 4343, utcnow() + timedelta(minutes=1)) is None

    close_run(session, second, status="timed_out", message="killed after 1h")
    session.commit()
    closed = run_of_process(session, 4343, before)
    assert (closed.status, closed.message, closed.trigger) == ("timed_out", "killed after 1h",
                                                               "schedule")  # fmt: skip
    assert closed.finished_at is not None
    with pytest.raises(ValueError, match="unknown run status"):
        close_run(session, other, status="dead", message=None)

    started = datetime.now(UTC) - timedelta(seconds=5)
    lone = record_run(session, spider="portal", source="laichau", status="failed",
                      started_at=started, message="exited with status 2", trigger="schedule",
                      pid=99)  # fmt: skip
    session.commit()
    assert recent_runs(session, "laichau")[0].id == lone
    assert recent_runs(session, "laichau")[0].finished_at >= started
