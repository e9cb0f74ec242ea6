"""What HTTP keeps per data version, beside the read model and never inside it: bodies serialised once with
their ETags, recent list and search pages, and whole responses to replay. A `Generation` pairs a snapshot
with its caches; the runtime swaps the whole generation, so a reload (or a refused one) starts them over."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import anyio
from cachetools import LRUCache
from pydantic import BaseModel

from app.readmodel.snapshot import Snapshot

# Every cache is bounded in entries and in bytes, so that distinct traffic cannot grow memory without limit.
PAGE_CACHE = (50_000, 256 * 2**20)  # one body per entity and format: all of them on the real data
LIST_CACHE = (2048, 32 * 2**20)  # lists, search and suggest pages, by their parameters
REPLAY_CACHE = (8192, 64 * 2**20)  # whole responses, by path, query and the headers they vary on

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Bounded(LRUCache[K, V], Generic[K, V]):
    """Least recently used entries go first, to keep at most `entries` entries and `size` bytes: each entry is
    charged its size, and at least size / entries. An entry larger than the whole budget is not kept."""

    def __init__(self, bounds: tuple[int, int], sizeof: Callable[[V], int]) -> None:
        entries, size = bounds
        floor = size // entries
        super().__init__(maxsize=size, getsizeof=lambda value: max(floor, sizeof(value)))

    def __setitem__(self, key: K, value: V) -> None:
        if self.getsizeof(value) <= self.maxsize:
            super().__setitem__(key, value)


@dataclass(frozen=True)
class Rendered:
    """A response body serialised once, with its strong ETag."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...] = ()
    media_type: str = "application/json"

    @classmethod
    def of(cls, model: BaseModel, headers: tuple[tuple[str, str], ...] = ()) -> Rendered:
        return cls.raw(model.model_dump_json(by_alias=True), "application/json", headers)

    @classmethod
    def raw(cls, text: str, media_type: str, headers: tuple[tuple[str, str], ...] = ()) -> Rendered:
        body = text.encode()
        return cls(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', headers, media_type)


@dataclass(frozen=True)
class CachedResponse:
    """A complete HTTP response as the middleware stack produced it, replayed for identical requests."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: str = "unmatched"

    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)


class Bodies:
    """The rendered bodies of one data version. Pages (one per entity and format) are kept within a budget
    that holds all of them on the real data; list and search pages depend on query parameters, so only
    the most recently used combinations are. Only the event loop touches them: a lost race costs one
    recomputation, never a wrong answer."""

    def __init__(self) -> None:
        self._pages: Bounded[Hashable, Rendered] = Bounded(PAGE_CACHE, _rendered_size)
        self._lists: Bounded[Hashable, Rendered] = Bounded(LIST_CACHE, _rendered_size)

    def page(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        found = self._pages.get(key)
        if found is None:
            found = self._pages[key] = build()
        return found

    async def page_in_thread(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        """Like `page`, for a body whose build blocks (a subprocess): built in a worker thread, stored here."""
        found = self._pages.get(key)
        if found is None:
            found = self._pages[key] = await anyio.to_thread.run_sync(build)
        return found

    def listing(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = build()
        return found


@dataclass(frozen=True)
class Generation:
    """What is served between two changes: a snapshot, the problems of a refused reload (shown by /v1/meta
    and /readyz), and the caches that belong to them. `number` counts the changes."""

    number: int
    snapshot: Snapshot
    reload_errors: tuple[str, ...] = ()
    bodies: Bodies = field(default_factory=Bodies)
    replay: Bounded[Hashable, CachedResponse] = field(
        default_factory=lambda: Bounded(REPLAY_CACHE, CachedResponse.size)
    )

    def next(self, snapshot: Snapshot, reload_errors: tuple[str, ...] = ()) -> Generation:
        """The generation after this one. Whole responses always start over (they show reload errors);
        bodies only with a new snapshot."""
        bodies = self.bodies if snapshot is self.snapshot else Bodies()
        return Generation(self.number + 1, snapshot, reload_errors, bodies)


def _rendered_size(rendered: Rendered) -> int:
    return len(rendered.body) + sum(len(name) + len(value) for name, value in rendered.headers)
