"""The web app on an archive in PostgreSQL (a real server, driver pg8000): the same answers
as on SQLite — search through the GIN index, one entry per story, feeds that parse."""

from __future__ import annotations

import feedparser

from tests.pg import pg_url_fixture, postgres_server_fixture  # noqa: F401 - fixtures
from tests.web.archive import DAKNONG, HANOI, LAICHAU, MST, UNDATED, build_archive
from tests.web.support import client_for, json_feed_errors


def test_api_and_feeds_on_postgresql(pg_url: str) -> None:
    build_archive(pg_url)
    with client_for(pg_url, read_only=True) as client:
        health = client.get("/healthz").json()
        assert health["database"] == "postgresql" and health["read_only"] is True
        items = client.get("/api/articles").json()["items"]
        assert [i["url"] for i in items] == [DAKNONG, HANOI, LAICHAU, MST, UNDATED]
        found = client.get("/api/articles?q=chuyển đổi số&province=Lâm Đồng").json()["items"]
        assert [i["url"] for i in found] == [MST]
        assert [i["url"] for i in client.get("/api/articles?q=vi mach*").json()["items"]] == [
            DAKNONG
        ]
        for fmt in ("rss", "atom"):
            parsed = feedparser.parse(client.get(f"/feeds/provinces/lam-dong.{fmt}").content)
            assert parsed.bozo == 0 and [e.id for e in parsed.entries] == [DAKNONG, MST]
        document = client.get("/feeds/topics/ai.json").json()
        assert json_feed_errors(document) == [] and [i["id"] for i in document["items"]] == [
            LAICHAU
        ]
        assert client.get("/api/articles?province=Atlantis").status_code == 404
        assert client.get("/api/articles?q=%00").status_code == 200  # no NUL reaches PostgreSQL
