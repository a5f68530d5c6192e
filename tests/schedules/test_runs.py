"""Run records the scheduler relies on: who started a crawl and in which process, runs left
``running`` by a dead process, a crawl started by hand not doubled, a crawl that dies early."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from schedules.jobs import CrawlOptions, Runner
from schedules.runs import live_run, process_alive, reap_dead_runs
from schedules.spec import build_spec
from storage import start_run
from storage.schedules import save_schedule
from tests.conftest import ROOT
from tests.schedules.conftest import World, wait_until


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_process_alive_tells_live_dead_and_reused_pids() -> None:
    now = datetime.now(UTC)
    assert process_alive(os.getpid(), started_by=now)
    assert not process_alive(_dead_pid())
    if os.path.exists("/proc/self/stat"):
        # This process started after a run recorded a month ago: the pid was reused.
        assert not process_alive(os.getpid(), started_by=now - timedelta(days=30))


def test_a_run_left_running_by_a_dead_process_reads_and_is_closed_as_interrupted(
    world: World,
) -> None:
    archive = world.archive()
    with archive.sessions() as session:
        dead = start_run(session, spider="mst", source_key=None, pid=_dead_pid())
        alive = start_run(session, spider="laichau", source_key=None, pid=os.getpid())
        session.commit()
    status = world.cli("status", "--format", "json")
    rows = {r["source"]: r for r in json.loads(status.stdout)}
    assert (
        rows["mst"]["health"] == "interrupted"
        and rows["mst"]["last_run"]["status"] == "interrupted"
    )
    assert rows["laichau"]["health"] == "running"
    with archive.sessions() as session:
        assert reap_dead_runs(session) == [dead]
        session.commit()
        assert live_run(session, "laichau").id == alive and live_run(session, "mst") is None
    run = archive.runs("mst")[0]
    assert run.status == "interrupted" and run.finished_at is not None
    assert "ended without closing its run" in run.message
    assert archive.runs("laichau")[0].status == "running"


def test_a_crawl_started_by_hand_is_recorded_as_manual_and_not_doubled(world: World) -> None:
    site = world.site("tin-tay", "Tin Tay (trang thử nghiệm)", articles=2)
    site.hang()
    archive = world.archive()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VNNEWS_DATABASE_URL", None)
    by_hand = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--db", world.db, "--sites", str(world.sites_file),
         "crawl", "tin-tay", "-q", "--host-map", f"{site.host}={world.server.base_url}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        run = wait_until("the manual crawl's run", lambda: archive.runs("tin-tay"), 30)[0]
        assert (run.status, run.trigger, run.pid) == ("running", "manual", by_hand.pid)

        with archive.sessions() as session:
            save_schedule(session, build_spec("tin-tay", every="1h"), reason="as asked")
            session.commit()
        runner = Runner(
            options=CrawlOptions(db_url=world.db, sites_file=str(world.sites_file)),
            sessions=archive.sessions,
            spider_of=lambda source: "portal",
        )
        assert runner.run("tin-tay") is None  # skipped: no second crawl, no second run
        assert len(archive.runs("tin-tay")) == 1
    finally:
        by_hand.send_signal(signal.SIGKILL)
        by_hand.wait()
    # Killed outright, its run stays "running"; the next scheduled start closes it first.
    assert archive.runs("tin-tay")[0].status == "running"
    with archive.sessions() as session:
        assert reap_dead_runs(session, "tin-tay") == [run.id]
        session.commit()
    assert archive.runs("tin-tay")[0].status == "interrupted"


def test_a_crawl_that_dies_before_recording_its_run_gets_a_failed_run(world: World) -> None:
    archive = world.archive()
    with archive.sessions() as session:
        save_schedule(session, build_spec("ghost", every="1h", timeout="1m"), reason="as asked")
        session.commit()
    runner = Runner(
        options=CrawlOptions(db_url=world.db, sites_file=str(world.sites_file)),
        sessions=archive.sessions,
        spider_of=lambda source: "portal",
    )
    result = runner.run("ghost")  # no such source in the sites file: the child refuses it
    assert result is not None and result.status == "failed"
    run = archive.runs("portal")[-1]
    assert (run.status, run.trigger, run.id) == ("failed", "schedule", result.run_id)
    assert "exited with status 2" in run.message and "unknown source ghost" in run.message
    # A failed run says nothing about publishing: the interval is kept, and why is recorded.
    assert archive.schedule("ghost").reason == "last run failed: kept 1h"


@pytest.mark.parametrize("paused", [True, False])
def test_a_paused_or_removed_schedule_does_not_crawl(world: World, paused: bool) -> None:
    archive = world.archive()
    if paused:
        with archive.sessions() as session:
            save_schedule(session, build_spec("mst", every="1h"), reason="as asked")
            session.commit()
        assert world.cli("schedule", "pause", "mst").returncode == 0
    runner = Runner(
        options=CrawlOptions(db_url=world.db, sites_file=str(world.sites_file), python="false"),
        sessions=archive.sessions,
        spider_of=lambda source: source,
    )
    assert runner.run("mst") is None
    assert archive.runs("mst") == []
