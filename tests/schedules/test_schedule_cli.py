"""``vnnews schedule add|list|remove|pause|resume`` in-process on a real SQLite archive: what is
stored, what is refused and how the refusal reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main
from schedules.spec import SpecError, build_spec, make_trigger
from storage import open_archive, session_factory
from storage.schedules import get_schedule


@pytest.fixture()
def cli(tmp_path: Path):  # noqa: ANN201 - a small callable
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    def run(*args: str) -> int:
        return main(["--db", db, "--sites", str(tmp_path / "sites.toml"), *args])

    run.db = db  # type: ignore[attr-defined]
    return run


def _schedule(db: str, source: str):  # noqa: ANN202
    with session_factory(open_archive(db))() as session:
        return get_schedule(session, source)


def test_add_stores_an_adaptive_interval_with_default_bounds(cli, capsys) -> None:  # noqa: ANN001
    assert cli("schedule", "add", "mst", "--every", "2h") == 0
    assert "scheduled mst: every 2h (15m..1d), time limit 1h" in capsys.readouterr().out
    row = _schedule(cli.db, "mst")
    assert (row.kind, row.interval_seconds, row.base_seconds) == ("interval", 7200, 7200)
    assert (row.min_seconds, row.max_seconds, row.timeout_seconds) == (900, 86400, 3600)
    assert not row.paused and row.cron is None

    # Adding again replaces it (and says so); options are kept as given.
    assert cli("schedule", "add", "mst", "--every", "30m", "--min", "10m", "--max", "6h",
               "--timeout", "20m") == 0  # fmt: skip
    assert "rescheduled mst: every 30m (10m..6h), time limit 20m" in capsys.readouterr().out
    row = _schedule(cli.db, "mst")
    assert (row.interval_seconds, row.min_seconds, row.max_seconds, row.timeout_seconds) == (
        1800, 600, 21600, 1200
    )  # fmt: skip


def test_add_cron_and_fixed(cli, capsys) -> None:  # noqa: ANN001
    assert cli("schedule", "add", "laichau", "--cron", "0  */3 * * *") == 0
    row = _schedule(cli.db, "laichau")
    assert (row.kind, row.cron, row.interval_seconds) == ("cron", "0 */3 * * *", None)
    assert cli("schedule", "add", "baolamdong", "--every", "6h", "--fixed") == 0
    row = _schedule(cli.db, "baolamdong")
    assert row.min_seconds == row.max_seconds == row.interval_seconds == 21600
    out = capsys.readouterr().out
    assert "cron 0 */3 * * *" in out and "every 6h (fixed)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--every", "2h"], "unknown source 'nope' (sources: mst, baochinhphu"),
        (["mst", "--every", "2x"], "--every '2x' is not a duration: write a number and a unit"),
        (["mst", "--every", "90"], "--every '90' is not a duration"),
        (["mst", "--cron", "61 * * * *"], "--cron '61 * * * *' is not a crontab expression"),
        (["mst", "--cron", "0 3 * *"], "write five fields, minute hour day-of-month"),
        (["mst", "--every", "10m", "--min", "20m"], "--every 10m is outside --min 20m .. --max 1d"),
        (["mst", "--cron", "0 3 * * *", "--min", "5m"], "--min, --max and --fixed go with --every"),
        (["mst", "--every", "1h", "--fixed", "--max", "2h"], "--fixed keeps the interval"),
        (["mst", "--every", "1h", "--timeout", "soon"], "--timeout 'soon' is not a duration"),
    ],
)
def test_add_refuses_with_what_to_write_instead(cli, capsys, args, message) -> None:  # noqa: ANN001
    assert cli("schedule", "add", *args) == 2
    assert message in capsys.readouterr().err
    assert _schedule(cli.db, "mst") is None


def test_add_needs_exactly_one_of_every_and_cron(cli, capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as exc:
        cli("schedule", "add", "mst")
    assert exc.value.code == 2
    assert "one of the arguments --every --cron is required" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli("schedule", "add", "mst", "--every", "2h", "--cron", "0 * * * *")
    with pytest.raises(SpecError, match="either --every"):
        build_spec("mst")


def test_pause_resume_remove_and_list(cli, capsys) -> None:  # noqa: ANN001
    assert cli("schedule", "list") == 0
    assert "no schedules" in capsys.readouterr().out
    cli("schedule", "add", "mst", "--every", "2h")
    cli("schedule", "add", "laichau", "--cron", "30 6 * * mon-fri")
    capsys.readouterr()
    assert cli("schedule", "pause", "mst") == 0
    assert "paused mst" in capsys.readouterr().out
    assert _schedule(cli.db, "mst").paused
    assert cli("schedule", "list", "--format", "json") == 0
    rows = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["mst"]["paused"] and rows["mst"]["next_run"] is None
    assert rows["mst"]["reason"] == "as asked" and rows["mst"]["last_run"] is None
    assert rows["laichau"]["schedule"] == "cron 30 6 * * mon-fri"
    assert not rows["laichau"]["scheduled"]  # no scheduler has picked it up yet
    assert cli("schedule", "list") == 0
    table = capsys.readouterr().out
    assert "paused" in table.splitlines()[2] and "pending" in table  # rows by source key
    assert "not yet picked up by `vnnews scheduler`" in table

    assert cli("schedule", "resume", "mst") == 0 and not _schedule(cli.db, "mst").paused
    assert cli("schedule", "remove", "mst", "ghost") == 1
    captured = capsys.readouterr()
    assert "removed mst" in captured.out and "not scheduled: ghost" in captured.err
    assert _schedule(cli.db, "mst") is None and _schedule(cli.db, "laichau") is not None


def test_status_shows_schedule_next_run_and_articles_of_the_week(cli, capsys) -> None:  # noqa: ANN001
    cli("schedule", "add", "mst", "--every", "2h")
    capsys.readouterr()
    assert cli("status", "--format", "json") == 0
    rows = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["mst"]["schedule"]["description"] == "every 2h (15m..1d)"
    assert rows["mst"]["schedule"]["reason"] == "as asked"
    assert rows["mst"]["articles_last_7_days"] == 0 and rows["mst"]["next_run"] is None
    assert rows["laichau"]["schedule"] is None
    assert cli("status") == 0
    out = capsys.readouterr().out
    header, mst = out.splitlines()[0], next(line for line in out.splitlines()
                                              if line.startswith("mst "))  # fmt: skip
    assert "7d" in header and "schedule" in header and "next run" in header
    assert "every 2h (15m..1d)" in mst and "pending" in mst


def test_an_interval_counts_from_the_last_run_and_a_new_source_starts_soon() -> None:
    from datetime import UTC, datetime, timedelta

    spec = build_spec("mst", every="2h")
    row = type("Row", (), {"kind": "interval", "interval_seconds": spec.every_seconds,
                           "cron": None})()  # fmt: skip
    now = datetime(2026, 11, 23, 8, tzinfo=UTC)
    fresh = make_trigger(row, now=now, last_started=None, tz=UTC)
    first = fresh.get_next_fire_time(None, now)
    assert now + timedelta(seconds=30) <= first <= now + timedelta(seconds=30 + 120)
    recent = make_trigger(row, now=now, last_started=now - timedelta(hours=1), tz=UTC)
    first = recent.get_next_fire_time(None, now)
    assert now + timedelta(hours=1) <= first <= now + timedelta(hours=1, seconds=120)
