"""schemathesis against the OpenAPI description: generated requests, valid and invalid, to
every operation; no 5xx, and every response conforms to the description (status codes,
content types, headers, JSON bodies).

Bounded: a fixed number of examples per operation and mode, derandomized (the same cases on
every run, no example database), so the run takes seconds and a failure reproduces. The
description is the app's own ``/openapi.json`` (it does not depend on the archive, so it is
read once at collection from an app on an empty archive); the requests go to an app on the
test archive.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from tests.web.support import Archive, archive_fixture, client_for  # noqa: F401 - fixtures
from web.app import create_app
from web.config import Settings

MAX_EXAMPLES = 25


def _description() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="vnnews-openapi-"))
    try:
        app = create_app(Settings(database_url=f"sqlite:///{folder / 'empty.sqlite3'}"))
        description = app.openapi()
        app.state.engine.dispose()
        return description
    finally:
        shutil.rmtree(folder, ignore_errors=True)


schema = schemathesis.openapi.from_dict(_description())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
)


@pytest.fixture(scope="module")
def app(archive: Archive) -> Iterator[FastAPI]:
    with client_for(archive.url) as client:
        yield client.app


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_and_never_fails(case: schemathesis.Case, app: FastAPI) -> None:
    response = case.call_and_validate(app=app)
    assert response.status_code < 500, response.text
