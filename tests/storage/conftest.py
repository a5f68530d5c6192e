"""Storage tests run on real SQLite files under ``tmp_path``, migrated like the application's."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage import ensure_source, open_archive, session_factory


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def record(canonical_url: str, **fields: Any) -> dict[str, Any]:
    """A normalized article record as the pipeline hands it to ``store_article``."""
    data: dict[str, Any] = {
        "url": canonical_url + "?utm_source=rss",
        "canonical_url": canonical_url,
        "source": "mst",
        "title": "Hạ tầng dữ liệu quốc gia",
        "summary": "Bộ Khoa học và Công nghệ công bố kế hoạch.",
        "text": "Kế hoạch năm 2026 tập trung vào dữ liệu mở.",
        "body_html": "<p>Kế hoạch năm 2026 tập trung vào dữ liệu mở.</p>",
        "author": "Minh Anh",
        "tags": ["dữ liệu"],
        "category": "Chuyển đổi số",
        "images": [{"url": "https://mst.gov.vn/a.jpg", "caption": "Hội nghị"}],
        "lang": "vi",
        "published_at": datetime(2026, 9, 5, 6, 30, tzinfo=UTC),
        "modified_at": None,
        "fetched_at": datetime(2026, 9, 5, 8, 0, tzinfo=UTC),
        "extraction": {"title": "selector", "published_at": "meta"},
    }
    data.update(fields)
    if "content_hash" not in fields:
        joined = "\x1f".join(data[k] or "" for k in ("title", "summary", "text"))
        data["content_hash"] = hashlib.sha256(joined.encode()).hexdigest()
    return data


def add_sources(session: Session) -> None:
    ensure_source(session, key="mst", name="Bộ KH&CN", host="mst.gov.vn", spider="mst", lang="vi")
    ensure_source(
        session,
        key="baolamdong",
        name="Báo Lâm Đồng",
        host="baolamdong.vn",
        spider="baolamdong",
        lang="vi",
        province="lam-dong",
    )
    session.commit()


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "archive.sqlite3")


@pytest.fixture()
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_archive(db_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        add_sources(session)
        yield session
