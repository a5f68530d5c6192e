from datetime import UTC, datetime

import pytest

from crawler.extract.dates import parse_date, parse_iso, to_utc
from crawler.extract.feeds import parse_feed_date


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/09/2026 13:30", utc(2026, 9, 5, 6, 30)),  # article page: day first, Vietnam time
        ("05/09/2026  \n 13:30", utc(2026, 9, 5, 6, 30)),  # with the CMS's svg gap squashed
        ("9/5/2026 1:30:00 PM", utc(2026, 9, 5, 6, 30)),  # RSS / listing title: month first
        ("9/5/2026 12:34:00 AM", utc(2026, 9, 4, 17, 34)),
        ("2026-09-05T13:30:00+07:00", utc(2026, 9, 5, 6, 30)),
        ("2026-09-05T06:30:00Z", utc(2026, 9, 5, 6, 30)),
        ("05/09/2026", utc(2026, 9, 4, 17, 0)),  # midnight Vietnam time
        ("14:30:00 | 05/09/2026", utc(2026, 9, 5, 7, 30)),  # VHV portals
        ("Thứ bảy, 05/09/2026 - 13:30 (GMT+7)", utc(2026, 9, 5, 6, 30)),
    ],
)
def test_cms_formats(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "không có ngày", "31/02/2026 10:00"])
def test_no_date(text: str | None) -> None:
    assert parse_date(text) is None


def test_naive_is_vietnam_time() -> None:
    assert to_utc(datetime(2026, 1, 1, 7, 0)) == utc(2026, 1, 1, 0, 0)


def test_iso_rejects_garbage() -> None:
    assert parse_iso("yesterday") is None


def test_feed_dates_rfc822_and_cms() -> None:
    assert parse_feed_date("Sat, 05 Sep 2026 13:30:00 +0700") == utc(2026, 9, 5, 6, 30)
    assert parse_feed_date("9/5/2026 1:30:00 PM") == utc(2026, 9, 5, 6, 30)
