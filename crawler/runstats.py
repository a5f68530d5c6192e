"""What a crawl did, computed from its Scrapy stats: one definition for the progress line,
the summary and the ``crawl_runs`` record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

# Close reasons that mean the crawl did what it was asked.
_FINISHED = {"finished", "closespider_itemcount", "closespider_pagecount", "article_limit"}


@dataclass
class RunCounts:
    pages: int = 0
    new: int = 0
    duplicates: int = 0
    updated: int = 0
    known: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"pages {self.pages} · new {self.new} · duplicate {self.duplicates} · "
            f"known {self.known} · errors {self.errors}"
        )


def sum_prefix(stats: Mapping[str, Any], prefix: str) -> int:
    """The sum of the counters whose names start with ``prefix`` (``vnnews/errors/``)."""
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def run_counts(stats: Mapping[str, Any]) -> RunCounts:
    return RunCounts(
        pages=int(stats.get("downloader/response_count", 0)),
        new=int(stats.get("vnnews/stored/new", 0)),
        duplicates=int(stats.get("vnnews/stored/duplicate", 0)),
        updated=int(stats.get("vnnews/stored/updated", 0)),
        known=int(stats.get("vnnews/skipped/known", 0)),
        errors=sum_prefix(stats, "vnnews/errors/")
        + sum_prefix(stats, "vnnews/rejected/")
        + int(stats.get("spider_exceptions/count", 0) or 0),
    )


def run_status(stats: Mapping[str, Any], reason: str | None) -> str:
    """``ok``, ``unreachable`` (not one response), ``interrupted`` or ``failed``."""
    counts = run_counts(stats)
    if counts.pages == 0 and counts.errors > 0:
        return "unreachable"
    if reason == "shutdown":
        return "interrupted"
    if reason in _FINISHED:
        return "ok"
    return "failed"
