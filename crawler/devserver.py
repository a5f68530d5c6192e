"""A real HTTP server on 127.0.0.1 that serves the fixture sites, chosen by ``Host`` header.

The crawler fetches ``https://mst.gov.vn/...`` from ``http://127.0.0.1:PORT/...`` with the
header ``Host: mst.gov.vn`` (see :mod:`crawler.hostmap`); this server answers from
``ROOT/mst.gov.vn/``. Standard library only, so tests and the offline demo need nothing else.

Files
    ``/`` is ``index.html``; a path ending in ``/`` is that folder's ``index.html``. A request
    with a query string is answered from the file named ``<name>__<query>`` (``?`` written as
    ``__``, ``/`` inside the query as ``_``) when it exists, else from the file for the path.
    Names starting with ``_`` or ``.`` are never served, nor anything outside the site folder.

Behaviours
    ``ROOT/<host>/_behaviours.json`` maps a path (without query) to what the server does there::

        {"/a-197260905143012345.htm": {"fail_times": 1, "fail_status": 500},
         "/gone.htm": {"status": 404},
         "/latin1.htm": {"content_type": "text/html; charset=iso-8859-1"},
         "/huge.htm": {"pad_bytes": 9437184},
         "/slow.htm": {"delay": 2.5}}

    ``fail_times`` counts per server instance; :meth:`FixtureServer.reset` and a restart clear
    the counters. ``pad_bytes`` appends an HTML comment of at least that many bytes, built in
    memory. ``delay`` sleeps before answering (cut short by :meth:`FixtureServer.stop`).
    ``hang: true`` accepts the request and never answers: the connection stays open, silent,
    until the server stops (then it is closed without a response); the request log records it
    with status ``0``. ``etag: false`` / ``last_modified: false`` leave that validator out;
    ``last_modified: "<HTTP date>"`` sets it.

Conditional requests
    Every file answer carries validators, as a web server's static files do: ``ETag`` is a hash
    of the body (``"<first 20 hex digits of its SHA-256>"``), ``Last-Modified`` a fixed time
    derived from that hash (not the file's mtime, which differs between checkouts; it changes
    when the content does). A request whose ``If-None-Match`` names the ETag (or ``*``), or,
    without ``If-None-Match``, whose ``If-Modified-Since`` equals the Last-Modified exactly (as
    nginx compares by default), gets ``304 Not Modified`` with the validators and no body.
    Error answers (``status``, ``fail_times``, 404) carry no validators. The request log keeps
    each request's headers, so tests see which requests were conditional.

Hooks
    ``FixtureServer.before_answer``, when set, is called with each request's record before the
    answer is sent (in the server's thread): a test can stop a crawler at an exact request.

Run ``python -m crawler.devserver tests/fixtures/sites [--port N]`` to browse the fixture sites
or crawl them by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

BEHAVIOURS_FILE = "_behaviours.json"
QUERY_SEPARATOR = "__"
NOT_MODIFIED = 304
HUNG = 0  # the status logged for a request that is never answered
# Last-Modified times are spread over the year after this instant (2026-01-01T00:00:00Z).
LAST_MODIFIED_EPOCH = 1767225600
YEAR_SECONDS = 365 * 24 * 3600

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
}


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it."""

    host: str  # the Host header without port, lower-cased ("" when absent)
    path: str  # path and query exactly as requested
    method: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)


def content_type_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def query_file_name(name: str, query: str) -> str:
    """``("search.htm", "q=ai&p=2")`` → ``"search.htm__q=ai&p=2"``."""
    return f"{name}{QUERY_SEPARATOR}{query.replace('/', '_')}"


def validators_for(body: bytes, behaviour: dict[str, Any] | None = None) -> dict[str, str]:
    """``{"ETag": ..., "Last-Modified": ...}`` for a file answer with this body."""
    behaviour = behaviour or {}
    digest = hashlib.sha256(body).hexdigest()
    headers = {}
    if behaviour.get("etag", True) is not False:
        headers["ETag"] = f'"{digest[:20]}"'
    last_modified = behaviour.get("last_modified", True)
    if isinstance(last_modified, str):
        headers["Last-Modified"] = last_modified
    elif last_modified is not False:
        when = LAST_MODIFIED_EPOCH + int(digest[:8], 16) % YEAR_SECONDS
        headers["Last-Modified"] = formatdate(when, usegmt=True)
    return headers


def not_modified(request_headers: Any, validators: dict[str, str]) -> bool:
    """Whether a request with these headers gets ``304`` (RFC 9110: If-None-Match first)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        etag = validators.get("ETag")
        if etag is None:
            return False
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request_headers.get("If-Modified-Since")
    last_modified = validators.get("Last-Modified")
    return bool(if_modified_since and last_modified and if_modified_since.strip() == last_modified)


def padding(size: int) -> bytes:
    """An HTML comment of at least ``size`` bytes."""
    return b"\n<!-- padding " + b"." * max(size, 0) + b" -->\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FixtureServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (a size limit, a timeout) is not our error.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError) and not self.owner.verbose:
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "vnnews-fixtures/1"
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self._finish(405, b"405 method not allowed\n", "text/plain; charset=utf-8", True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.owner.verbose:
            super().log_message(format, *args)

    # -- internals ------------------------------------------------------------------------

    def _host(self) -> str:
        host = self.headers.get("Host", "")
        if not host and self.path.startswith(("http://", "https://")):
            host = urlsplit(self.path).netloc
        host = host.strip().lower()
        if host.startswith("["):  # [::1]:8080
            return host[1 : host.find("]")] if "]" in host else host
        return host.rsplit(":", 1)[0] if ":" in host else host

    def _answer(self, send_body: bool) -> None:
        owner = self.server.owner
        raw = self.path
        if raw.startswith(("http://", "https://")):
            parts = urlsplit(raw)
            raw = parts.path + (f"?{parts.query}" if parts.query else "")
        path, _, query = raw.partition("?")
        path = path.split("#", 1)[0] or "/"
        host = self._host()
        site = owner.site_dir(host)
        if site is None:
            self._not_found(send_body, f"unknown host {host!r}")
            return
        behaviour = owner.behaviour(host, path)
        if behaviour.get("hang"):
            self._record(HUNG)
            owner._stopping.wait()  # until the server stops; then hang up without a word
            self.close_connection = True
            return
        if (delay := float(behaviour.get("delay", 0) or 0)) > 0:
            owner._stopping.wait(delay)
        if fail := owner._take_failure(host, path, behaviour):
            self._finish(fail, _status_body(fail), "text/html; charset=utf-8", send_body)
            return
        if status := behaviour.get("status"):
            self._finish(int(status), _status_body(int(status)), "text/html; charset=utf-8",
                         send_body)  # fmt: skip
            return
        file = _resolve(site, path, query)
        if file is None:
            self._not_found(send_body, f"no file for {path}")
            return
        body = file.read_bytes()
        if pad := int(behaviour.get("pad_bytes", 0) or 0):
            body += padding(pad)
        ctype = behaviour.get("content_type") or content_type_for(file)
        validators = validators_for(body, behaviour)
        if not_modified(self.headers, validators):
            self._finish(NOT_MODIFIED, b"", None, False, validators)
            return
        self._finish(200, body, ctype, send_body, validators)

    def _not_found(self, send_body: bool, why: str) -> None:
        self._finish(404, _status_body(404, why), "text/html; charset=utf-8", send_body)

    def _record(self, status: int) -> RequestRecord:
        record = RequestRecord(
            host=self._host(),
            path=self.path,
            method=self.command,
            status=status,
            headers={k: v for k, v in self.headers.items()},
        )
        self.server.owner._record(record)
        if (hook := self.server.owner.before_answer) is not None:
            hook(record)
        return record

    def _finish(self, status: int, body: bytes, ctype: str | None, send_body: bool,
                extra: dict[str, str] | None = None) -> None:  # fmt: skip
        self._record(status)
        self.send_response(status)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if status != NOT_MODIFIED:  # a 304 has no body, hence no type or length of its own
            self.send_header("Content-Type", ctype or "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != NOT_MODIFIED:
            self.wfile.write(body)


def _status_body(status: int, why: str = "") -> bytes:
    text = f"<!DOCTYPE html><html><body><h1>{status}</h1><p>{why}</p></body></html>\n"
    return text.encode("utf-8")


def _resolve(site: Path, path: str, query: str) -> Path | None:
    """The file that answers ``path`` (and ``query``) inside ``site``, or ``None``."""
    decoded = unquote(path)
    if "\\" in decoded or "\x00" in decoded:
        return None
    segments = [s for s in decoded.split("/") if s]
    if any(s.startswith((".", "_")) for s in segments):  # "..", dotfiles, _expected.json
        return None
    if decoded.endswith("/") or not segments:
        segments.append("index.html")
    candidate = site.joinpath(*segments)
    if query:
        with_query = candidate.with_name(query_file_name(candidate.name, query))
        if _inside(site, with_query) and with_query.is_file():
            return with_query
    if _inside(site, candidate) and candidate.is_file():
        return candidate
    return None


def _inside(site: Path, file: Path) -> bool:
    try:
        file.resolve().relative_to(site.resolve())
    except ValueError:
        return False
    return True


class FixtureServer:
    """Serve ``root/<host>/`` to requests whose ``Host`` header is ``<host>``.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. ``port=0`` picks a free
    port; a restart keeps the port it got.
    """

    def __init__(self, root: Path | str, host: str = "127.0.0.1", port: int = 0, *,
                 verbose: bool = False):  # fmt: skip
        self.root = Path(root)
        self.bind_host = host
        self._port = port
        self.verbose = verbose
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._failures: dict[tuple[str, str], int] = {}
        self._stopping = threading.Event()
        # Called with each request's record before it is answered (see the module docstring).
        self.before_answer: Callable[[RequestRecord], None] | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FixtureServer:
        if self._server is not None:
            return self
        if not self.root.is_dir():
            raise FileNotFoundError(f"fixture root {self.root} is not a directory")
        self._stopping.clear()
        self.reset()
        server = _Server((self.bind_host, self._port), _Handler)
        server.owner = self
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1},
            name=f"fixture-server-{self._port}", daemon=True,
        )  # fmt: skip
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # cut delays short
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.bind_host}:{self._port}"

    # -- sites ------------------------------------------------------------------------------

    def hosts(self) -> list[str]:
        """The site folders under ``root`` (each named after its host)."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
        )

    def host_map(self) -> dict[str, str]:
        """``{"mst.gov.vn": "http://127.0.0.1:PORT", ...}`` for ``VNNEWS_HOST_MAP``."""
        return {host: self.base_url for host in self.hosts()}

    def site_dir(self, host: str) -> Path | None:
        if not host or host.startswith((".", "_")) or "/" in host or "\\" in host:
            return None
        site = self.root / host
        return site if site.is_dir() else None

    def behaviour(self, host: str, path: str) -> dict[str, Any]:
        """The ``_behaviours.json`` entry for ``path`` (re-read on each request)."""
        site = self.site_dir(host)
        if site is None or not (site / BEHAVIOURS_FILE).is_file():
            return {}
        data = json.loads((site / BEHAVIOURS_FILE).read_text("utf-8"))
        entry = data.get(path) or data.get(unquote(path)) or {}
        return entry if isinstance(entry, dict) else {}

    # -- failures and the request log ------------------------------------------------------

    def reset(self) -> None:
        """Forget how often each ``fail_times`` path has failed."""
        with self._lock:
            self._failures.clear()

    def _take_failure(self, host: str, path: str, behaviour: dict[str, Any]) -> int | None:
        times = int(behaviour.get("fail_times", 0) or 0)
        if times <= 0:
            return None
        with self._lock:
            done = self._failures.get((host, path), 0)
            if done >= times:
                return None
            self._failures[(host, path)] = done + 1
        return int(behaviour.get("fail_status", 500))

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._log.append(record)

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered since start or the last :meth:`clear_log`, in order (and
        every request left hanging, with status ``0``)."""
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def paths_for(self, host: str) -> list[str]:
        return [r.path for r in self.requests if r.host == host]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.devserver",
        description="Serve fixture sites on 127.0.0.1, one folder per host, chosen by Host header.",
    )
    parser.add_argument("root", type=Path, help="folder holding one folder per site host")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"{args.root} is not a directory")
    server = FixtureServer(args.root, host=args.host, port=args.port, verbose=args.verbose)
    try:
        server.start()
    except OSError as exc:
        parser.error(f"cannot listen on {args.host}:{args.port}: {exc}")
    hosts = server.hosts()
    print(f"serving {len(hosts)} fixture site(s) from {args.root} on {server.base_url}")
    for host in hosts:
        print(f"  {host:<24} -> {server.base_url}  (send 'Host: {host}')")
    example = hosts[0] if hosts else "mst.gov.vn"
    pairs = " ".join(f"--host-map {h}={server.base_url}" for h in hosts)
    print()
    print("try:")
    print(f"  curl -H 'Host: {example}' {server.base_url}/robots.txt")
    print(f"  vnnews crawl --all {pairs}".rstrip())
    print(f"  (or let the crawler serve them itself: vnnews crawl --all --fixtures {args.root})")
    print("Ctrl-C stops.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
