"""What HTTP keeps per data version, beside the read model and never inside it: bodies serialised once with
their ETags, recent list and search pages, and whole responses to replay. A `Generation` pairs a snapshot
with its caches; the runtime swaps the whole generation, so a reload (or a refused one) starts them over.
Whatever a client's parameters decide is kept in an LRU bounded by entries and by bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import anyio
from cachetools import LRUCache
from pydantic import BaseModel

from app.readmodel.snapshot import Snapshot

PAGE_CACHE_ENTRIES = 50_000
LIST_CACHE_ENTRIES = 2048
REPLAY_CACHE_ENTRIES = 8192
MB = 1024 * 1024
# What an entry costs beyond its bytes (objects, the key, the LRU's bookkeeping), so that many tiny entries
# count too; and the share of the cache one entry may take (a larger one is served, not kept).
ENTRY_OVERHEAD = 512
LARGEST_SHARE = 8


class Sized(Protocol):
    @property
    def size(self) -> int: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Sized)


class BoundedLRU(LRUCache[K, V], Generic[K, V]):
    """An LRU cache of at most `entries` values and `max_bytes` of them (by each value's `size`); a value
    larger than `max_bytes / largest_share` is not kept."""

    def __init__(self, entries: int, max_bytes: int, largest_share: int = LARGEST_SHARE) -> None:
        super().__init__(max_bytes, getsizeof=lambda value: value.size + ENTRY_OVERHEAD)
        self.entries = entries
        self.largest = max_bytes // largest_share

    def __setitem__(self, key: K, value: V) -> None:
        if value.size + ENTRY_OVERHEAD > self.largest:
            return
        super().__setitem__(key, value)
        while len(self) > self.entries:
            self.popitem()


@dataclass(frozen=True)
class Rendered:
    """A response body serialised once, with its strong ETag."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...] = ()
    media_type: str = "application/json"

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)

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
    key_size: int = 0  # the bytes of the request's path, query and varying headers it is kept under

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers) + self.key_size


@dataclass(frozen=True)
class CacheLimits:
    """The bytes each cache filled by client parameters may hold (HAIRKB_LIST_CACHE_MB, HAIRKB_REPLAY_CACHE_MB)."""

    list_bytes: int = 32 * MB
    replay_bytes: int = 64 * MB
    # Pages are one per entity and format, so the data bounds them; this holds all of them on the real data
    # and stops a synthetic or runaway data set from growing memory without limit.
    page_bytes: int = 256 * MB


class Bodies:
    """The rendered bodies of one data version. Pages (one per entity and format) are kept within a budget
    that holds all of them on the real data; list, search and change pages depend on query parameters, so
    only the most recently used combinations are. Only the event loop touches them: a lost race costs one
    recomputation, never a wrong answer."""

    def __init__(self, limits: CacheLimits) -> None:
        # A page may take the whole budget: clients cannot choose pages, and the largest (the export, tens of
        # MB at the synthetic scale) is the one most worth keeping.
        self._pages: BoundedLRU[Hashable, Rendered] = BoundedLRU(PAGE_CACHE_ENTRIES, limits.page_bytes, 1)
        self._lists: BoundedLRU[Hashable, Rendered] = BoundedLRU(LIST_CACHE_ENTRIES, limits.list_bytes)

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
    limits: CacheLimits = CacheLimits()
    bodies: Bodies = field(default=None)  # type: ignore[assignment]  # made in __post_init__ unless given
    replay: BoundedLRU[Hashable, CachedResponse] = field(init=False)

    def __post_init__(self) -> None:
        if self.bodies is None:
            object.__setattr__(self, "bodies", Bodies(self.limits))
        object.__setattr__(self, "replay", BoundedLRU(REPLAY_CACHE_ENTRIES, self.limits.replay_bytes))

    def next(self, snapshot: Snapshot, reload_errors: tuple[str, ...] = ()) -> Generation:
        """The generation after this one. Whole responses always start over (they show reload errors);
        bodies only with a new snapshot."""
        bodies = self.bodies if snapshot is self.snapshot else Bodies(self.limits)
        return Generation(self.number + 1, snapshot, reload_errors, self.limits, bodies)
