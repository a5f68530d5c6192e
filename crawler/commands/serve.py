"""``vnnews serve``: the JSON API, the feeds and the browse page over the archive (uvicorn).

The server never writes to the archive. Without ``--read-only`` it opens the archive as
every command does (created and upgraded to the current schema at start-up, the one write
it may make); with ``--read-only`` it writes nothing at all — the archive must exist and be
at the current schema, SQLite files are opened read-only (``mode=ro``) and PostgreSQL sessions
are read-only transactions — for a server that must not touch the archive a crawler fills,
or whose database account may only read.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from crawler.commands.common import EXIT_OK, UsageError, sites_file


def add_parser(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve the JSON API, RSS/Atom/JSON feeds and the browse page",
        description="Serve the archive over HTTP: /api/... (OpenAPI at /openapi.json, docs "
        "at /docs), feeds at /feeds/all.rss, /feeds/provinces/SLUG.atom, "
        "/feeds/topics/SLUG.json, and the browse page at /. The server never writes to the "
        "archive; without --read-only it upgrades the archive's schema at start-up.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                       "127.0.0.1; 0.0.0.0 for every interface)")  # fmt: skip
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--read-only",
        action="store_true",
        help="write nothing at all, not even a schema upgrade: the archive must exist and be "
        "current (open it once with any vnnews command first)",
    )
    serve.add_argument(
        "--base-url",
        metavar="URL",
        help="the public URL the server is reached at, for the absolute links in feeds "
        "(default: from the request and a trusted proxy's X-Forwarded-Proto/-Host/-Prefix)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1,::1",
        metavar="IPS",
        help="proxies whose X-Forwarded-* headers are trusted, comma-separated, '*' for any "
        "(default 127.0.0.1,::1)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="requests answered at once (default: twice the number of CPUs; raise it for a "
        "PostgreSQL archive on another machine, whose answers the threads wait for)",
    )
    serve.add_argument("--log-level", default="info",
                       choices=("critical", "error", "warning", "info", "debug"))  # fmt: skip
    serve.add_argument("--no-access-log", action="store_true", help="do not log each request")
    serve.set_defaults(func=cmd_serve)


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"--base-url {value!r}: give an http(s) URL such as https://news.example.org/vn"
        )
    return value.rstrip("/")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from storage.engine import resolve_database_url
    from storage.migrate import SchemaOutdated, SchemaTooNew
    from web.app import create_app
    from web.config import Settings

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port between 1 and 65535")
    if args.threads is not None and not 0 < args.threads <= 256:
        raise UsageError(f"--threads {args.threads}: give a number between 1 and 256")
    tuning = {"threads": args.threads} if args.threads is not None else {}
    settings = Settings(
        **tuning,
        database_url=resolve_database_url(args.db),
        read_only=args.read_only,
        base_url=_base_url(args.base_url),
        forwarded_allow_ips=args.forwarded_allow_ips,
        sites_file=str(sites_file(args)),
    )
    try:
        app = create_app(settings)
    except (LookupError, SchemaOutdated, SchemaTooNew) as exc:
        raise UsageError(str(exc)) from exc
    mode = " (read-only)" if args.read_only else ""
    print(f"serving {settings.database_url}{mode} on http://{args.host}:{args.port}/ "
          "(API docs at /docs; Ctrl-C stops)", file=sys.stderr, flush=True)  # fmt: skip
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        proxy_headers=False,  # X-Forwarded-* are read by the app, from trusted proxies only
        log_level=args.log_level,
        access_log=not args.no_access_log,
    )
    return EXIT_OK
