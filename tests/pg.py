"""A real, throwaway PostgreSQL server for tests: initdb in a temporary folder, a free port on
127.0.0.1, trust authentication, stopped and deleted at the end of the session.

PostgreSQL refuses to run as root, so under root (CI containers, this sandbox) the server
runs as the ``postgres`` user (``runuser -u postgres --``). Use the fixtures by importing
them into a test module (``from tests.pg import pg_url_fixture, postgres_server_fixture  #
noqa: F401``): ``pg_url`` is the SQLAlchemy URL (driver pg8000) of a new, empty database per
test; ``postgres_server`` the session's server.

scripts/test installs PostgreSQL from Debian's packages when it is missing; without it the
tests that need it fail with that hint rather than pass unseen.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

USER = "postgres"


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.fail(f"PostgreSQL's {name} is not installed: run scripts/test (it installs it)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One server in a temporary folder; :meth:`database` makes a fresh database on it."""

    def __init__(self) -> None:
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="vnnews-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", USER, "--"] if self.as_root else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}\n{tail}")

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.folder, USER)
        self._run(_binary("initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
                  "--no-locale", "-E", "UTF8")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
                  "-l", str(self.folder / "server.log"), "start")  # fmt: skip

    def stop(self) -> None:
        try:
            self._run(_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+pg8000://{USER}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new empty database; returns its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)


@pytest.fixture(scope="session", name="postgres_server")
def postgres_server_fixture() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="pg_url")
def pg_url_fixture(postgres_server: PostgresServer) -> str:
    return postgres_server.database()
