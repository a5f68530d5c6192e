"""Deduplication quality on the labelled set (tests/data/dedup_eval/documents.jsonl).

The documents go through the real pipeline (``vnnews import``'s code: normalize, store, tag,
dedup) into a fresh SQLite archive, once in file order and once in reverse order. Pairwise
scores compare the stories found with the labelled ones: a pair of documents is positive when
they share a labelled story, predicted positive when they share a story in the archive.
Per-kind recall and every disagreement (with ``--show-errors``) go to stderr; the last line
printed is one JSON object: {"precision", "recall", "f1", "pairs", "predicted_pairs",
"documents", "stories", "same_stories_in_both_orders"}.

    .venv/bin/python benchmarks/dedup_eval.py [--show-errors] [--set FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from crawler.importer import import_lines  # noqa: E402
from storage.engine import open_archive, session_factory  # noqa: E402
from storage.models import Article  # noqa: E402

EVAL_FILE = ROOT / "tests" / "data" / "dedup_eval" / "documents.jsonl"
IMPORT_FIELDS = ("url", "source", "lang", "title", "summary", "text", "published_at",
                 "credited_url", "credited_outlet", "alternates")  # fmt: skip


def load_documents(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def stories_after_import(documents: list[dict[str, Any]], folder: Path) -> dict[str, int]:
    """Import the documents in the given order into a new archive; document id -> story id."""
    url = f"sqlite:///{folder / 'archive.sqlite3'}"
    engine = open_archive(url)
    try:
        sessions = session_factory(engine)
        lines = [
            json.dumps({k: d[k] for k in IMPORT_FIELDS if d.get(k) is not None}, ensure_ascii=False)
            for d in documents
        ]
        report = import_lines(lines, sessions)
        if report.bad_lines:
            raise SystemExit(f"import failed: {report.bad_lines}")
        with sessions() as session:
            by_url = dict(session.execute(select(Article.url, Article.story_id)).all())
    finally:
        engine.dispose()
    return {d["id"]: by_url[d["url"]] for d in documents}


def partition(assignment: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = defaultdict(set)
    for doc, story in assignment.items():
        groups[story].add(doc)
    return {frozenset(g) for g in groups.values()}


def pair_scores(documents: list[dict[str, Any]], assignment: dict[str, int],
                show_errors: bool = False) -> dict[str, Any]:  # fmt: skip
    label = {d["id"]: d["story"] for d in documents}
    by_id = {d["id"]: d for d in documents}
    tp = fp = fn = 0
    missed_by_kind: dict[str, int] = defaultdict(int)
    pairs_by_kind: dict[str, int] = defaultdict(int)
    for a, b in combinations(sorted(label), 2):
        truth, found = label[a] == label[b], assignment[a] == assignment[b]
        kinds = "+".join(sorted({by_id[a].get("kind", "?"), by_id[b].get("kind", "?")}))
        if truth:
            pairs_by_kind[kinds] += 1
        if truth and found:
            tp += 1
        elif found:
            fp += 1
            if show_errors:
                print(f"false merge: {a} ~ {b} ({by_id[a]['title'][:50]} | "
                      f"{by_id[b]['title'][:50]})", file=sys.stderr)  # fmt: skip
        elif truth:
            fn += 1
            missed_by_kind[kinds] += 1
            if show_errors:
                print(f"missed: {a} ~ {b} [{kinds}] ({by_id[a]['lang']}/{by_id[b]['lang']}) "
                      f"{by_id[a]['title'][:60]}", file=sys.stderr)  # fmt: skip
    for kinds, n in sorted(pairs_by_kind.items()):
        found = n - missed_by_kind.get(kinds, 0)
        print(f"recall {kinds:<28} {found}/{n}", file=sys.stderr)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "pairs": tp + fn, "predicted_pairs": tp + fp}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="print every wrong pair")
    parser.add_argument("--set", type=Path, default=EVAL_FILE, help="a documents JSONL file")
    args = parser.parse_args()
    documents = load_documents(args.set)
    with tempfile.TemporaryDirectory() as forward, tempfile.TemporaryDirectory() as backward:
        first = stories_after_import(documents, Path(forward))
        second = stories_after_import(list(reversed(documents)), Path(backward))
    result = pair_scores(documents, first, show_errors=args.show_errors)
    result.update(
        documents=len(documents),
        stories=len(partition(first)),
        same_stories_in_both_orders=partition(first) == partition(second),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
