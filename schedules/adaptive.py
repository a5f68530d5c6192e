"""Adaptive crawl intervals: crawl a source about as often as it publishes.

The reference is Media Cloud's feed poller, which waits longer before polling a feed again the
longer the feed has gone without a new story, and polls it again soon once it has one. Ours
works on whole crawls and their counts, multiplicatively in both directions, inside bounds:

- a run that stored new articles shrinks the interval (``SHRINK``: halved), down to the
  minimum: the source publishes more often than we look;
- a run that found none grows it (``GROW``: half as long again), up to the maximum: we look
  more often than it publishes;
- a run that did not end ``ok`` (failed, unreachable, timed out, interrupted) says nothing about
  how often the source publishes: the interval is kept;
- the first successful crawl of a source stores its backlog, not what it published since the
  last look: the interval is kept.

The reason is kept for ``schedule list``: "3 runs without new articles: 2h -> 3h". Plain
Python: outcomes in, a decision out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from schedules.durations import format_duration

SHRINK = 0.5  # factor after a run that found new articles
GROW = 1.5  # factor after a run that found none
DEFAULT_MIN_SECONDS = 15 * 60
DEFAULT_MAX_SECONDS = 24 * 3600
TIDY_ABOVE = 10 * 60  # intervals this long are rounded to whole minutes


@dataclass(frozen=True)
class Outcome:
    """What one finished run tells about the source."""

    status: str  # ok, failed, unreachable, timed_out, interrupted
    new: int = 0


@dataclass(frozen=True)
class Decision:
    seconds: int
    reason: str


def default_bounds(every: int) -> tuple[int, int]:
    """The bounds around the interval a user asked for: 15 min .. 24 h, widened to include it."""
    return min(DEFAULT_MIN_SECONDS, every), max(DEFAULT_MAX_SECONDS, every)


def _tidy(seconds: float) -> int:
    if seconds >= TIDY_ABOVE:
        return int(round(seconds / 60) * 60)
    return int(round(seconds))


def _streak(latest: Outcome, earlier: Sequence[Outcome], found: bool) -> int:
    """How many ``ok`` runs in a row, ending with ``latest``, found (or did not find) new
    articles; runs that did not end ``ok`` are passed over."""
    count = 0
    for outcome in (latest, *earlier):
        if outcome.status != "ok":
            continue
        if (outcome.new > 0) != found:
            break
        count += 1
    return count


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def next_interval(
    current: int, *, minimum: int, maximum: int, latest: Outcome, earlier: Sequence[Outcome]
) -> Decision:
    """The interval after ``latest`` (``earlier``: the source's previous runs, newest first)."""
    current = max(minimum, min(maximum, current))
    now = format_duration(current)
    if latest.status != "ok":
        return Decision(current, f"last run {latest.status.replace('_', ' ')}: kept {now}")
    if latest.new > 0 and not any(o.status == "ok" for o in earlier):
        return Decision(
            current,
            f"first crawl stored the backlog ({_plural(latest.new, 'article')}): kept {now}",
        )
    if latest.new > 0:
        runs = _streak(latest, earlier, found=True)
        target = max(minimum, min(current - 1, _tidy(math.floor(current * SHRINK))))
        why = (
            f"last run found {_plural(latest.new, 'new article')}"
            if runs == 1
            else f"{runs} runs in a row found new articles ({latest.new} in the last)"
        )
    else:
        runs = _streak(latest, earlier, found=False)
        target = min(maximum, max(current + 1, _tidy(math.ceil(current * GROW))))
        why = f"{_plural(runs, 'run')} without new articles"
    if target == current:
        bound = "minimum" if target == minimum else "maximum"
        return Decision(current, f"{why}: {now} (the {bound})")
    return Decision(target, f"{why}: {now} -> {format_duration(target)}")
