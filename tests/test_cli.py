"""The ``vnnews`` CLI on a real SQLite archive: import, query, export, report, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crawler.cli import main

LINES = [
    {
        "url": "https://mst.gov.vn/ha-tang-du-lieu-quoc-gia-19726090514301234.htm?utm_source=zalo",
        "title": "Hạ tầng dữ liệu quốc gia được nâng cấp",
        "summary": "Bộ Khoa học và Công nghệ công bố kế hoạch chuyển đổi số.",
        "text": "Kế hoạch chuyển đổi số năm 2026 tập trung vào dữ liệu mở.\n\nCác tỉnh tham gia.",
        "published_at": "2026-09-05T14:30:00",
        "source": "mst",
        "lang": "vi",
    },
    {
        "url": "https://example.vn/bai-viet-ai.html",
        "html": "<html lang='en'><head><title>AI strategy adopted</title></head><body>"
        "<nav>Menu</nav><article><p>The national AI strategy was adopted.</p>"
        "<script>x()</script></article></body></html>",
        "published_at": "2026-09-06T09:00:00+00:00",
    },
]


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite3'}"


def _import(db: str, tmp_path: Path, lines: list[str]) -> int:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return main(["--db", db, "import", str(path)])


def test_import_reports_bad_lines_and_keeps_the_rest(db: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    lines = [
        json.dumps(LINES[0], ensure_ascii=False),
        "{not json",
        json.dumps({"title": "no url", "text": "x"}),
        json.dumps({"url": "https://x.vn/a", "title": "no text"}),
        json.dumps({"url": "https://x.vn/b", "text": "t", "title": "T", "published_at": "hôm qua"}),
        json.dumps(LINES[1]),
    ]
    assert _import(db, tmp_path, lines) == 1  # exit status says lines were skipped
    err = capsys.readouterr().err
    assert "in.jsonl:2: skipped: invalid JSON" in err
    assert "in.jsonl:3: skipped: 'url' is required" in err
    assert "in.jsonl:4: skipped: one of 'text' or 'html' is required" in err
    assert "in.jsonl:5: skipped: 'published_at' is not ISO 8601" in err
    assert "imported: 2 new, 0 updated, 0 duplicate; 4 bad lines skipped" in err

    assert main(["--db", db, "export"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 2
    first, second = sorted(records, key=lambda r: r["id"])
    assert (
        first["canonical_url"]
        == "https://mst.gov.vn/ha-tang-du-lieu-quoc-gia-19726090514301234.htm"
    )
    assert first["published_at"] == "2026-09-05T07:30:00+00:00"  # naive = Vietnam time
    assert first["source"] == "mst" and first["lang"] == "vi"
    assert first["text"].startswith("Kế hoạch chuyển đổi số")
    assert first["extraction"]["text"] == "import"
    assert second["title"] == "AI strategy adopted"  # from <title> of the imported HTML
    assert second["text"] == "The national AI strategy was adopted."
    assert second["lang"] == "en" and second["source"] == "import"
    # the tag and dedup stages ran on import: their fields are filled
    assert {"primary_province", "provinces", "topics", "relevant"} <= set(first)
    assert {"story_id", "is_original", "original_url"} <= set(first)


def test_import_twice_is_idempotent(db: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    line = json.dumps(LINES[0], ensure_ascii=False)
    assert _import(db, tmp_path, [line]) == 0
    assert _import(db, tmp_path, [line]) == 0
    assert "0 new, 0 updated, 1 duplicate" in capsys.readouterr().err
    changed = json.dumps({**LINES[0], "text": "Nội dung đã sửa."}, ensure_ascii=False)
    assert _import(db, tmp_path, [changed]) == 0
    assert "0 new, 1 updated, 0 duplicate" in capsys.readouterr().err
    main(["--db", db, "export"])
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_import_from_stdin(db: str, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(LINES[1]) + "\n"))
    assert main(["--db", db, "import", "-"]) == 0
    assert "1 new" in capsys.readouterr().err


def test_query_filters_and_formats(db: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    _import(db, tmp_path, [json.dumps(x, ensure_ascii=False) for x in LINES])
    capsys.readouterr()

    assert main(["--db", db, "query", "--q", "chuyen doi so", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in rows] == ["mst"]

    assert main(["--db", db, "query", "--source", "import", "--format", "jsonl"]) == 0
    assert [json.loads(x)["title"] for x in capsys.readouterr().out.splitlines()] == [
        "AI strategy adopted"
    ]

    assert main(["--db", db, "query", "--since", "2026-09-06", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["title"] for r in rows] == ["AI strategy adopted"]

    assert main(["--db", db, "query", "--until", "2026-09-06"]) == 0
    table = capsys.readouterr().out
    assert "Hạ tầng dữ liệu quốc gia" in table and "AI strategy" not in table
    assert "(1 articles)" in table

    assert main(["--db", db, "query", "--limit", "1", "--format", "json"]) == 0
    assert [r["title"] for r in json.loads(capsys.readouterr().out)] == ["AI strategy adopted"]


def test_bad_arguments_say_what_to_do(db: str, capsys) -> None:  # noqa: ANN001
    assert main(["--db", db, "query", "--since", "last week"]) == 2
    assert "use ISO 8601" in capsys.readouterr().err
    assert main(["--db", db, "import", "/nonexistent.jsonl"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["--db", db, "crawl"]) == 2
    err = capsys.readouterr().err
    assert "name the sources to crawl or use --all (sources: mst, baochinhphu, laichau" in err
    assert main(["--db", db, "crawl", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown source nosuch" in err and "`vnnews sources` lists them" in err


def test_report(db: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    _import(db, tmp_path, [json.dumps(x, ensure_ascii=False) for x in LINES])
    capsys.readouterr()
    assert main(["--db", db, "report"]) == 0
    out = capsys.readouterr().out
    assert ": 2 articles" in out
    assert "mst" in out and "AI strategy adopted" in out
