"""The JSON API on a real archive: filters as the CLI has them, full text without accents, one
item per story, cursor pagination, an article with its copies, provinces, topics, sources
with health, /healthz, and JSON errors that say what was wrong (never a 5xx)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from storage import make_engine, open_archive
from storage.migrate import head_revisions
from tests.web.archive import (
    BAOLAMDONG,
    DAKNONG,
    FOOTBALL,
    HANOI,
    LAICHAU,
    MST,
    UNDATED,
    VIETNAMVN_EN,
    build_archive,
)
from tests.web.support import (  # noqa: F401 - fixtures
    Archive,
    archive_fixture,
    client_fixture,
    client_for,
    make_archive,
)
from web.config import Settings

HEAD = ",".join(sorted(head_revisions()))  # the schema revision a served archive is at


def urls(response_json: dict) -> list[str]:
    return [item["url"] for item in response_json["items"]]


def get_ok(client: TestClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def test_list_newest_first_one_per_story(client: TestClient) -> None:
    body = get_ok(client, "/api/articles")
    assert urls(body) == [DAKNONG, HANOI, LAICHAU, MST, UNDATED]  # football: not relevant
    assert body["next_cursor"] is None and body["limit"] == 20
    mst = body["items"][3]
    assert mst["is_original"] and mst["relation"] == "original" and mst["story_size"] == 3
    assert mst["published_at"] == "2026-09-01T01:00:00Z"
    assert mst["provinces"] == [
        {"slug": "lam-dong", "code": 68, "name": "Lâm Đồng", "role": "primary"}
    ]
    assert mst["api_url"] == f"http://testserver/api/articles/{mst['id']}"


def test_copies_true_lists_every_article(client: TestClient) -> None:
    body = get_ok(client, "/api/articles?copies=true")
    assert urls(body) == [DAKNONG, HANOI, LAICHAU, VIETNAMVN_EN, BAOLAMDONG, MST, UNDATED]
    assert (
        get_ok(client, "/api/articles?copies=true&include_irrelevant=true")["items"][0]["url"]
        == FOOTBALL
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("province=lam-dong", [DAKNONG, MST]),
        ("province=Lâm Đồng", [DAKNONG, MST]),
        ("province=lam dong", [DAKNONG, MST]),
        ("province=Đắk Nông", [DAKNONG, MST]),  # an old province: the unit it merged into
        ("province=Lam Dong Province", [DAKNONG, MST]),
        ("province=lai-chau&province=Hanoi", [HANOI, LAICHAU]),  # any of several
        ("topic=ai", [LAICHAU]),
        ("topic=Trí tuệ nhân tạo", [LAICHAU]),
        ("topic=digital-transformation&province=lam-dong", [MST]),
        ("source=laichau", [LAICHAU]),
        ("lang=en", [VIETNAMVN_EN]),  # the story's only English member
        ("lang=vi&province=lam-dong", [DAKNONG, MST]),
        ("since=2026-09-05", [DAKNONG, HANOI]),  # Vietnam time: 2026-09-05T07:30+07 is in
        ("since=2026-09-05T07:31", [DAKNONG]),
        ("until=2026-09-01T08:00:01%2B07:00", [MST]),
        ("since=2026-09-01T00:00Z&until=2026-09-03", [MST]),  # its story once
        ("q=chuyen doi so", [HANOI, MST, UNDATED]),
        ("q=chuyển đổi số", [HANOI, MST, UNDATED]),
        ("q=CHUYEN DOI SO dat dai", [MST]),
        ('q="du lieu dat dai"', [MST]),
        ("q=ban dan", [DAKNONG]),
        ("q=vi mach*", [DAKNONG]),
        ("q=digital land", [VIETNAMVN_EN]),
        ("q=khong co tu nay", []),
    ],
)
def test_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert urls(get_ok(client, f"/api/articles?{query}")) == expected


def test_cursor_pagination_is_stable_while_the_archive_grows(tmp_path: Path) -> None:
    archive_ = make_archive(tmp_path)
    with client_for(archive_.url) as client_:
        first = get_ok(client_, "/api/articles?copies=true&limit=3")
        assert urls(first) == [DAKNONG, HANOI, LAICHAU] and first["next_cursor"]
        # A newer article arrives between pages: the next page neither repeats nor skips.
        build_archive(archive_.url, [{
            "url": "https://mst.gov.vn/moi-nhat-197260910.htm", "source": "mst",
            "published_at": "2026-09-10T08:00:00", "title": "Tin mới về chuyển đổi số",
            "text": "Bộ Khoa học và Công nghệ ban hành hướng dẫn chuyển đổi số cho các tỉnh, thành "
            "phố trong năm 2026, tập trung vào dữ liệu số và nền tảng số dùng chung.",
        }])  # fmt: skip
        response = client_.get(f"/api/articles?copies=true&limit=3&cursor={first['next_cursor']}")
        second = response.json()
        assert urls(second) == [VIETNAMVN_EN, BAOLAMDONG, MST]
        assert response.headers["link"] == (
            f"<http://testserver/api/articles?copies=true&limit=3&cursor={second['next_cursor']}>; "
            'rel="next"'
        )
        third = get_ok(client_, f"/api/articles?copies=true&limit=3&cursor={second['next_cursor']}")
        assert urls(third) == [UNDATED] and third["next_cursor"] is None


def test_pages_of_one_cover_everything_once(client: TestClient) -> None:
    seen, cursor = [], ""
    for _ in range(20):
        body = get_ok(client, f"/api/articles?limit=1&include_irrelevant=true{cursor}")
        seen += urls(body)
        if not body["next_cursor"]:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert seen == [FOOTBALL, DAKNONG, HANOI, LAICHAU, MST, UNDATED]


def test_an_article_with_its_story(client: TestClient, archive: Archive) -> None:
    body = get_ok(client, f"/api/articles/{archive.ids[BAOLAMDONG]}")
    assert body["url"] == BAOLAMDONG and body["relation"] == "republished"
    assert not body["is_original"] and body["original_url"] == MST
    assert body["credited_url"] == MST and body["credited_outlet"] == "MST"
    assert [(c["url"], c["relation"]) for c in body["copies"]] == [
        (MST, "original"), (VIETNAMVN_EN, "translated"),
    ]  # fmt: skip
    assert "nền tảng số quản lý đất đai" in body["text"]
    assert body["story_size"] == 3
    alone = get_ok(client, f"/api/articles/{archive.ids[LAICHAU]}")
    assert alone["copies"] == [] and alone["story_size"] == 1


def test_provinces_topics_sources_health(client: TestClient) -> None:
    provinces = get_ok(client, "/api/provinces")
    assert len(provinces) == 34
    lam_dong = next(p for p in provinces if p["slug"] == "lam-dong")
    assert set(lam_dong["old_names"]) >= {"Đắk Nông", "Bình Thuận"}
    assert (lam_dong["articles"], lam_dong["primary"]) == (4, 4)
    assert lam_dong["feeds"]["atom"] == "http://testserver/feeds/provinces/lam-dong.atom"
    assert sum(p["articles"] for p in provinces) == 6  # 4 Lâm Đồng, Lai Châu, Hà Nội

    topics = {t["slug"]: t for t in get_ok(client, "/api/topics")}
    assert topics["ai"]["articles"] == 1 and topics["ai"]["label_vi"] == "Trí tuệ nhân tạo"
    assert topics["digital-transformation"]["articles"] == 4

    sources = {s["key"]: s for s in get_ok(client, "/api/sources")}
    assert sources["mst"]["kind"] == "builtin" and sources["mst"]["articles"] == 3
    assert sources["mst"]["health"] == "never crawled" and sources["mst"]["last_run"] is None
    assert sources["laichau"]["province"] == "lai-chau"

    health = get_ok(client, "/healthz")
    assert health == {"status": "ok", "database": "sqlite", "read_only": False,
                      "schema_revision": HEAD}  # fmt: skip


def test_sources_show_the_last_run_and_its_health(tmp_path: Path) -> None:
    from storage import finish_run, session_factory, start_run

    archive_ = make_archive(tmp_path)
    engine = open_archive(archive_.url)
    with session_factory(engine)() as session:
        run = start_run(session, spider="laichau", source_key="laichau")
        finish_run(session, run, status="ok", pages=12, new=3, duplicates=0, updated=0, errors=1,
                   stats={}, message=None, health={"generic_only": False}, degraded=True)  # fmt: skip
        session.commit()
    engine.dispose()
    with client_for(archive_.url) as client_:
        sources = {s["key"]: s for s in get_ok(client_, "/api/sources")}
    assert sources["laichau"]["health"] == "degraded"
    assert sources["laichau"]["last_run"]["pages"] == 12
    assert sources["laichau"]["last_run"]["status"] == "ok"


@pytest.mark.parametrize(
    ("url", "status", "error", "param"),
    [
        ("/api/articles?limit=0", 400, "invalid_parameter", "limit"),
        ("/api/articles?limit=101", 400, "invalid_parameter", "limit"),
        ("/api/articles?limit=abc", 400, "invalid_parameter", "limit"),
        ("/api/articles?copies=maybe", 400, "invalid_parameter", "copies"),
        ("/api/articles?since=yesterday", 400, "invalid_date", "since"),
        ("/api/articles?until=2026-13-01", 400, "invalid_date", "until"),
        ("/api/articles?since=1700000000", 400, "invalid_date", "since"),  # no timestamps
        ("/api/articles?until=2026-02-30", 400, "invalid_date", "until"),
        ("/api/articles?cursor=bm90IGEgY3Vyc29y", 400, "invalid_parameter", "cursor"),
        ("/api/articles?cursor=***", 400, "invalid_parameter", "cursor"),
        ("/api/articles?lang=english!", 400, "invalid_parameter", "lang"),
        ("/api/articles?q=" + "x" * 501, 400, "invalid_parameter", "q"),
        ("/api/articles?province=Atlantis", 404, "unknown_province", "province"),
        ("/api/articles?topic=astrology", 404, "unknown_topic", "topic"),
        ("/api/articles?source=nosuch", 404, "unknown_source", "source"),
        ("/api/articles/999999", 404, "unknown_article", "article_id"),
        ("/api/articles/0", 400, "invalid_parameter", "article_id"),
        ("/api/articles/99999999999999999999", 400, "invalid_parameter", "article_id"),
        ("/api/articles/x", 400, "invalid_parameter", "article_id"),
        ("/api/nothing", 404, "not_found", None),
    ],
)
def test_bad_requests_get_a_json_error(
    client: TestClient, url: str, status: int, error: str, param: str | None
) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error and body["message"]
    assert body.get("param") == param


@pytest.mark.parametrize(
    "query",
    [
        "since=0001-01-01T00:00",  # before the calendar's start in UTC: clamped, not a 500
        "until=9999-12-31T23:59:59-05:00",
        "since=2026-09-02&until=2026-09-01",  # an empty window is no error
        "cursor=______________________",  # any 22 base64url characters are a position
        "cursor=AAAAAAAAAAAAAAAAAAAAAA",
        "q=%00%01",  # control characters are ignored
        "q=%22%2A%28NEAR%20OR%20-",  # FTS5 syntax is not injected: just no words
        "province=lam-dong%00",
    ],
)
def test_odd_but_valid_requests_are_answered(client: TestClient, query: str) -> None:
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)


def test_unknown_province_lists_the_closest_names(client: TestClient) -> None:
    body = client.get("/api/articles?province=Lam Dongg").json()
    assert body["closest"][0] == "Lâm Đồng"
    assert "Lai Châu" in client.get("/api/articles?province=Lai Chao").json()["closest"]
    assert client.post("/api/articles").status_code == 405


def test_read_only_mode_writes_nothing(tmp_path: Path) -> None:
    archive_ = make_archive(tmp_path)
    path = Path(archive_.url.removeprefix("sqlite:///"))
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    before_bytes = path.read_bytes()
    with client_for(archive_.url, read_only=True) as client_:
        assert get_ok(client_, "/healthz")["read_only"] is True
        assert urls(get_ok(client_, "/api/articles?province=lam-dong")) == [DAKNONG, MST]
        engine = client_.app.state.engine
        with engine.connect() as connection, pytest.raises(Exception, match="readonly|read-only"):
            connection.execute(text("DELETE FROM articles"))
    assert path.read_bytes() == before_bytes
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir() if p.name in before} == {
        name: mtime for name, mtime in before.items() if (tmp_path / name).exists()
    }


def test_read_only_mode_refuses_a_missing_or_outdated_archive(tmp_path: Path) -> None:
    from alembic import command

    from storage.migrate import SchemaOutdated, alembic_config

    with pytest.raises(LookupError, match="no archive"):
        client_for(f"sqlite:///{tmp_path / 'missing.sqlite3'}", read_only=True)
    assert not (tmp_path / "missing.sqlite3").exists()
    old = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
    engine.dispose()
    with pytest.raises(SchemaOutdated, match="0005"):
        client_for(f"sqlite:///{old}", read_only=True)
    # Without read-only mode the same archive is upgraded and served.
    with client_for(f"sqlite:///{old}") as client_:
        assert get_ok(client_, "/healthz")["schema_revision"] == HEAD


def test_no_environment_is_read(monkeypatch: pytest.MonkeyPatch, archive: Archive) -> None:
    """The settings object is the app's only input: the archive URL in the environment is
    not looked at."""
    monkeypatch.setenv("VNNEWS_DATABASE_URL", "sqlite:////nonexistent/elsewhere.sqlite3")
    with client_for(archive.url) as client_:
        assert len(get_ok(client_, "/api/articles")["items"]) == 5
    assert os.environ["VNNEWS_DATABASE_URL"].startswith("sqlite:////nonexistent")


def test_threads_bound_the_requests_answered_at_once(archive: Archive) -> None:
    from anyio.to_thread import current_default_thread_limiter

    def tokens() -> float:
        return current_default_thread_limiter().total_tokens

    assert Settings(database_url=archive.url).threads == 2 * (os.cpu_count() or 1)
    with client_for(archive.url, threads=3) as client_:
        assert client_.portal.call(tokens) == 3
        assert len(get_ok(client_, "/api/articles")["items"]) == 5
    with pytest.raises(ValueError, match="threads"):
        Settings(database_url=archive.url, threads=0)
