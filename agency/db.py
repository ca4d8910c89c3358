"""Database connections and held-back writes around long waits.

With the PostgreSQL connection pool (settings: DATABASE_POOL_MAX_SIZE), a thread that waits
on a model provider for seconds need not hold a connection meanwhile: it hands it back, and
the next query takes one from the pool again. That is what lets hundreds of worker threads
wait on models at once with a few dozen connections.

A caller that holds writes back to batch them (a stage's progress reports) registers
`WaitHooks` with `waits_observed`; `waiting()` tells it when the thread is about to wait and
when the wait is over, so what it held goes out before the wait rather than after it.

Compute slots: those hundreds of threads should not all compute at once. Between waits a
stage thread holds one of `PIPELINE_COMPUTE_SLOTS` per process (`compute_slot()`), and gives
it up for each wait. With 250 runnable threads a process competing for the GIL, the
concurrency benchmark used 12-14 % more CPU per task than with 16 (docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from django.conf import settings
from django.db import connection


class WaitHooks(Protocol):
    def wait_begins(self) -> None: ...

    def wait_ends(self) -> None: ...


_wait_hooks: ContextVar[WaitHooks | None] = ContextVar("wait_hooks", default=None)


@contextmanager
def waits_observed(hooks: WaitHooks) -> Iterator[None]:
    """`hooks` hears of every `waiting()` block in this context (threads and event loops
    started from it copy the context, so hooks must check which thread calls them)."""
    token = _wait_hooks.set(hooks)
    try:
        yield
    finally:
        _wait_hooks.reset(token)


@contextmanager
def waiting() -> Iterator[None]:
    """Around a wait of possibly seconds (a model call, a council of models, a sandbox
    command): held-back writes go out first, and the connection goes back to the pool."""
    hooks = _wait_hooks.get()
    if hooks is not None:
        hooks.wait_begins()
    connection_release()
    slot = _slot_give_up()
    try:
        yield
    finally:
        _slot_take_back(slot)
        if hooks is not None:
            hooks.wait_ends()


_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None
_holding = threading.local()  # .slot: the semaphore this thread holds a slot of


def _slot_semaphore() -> threading.BoundedSemaphore | None:
    global _slots
    limit = int(settings.PIPELINE.get("COMPUTE_SLOTS") or 0)
    if limit <= 0:
        return None
    with _slots_lock:
        if _slots is None or _slots[0] != limit:
            _slots = (limit, threading.BoundedSemaphore(limit))
        return _slots[1]


@contextmanager
def compute_slot() -> Iterator[None]:
    """Runs the block in one of this process's compute slots, waiting for one if all are
    taken (re-entrant; no limit when PIPELINE_COMPUTE_SLOTS is 0)."""
    if getattr(_holding, "slot", None) is not None:
        yield
        return
    semaphore = _slot_semaphore()
    if semaphore is None:
        yield
        return
    semaphore.acquire()
    _holding.slot = semaphore
    try:
        yield
    finally:
        held, _holding.slot = _holding.slot, None
        if held is not None:
            held.release()


def _slot_give_up() -> threading.BoundedSemaphore | None:
    # A wait inside a transaction keeps its pooled connection, so it keeps its slot too: a
    # thread queued for a slot then never holds a connection a slot holder may need.
    slot = getattr(_holding, "slot", None)
    if slot is None or connection.in_atomic_block:
        return None
    _holding.slot = None
    slot.release()
    return slot


def _slot_take_back(slot: threading.BoundedSemaphore | None) -> None:
    if slot is not None:
        slot.acquire()
        _holding.slot = slot


def pooled() -> bool:
    return bool(connection.settings_dict.get("OPTIONS", {}).get("pool"))


def connection_release() -> None:
    """Returns this thread's connection to the pool, unless a transaction needs it (or there
    is no pool: closing would only mean reconnecting)."""
    if pooled() and not connection.in_atomic_block:
        connection.close()


def connections_close_before_fork() -> None:
    """A forked child must not share the parent's sockets: close every connection and, with
    the pool, the pool itself (a pool's connections stay open when returned to it); each
    process then opens its own."""
    from django.db import connections

    for alias in connections:
        wrapper = connections[alias]
        wrapper.close()
        close_pool = getattr(wrapper, "close_pool", None)
        if close_pool is not None:
            close_pool()
