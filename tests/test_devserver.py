"""The fixture server: a real HTTP server on 127.0.0.1, fetched with urllib."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.devserver import FixtureServer, RequestRecord, query_file_name
from tests.conftest import FIXTURE_SITES


def fetch(
    server: FixtureServer, host: str, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        server.base_url + path, method=method, headers={"Host": host, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


def raw_status(server: FixtureServer, host: str, path: str) -> int:
    """For paths urllib would not send verbatim (``..``)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    a = tmp_path / "a.example"
    b = tmp_path / "b.example"
    (a / "rss").mkdir(parents=True)
    (b / "docs").mkdir(parents=True)
    (a / "index.html").write_text("<!DOCTYPE html><p>trang chủ A</p>", "utf-8")
    (b / "index.html").write_text("<!DOCTYPE html><p>trang chủ B</p>", "utf-8")
    (a / "bai-viet-197260905143012345.htm").write_text("<p>bài viết</p>", "utf-8")
    (a / "rss" / "home.rss").write_text("<rss version='2.0'><channel/></rss>", "utf-8")
    (a / "sitemap.xml").write_text("<urlset/>", "utf-8")
    (a / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", "utf-8")
    (a / "data.json").write_text('{"ok": true}', "utf-8")
    (a / "search.htm").write_text("<p>tìm kiếm</p>", "utf-8")
    (a / query_file_name("search.htm", "q=ai&page=2")).write_text("<p>kết quả AI</p>", "utf-8")
    (a / "_expected.json").write_text("{}", "utf-8")
    (a / "latin1.htm").write_text("<p>tiếng Việt</p>", "utf-8")
    (a / "flaky.htm").write_text("<p>ổn định</p>", "utf-8")
    (a / "big.htm").write_text("<p>lớn</p>", "utf-8")
    (a / "gone.htm").write_text("<p>đã gỡ</p>", "utf-8")
    (a / "slow.htm").write_text("<p>chậm</p>", "utf-8")
    (b / "docs" / "index.html").write_text("<p>tài liệu</p>", "utf-8")
    (tmp_path / "secret.txt").write_text("outside every site", "utf-8")
    (tmp_path / "_private").mkdir()
    behaviours = {
        "/flaky.htm": {"fail_times": 2, "fail_status": 503},
        "/latin1.htm": {"content_type": "text/html; charset=iso-8859-1"},
        "/big.htm": {"pad_bytes": 200_000},
        "/gone.htm": {"status": 404},
        "/slow.htm": {"delay": 0.3},
    }
    (a / "_behaviours.json").write_text(json.dumps(behaviours), "utf-8")
    return tmp_path


@pytest.fixture()
def server(root: Path) -> Iterator[FixtureServer]:
    with FixtureServer(root) as running:
        yield running


def test_hosts_and_host_map(server: FixtureServer) -> None:
    assert server.hosts() == ["a.example", "b.example"]  # no "_private", no files
    assert server.port > 0
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert server.host_map() == {"a.example": server.base_url, "b.example": server.base_url}


def test_routes_by_host_header(server: FixtureServer) -> None:
    status, _, body = fetch(server, "a.example", "/")
    assert status == 200 and "trang chủ A" in body.decode("utf-8")
    status, _, body = fetch(server, "b.example:8443", "/")  # the port is ignored
    assert status == 200 and "trang chủ B" in body.decode("utf-8")
    status, _, body = fetch(server, "B.Example", "/docs/")  # a folder's index.html
    assert status == 200 and "tài liệu" in body.decode("utf-8")
    status, _, body = fetch(server, "a.example", "/bai-viet-197260905143012345.htm")
    assert status == 200 and body.decode("utf-8") == "<p>bài viết</p>"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("unknown.example", "/"),
        ("a.example", "/missing.htm"),
        ("b.example", "/bai-viet-197260905143012345.htm"),  # a file of another host
        ("a.example", "/_expected.json"),
        ("a.example", "/_behaviours.json"),
        ("_private", "/"),
    ],
)
def test_not_found(server: FixtureServer, host: str, path: str) -> None:
    assert fetch(server, host, path)[0] == 404


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/rss/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"]
)
def test_no_way_out_of_the_site(server: FixtureServer, path: str) -> None:
    assert raw_status(server, "a.example", path) == 404


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/bai-viet-197260905143012345.htm", "text/html; charset=utf-8"),
        ("/rss/home.rss", "application/rss+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/data.json", "application/json"),
    ],
)
def test_content_types_and_length(server: FixtureServer, path: str, content_type: str) -> None:
    status, headers, body = fetch(server, "a.example", path)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert int(headers["Content-Length"]) == len(body)


def test_query_strings(server: FixtureServer) -> None:
    status, _, body = fetch(server, "a.example", "/search.htm?q=ai&page=2")
    assert status == 200 and "kết quả AI" in body.decode("utf-8")
    status, _, body = fetch(server, "a.example", "/search.htm?q=other")
    assert status == 200 and "tìm kiếm" in body.decode("utf-8")  # falls back to the path
    assert fetch(server, "a.example", "/missing.htm?q=ai")[0] == 404


def test_head_sends_headers_only(server: FixtureServer) -> None:
    status, headers, body = fetch(server, "a.example", "/robots.txt", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len("User-agent: *\nDisallow: /admin/\n")


def test_request_log(server: FixtureServer) -> None:
    fetch(server, "a.example", "/robots.txt", **{"User-Agent": "vnnews/0.1 (+test)"})
    fetch(server, "b.example", "/nothing.htm")
    fetch(server, "a.example", "/search.htm?q=ai&page=2")
    log = server.requests
    assert [(r.host, r.path, r.method, r.status) for r in log] == [
        ("a.example", "/robots.txt", "GET", 200),
        ("b.example", "/nothing.htm", "GET", 404),
        ("a.example", "/search.htm?q=ai&page=2", "GET", 200),
    ]
    assert isinstance(log[0], RequestRecord)
    assert log[0].headers["User-Agent"] == "vnnews/0.1 (+test)"
    assert server.paths_for("a.example") == ["/robots.txt", "/search.htm?q=ai&page=2"]
    server.clear_log()
    assert server.requests == []


def test_fail_times_then_success_and_reset(server: FixtureServer) -> None:
    statuses = [fetch(server, "a.example", "/flaky.htm")[0] for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert fetch(server, "a.example", "/flaky.htm?again=1")[0] == 200  # counted per path
    server.reset()
    assert fetch(server, "a.example", "/flaky.htm")[0] == 503
    assert [r.status for r in server.requests if r.path.startswith("/flaky")] == [
        503, 503, 200, 200, 503,
    ]  # fmt: skip


def test_restart_resets_failures_and_keeps_port(server: FixtureServer) -> None:
    assert fetch(server, "a.example", "/flaky.htm")[0] == 503
    port = server.port
    server.stop()
    server.start()
    assert server.port == port
    assert fetch(server, "a.example", "/flaky.htm")[0] == 503
    assert fetch(server, "a.example", "/flaky.htm")[0] == 503
    assert fetch(server, "a.example", "/flaky.htm")[0] == 200


def test_status_behaviour_hides_an_existing_file(server: FixtureServer) -> None:
    assert fetch(server, "a.example", "/gone.htm")[0] == 404


def test_content_type_override(server: FixtureServer) -> None:
    status, headers, body = fetch(server, "a.example", "/latin1.htm")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert body == "<p>tiếng Việt</p>".encode()  # the bytes stay UTF-8


def test_pad_bytes(server: FixtureServer, root: Path) -> None:
    status, headers, body = fetch(server, "a.example", "/big.htm")
    original = (root / "a.example" / "big.htm").read_bytes()
    assert status == 200
    assert body.startswith(original)
    assert len(body) >= len(original) + 200_000
    assert int(headers["Content-Length"]) == len(body)
    assert body.rstrip().endswith(b"-->")  # an HTML comment
    assert (root / "a.example" / "big.htm").stat().st_size == len(original)  # nothing written


def test_delay(server: FixtureServer) -> None:
    started = time.monotonic()
    assert fetch(server, "a.example", "/slow.htm")[0] == 200
    assert time.monotonic() - started >= 0.3


def test_stop_releases_the_port(root: Path) -> None:
    server = FixtureServer(root).start()
    port = server.port
    assert fetch(server, "a.example", "/")[0] == 200
    server.stop()
    assert not server.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with socket.socket() as probe:  # nothing listens there any more
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()
    server.stop()  # a second stop is harmless
    with FixtureServer(root, port=port) as again:
        assert again.port == port
        assert fetch(again, "b.example", "/")[0] == 200


def test_serves_the_real_fixture_sites() -> None:
    with FixtureServer(FIXTURE_SITES) as server:
        assert {"mst.gov.vn", "baochinhphu.vn"} <= set(server.hosts())
        status, headers, body = fetch(server, "mst.gov.vn", "/robots.txt")
        assert status == 200 and b"Sitemap: https://mst.gov.vn/sitemap.xml" in body
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert fetch(server, "mst.gov.vn", "/_expected.json")[0] == 404
        expected = json.loads((FIXTURE_SITES / "mst.gov.vn" / "_expected.json").read_text("utf-8"))
        retry = expected["bad_pages"]["retry_500"].removeprefix("https://mst.gov.vn")
        assert [fetch(server, "mst.gov.vn", retry)[0] for _ in range(2)] == [500, 200]
        too_large = expected["bad_pages"]["too_large"].removeprefix("https://mst.gov.vn")
        _, headers, _ = fetch(server, "mst.gov.vn", too_large, method="HEAD")
        assert int(headers["Content-Length"]) > 9 * 1024 * 1024
