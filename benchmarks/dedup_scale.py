"""Per-article dedup cost at ten thousand and at a million stored articles.

A fresh SQLite archive is filled with synthetic articles — rows of the same shape and size as
real ones: articles, URL aliases, 1 KB MinHash signatures, 32 LSH band keys and a handful of
rare-feature keys per article, spread over five years of publication days, the feature values
drawn from the same pools as the measured articles' so lookups do hit. At each size, new
articles with real text are stored and put into their stories by the real dedup stage
(:func:`crawler.dedup_stage.dedup_stored`: fingerprint, index, candidate lookups, comparisons,
story assignment, commit); the median time of that stage is reported. The last line printed is
one JSON object: {"median_ms_10k", "median_ms_1m", "ratio", "samples", ...}; target ratio <= 1.5.

    .venv/bin/python benchmarks/dedup_scale.py [--small 10000] [--large 1000000] [--samples 300]

Filling a million articles takes a few minutes and about 3 GB of disk (under --dir, default a
temporary folder).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks.synthetic import DAYS, START, WORDS, insert_rows, sql_time  # noqa: E402
from crawler.dedup.fingerprint import BANDS, NUM_PERM, feature_keys  # noqa: E402
from crawler.dedup_stage import dedup_stored  # noqa: E402
from storage import ensure_source, open_archive, session_factory, store_article  # noqa: E402
from storage.dedup import day_number  # noqa: E402
from storage.models import Article  # noqa: E402

BATCH = 20_000
ARTICLE_COLUMNS = ("id", "source_id", "url", "canonical_url", "title", "text", "tags", "images",
                   "fetched_at", "content_hash", "extraction", "search_text", "alternates",
                   "published_at", "lang")  # fmt: skip
FINGERPRINT_COLUMNS = ("article_id", "text_hash", "signature", "features", "lang",
                       "published_at", "version")  # fmt: skip


def _feature_pool(rng: random.Random) -> list[str]:
    """Feature values of the synthetic archive: document numbers reused across articles (a
    policy everyone quotes), specific numbers, percentages, web addresses."""
    docs = [f"doc:{rng.randint(1, 4000)}/qd-ttg" for _ in range(400)]
    return docs


def _features(rng: random.Random, docs: list[str]) -> frozenset[str]:
    found = {f"n:{rng.randint(1_000, 9_999_999)}" for _ in range(5)}
    found.add(f"pct:{rng.randint(1, 99)}.{rng.randint(1, 9)}")
    if rng.random() < 0.5:
        found.add(rng.choice(docs))
    if rng.random() < 0.2:
        found.add(f"url:example{rng.randint(1, 10**9)}.vn/tin")
    return frozenset(found)


def fill(engine, source_id: int, start_id: int, count: int, rng: random.Random,
         docs: list[str]) -> None:  # noqa: ANN001  # fmt: skip
    """Insert ``count`` synthetic articles with their index rows, straight through SQL."""
    now = sql_time(datetime.now(UTC))
    for first in range(start_id, start_id + count, BATCH):
        last = min(first + BATCH, start_id + count)
        articles, urls, prints, bands, feats = [], [], [], [], []
        for aid in range(first, last):
            published = START + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(1440))
            url = f"https://synthetic{aid % 50}.vn/bai-viet-{aid}.html"
            body = " ".join(rng.choices(WORDS, k=220))
            articles.append((aid, source_id, url, url, f"Bài viết {aid}", body, "[]", "[]", now,
                             f"{aid:064x}", "{}", "", "{}", sql_time(published), "vi"))  # fmt: skip
            urls.append((url, aid))
            prints.append((aid, f"{aid:064x}", rng.randbytes(NUM_PERM * 8), "[]", "vi",
                           sql_time(published), "1"))  # fmt: skip
            bands.extend((rng.getrandbits(64) - 2**63, aid) for _ in range(BANDS))
            day = day_number(published)
            feats.extend((key, day, aid) for key in feature_keys(_features(rng, docs)))
        with engine.begin() as conn:
            raw = conn.connection.driver_connection
            insert_rows(raw, "articles", ARTICLE_COLUMNS, articles)
            insert_rows(raw, "article_urls", ("url", "article_id"), urls)
            insert_rows(raw, "article_fingerprints", FINGERPRINT_COLUMNS, prints)
            raw.executemany(
                "INSERT OR IGNORE INTO dedup_bands (band_key, article_id) VALUES (?,?)", bands
            )
            raw.executemany(
                "INSERT OR IGNORE INTO dedup_features (feature_key, day, article_id) "
                "VALUES (?,?,?)", feats)  # fmt: skip
        print(f"  filled {last - 1:,} articles", file=sys.stderr, flush=True)


def measure(sessions, rng: random.Random, docs: list[str], samples: int, tag: str) -> list[float]:  # noqa: ANN001
    """Store ``samples`` new articles and time the dedup stage of each (milliseconds)."""
    timings = []
    with sessions() as session:
        for i in range(samples):
            published = START + timedelta(days=rng.randrange(DAYS))
            doc = rng.choice(docs).split(":", 1)[1].upper().replace("QD", "QĐ")
            numbers = ", ".join(f"{rng.randint(1_000, 9_999_999):,}".replace(",", ".")
                                for _ in range(4))  # fmt: skip
            body = (f"Theo Quyết định {doc}, chương trình có các chỉ tiêu {numbers}. "
                    + " ".join(rng.choices(WORDS, k=300)))  # fmt: skip
            url = f"https://moi-{tag}.vn/tin-{i}.html"
            outcome = store_article(session, {
                "url": url, "canonical_url": url, "source": "bench", "title": f"Tin mới {i}",
                "summary": None, "text": body, "lang": "vi", "published_at": published,
                "content_hash": f"{tag}{i:060d}"[:64],
            })  # fmt: skip
            session.commit()
            article = session.get(Article, outcome.article_id)
            started = time.perf_counter()
            dedup_stored(session, article)
            session.commit()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None, help="where the archive is built")
    args = parser.parse_args()
    rng = random.Random(57)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        engine = open_archive(f"sqlite:///{Path(folder) / 'scale.sqlite3'}")
        sessions = session_factory(engine)
        with sessions() as session:
            source = ensure_source(session, key="bench", name="bench", host="bench.vn",
                                   spider="bench")  # fmt: skip
            session.commit()
            source_id = source.id
        docs = _feature_pool(rng)
        fill(engine, source_id, 1, args.small, rng, docs)
        small = measure(sessions, rng, docs, args.samples, "a")
        with engine.connect() as conn:
            next_id = conn.execute(text("SELECT max(id) FROM articles")).scalar() + 1
        fill(engine, source_id, next_id, args.large - next_id + 1, rng, docs)
        large = measure(sessions, rng, docs, args.samples, "b")
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM articles")).scalar()
            band_rows = conn.execute(text("SELECT count(*) FROM dedup_bands")).scalar()
        engine.dispose()
    median_small, median_large = statistics.median(small), statistics.median(large)
    print(json.dumps({
        "median_ms_10k": round(median_small, 3),
        "median_ms_1m": round(median_large, 3),
        "ratio": round(median_large / median_small, 3),
        "p90_ms_10k": round(statistics.quantiles(small, n=10)[-1], 3),
        "p90_ms_1m": round(statistics.quantiles(large, n=10)[-1], 3),
        "samples": args.samples,
        "articles_small": args.small,
        "articles_large": stored,
        "band_rows": band_rows,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
