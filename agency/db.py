"""Database connections and held-back writes around long waits.

With the PostgreSQL connection pool (settings: DATABASE_POOL_MAX_SIZE), a thread that waits
on a model provider for seconds need not hold a connection meanwhile: it hands it back, and
the next query takes one from the pool again. That is what lets hundreds of worker threads
wait on models at once with a few dozen connections.

A caller that holds writes back to batch them (a stage's progress reports) registers
`WaitHooks` with `waits_observed`; `waiting()` tells it when the thread is about to wait and
when the wait is over, so what it held goes out before the wait rather than after it.

Those hundreds of threads should not all compute at once either: `waiting()` also gives up
the thread's compute slot (`agency.compute_slots`) for the wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from django.db import connection

from agency.compute_slots import slot_give_up, slot_take_back


class WaitHooks(Protocol):
    def wait_begins(self) -> None: ...

    def wait_ends(self) -> None: ...

    # The wait is over but the thread is still queued for its compute slot, for a while.
    def still_waiting(self) -> None: ...


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
    slot = slot_give_up()
    try:
        yield
    finally:
        slot_take_back(slot, _queued_beat(hooks) if hooks is not None else None)
        if hooks is not None:
            hooks.wait_ends()


def _queued_beat(hooks: WaitHooks) -> Callable[[], None]:
    def beat() -> None:
        hooks.still_waiting()
        connection_release()  # queued for a slot: hold no connection meanwhile

    return beat


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
