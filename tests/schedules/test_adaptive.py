"""Adaptive intervals and durations: pure functions, outcomes in, decisions out."""

from __future__ import annotations

import pytest

from schedules.adaptive import Outcome, default_bounds, next_interval
from schedules.durations import DurationError, format_duration, parse_duration

H, M = 3600, 60
OK_EMPTY, OK_NEWS, FAILED = Outcome("ok", 0), Outcome("ok", 5), Outcome("failed", 0)


def decide(current: int, latest: Outcome, *earlier: Outcome, low: int = 15 * M, high: int = 24 * H):  # noqa: ANN202 - fmt: skip
    return next_interval(current, minimum=low, maximum=high, latest=latest, earlier=earlier)


def test_runs_without_new_articles_grow_the_interval_and_say_why() -> None:
    first = decide(2 * H, OK_EMPTY, OK_NEWS)
    assert first.seconds == 3 * H
    assert first.reason == "1 run without new articles: 2h -> 3h"
    third = decide(2 * H, OK_EMPTY, OK_EMPTY, OK_EMPTY, OK_NEWS)
    assert third.reason == "3 runs without new articles: 2h -> 3h"


def test_runs_with_new_articles_shrink_it() -> None:
    once = decide(2 * H, Outcome("ok", 3), OK_EMPTY)
    assert (once.seconds, once.reason) == (1 * H, "last run found 3 new articles: 2h -> 1h")
    again = decide(1 * H, Outcome("ok", 1), OK_NEWS, OK_NEWS)
    assert again.seconds == 30 * M
    assert again.reason == "3 runs in a row found new articles (1 in the last): 1h -> 30m"


def test_the_interval_stays_within_its_bounds() -> None:
    at_min = decide(20 * M, OK_NEWS, OK_NEWS)
    assert (at_min.seconds, at_min.reason.endswith("20m -> 15m")) == (15 * M, True)
    stays = decide(15 * M, OK_NEWS, OK_NEWS)
    assert stays.seconds == 15 * M and stays.reason.endswith("15m (the minimum)")
    capped = decide(20 * H, OK_EMPTY, OK_NEWS)
    assert capped.seconds == 24 * H and capped.reason.endswith("20h -> 1d")
    top = decide(24 * H, OK_EMPTY, OK_NEWS)
    assert top.seconds == 24 * H and top.reason.endswith("1d (the maximum)")
    # A stored interval outside new bounds is brought inside first.
    assert decide(48 * H, FAILED).seconds == 24 * H


def test_failed_runs_and_the_backlog_keep_the_interval() -> None:
    for status in ("failed", "unreachable", "timed_out", "interrupted"):
        kept = decide(2 * H, Outcome(status, 0), OK_NEWS)
        assert (
            kept.seconds == 2 * H and kept.reason == f"last run {status.replace('_', ' ')}: kept 2h"
        )
    backlog = decide(2 * H, Outcome("ok", 40), FAILED)  # the first run that got through
    assert backlog.seconds == 2 * H and "backlog (40 articles)" in backlog.reason
    # Failed runs do not break a streak of empty ones.
    assert decide(2 * H, OK_EMPTY, FAILED, OK_EMPTY, OK_NEWS).reason.startswith("2 runs without")


def test_short_intervals_still_move_and_long_ones_stay_round() -> None:
    assert decide(2, OK_EMPTY, OK_NEWS, low=1, high=30).seconds == 3
    assert decide(3, OK_EMPTY, OK_NEWS, low=1, high=30).seconds == 5
    assert decide(2, OK_NEWS, OK_NEWS, low=1, high=30).seconds == 1
    assert decide(25 * M, OK_EMPTY, OK_NEWS).seconds % 60 == 0  # 37.5 min -> whole minutes


def test_default_bounds_widen_to_include_the_asked_interval() -> None:
    assert default_bounds(2 * H) == (15 * M, 24 * H)
    assert default_bounds(5 * M) == (5 * M, 24 * H)
    assert default_bounds(3 * 24 * H) == (15 * M, 3 * 24 * H)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("90s", 90), (" 2H ", 7200),
     ("1w", 604800)],
)  # fmt: skip
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["30", "2x", "", "h", "0m", "-1h", "1.5h"])
def test_parse_duration_refuses_what_is_not_one(text: str) -> None:
    with pytest.raises(DurationError, match="duration"):
        parse_duration(text)


def test_format_duration() -> None:
    assert [format_duration(s) for s in (45, 60, 5400, 7200, 86400, 90061, 10125, 0.5, None)] == [
        "45s", "1m", "1h30m", "2h", "1d", "1d1h", "2h49m", "0.5s", "-"
    ]  # fmt: skip
