"""What every subcommand needs: the archive's sessions, dates from the command line, errors."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from crawler.extract.dates import parse_iso

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def print_json(rows: object) -> int:
    """``--format json``: ``rows`` on standard output, readable and with Vietnamese as is."""
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


class UsageError(Exception):
    """A wrong argument: printed with what to do instead, exit status 2."""


def sessions(args: argparse.Namespace) -> sessionmaker[Session]:
    """Sessions on the archive ``--db`` names (created and migrated on first use)."""
    from storage.engine import open_archive, resolve_database_url, session_factory

    return session_factory(open_archive(resolve_database_url(args.db)))


def when(value: str | None, name: str) -> datetime | None:
    """A ``--since``/``--until`` value: ISO 8601, a naive time being Vietnam time."""
    if value is None:
        return None
    parsed = parse_iso(value)
    if parsed is None:
        raise UsageError(
            f"{name} {value!r} is not a date: use ISO 8601, e.g. 2026-09-01 or 2026-09-01T08:00+07:00"
        )
    return parsed


def sites_file(args: argparse.Namespace) -> Path:
    """The user's config entries file (``--sites``, ``$VNNEWS_SITES_FILE``, data/sites.toml)."""
    from spiders.registry import resolve_sites_file

    return resolve_sites_file(args.sites)


def all_sources(args: argparse.Namespace) -> dict:  # dict[str, Site]
    """Built-in sources and config entries; a malformed entry file is a usage error."""
    from spiders.portal_config import ConfigError
    from spiders.registry import all_sites

    try:
        return all_sites(sites_file(args))
    except ConfigError as exc:
        raise UsageError(f"the sites file has errors; fix them first:\n{exc}") from exc
