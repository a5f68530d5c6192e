"""Durations as people write them on the command line (``30m``, ``2h``, ``1d``, ``1h30m``) and
as ``schedule list`` shows them. Plain Python."""

from __future__ import annotations

import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PART = re.compile(r"(\d+)\s*([smhdw])")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[smhdw]\s*)+$")


class DurationError(ValueError):
    """Not a duration; the message says what to write instead."""


def parse_duration(text: str) -> int:
    """Seconds in ``text``: one or more ``<number><unit>`` with unit s, m, h, d or w.

    A bare number is refused: ``--every 30`` could mean seconds or minutes.
    """
    value = text.strip().lower()
    if not _WHOLE.match(value):
        raise DurationError(
            f"{text!r} is not a duration: write a number and a unit, e.g. 30m, 2h, 1d, 1h30m "
            "(units: s, m, h, d, w)"
        )
    seconds = sum(int(n) * UNITS[unit] for n, unit in _PART.findall(value))
    if seconds <= 0:
        raise DurationError(f"{text!r}: a duration must be longer than zero")
    return seconds


def format_duration(seconds: float | int | None) -> str:
    """``7200`` → ``2h``, ``5400`` → ``1h30m``, ``90061`` → ``1d1h``: the two largest units,
    rounded to the smaller of them."""
    if seconds is None:
        return "-"
    if 0 < seconds < 1:
        return f"{seconds:g}s"
    total = int(round(seconds))
    if total <= 0:
        return "0s"
    units = sorted(UNITS.items(), key=lambda kv: -kv[1])
    units = [(name, size) for name, size in units if name != "w"]  # 10d reads better than 1w3d
    for index, (name, size) in enumerate(units):
        if total >= size:
            if index + 1 == len(units):
                return f"{total}{name}"
            small_name, small = units[index + 1]
            big, rest = divmod(total, size)
            rest = int(round(rest / small))
            if rest * small >= size:
                big, rest = big + 1, 0
            return f"{big}{name}{rest}{small_name}" if rest else f"{big}{name}"
    return f"{total}s"
