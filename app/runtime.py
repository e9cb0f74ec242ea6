"""What the lifespan owns: the runtime (settings, engine, metrics and the generation being served), the one
pipeline that builds a data version — at start-up and on every reload — and the reloader that runs it when
the files change, on SIGHUP, or when a shared database publishes a new version."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from fastapi import FastAPI
from sqlalchemy import Engine

from app.collector import collect_between_phases, collector_paused, settle
from app.db import UNAVAILABLE, DatabaseUnavailable, make_engine, unavailable
from app.http.cache import MB, CacheLimits, Generation
from app.ingest.problem import describe
from app.ingest.readback import read_kb
from app.ingest.store import changes, latest_version, write_kb
from app.ingest.validation import DataError, load_knowledge
from app.models.knowledge import KnowledgeBase
from app.observability import Metrics, PhaseTimer, configure_logging
from app.readmodel.snapshot import Snapshot
from app.settings import Settings

logger = logging.getLogger("hairkb")

# The longest wait between two attempts to reach a database that is down.
MAX_BACKOFF_SECONDS = 30.0


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    metrics: Metrics
    # Replaced as a whole: a request takes one reference and never sees a mix of two versions.
    current: Generation | None = None
    # How long each phase of the last build took.
    timings: dict[str, float] = field(default_factory=dict)
    # Why the database could not be reached the last time it was needed; None while it can be.
    database_error: str | None = None

    @property
    def generation(self) -> Generation:
        if self.current is None:
            raise RuntimeError("no data version is served yet")
        return self.current

    def publish(self, snapshot: Snapshot, reload_errors: Sequence[str] = ()) -> None:
        """Serve `snapshot`, with the problems of a refused reload if any, as the next generation."""
        previous = self.current
        errors = tuple(reload_errors)
        if previous is None:
            limits = CacheLimits(int(self.settings.list_cache_mb * MB), int(self.settings.replay_cache_mb * MB))
            self.current = Generation(0, snapshot, errors, limits)
        else:
            self.current = previous.next(snapshot, errors)
        self.metrics.serving(snapshot.version)

    def changes(self, since: str, to: str) -> dict[str, dict[str, list[str]]] | None:
        """Ids added, changed and removed between two versions this database has held (None: unknown);
        DatabaseUnavailable when it cannot be reached."""
        try:
            return changes(self.engine, since, to)
        except UNAVAILABLE as err:
            raise DatabaseUnavailable(unavailable(err)) from err


def build_version(runtime: Runtime, *, from_files: bool, preloaded: list[KnowledgeBase] | None = None) -> bool:
    """The one pipeline, at start-up and on every reload: validate → store → read back → index, under one
    pause of the cyclic collector, then serve the new version and settle; each phase timed.

    With `from_files`, data_dir is validated and stored; without, what the database holds is served.
    `preloaded` may hold data_dir validated already (by `hairkb serve`); it is popped, so that nothing but
    this build holds those records. Returns False, changing nothing, when the files hold the version
    already served; raises DataError when they are invalid (the served version stays)."""
    timer = PhaseTimer()
    with collector_paused():
        if from_files:
            with timer("validate"):
                kb = preloaded.pop() if preloaded else load_knowledge(runtime.settings.data_dir)
            if runtime.current is not None and kb.version == runtime.current.snapshot.version:
                return False
            with timer("load"):
                write_kb(runtime.engine, kb)
                del kb  # the records read back replace it; holding both doubles peak memory on large data
                collect_between_phases()
        with timer("read"):
            stored = read_kb(runtime.engine)
        with timer("index"):
            snapshot = Snapshot(stored)
            del stored
    runtime.publish(snapshot)
    with timer("settle"):
        settle()  # after the swap, so that the previous version's objects can be collected
    runtime.timings = timer.seconds
    logger.info("now serving dataset %s (%s)", snapshot.version, timer, extra={"dataset_version": snapshot.version})
    return True


def start(settings: Settings, metrics: Metrics, preloaded: list[KnowledgeBase] | None = None) -> Runtime:
    """A runtime serving its first version: the files (see `build_version` for `preloaded`), unless this
    replica follows a database that already holds a version. While the database cannot be reached this is
    retried with backoff, for `settings.start_timeout` seconds."""
    deadline = time.monotonic() + settings.start_timeout
    for delay in backoff(settings.poll_seconds):
        engine: Engine | None = None
        try:
            engine = make_engine(settings.database_url)
            runtime = Runtime(settings, engine, metrics)
            from_files = settings.load_on_start or latest_version(runtime.engine) is None
            build_version(runtime, from_files=from_files, preloaded=preloaded)
            return runtime
        except UNAVAILABLE as err:
            if engine is not None:
                engine.dispose()
            if time.monotonic() + delay > deadline:
                raise
            logger.warning("database unreachable; retrying in %.1f s: %s", delay, unavailable(err))
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover - backoff() never ends


def backoff(first: float) -> Iterator[float]:
    """Delays between attempts: doubling from `first` up to MAX_BACKOFF_SECONDS."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, MAX_BACKOFF_SECONDS)


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when any data file is edited, added or removed."""
    try:
        files = sorted(data_dir.glob("*.y*ml"))
        return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except OSError:
        return ()


class Reloader:
    """Runs `build_version` off the event loop when there is new data. Invalid data or a failing database
    never replaces what is served; their problems are published with it until a reload succeeds. While the
    database cannot be reached, `runtime.database_error` says why (/readyz answers 503), the follower and a
    reload that failed for it are retried with backoff, and once the database answers again the problem is
    withdrawn, whether or not a new version was published meanwhile."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.wakeup = asyncio.Event()
        self._lock = asyncio.Lock()
        self._seen = fingerprint(runtime.settings.data_dir)
        self._files_pending = False  # a reload from the files failed on the database: try it again
        self._delays = backoff(runtime.settings.poll_seconds)

    def trigger(self) -> None:
        """Reload from the files now (SIGHUP)."""
        self.wakeup.set()

    async def run(self) -> None:
        settings = self.runtime.settings
        while True:
            wait = next(self._delays) if self.runtime.database_error else settings.poll_seconds
            try:
                await asyncio.wait_for(self.wakeup.wait(), timeout=wait)
                forced = True
            except TimeoutError:
                forced = False
            self.wakeup.clear()
            if settings.watch_data or forced or self._files_pending:
                current = fingerprint(settings.data_dir)
                if forced or current != self._seen or self._files_pending:
                    self._seen = current
                    await self.reload(from_files=True)
            if settings.follow_database:
                await self.follow_database()

    async def follow_database(self) -> None:
        try:
            version = await anyio.to_thread.run_sync(latest_version, self.runtime.engine)
        except UNAVAILABLE as err:
            self._database_down(err)
            return
        self._database_up()
        if version is not None and version != self.runtime.generation.snapshot.version:
            await self.reload(from_files=False)

    async def reload(self, *, from_files: bool) -> bool:
        async with self._lock:
            try:
                await anyio.to_thread.run_sync(lambda: build_version(self.runtime, from_files=from_files))
            except DataError as err:
                self._files_pending = False
                self._refused(describe(err.problems))
                return False
            except UNAVAILABLE as err:
                self._files_pending = from_files
                self._database_down(err)
                return False
            except Exception as err:  # any other failure must not take the served data down either
                logger.exception("reload failed")
                self._files_pending = False
                self._refused([f"{type(err).__name__}: {err}"])
                return False
        self._files_pending = False
        self.runtime.database_error = None
        generation = self.runtime.generation
        if generation.reload_errors:  # the data is good again: /v1/meta and /readyz stop listing problems
            self.runtime.publish(generation.snapshot)
        self.runtime.metrics.reloads.labels("success").inc()
        return True

    def _database_down(self, err: Exception) -> None:
        problem = f"database unreachable: {unavailable(err)}"
        if self.runtime.database_error != problem:
            self.runtime.database_error = problem
            self._refused([problem])

    def _database_up(self) -> None:
        problem, self.runtime.database_error = self.runtime.database_error, None
        self._delays = backoff(self.runtime.settings.poll_seconds)
        generation = self.runtime.generation
        if problem is not None and generation.reload_errors == (problem,):
            logger.info("database reachable again")
            self.runtime.publish(generation.snapshot)

    def _refused(self, problems: list[str]) -> None:
        self.runtime.publish(self.runtime.generation.snapshot, problems)
        self.runtime.metrics.reloads.labels("failure").inc()
        for problem in problems:
            logger.error("reload refused: %s", problem)


def _on_sighup(callback: Callable[[], None]) -> None:
    """SIGHUP reloads the data files; only the main thread may install signal handlers (a real server)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGHUP"):
        return
    with contextlib.suppress(RuntimeError, ValueError):  # no running loop, or one without signal support
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, callback)


class Lifespan:
    """The app's lifespan: start the runtime (bad data stops start-up), put it on `app.state`, reload while
    serving, dispose of the engine at the end. `knowledge` is data_dir validated already by the caller
    (`hairkb serve`). `current` tells middleware which generation is served (None before start-up)."""

    def __init__(self, settings: Settings, metrics: Metrics, knowledge: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self.metrics = metrics
        # Handed over once (popped by the build): after start-up the app must not keep the records alive.
        self._preloaded = [knowledge] if knowledge is not None else []
        self.runtime: Runtime | None = None

    def current(self) -> Generation | None:
        return self.runtime.current if self.runtime is not None else None

    @asynccontextmanager
    async def __call__(self, app: FastAPI) -> AsyncIterator[None]:
        configure_logging(self.settings.log_json)
        try:
            runtime = await anyio.to_thread.run_sync(start, self.settings, self.metrics, self._preloaded)
        except DataError as err:
            for line in describe(err.problems):
                logger.error("%s", line)
            raise
        finally:
            self._preloaded.clear()  # a replica that served its database did not take them
        self.runtime = app.state.runtime = runtime
        reloader = Reloader(runtime)
        _on_sighup(reloader.trigger)
        task = asyncio.create_task(reloader.run())
        try:
            yield
        finally:
            task.cancel()
            runtime.engine.dispose()
