"""Fixtures of the web tests (import ``archive_fixture`` and ``client_fixture`` into a test
module; they are named ``archive`` and ``client`` there): a test archive built through
the real pipeline, and an app on it driven in-process through HTTP (Starlette's TestClient).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker

from tests.web.archive import build_archive
from web.app import create_app
from web.config import Settings

JSON_FEED_SCHEMA = json.loads(
    (Path(__file__).with_name("jsonfeed-1.1.schema.json")).read_text("utf-8")
)
FEED_PATHS = ("/feeds/all", "/feeds/provinces/lam-dong", "/feeds/topics/digital-transformation")
FORMATS = ("rss", "atom", "json")


@dataclass
class Archive:
    url: str
    ids: dict[str, int]  # article id by URL


def make_archive(folder: Path) -> Archive:
    url = f"sqlite:///{folder / 'archive.sqlite3'}"
    return Archive(url, build_archive(url))


def client_for(url: str, **settings: Any) -> TestClient:
    settings.setdefault("forwarded_allow_ips", "*")
    return TestClient(create_app(Settings(database_url=url, **settings)))


@pytest.fixture(scope="module", name="archive")
def archive_fixture(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return make_archive(tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module", name="client")
def client_fixture(archive: Archive) -> Iterator[TestClient]:
    with client_for(archive.url) as test_client:
        yield test_client


# JSON Schema formats the jsonschema package leaves unchecked without optional packages.
FORMATS_CHECKER = FormatChecker()


@FORMATS_CHECKER.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@FORMATS_CHECKER.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and " " not in value


def json_feed_errors(document: Any) -> list[str]:
    validator = Draft202012Validator(JSON_FEED_SCHEMA, format_checker=FORMATS_CHECKER)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
