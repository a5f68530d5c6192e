"""The fixture server answers conditional requests as a web server's static files do, leaves a
"hang" path unanswered until it stops, and lets a test act before a request is answered."""

from __future__ import annotations

import hashlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.devserver import FixtureServer, RequestRecord, validators_for
from tests.test_devserver import fetch

HOST = "a.example"
BODY = "<!DOCTYPE html><p>tin mới</p>"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    site = tmp_path / HOST
    site.mkdir()
    (site / "tin.htm").write_text(BODY, "utf-8")
    (site / "no-etag.htm").write_text("<p>chỉ có ngày sửa</p>", "utf-8")
    (site / "no-validators.htm").write_text("<p>không có gì</p>", "utf-8")
    (site / "dated.htm").write_text("<p>ngày cố định</p>", "utf-8")
    (site / "hang.htm").write_text("<p>không bao giờ trả lời</p>", "utf-8")
    behaviours = {
        "/no-etag.htm": {"etag": False},
        "/no-validators.htm": {"etag": False, "last_modified": False},
        "/dated.htm": {"last_modified": "Tue, 01 Sep 2026 08:00:00 GMT"},
        "/hang.htm": {"hang": True},
        "/gone.htm": {"status": 404},
    }
    (site / "_behaviours.json").write_text(json.dumps(behaviours), "utf-8")
    return tmp_path


@pytest.fixture()
def server(root: Path) -> Iterator[FixtureServer]:
    with FixtureServer(root) as running:
        yield running


def test_file_answers_carry_an_etag_of_the_body_and_a_fixed_last_modified(
    server: FixtureServer, root: Path
) -> None:
    status, headers, body = fetch(server, HOST, "/tin.htm")
    assert status == 200 and body == BODY.encode()
    assert headers["ETag"] == '"' + hashlib.sha256(BODY.encode()).hexdigest()[:20] + '"'
    assert headers["Last-Modified"].endswith(" GMT")
    # the same on every request, and not the file's mtime (which differs between checkouts)
    (root / HOST / "tin.htm").touch()
    assert fetch(server, HOST, "/tin.htm")[1]["Last-Modified"] == headers["Last-Modified"]
    # content changes both
    (root / HOST / "tin.htm").write_text(BODY + "<p>cập nhật</p>", "utf-8")
    changed = fetch(server, HOST, "/tin.htm")[1]
    assert changed["ETag"] != headers["ETag"]
    assert changed["Last-Modified"] != headers["Last-Modified"]
    assert validators_for(BODY.encode()) == {
        "ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"],
    }  # fmt: skip


def test_if_none_match_gets_304_without_a_body(server: FixtureServer) -> None:
    etag = fetch(server, HOST, "/tin.htm")[1]["ETag"]
    status, headers, body = fetch(server, HOST, "/tin.htm", **{"If-None-Match": etag})
    assert status == 304 and body == b""
    assert headers["ETag"] == etag and "Content-Type" not in headers
    assert fetch(server, HOST, "/tin.htm", **{"If-None-Match": f'"x", W/{etag}'})[0] == 304
    assert fetch(server, HOST, "/tin.htm", **{"If-None-Match": "*"})[0] == 304
    assert fetch(server, HOST, "/tin.htm", **{"If-None-Match": '"other"'})[0] == 200
    # If-None-Match wins over a matching If-Modified-Since (RFC 9110)
    lm = fetch(server, HOST, "/tin.htm")[1]["Last-Modified"]
    both = {"If-None-Match": '"other"', "If-Modified-Since": lm}
    assert fetch(server, HOST, "/tin.htm", **both)[0] == 200
    log = [r for r in server.requests if r.status == 304]
    assert log and all("If-None-Match" in r.headers for r in log)


def test_if_modified_since_matches_exactly(server: FixtureServer) -> None:
    status, headers, _ = fetch(server, HOST, "/no-etag.htm")
    assert status == 200 and "ETag" not in headers
    lm = headers["Last-Modified"]
    assert fetch(server, HOST, "/no-etag.htm", **{"If-Modified-Since": lm})[0] == 304
    assert fetch(server, HOST, "/no-etag.htm",
                 **{"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200  # fmt: skip
    assert fetch(server, HOST, "/dated.htm")[1]["Last-Modified"] == "Tue, 01 Sep 2026 08:00:00 GMT"
    _, bare, _ = fetch(server, HOST, "/no-validators.htm")
    assert "ETag" not in bare and "Last-Modified" not in bare
    assert fetch(server, HOST, "/no-validators.htm", **{"If-None-Match": "*"})[0] == 200


def test_error_answers_have_no_validators(server: FixtureServer) -> None:
    for path in ("/gone.htm", "/missing.htm"):
        status, headers, _ = fetch(server, HOST, path, **{"If-None-Match": "*"})
        assert status == 404 and "ETag" not in headers


def test_hang_never_answers_until_the_server_stops(server: FixtureServer) -> None:
    conn = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    conn.sendall(f"GET /hang.htm HTTP/1.0\r\nHost: {HOST}\r\n\r\n".encode())
    conn.settimeout(0.5)
    with pytest.raises(TimeoutError):
        conn.recv(1)  # nothing comes
    assert [(r.path, r.status) for r in server.requests] == [("/hang.htm", 0)]
    assert fetch(server, HOST, "/tin.htm")[0] == 200  # the others are still served
    started = time.monotonic()
    server.stop()
    conn.settimeout(5)
    assert conn.recv(1) == b""  # closed without a word, promptly
    assert time.monotonic() - started < 5
    conn.close()


def test_before_answer_runs_before_the_answer(server: FixtureServer) -> None:
    seen: list[RequestRecord] = []

    def hook(record: RequestRecord) -> None:
        seen.append(record)
        time.sleep(0.3)  # the client must still be waiting

    server.before_answer = hook
    started = time.monotonic()
    assert fetch(server, HOST, "/tin.htm")[0] == 200
    assert time.monotonic() - started >= 0.3
    assert [(r.path, r.status) for r in seen] == [("/tin.htm", 200)]
