"""``vnnews crawl baochinhphu`` end to end on the baochinhphu.vn fixture site (the real
capture's markup, our own text)."""

from __future__ import annotations

import pytest

from crawler.devserver import FixtureServer
from tests.e2e.checks import check_article
from tests.e2e.conftest import Archive, expected, run_cli, sqlite_url

HOST = "baochinhphu.vn"
EXPECTED = expected(HOST)


@pytest.fixture(scope="module")
def archive(fixture_server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    db = sqlite_url(tmp_path_factory.mktemp("bcp") / "archive.sqlite3")
    result = run_cli("crawl", "baochinhphu", "--host-map", f"{HOST}={fixture_server.base_url}",
                     "--quiet", db=db)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "baochinhphu    ok" in result.stdout
    return Archive(db)


@pytest.mark.parametrize(
    "want", EXPECTED["articles"], ids=lambda w: w["url"].rsplit("/", 1)[-1][:40]
)
def test_expected_articles(archive: Archive, want: dict) -> None:
    stored = archive.articles().get(want["url"])
    assert stored is not None, want["url"]
    check_article(stored, want)
    assert not stored.summary.startswith("(Chinhphu.vn)")


def test_run_recorded(archive: Archive) -> None:
    run = archive.runs("baochinhphu")[0]
    assert run.status == "ok"
    assert run.new == len(archive.articles()) == EXPECTED["good_article_count"]
    assert run.errors == 0
