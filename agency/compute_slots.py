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
import time
from collections.abc import Callable, Iterator
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

    def acquire(self, *, resuming: bool = False, timeout: float | None = None) -> bool:
        """Takes a slot; False if none came within `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        queue = self._resuming if resuming else self._entering
        with self._lock:
            self._resumers_waiting += resuming
            try:
                while not self._free or (not resuming and self._resumers_waiting):
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return False
                    queue.wait(left)
                self._free -= 1
                return True
            finally:
                self._resumers_waiting -= resuming
                self._wake()  # the next in line, if a slot is still free (or was left)

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


def slot_take_back(
    slots: ComputeSlots | None, still_waiting: Callable[[], None] | None = None
) -> None:
    """After the wait: the slot again, ahead of threads starting new deliveries. While queued
    it calls `still_waiting` every third of `PIPELINE_STALE_AFTER`, so that a stage queued
    for long on an overloaded worker keeps its heartbeat and is not taken for dead."""
    if slots is None:
        return
    every = float(settings.PIPELINE["STALE_AFTER_SECONDS"]) / 3
    while not slots.acquire(resuming=True, timeout=every):
        if still_waiting is not None:
            still_waiting()
    _holding.slot = slots
