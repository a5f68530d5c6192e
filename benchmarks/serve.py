"""Latency of the province feed and the article API at ten thousand and at a million
articles, and requests per second of a feed's "not modified" answer.

A fresh SQLite archive is filled with synthetic articles shaped like a real archive after the
tag and dedup stages: 34 provinces in a skewed distribution (the biggest is tagged on about a
sixth of the articles) in the roles source, primary and mentioned; topics; stories, most of one
article and some with republished or translated copies; about one article in eight tagged
irrelevant; publication times over five years (a few undated); sanitized HTML bodies of a
few kilobytes with their text and folded search text, indexed for full-text search by the
archive's own triggers. It is served by ``vnnews serve`` (uvicorn) in a child process on
127.0.0.1, and each size is measured with real HTTP requests on one kept-alive connection,
one at a time:

- ``/feeds/provinces/{slug}.rss`` and ``/api/articles?province={slug}`` for several provinces
  (the biggest, middling and small ones), a few hundred requests each (after one warm-up
  round), p50 and p95;
- a conditional GET of the biggest province's feed with its ``ETag`` (``304``) under a load
  generator: ``wrk`` when installed (Debian package ``wrk``), else a small threaded client.

The archive grows from the small size to the large one (same generator, same time span), so
the second measurement sees the first's articles among the new ones. The last line printed is
one JSON object: {"feed_p95_ms_10k", "feed_p95_ms_1m", "feed_ratio", "api_p95_ms_10k",
"api_p95_ms_1m", "api_ratio", ..., "not_modified_rps", "load_generator"}; target ratios <= 1.5.

    .venv/bin/python benchmarks/serve.py [--small 10000] [--large 1000000] [--requests 300]
        [--dir DIR] [--load-seconds 10] [--connections 32]

A million articles take several minutes to build and about 15 GB of disk under ``--dir``
(default: a temporary folder, removed at the end).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import DAYS, START, WORDS, insert_rows, sql_time  # noqa: E402
from crawler.tagging.gazetteer import load_gazetteer  # noqa: E402
from crawler.tagging.topics import load_topics  # noqa: E402
from storage import open_archive  # noqa: E402
from storage.text import fold  # noqa: E402

BATCH = 20_000
SOURCES = 40  # one portal per province, and six national outlets
UNDATED_SHARE = 0.005
IRRELEVANT_SHARE = 0.12
# Sizes of stories: most articles stand alone, some were republished or translated.
STORY_SIZES = ((1, 0.85), (2, 0.12), (3, 0.03))

# Our own sentence parts (science and technology news of Vietnamese provinces), combined
# into a pool of sentences the article bodies are drawn from.
SUBJECTS = (
    "Sở Khoa học và Công nghệ", "Ủy ban nhân dân tỉnh", "Trung tâm chuyển đổi số",
    "Các doanh nghiệp khởi nghiệp", "Viện nghiên cứu ứng dụng", "Trường đại học kỹ thuật",
    "Hợp tác xã nông nghiệp công nghệ cao", "Bưu điện tỉnh", "Ngành y tế địa phương",
    "Nhóm kỹ sư trẻ",
)  # fmt: skip
VERBS = (
    "triển khai", "thử nghiệm", "hoàn thành", "công bố", "nâng cấp", "đưa vào vận hành",
    "ký kết hợp tác về", "tổng kết", "mở rộng", "đào tạo cán bộ về",
)  # fmt: skip
OBJECTS = (
    "nền tảng dữ liệu dùng chung", "hệ thống dịch vụ công trực tuyến", "mô hình trí tuệ nhân tạo",
    "mạng cảm biến quan trắc môi trường", "trung tâm điều hành đô thị thông minh",
    "ứng dụng truy xuất nguồn gốc nông sản", "phòng thí nghiệm vi mạch bán dẫn",
    "kho dữ liệu số hóa hồ sơ đất đai", "chương trình đổi mới sáng tạo mở",
    "hạ tầng điện toán đám mây",
)  # fmt: skip
ENDINGS = (
    "trong năm nay", "phục vụ người dân và doanh nghiệp", "theo Nghị quyết 57",
    "với kinh phí từ ngân sách tỉnh", "giúp rút ngắn thời gian xử lý thủ tục",
    "tại các huyện miền núi", "nhằm nâng cao năng suất lao động",
    "trước khi nhân rộng ra toàn tỉnh", "cùng các chuyên gia trong nước",
    "theo kế hoạch giai đoạn 2026-2030",
)  # fmt: skip


@dataclass(frozen=True)
class Pools:
    """Precomputed text and tag material, so generating a million articles stays cheap."""

    sentences: list[tuple[str, str]]  # (text, folded text)
    provinces: list  # gazetteer units, biggest share first
    province_weights: list[float]
    topics: list[str]
    topic_weights: list[float]
    source_province: dict[int, object | None]  # source id -> its province's unit (or None)


def make_pools(rng: random.Random) -> Pools:
    sentences = []
    for _ in range(3000):
        words = " ".join(rng.choices(WORDS, k=rng.randint(4, 9)))
        sentence = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                    f"{rng.choice(ENDINGS)}, {words}.")  # fmt: skip
        sentences.append((sentence, fold(sentence)))
    units = list(load_gazetteer().units)
    rng.shuffle(units)
    # Zipf-like shares with exponent 1/2: over 34 provinces the biggest is about 10% of the
    # draws (more of the articles: an article names several provinces).
    weights = [1 / math.sqrt(rank + 1) for rank in range(len(units))]
    topics = [t.slug for t in load_topics()]
    topic_weights = [1 / (rank + 1) for rank in range(len(topics))]
    by_source = {sid: (units[sid - 1] if sid <= len(units) else None)
                 for sid in range(1, SOURCES + 1)}  # fmt: skip
    return Pools(sentences, units, weights, topics, topic_weights, by_source)


@dataclass
class Rows:
    articles: list[tuple]
    stories: list[tuple]
    urls: list[tuple]
    provinces: list[tuple]
    topics: list[tuple]


ARTICLE_COLUMNS = (
    "id", "source_id", "url", "canonical_url", "title", "summary", "text", "body_html",
    "author", "tags", "category", "images", "lang", "published_at", "fetched_at",
    "content_hash", "extraction", "search_text", "alternates", "primary_province",
    "relevant", "tagging_version", "tagged_at", "story_id", "relation",
)  # fmt: skip
PROVINCE_COLUMNS = ("article_id", "province", "role", "position", "code", "name", "names",
                    "old_names")  # fmt: skip
TOPIC_COLUMNS = ("article_id", "topic", "position", "score")


def _body(rng: random.Random, pools: Pools, url: str) -> tuple[str, str, str, str]:
    """(summary, text, body_html, folded search text of title-less parts) of one article:
    six to nine paragraphs of three sentences, about 3 KB of HTML."""
    paragraphs = [rng.sample(pools.sentences, 3) for _ in range(rng.randint(6, 9))]
    text = "\n\n".join(" ".join(s for s, _ in p) for p in paragraphs)
    folded = " ".join(f for p in paragraphs for _, f in p)
    html_parts = [f"<p>{' '.join(s for s, _ in p)}</p>" for p in paragraphs]
    html_parts.insert(1, f'<figure><img src="{url}-anh-1.jpg" alt="Ảnh minh họa">'
                         "<figcaption>Ảnh minh họa</figcaption></figure>")  # fmt: skip
    html_parts.insert(3, f'<p>Xem thêm: <a href="{url}-lien-quan" rel="noopener noreferrer '
                         'nofollow">bài liên quan</a>, <strong>chuyển đổi số</strong>.</p>')  # fmt: skip
    summary = paragraphs[0][0][0]
    return summary, text, "".join(html_parts), folded


def _tags(rng: random.Random, pools: Pools, source_id: int) -> tuple[str | None, list, list]:
    """(primary province slug, province rows without article id, topic slugs)."""
    provinces: list[tuple[object, str]] = []
    home = pools.source_province[source_id]
    if home is not None:
        provinces.append((home, "source"))
    primary = None
    if rng.random() < 0.9:
        unit = rng.choices(pools.provinces, pools.province_weights)[0]
        provinces.append((unit, "primary"))
        primary = unit.slug
    for _ in range(rng.choice((0, 0, 1, 2))):
        unit = rng.choices(pools.provinces, pools.province_weights)[0]
        provinces.append((unit, "mentioned"))
    seen, rows = set(), []
    for unit, role in provinces:
        if (unit.slug, role) in seen or (role == "mentioned" and unit.slug == primary):
            continue
        seen.add((unit.slug, role))
        rows.append((unit.slug, role, len(rows), unit.code, unit.name_vi,
                     json.dumps([unit.name_vi], ensure_ascii=False), "[]"))  # fmt: skip
    topics = list(dict.fromkeys(
        rng.choices(pools.topics, pools.topic_weights, k=rng.randint(1, 3))
    ))  # fmt: skip
    return primary, rows, topics


def generate(rng: random.Random, pools: Pools, first_id: int, count: int) -> Iterator[Rows]:
    """Articles ``first_id`` .. ``first_id + count - 1`` with their stories, URLs and tags, a
    batch at a time. A story's id is its original's id; its copies follow it."""
    sizes, weights = zip(*STORY_SIZES, strict=True)
    next_id, last_id = first_id, first_id + count - 1
    while next_id <= last_id:
        rows = Rows([], [], [], [], [])
        batch_end = min(next_id + BATCH - 1, last_id)
        while next_id <= batch_end:
            size = min(rng.choices(sizes, weights)[0], batch_end - next_id + 1)
            _story(rng, pools, next_id, size, rows)
            next_id += size
        yield rows


def _story(rng: random.Random, pools: Pools, story_id: int, size: int, rows: Rows) -> None:
    published = None
    if rng.random() >= UNDATED_SHARE:
        published = START + timedelta(days=rng.randrange(DAYS), seconds=rng.randrange(86400))
    relevant = rng.random() >= IRRELEVANT_SHARE
    source_ids = rng.sample(range(1, SOURCES + 1), size)
    primary, province_rows, topics = _tags(rng, pools, source_ids[0])
    rows.stories.append((story_id, story_id, sql_time(START)))
    for k, source_id in enumerate(source_ids):
        article_id = story_id + k
        when = published + timedelta(hours=3 * k) if published else None
        fetched = (when or START) + timedelta(minutes=30)
        lang = "en" if k and rng.random() < 0.3 else "vi"
        relation = "original" if k == 0 else ("translated" if lang == "en" else "republished")
        url = f"https://nguon{source_id}.vn/tin-tuc/bai-viet-{article_id}.html"
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({article_id})"
        summary, text, body_html, folded = _body(rng, pools, url)
        rows.articles.append((
            article_id, source_id, url, url, title, summary, text, body_html, "Phóng viên",
            "[]", "Khoa học - Công nghệ", json.dumps([{"url": f"{url}-anh-1.jpg",
            "caption": "Ảnh minh họa"}]), lang, sql_time(when), sql_time(fetched),
            f"{article_id:064x}", '{"title": "selector", "text": "selector"}',
            fold(title) + " " + folded, "{}", primary, relevant, "bench", sql_time(fetched),
            story_id, relation,
        ))  # fmt: skip
        rows.urls.append((url, article_id))
        mine = list(province_rows)
        home = pools.source_province[source_id]
        if k and home is not None and all(r[0] != home.slug for r in mine):
            mine.append((home.slug, "source", len(mine), home.code, home.name_vi, "[]", "[]"))
        rows.provinces.extend((article_id, *r) for r in mine)
        rows.topics.extend((article_id, t, pos, round(3.0 / (pos + 1), 6))
                           for pos, t in enumerate(topics))  # fmt: skip


def fill(engine, rng: random.Random, pools: Pools, first_id: int, count: int) -> None:  # noqa: ANN001
    """Write ``count`` synthetic articles straight through SQL, ``BATCH`` per transaction;
    the archive's triggers keep the full-text index (and any other derived table) current."""
    started = time.perf_counter()
    for rows in generate(rng, pools, first_id, count):
        with engine.begin() as conn:
            raw = conn.connection.driver_connection
            # Stories before their articles, their originals named once those exist (a
            # deferred foreign key would make SQLite scan stories on every article insert).
            insert_rows(raw, "stories", ("id", "created_at"), [(s, t) for s, _, t in rows.stories])
            insert_rows(raw, "articles", ARTICLE_COLUMNS, rows.articles)
            raw.executemany("UPDATE stories SET original_id = ? WHERE id = ?",
                            [(original, s) for s, original, _ in rows.stories])  # fmt: skip
            insert_rows(raw, "article_urls", ("url", "article_id"), rows.urls)
            insert_rows(raw, "article_provinces", PROVINCE_COLUMNS, rows.provinces)
            insert_rows(raw, "article_topics", TOPIC_COLUMNS, rows.topics)
        last = rows.articles[-1][0]
        print(f"  filled {last:,} articles ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr, flush=True)  # fmt: skip


def add_sources(engine, pools: Pools) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        rows = []
        for sid in range(1, SOURCES + 1):
            unit = pools.source_province[sid]
            rows.append((sid, f"nguon{sid}", f"Nguồn {sid}", f"nguon{sid}.vn", "portal", "vi",
                         unit.slug if unit else None, sql_time(START)))  # fmt: skip
        insert_rows(raw, "sources", ("id", "key", "name", "host", "spider", "lang", "province",
                                     "created_at"), rows)  # fmt: skip


# -- serving and measuring -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``vnnews serve --read-only`` on the archive, in a child process."""

    def __init__(self, db_url: str, log: Path) -> None:
        self.port = _free_port()
        self.log = log
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--db", db_url, "serve", "--read-only",
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"vnnews serve exited: {log.read_text()[-2000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"vnnews serve did not answer: {log.read_text()[-2000:]}")

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def time_requests(port: int, paths: list[str], total: int) -> list[float]:
    """Milliseconds of ``total`` sequential GETs (status line to last body byte) cycling
    through ``paths`` on one kept-alive connection, after one untimed round of each path."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    timings = []
    try:
        for i in range(len(paths) + total):
            path = paths[i % len(paths)]
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200 or not body:
                raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
            if i >= len(paths):
                timings.append(elapsed)
    finally:
        conn.close()
    return timings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 2), "p95": round(_percentile(values, 0.95), 2),
            "max": round(max(values), 2)}  # fmt: skip


def load_not_modified(server: Server, path: str, seconds: float, connections: int) -> dict:
    """Requests per second of conditional GETs of ``path`` with its current ETag (all must be
    answered 304), by ``wrk`` if installed, else by threads of ``http.client``."""
    status, headers, _ = server.get(path)
    etag = headers.get("etag") or headers.get("ETag")
    if status != 200 or not etag:
        raise RuntimeError(f"GET {path}: {status}, ETag {etag!r}")
    conditional = {"If-None-Match": etag}
    if server.get(path, conditional)[0] != 304:
        raise RuntimeError(f"GET {path} with If-None-Match {etag}: not 304")
    wrk = shutil.which("wrk")
    if wrk:
        result = _wrk(wrk, server.port, path, etag, seconds, connections)
    else:
        result = _threaded_load(server.port, path, conditional, seconds, connections)
    if server.get(path, conditional)[0] != 304:
        raise RuntimeError(f"GET {path}: the ETag changed under load")
    return result


def _wrk(wrk: str, port: int, path: str, etag: str, seconds: float, connections: int) -> dict:
    threads = max(1, min(connections, 2))
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "30s", "--latency",
               "-H", f"If-None-Match: {etag}", f"http://127.0.0.1:{port}{path}"]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    print(output, file=sys.stderr)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors:\n{output}")
    return {"rps": round(rps, 1), "generator": f"wrk -t{threads} -c{connections} -d{int(seconds)}s"}


def _threaded_load(port: int, path: str, headers: dict, seconds: float, connections: int) -> dict:
    counts, failures = [0] * connections, []
    deadline = time.monotonic() + seconds

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.monotonic() < deadline:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 304:
                    failures.append(response.status)
                    return
                counts[slot] += 1
        finally:
            conn.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if failures:
        raise RuntimeError(f"conditional GETs answered {sorted(set(failures))}, not 304")
    rps = sum(counts) / (time.monotonic() - started)
    return {"rps": round(rps, 1), "generator": f"python threads x{connections}"}


def chosen_provinces(engine) -> list[tuple[str, int]]:  # noqa: ANN001
    """The biggest province, two middling ones and the two smallest: (slug, articles)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        counts = conn.execute(text(
            "SELECT province, count(DISTINCT article_id) AS n FROM article_provinces "
            "GROUP BY province ORDER BY n DESC"
        )).all()  # fmt: skip
    picks = [0, len(counts) // 4, len(counts) // 2, len(counts) - 2, len(counts) - 1]
    return [(counts[i][0], counts[i][1]) for i in dict.fromkeys(picks)]


def measure(engine, db_url: str, folder: Path, args: argparse.Namespace, label: str) -> dict:  # noqa: ANN001
    """Latency of both endpoints and the 304 rate, for the archive as it is now."""
    provinces = chosen_provinces(engine)
    print(f"[{label}] provinces (slug, articles): {provinces}", file=sys.stderr, flush=True)
    server = Server(db_url, folder / f"serve-{label}.log")
    try:
        feed = time_requests(server.port, [f"/feeds/provinces/{s}.rss" for s, _ in provinces],
                             args.requests)  # fmt: skip
        api = time_requests(server.port, [f"/api/articles?province={s}" for s, _ in provinces],
                            args.requests)  # fmt: skip
        load = load_not_modified(server, f"/feeds/provinces/{provinces[0][0]}.rss",
                                 args.load_seconds, args.connections)  # fmt: skip
    finally:
        server.stop()
    result = {"feed": _summary(feed), "api": _summary(api), "not_modified": load,
              "biggest_province": provinces[0]}  # fmt: skip
    print(f"[{label}] {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--load-seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--dir", type=Path, default=None, help="where the archive is built")
    args = parser.parse_args()
    rng = random.Random(7)
    pools = make_pools(rng)
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        folder = Path(name)
        db_url = f"sqlite:///{folder / 'serve.sqlite3'}"
        engine = open_archive(db_url)
        try:
            add_sources(engine, pools)
            fill(engine, rng, pools, 1, args.small)
            small = measure(engine, db_url, folder, args, "small")
            started = time.perf_counter()
            fill(engine, rng, pools, args.small + 1, args.large - args.small)
            build_seconds = time.perf_counter() - started
            large = measure(engine, db_url, folder, args, "large")
            size_gb = (folder / "serve.sqlite3").stat().st_size / 1e9
        finally:
            engine.dispose()
    result = {
        "feed_p50_ms_10k": small["feed"]["p50"], "feed_p95_ms_10k": small["feed"]["p95"],
        "feed_p50_ms_1m": large["feed"]["p50"], "feed_p95_ms_1m": large["feed"]["p95"],
        "feed_ratio": round(large["feed"]["p95"] / small["feed"]["p95"], 3),
        "api_p50_ms_10k": small["api"]["p50"], "api_p95_ms_10k": small["api"]["p95"],
        "api_p50_ms_1m": large["api"]["p50"], "api_p95_ms_1m": large["api"]["p95"],
        "api_ratio": round(large["api"]["p95"] / small["api"]["p95"], 3),
        "not_modified_rps_10k": small["not_modified"]["rps"],
        "not_modified_rps": large["not_modified"]["rps"],
        "load_generator": large["not_modified"]["generator"],
        "requests": args.requests, "articles_small": args.small, "articles_large": args.large,
        "biggest_province_articles_1m": large["biggest_province"][1],
        "build_seconds_large": round(build_seconds), "archive_gb": round(size_gb, 2),
    }  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
