"""Builds a new snapshot off to the side and swaps it in one step: from changed files (watch or SIGHUP)
or from a new version row in a shared database. Invalid new data never replaces what is served."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import anyio

from app.collector import settle
from app.deps import Runtime
from app.ingest.store import latest_version, read_kb, write_kb
from app.ingest.validation import DataError, load_knowledge
from app.observability import Metrics
from app.readmodel.snapshot import Snapshot

logger = logging.getLogger("hairkb")


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when any data file is edited, added or removed."""
    try:
        files = sorted(data_dir.glob("*.y*ml"))
        return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except OSError:
        return ()


class Reloader:
    def __init__(self, runtime: Runtime, metrics: Metrics) -> None:
        self.runtime = runtime
        self.metrics = metrics
        self.wakeup = asyncio.Event()
        self._lock = asyncio.Lock()
        self._seen = fingerprint(runtime.settings.data_dir)

    def trigger(self) -> None:
        """Reload from the files now (SIGHUP)."""
        self.wakeup.set()

    async def run(self) -> None:
        settings = self.runtime.settings
        while True:
            try:
                await asyncio.wait_for(self.wakeup.wait(), timeout=settings.poll_seconds)
                forced = True
            except TimeoutError:
                forced = False
            self.wakeup.clear()
            if settings.watch_data or forced:
                current = fingerprint(settings.data_dir)
                if forced or current != self._seen:
                    self._seen = current
                    await self.reload_files()
            if settings.follow_database:
                await self.follow_database()

    async def reload_files(self) -> bool:
        async with self._lock:
            try:
                snapshot = await anyio.to_thread.run_sync(self._build_from_files)
            except DataError as err:
                self._failed([str(p) for p in err.problems])
                return False
            except Exception as err:  # a database failure must not take the served data down
                logger.exception("reload failed")
                self._failed([f"{type(err).__name__}: {err}"])
                return False
            self._swap(snapshot)
            return True

    def _build_from_files(self) -> Snapshot:
        kb = load_knowledge(self.runtime.settings.data_dir)
        if kb.version == self.runtime.snapshot.version:
            return self.runtime.snapshot
        write_kb(self.runtime.engine, kb)
        return Snapshot(read_kb(self.runtime.engine))

    async def follow_database(self) -> None:
        engine = self.runtime.engine
        try:
            version = await anyio.to_thread.run_sync(latest_version, engine)
            if version is None or version == self.runtime.snapshot.version:
                return
            async with self._lock:
                snapshot = await anyio.to_thread.run_sync(lambda: Snapshot(read_kb(engine)))
        except Exception as err:
            logger.exception("following the database failed")
            self._failed([f"{type(err).__name__}: {err}"])
            return
        self._swap(snapshot)

    def _swap(self, snapshot: Snapshot) -> None:
        changed = snapshot is not self.runtime.snapshot
        if self.runtime.reload_errors:
            snapshot.responses.clear()  # /v1/meta reported the errors; it must not be replayed
        self.runtime.snapshot = snapshot  # one reference: a request sees the old or the new, never a mix
        if changed:
            settle()
        self.runtime.reload_errors = []
        self.metrics.reloads.labels("success").inc()
        self.metrics.serving(snapshot.version)
        if changed:
            logger.info("now serving dataset %s", snapshot.version, extra={"dataset_version": snapshot.version})

    def _failed(self, problems: list[str]) -> None:
        self.runtime.reload_errors = problems
        self.runtime.snapshot.responses.clear()  # so that /v1/meta shows the problems
        self.metrics.reloads.labels("failure").inc()
        for problem in problems:
            logger.error("reload refused: %s", problem)
