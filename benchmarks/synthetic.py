"""What the scale benchmarks share: the time span and vocabulary of synthetic archives, and
the one way they write rows fast.

A million articles stored one at a time through the ORM would take hours; the benchmarks
write them through the driver's ``executemany`` in large transactions instead, in the
column formats the application itself writes (:func:`sql_time` for times), so the archive
they measure reads exactly like one the crawler filled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

START = datetime(2022, 1, 1, tzinfo=UTC)  # five years of publication days from here
DAYS = 5 * 365
# Words of Vietnamese science and technology news, for synthetic article text.
WORDS = [
    "chuyển",
    "đổi",
    "số",
    "khoa",
    "học",
    "công",
    "nghệ",
    "đổi",
    "mới",
    "sáng",
    "tạo",
    "dữ",
    "liệu",
    "nền",
    "tảng",
    "tỉnh",
    "thành",
    "phố",
    "doanh",
    "nghiệp",
    "trí",
    "tuệ",
    "nhân",
    "tạo",
    "hạ",
    "tầng",
    "viễn",
    "thông",
    "dịch",
    "vụ",
    "công",
    "trực",
    "tuyến",
    "người",
    "dân",
    "chính",
    "quyền",
    "số",
    "kinh",
    "tế",
    "số",
    "an",
    "toàn",
    "thông",
    "tin",
    "nhân",
    "lực",
    "đào",
    "tạo",
    "chương",
    "trình",
    "kế",
    "hoạch",
    "năm",
    "triển",
    "khai",
    "hoàn",
    "thành",
    "mục",
    "tiêu",
    "kết",
    "quả",
    "nghiên",
    "cứu",
    "ứng",
    "dụng",
    "sản",
    "phẩm",
    "thị",
    "trường",
]


def sql_time(value: datetime | None) -> str | None:
    """An aware time as the archive stores it on SQLite (naive UTC, microseconds always
    written, as SQLAlchemy writes it): stored times compare as strings, so every writer must
    use the same format."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_rows(raw: Any, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """``INSERT INTO table (columns)`` every row through the DB-API connection ``raw``."""
    if rows:
        marks = ",".join("?" * len(columns))
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
