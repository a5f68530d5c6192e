"""The real scheduler (``vnnews scheduler`` in a child process, APScheduler with its job store in
the archive) with intervals of seconds, crawling fixture sites on 127.0.0.1."""

from __future__ import annotations

import signal
import time

from crawler.devserver import HUNG
from schedules.durations import format_duration
from schedules.runs import process_alive
from spiders.registry import SITES
from storage.schedules import next_run_times, scheduled_jobs
from tests.schedules.conftest import World, wait_until
from tests.schedules.sites import FEED_PATH


def _jobs(world: World) -> dict:
    with world.archive().sessions() as session:
        return next_run_times(session)


def _stored_jobs(world: World) -> list:
    """The crawl jobs in APScheduler's job store, as APScheduler reads them back."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    store = SQLAlchemyJobStore(url=world.db)
    store.start(BackgroundScheduler(), "default")
    try:
        return [job for job in store.get_all_jobs() if job.id.startswith("crawl:")]
    finally:
        store.shutdown()


def test_scheduled_crawls_run_adapt_and_survive_a_restart(world: World) -> None:
    busy = world.site("tin-nhanh", "Tin Nhanh (trang thử nghiệm)", articles=3)
    world.site("tin-cham", "Tin Chậm (trang thử nghiệm)", articles=2)
    archive = world.archive()

    # The service starts first, with nothing to do ...
    service = world.scheduler("--no-defaults")
    wait_until("the scheduler to start", lambda: "scheduler started" in service.log(), 30)
    # ... and sees schedules another process adds afterwards.
    for source, every in (("tin-cham", "2s"), ("tin-nhanh", "4s")):
        added = world.cli(
            "schedule", "add", source, "--every", every, "--min", "1s", "--max", "30s"
        )
        assert added.returncode == 0, added.stderr
        assert f"scheduled {source}: every {every} (1s..30s)" in added.stdout

    # tin-nhanh publishes two articles after each of its runs; tin-cham never does.
    seen = 0

    def enough_runs() -> bool:
        nonlocal seen
        done = archive.finished("tin-nhanh")
        if len(done) > seen:
            seen = len(done)
            if seen < 3:  # news for its second and third runs, none afterwards
                busy.publish(2)
        return len(done) >= 3 and len(archive.finished("tin-cham")) >= 3

    wait_until("three runs of each source", enough_runs, 60)

    for source in ("tin-cham", "tin-nhanh"):
        for run in archive.finished(source):
            assert (run.status, run.trigger) == ("ok", "schedule"), (source, run.message)
            assert run.pid and run.pid != service.proc.pid  # a child process per crawl
            assert run.finished_at is not None and run.finished_at >= run.started_at
    quiet_runs = archive.finished("tin-cham")
    assert quiet_runs[0].new == 2 and all(r.new == 0 for r in quiet_runs[1:])
    busy_runs = archive.finished("tin-nhanh")
    assert busy_runs[0].new == 3 and all(r.new >= 2 for r in busy_runs[1:3])

    quiet, hot = archive.schedule("tin-cham"), archive.schedule("tin-nhanh")
    assert quiet.interval_seconds > 2 and "without new articles" in quiet.reason, quiet.reason
    assert "2s -> 3s" in service.log()  # the first run without new articles: 2s -> 3s
    assert hot.interval_seconds < 4 and "new article" in hot.reason, hot.reason
    assert "4s -> 2s" in service.log()

    # The service keeps crawling meanwhile: tin-cham's interval can only have grown since.
    listed = world.schedule_list()
    assert listed["tin-cham"]["interval_seconds"] >= quiet.interval_seconds
    assert "without new articles" in listed["tin-cham"]["reason"]
    assert listed["tin-cham"]["last_run"]["status"] in ("ok", "running")
    assert listed["tin-cham"]["last_run"]["trigger"] == "schedule"
    assert listed["tin-nhanh"]["next_run"] is not None and listed["tin-nhanh"]["scheduled"]

    # Pausing and removing in another process reach the running service too.
    assert world.cli("schedule", "pause", "tin-nhanh").returncode == 0
    wait_until("the job to be paused", lambda: _jobs(world).get("tin-nhanh", 0) is None, 10)
    paused_at = len(archive.runs("tin-nhanh"))
    assert world.cli("schedule", "remove", "tin-cham").returncode == 0
    wait_until("the job to be removed", lambda: "tin-cham" not in _jobs(world), 10)
    time.sleep(3)
    assert len(archive.runs("tin-nhanh")) <= paused_at + 1  # at most one already starting
    assert world.cli("schedule", "resume", "tin-nhanh").returncode == 0
    assert world.cli("schedule", "add", "tin-cham", "--every", "2s", "--min", "1s",
                     "--max", "30s").returncode == 0  # fmt: skip
    wait_until("both jobs back", lambda: all(_jobs(world).get(s) for s in world.sites), 10)

    code, took = service.stop()
    assert code == 0, service.log()[-3000:]
    assert "SIGTERM received: stopping" in service.log() and "scheduler stopped" in service.log()
    assert not [r for r in archive.runs("tin-nhanh") + archive.runs("tin-cham")
                if r.status == "running"]  # fmt: skip

    # A restart keeps the schedules, the jobs and the adapted interval.
    with archive.sessions() as session:
        assert {"crawl:tin-nhanh", "crawl:tin-cham"} <= set(scheduled_jobs(session))
    for job in _stored_jobs(world):  # missed runs coalesce, one at a time, a little jitter
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert 0 < job.trigger.jitter <= 0.05 * job.trigger.interval.total_seconds()
    before = archive.schedule("tin-nhanh")
    runs_before = len(archive.finished("tin-nhanh"))
    again = world.scheduler()
    wait_until(
        "a run after the restart, and its interval adapted",
        lambda: (
            len(archive.finished("tin-nhanh")) > runs_before
            and archive.schedule("tin-nhanh").updated_at > before.updated_at
        ),
        30,
    )
    assert "default schedules" not in again.log()  # the user has schedules of their own
    after = archive.finished("tin-nhanh")[-1]
    assert (after.status, after.trigger, after.new) == ("ok", "schedule", 0)
    # It went on from the interval it had, not from the one asked for (4s): no news, longer.
    grown = archive.schedule("tin-nhanh")
    assert grown.interval_seconds > before.interval_seconds, grown.reason
    assert f": {format_duration(before.interval_seconds)} -> " in grown.reason
    assert set(world.schedule_list()) == {"tin-nhanh", "tin-cham"}
    code, _ = again.stop()
    assert code == 0, again.log()[-3000:]


def test_a_hanging_crawl_is_killed_at_its_limit_and_sigterm_stops_the_service(
    world: World,
) -> None:
    world.site("tin-treo", "Tin Treo (trang thử nghiệm)", articles=2).hang()
    world.site("tin-dung", "Tin Dừng (trang thử nghiệm)", articles=2).hang()
    archive = world.archive()
    for source, limit in (("tin-treo", "3s"), ("tin-dung", "1h")):
        added = world.cli("schedule", "add", source, "--every", "2s", "--fixed", "--timeout", limit)
        assert added.returncode == 0, added.stderr
    service = world.scheduler("--no-defaults")

    timed_out = wait_until(
        "the hanging crawl to be killed at its limit",
        lambda: [r for r in archive.runs("tin-treo") if r.status == "timed_out"],
        40,
    )[0]
    assert timed_out.trigger == "schedule" and timed_out.finished_at is not None
    assert "killed after 3s, the schedule's time limit" in timed_out.message
    assert (timed_out.finished_at - timed_out.started_at).total_seconds() < 3 + 2 + 5
    assert not process_alive(timed_out.pid)
    # The feed never answered: the crawl got no further than asking for it.
    assert timed_out.new == 0
    hung = [r for r in world.server.requests if r.host == "tin-treo.test" and r.path == FEED_PATH]
    assert hung and {r.status for r in hung} == {HUNG}

    # tin-dung hangs too, within its 1 h limit: SIGTERM stops the service anyway.
    running = wait_until(
        "a crawl of tin-dung in progress",
        lambda: [r for r in archive.runs("tin-dung") if r.status == "running"],
        20,
    )[0]
    code, took = service.stop(timeout=30)
    assert code == 0, service.log()[-3000:]
    assert took < 2 + 8  # the kill grace (2 s) and some
    stopped = next(r for r in archive.runs("tin-dung") if r.id == running.id)
    assert stopped.status == "interrupted" and stopped.finished_at is not None
    assert not process_alive(stopped.pid)
    assert not [r for r in archive.runs("tin-treo") + archive.runs("tin-dung")
                if r.status == "running"]  # fmt: skip
    listed = world.schedule_list()
    assert listed["tin-dung"]["last_run"]["status"] == "interrupted"


def test_first_start_gives_the_seed_sources_a_default_schedule_once(world: World) -> None:
    # Should a default crawl start, it goes to the local server (no such site: unreachable).
    maps = [f"--host-map={site.host}={world.server.base_url}" for site in SITES.values()]
    service = world.scheduler(*maps)
    listed = wait_until("the default schedules", lambda: world.schedule_list(), 20)
    assert set(listed) == set(SITES)
    for row in listed.values():
        assert row["schedule"] == "every 2h (15m..1d)" and row["timeout_seconds"] == 3600
        assert not row["paused"]
    wait_until("their jobs", lambda: set(_jobs(world)) == set(SITES), 10)
    code, _ = service.stop()
    assert code == 0, service.log()[-3000:]
    assert "first start: default schedules" in service.log()

    # Removed by the user, they do not come back on the next start.
    assert world.cli("schedule", "remove", *SITES).returncode == 0
    again = world.scheduler(*maps)
    wait_until("the scheduler to start", lambda: "scheduler started" in again.log(), 30)
    wait_until("the jobs to be removed", lambda: not _jobs(world), 10)
    assert world.schedule_list() == {}
    code, _ = again.stop(signum=signal.SIGINT)  # Ctrl-C stops it the same way
    assert code == 0 and "SIGINT received: stopping" in again.log()
    assert "default schedules" not in again.log()
