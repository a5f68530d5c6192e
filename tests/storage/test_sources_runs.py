"""Sources and crawl runs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import (
    Source,
    articles_per_source,
    ensure_source,
    finish_run,
    get_source,
    last_runs,
    start_run,
    store_article,
)
from tests.storage.conftest import record


def test_ensure_source_is_idempotent_and_updates(session: Session) -> None:
    first = ensure_source(session, key="mst", name="Bộ KH&CN", host="mst.gov.vn", spider="mst")
    session.commit()
    again = ensure_source(
        session, key="mst", name="Bộ Khoa học và Công nghệ", host="mst.gov.vn", spider="mst"
    )
    session.commit()
    assert again.id == first.id
    assert session.scalar(select(func.count(Source.id)).where(Source.key == "mst")) == 1
    stored = get_source(session, "mst")
    assert stored is not None and stored.name == "Bộ Khoa học và Công nghệ"
    assert stored.lang is None  # the registry's values win, including "no language"
    assert get_source(session, "nosuch") is None
    lamdong = get_source(session, "baolamdong")
    assert lamdong is not None and lamdong.province == "lam-dong"


def test_runs_start_finish_and_latest_per_spider(session: Session) -> None:
    old = start_run(session, spider="mst", source_key="mst")
    session.commit()
    finish_run(
        session,
        old,
        status="unreachable",
        pages=0,
        new=0,
        duplicates=0,
        updated=0,
        errors=3,
        stats={"vnnews/errors/dns": 3},
        message="DNS lookup failed",
    )
    session.commit()
    latest = start_run(session, spider="mst", source_key="mst")
    other = start_run(session, spider="portal", source_key="nosuch")
    session.commit()
    finish_run(
        session,
        latest,
        status="ok",
        pages=12,
        new=5,
        duplicates=2,
        updated=1,
        errors=0,
        stats={"downloader/response_count": 12},
        message=None,
        health={"fallback_share": 0.0, "reasons": []},
    )
    session.commit()

    runs = last_runs(session)
    assert [(key, r.id, r.spider, r.status) for key, r in runs.items()] == [
        ("mst", latest, "mst", "ok"),
        ("portal", other, "portal", "running"),
    ]
    mst, portal = runs.values()
    assert mst.source is not None and mst.source.key == "mst"
    assert (mst.pages, mst.new, mst.duplicates, mst.updated, mst.errors) == (12, 5, 2, 1, 0)
    assert mst.stats == {"downloader/response_count": 12}
    assert mst.health == {"fallback_share": 0.0, "reasons": []} and mst.degraded is False
    assert mst.finished_at is not None and mst.finished_at >= mst.started_at
    assert portal.source_id is None and portal.finished_at is None


def test_finish_run_checks_its_input(session: Session) -> None:
    run = start_run(session, spider="mst", source_key=None)
    counts = dict(pages=0, new=0, duplicates=0, updated=0, errors=0, stats={}, message=None)
    with pytest.raises(ValueError, match="unknown run status"):
        finish_run(session, run, status="great", **counts)
    with pytest.raises(LookupError, match="no crawl run"):
        finish_run(session, 999, status="ok", **counts)


def test_articles_per_source(session: Session) -> None:
    assert articles_per_source(session) == {"baolamdong": 0, "mst": 0}
    store_article(session, record("https://mst.gov.vn/a.htm"))
    store_article(session, record("https://mst.gov.vn/b.htm"))
    store_article(session, record("https://baolamdong.vn/c.htm", source="baolamdong"))
    session.commit()
    assert articles_per_source(session) == {"baolamdong": 1, "mst": 2}


def test_last_runs_are_per_source_when_one_spider_crawls_many(session: Session) -> None:
    for key in ("chinhphu", "sokhcn-hanoi"):
        ensure_source(session, key=key, name=key, host=f"{key}.vn", spider="portal")
    first = start_run(session, spider="portal", source_key="chinhphu")
    second = start_run(session, spider="portal", source_key="sokhcn-hanoi")
    session.commit()
    counts = dict(pages=1, new=0, duplicates=0, updated=0, errors=0, stats={}, message=None)
    finish_run(session, second, status="ok", **counts, health={"reasons": ["x"]}, degraded=True)
    session.commit()
    runs = last_runs(session)
    assert runs["chinhphu"].id == first and runs["chinhphu"].status == "running"
    assert runs["sokhcn-hanoi"].id == second and runs["sokhcn-hanoi"].degraded is True
