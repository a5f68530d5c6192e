"""``vnnews import``: JSONL articles into the archive through the same stages as a crawl.

One article per line: ``url`` (required), ``text`` or ``html`` (one required), optional
``title``, ``summary``, ``lang``, ``published_at`` (ISO 8601; naive means Vietnam time),
``source``, and for republications ``credited_url``, ``credited_outlet`` and ``alternates``
(hreflang code -> URL), which the dedup stage uses as it does for crawled pages. A bad line is reported with its number and skipped; the others are imported.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from crawler.extract.dates import parse_iso
from crawler.extract.normalize import Rejected
from crawler.extract.page import GenericArticlePage
from crawler.ingest import ingest
from crawler.items import ArticleItem
from storage.sources import ensure_source, get_source

IMPORT = "import"


class BadLine(ValueError):
    """A line that cannot become an article; the message says why."""


@dataclass
class ImportReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad_lines


def item_from_record(record: Any, *, default_source: str) -> ArticleItem:
    """An :class:`ArticleItem` from one decoded JSONL record (raises :class:`BadLine`)."""
    if not isinstance(record, dict):
        raise BadLine("not a JSON object")
    url = record.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise BadLine("'url' is required and must be an http(s) URL")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (
        isinstance(html, str) and html.strip()
    ):
        raise BadLine("one of 'text' or 'html' is required")
    source = record.get("source") or default_source
    if not isinstance(source, str):
        raise BadLine("'source' must be a string")
    published = record.get("published_at")
    published_at = None
    if published is not None:
        published_at = parse_iso(published) if isinstance(published, str) else None
        if published_at is None:
            raise BadLine(f"'published_at' is not ISO 8601: {published!r}")

    if isinstance(text, str) and text.strip():
        item = ArticleItem(url=url, source=source, text=text, methods={"text": IMPORT})
    else:
        item = GenericArticlePage(url, html, source=source, default_lang=None).to_item()
        item.warnings.clear()
    for name in ("title", "summary", "lang"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise BadLine(f"'{name}' must be a string")
        if value:
            setattr(item, name, value)
            item.methods[name] = IMPORT
    if published_at is not None:
        item.published_at = published_at
        item.methods["published_at"] = IMPORT
    _republication_fields(record, item)
    item.fetched_at = datetime.now(UTC)
    return item


def _republication_fields(record: dict[str, Any], item: ArticleItem) -> None:
    credited_url = record.get("credited_url")
    if credited_url is not None:
        if not isinstance(credited_url, str) or urlsplit(credited_url).scheme not in (
            "http",
            "https",
        ):
            raise BadLine("'credited_url' must be an http(s) URL")
        item.credited_url, item.methods["credited_url"] = credited_url, IMPORT
    outlet = record.get("credited_outlet")
    if outlet is not None:
        if not isinstance(outlet, str):
            raise BadLine("'credited_outlet' must be a string")
        item.credited_outlet, item.methods["credited_outlet"] = outlet, IMPORT
    alternates = record.get("alternates")
    if alternates is not None:
        valid = isinstance(alternates, dict) and all(
            isinstance(k, str) and isinstance(v, str) and urlsplit(v).scheme in ("http", "https")
            for k, v in alternates.items()
        )
        if not valid:
            raise BadLine("'alternates' must map language codes to http(s) URLs")
        item.alternates, item.methods["alternates"] = dict(alternates), IMPORT


def _ensure_import_source(session: Session, key: str, url: str) -> None:
    """Imported articles of an unknown source get a source row of their own."""
    if get_source(session, key) is None:
        host = urlsplit(url).hostname or ""
        ensure_source(session, key=key, name=key, host=host, spider=IMPORT)
        session.commit()


def import_lines(
    lines: Iterable[str],
    sessions: sessionmaker[Session],
    *,
    default_source: str = IMPORT,
    on_bad_line: Callable[[int, str], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    with sessions() as session:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = item_from_record(json.loads(line), default_source=default_source)
                _ensure_import_source(session, item.source, item.url)
                outcome = ingest(session, item)
            except (ValueError, Rejected) as exc:  # JSONDecodeError, BadLine, Rejected
                session.rollback()
                reason = (
                    f"invalid JSON: {exc.msg}"
                    if isinstance(exc, json.JSONDecodeError)
                    else str(exc)
                )
                report.bad_lines.append((number, reason))
                if on_bad_line is not None:
                    on_bad_line(number, reason)
                continue
            report.outcomes[outcome.status] += 1
    return report
