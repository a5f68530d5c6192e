"""``vnnews sources`` (list, add, check) and ``vnnews status`` on a real SQLite archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.commands.crawl import plan
from crawler.health import run_health
from spiders.registry import SITES
from storage import ensure_source, finish_run, open_archive, session_factory, start_run

ENTRY = """
[[site]]
key = "sokhcn-thu-nghiem"
name = "Sở KH&CN thử nghiệm"
host = "sokhcn.thu-nghiem.test"
lang = "vi"
province = "lai-chau"
article_pattern = '^/tin-tuc/[a-z0-9-]+-\\d+\\.html$'
listings = ["https://sokhcn.thu-nghiem.test/tin-tuc"]

[site.selectors]
title = "h1.tieu-de"
content = ".noi-dung"
"""


@pytest.fixture()
def cli(tmp_path: Path):  # noqa: ANN201 - a small callable
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    sites = tmp_path / "sites.toml"

    def run(*args: str) -> int:
        return main(["--db", db, "--sites", str(sites), *args])

    run.db, run.sites = db, sites  # type: ignore[attr-defined]
    return run


def test_sources_lists_builtins_with_province_languages_and_health(cli, capsys) -> None:  # noqa: ANN001
    assert cli("sources", "--format", "json") == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(SITES) <= set(rows)
    assert rows["laichau"]["province"] == "lai-chau" and rows["laichau"]["kind"] == "builtin"
    assert "en" in rows["tapchicongsan"]["langs"]
    assert rows["mst"]["health"] == "never crawled"
    assert cli("sources") == 0
    table = capsys.readouterr().out
    assert "baolamdong" in table and "lam-dong" in table and "never crawled" in table


def test_sources_add_validates_then_appends_without_crawling(cli, tmp_path, capsys) -> None:  # noqa: ANN001
    entry = tmp_path / "entry.toml"
    entry.write_text(ENTRY, encoding="utf-8")
    assert cli("sources", "check", str(entry)) == 0
    assert "1 valid entry: sokhcn-thu-nghiem" in capsys.readouterr().out
    assert not cli.sites.exists()  # check writes nothing

    assert cli("sources", "add", str(entry)) == 0
    assert "added sokhcn-thu-nghiem" in capsys.readouterr().out
    assert "sokhcn-thu-nghiem" in cli.sites.read_text("utf-8")
    assert cli("sources", "--format", "json") == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    added = rows["sokhcn-thu-nghiem"]
    assert (added["kind"], added["spider"], added["province"]) == ("config", "portal", "lai-chau")
    assert added["verified"] is False and added["health"] == "never crawled"

    # the same key twice is refused, and the file is left as it was
    before = cli.sites.read_text("utf-8")
    assert cli("sources", "add", str(entry)) == 2
    assert "already used" in capsys.readouterr().err
    assert cli.sites.read_text("utf-8") == before


def test_sources_add_refuses_a_malformed_entry_with_what_to_fix(cli, tmp_path, capsys) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.toml"
    bad.write_text(
        ENTRY.replace('host = "sokhcn.thu-nghiem.test"', 'host = "https://sokhcn.thu-nghiem.test/"')
        .replace('title = "h1.tieu-de"', 'title = "h1[tieu"')
        .replace("lang = ", "language = "),
        encoding="utf-8",
    )
    assert cli("sources", "add", str(bad)) == 2
    err = capsys.readouterr().err
    assert "nothing added" in err
    assert f"{bad}: site #1 (sokhcn-thu-nghiem): 'lang' is required" in err
    assert "unknown key 'language'" in err
    assert "'host' = 'https://sokhcn.thu-nghiem.test/' is not valid" in err
    assert "selector 'title' = 'h1[tieu' is not valid CSS" in err
    assert not cli.sites.exists()
    (tmp_path / "broken.toml").write_text("[[site]\nkey=", encoding="utf-8")
    assert cli("sources", "add", str(tmp_path / "broken.toml")) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_a_malformed_sites_file_stops_commands_with_a_clear_message(cli, capsys) -> None:  # noqa: ANN001
    cli.sites.write_text('[[site]]\nkey = "x"\n', encoding="utf-8")
    assert cli("crawl", "mst") == 2
    err = capsys.readouterr().err
    assert "the sites file has errors; fix them first" in err and "'name' is required" in err


def test_crawl_plan_by_source_key() -> None:
    sites = {**SITES}
    assert [s.key for s in plan(["mst", "laichau"], everything=False, sites=sites)] == [
        "mst",
        "laichau",
    ]
    assert [s.key for s in plan([], everything=True, sites=sites)] == list(SITES)


def _record_run(db: str, key: str, spider: str, stats: dict, status: str = "ok") -> None:
    sessions = session_factory(open_archive(db))
    with sessions() as session:
        ensure_source(session, key=key, name=key, host=f"{key}.vn", spider=spider)
        run = start_run(session, spider=spider, source_key=key)
        health = run_health(stats)
        finish_run(session, run, status=status, pages=stats.get("downloader/response_count", 0),
                   new=stats.get("vnnews/stored/new", 0), duplicates=0, updated=0, errors=0,
                   stats=stats, message=None, health=health.as_dict(),
                   degraded=health.degraded)  # fmt: skip
        session.commit()


def test_status_shows_last_run_health_and_names_degraded_sources(cli, capsys) -> None:  # noqa: ANN001
    good = {"downloader/response_count": 12, "vnnews/links/article": 8,
            "vnnews/articles/fetched": 8, "vnnews/articles/parsed": 8, "vnnews/stored/new": 8,
            "vnnews/fields/title/selector": 8, "vnnews/fields/text/selector": 8}  # fmt: skip
    broken = {**good, "vnnews/fields/title/selector": 0, "vnnews/fallback/title": 8,
              "vnnews/fields/text/selector": 0, "vnnews/fallback/text": 8}  # fmt: skip
    _record_run(cli.db, "mst", "mst", good)
    _record_run(cli.db, "baolamdong", "baolamdong", broken)
    assert cli("status") == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line and not line[0].isspace()}
    assert "ok" in lines["mst"].split()
    assert "degraded" in lines["baolamdong"].split()
    assert "never crawled" in lines["laichau"]
    assert "DEGRADED: site selectors stopped matching: fallbacks answered title 100%" in out
    assert "degraded: baolamdong" in out

    assert cli("status", "--format", "json") == 0
    rows = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["baolamdong"]["health"] == "degraded"
    assert rows["baolamdong"]["extraction"]["field_fallback_share"]["title"] == 1.0
    assert rows["mst"]["last_run"]["new"] == 8 and rows["laichau"]["last_run"] is None
    assert cli("sources", "--format", "json") == 0
    health = {r["key"]: r["health"] for r in json.loads(capsys.readouterr().out)}
    assert health["mst"] == "ok" and health["baolamdong"] == "degraded"
