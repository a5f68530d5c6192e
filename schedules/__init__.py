"""Scheduled crawls: ``vnnews scheduler`` and what it needs.

- :mod:`schedules.service`: APScheduler 3 wired to the archive (job store, sync, defaults);
- :mod:`schedules.jobs`: the job, one crawl in a child process within its time limit;
- :mod:`schedules.adaptive`: how an interval shrinks and grows with what runs find;
- :mod:`schedules.spec`: what a schedule may be, and its APScheduler trigger;
- :mod:`schedules.runs`: run history: live, dead and interrupted runs;
- :mod:`schedules.durations`: ``30m``, ``2h``, ``1d``.

The ``schedules`` table and the queries are in :mod:`storage.schedules`; the commands in
:mod:`crawler.commands.schedule`.
"""
