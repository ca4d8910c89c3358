"""Compute slots: at most `PIPELINE_COMPUTE_SLOTS` worker threads of a process compute at once.

A worker process may have hundreds of threads waiting on models at once (the concurrency
benchmark runs 250 a process). Between their waits they all competed for the GIL: 250
threads a process used 12-14 % more CPU per task than 16 for the same work. A delivery now
computes holding a slot (`compute_slot()`) and gives it up for each wait (`agency.db.waiting()`:
model calls, councils, sandbox commands); the others queue here rather than for the GIL.

A thread coming back from a wait goes before one starting a new delivery: work in progress
finishes first, rather than every task in the process slowing down as new ones arrive.

A wait inside a transaction keeps its slot, as it keeps its pooled connection: a thread queued
for a slot never holds a connection that a slot holder needs, so slots and the pool cannot
deadlock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


class ComputeSlots:
    """`size` slots; threads resuming after a wait are served before new entrants."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = size
        self._lock = threading.Lock()
        self._resuming = threading.Condition(self._lock)
        self._entering = threading.Condition(self._lock)
        self._resumers_waiting = 0

    def acquire(self, *, resuming: bool = False) -> None:
        with self._lock:
            if resuming:
                self._resumers_waiting += 1
                while not self._free:
                    self._resuming.wait()
                self._resumers_waiting -= 1
            else:
                while not self._free or self._resumers_waiting:
                    self._entering.wait()
            self._free -= 1
            self._wake()  # a slot may still be free for the next in line

    def release(self) -> None:
        with self._lock:
            self._free += 1
            self._wake()

    def _wake(self) -> None:
        # One waiter at a time (the lock is held): each that takes a slot wakes the next.
        if not self._free:
            return
        if self._resumers_waiting:
            self._resuming.notify()
        else:
            self._entering.notify()


_slots_lock = threading.Lock()
_slots: ComputeSlots | None = None
_holding = threading.local()  # .slot: the ComputeSlots this thread holds a slot of


def _process_slots() -> ComputeSlots | None:
    global _slots
    size = int(settings.PIPELINE.get("COMPUTE_SLOTS") or 0)
    if size <= 0:
        return None
    with _slots_lock:
        if _slots is None or _slots.size != size:
            _slots = ComputeSlots(size)
        return _slots


@contextmanager
def compute_slot() -> Iterator[None]:
    """Runs the block in one of this process's compute slots, waiting for one if all are
    taken (re-entrant; no limit when PIPELINE_COMPUTE_SLOTS is 0)."""
    if getattr(_holding, "slot", None) is not None:
        yield
        return
    slots = _process_slots()
    if slots is None:
        yield
        return
    slots.acquire()
    _holding.slot = slots
    try:
        yield
    finally:
        held, _holding.slot = _holding.slot, None
        if held is not None:
            held.release()


def slot_give_up() -> ComputeSlots | None:
    """Before a wait: gives this thread's slot up (unless it waits inside a transaction)."""
    slots = getattr(_holding, "slot", None)
    if slots is None or connection.in_atomic_block:
        return None
    _holding.slot = None
    slots.release()
    return slots


def slot_take_back(slots: ComputeSlots | None) -> None:
    """After the wait: the slot again, ahead of threads starting new deliveries."""
    if slots is not None:
        slots.acquire(resuming=True)
        _holding.slot = slots
