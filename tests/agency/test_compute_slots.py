"""Compute slots (agency.compute_slots): at most PIPELINE_COMPUTE_SLOTS stage threads of a process
compute at once; a thread gives its slot up while it waits, unless it waits inside a
transaction."""

import threading
import time

import pytest
from django.db import transaction

from agency import compute_slots
from agency.compute_slots import compute_slot
from agency.db import waiting


@pytest.fixture
def slots(settings):
    def set_limit(limit: int) -> None:
        settings.PIPELINE = {**settings.PIPELINE, "COMPUTE_SLOTS": limit}

    return set_limit


def _most_at_once(threads: int) -> int:
    inside, most, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal inside, most
        with compute_slot():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.02)
            with lock:
                inside -= 1

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(10)
    return most


def test_no_more_threads_compute_at_once_than_there_are_slots(slots):
    slots(3)
    assert _most_at_once(12) == 3
    slots(0)  # no limit
    assert _most_at_once(12) > 3


def test_a_slot_is_reentrant(slots):
    slots(1)
    with compute_slot(), compute_slot():
        pass
    with compute_slot():  # and was given back
        pass


def _second_thread_gets_a_slot_while_first_waits(*, in_transaction: bool) -> bool:
    waiting_now, release = threading.Event(), threading.Event()

    def first() -> None:
        with compute_slot():
            if in_transaction:
                with transaction.atomic(), waiting():
                    waiting_now.set()
                    release.wait(10)
            else:
                with waiting():
                    waiting_now.set()
                    release.wait(10)

    got = threading.Event()

    def second() -> None:
        with compute_slot():
            got.set()

    a = threading.Thread(target=first)
    a.start()
    waiting_now.wait(10)
    b = threading.Thread(target=second)
    b.start()
    served = got.wait(0.5)
    release.set()
    a.join(10)
    b.join(10)
    assert got.is_set()  # in any case once the first is done
    return served


@pytest.mark.django_db(transaction=True)
def test_a_wait_gives_the_slot_up_unless_inside_a_transaction(slots):
    slots(1)
    assert _second_thread_gets_a_slot_while_first_waits(in_transaction=False)
    # Inside a transaction the wait keeps its pooled connection, so it keeps its slot: a
    # thread queued for a slot never holds a connection that a slot holder needs.
    assert not _second_thread_gets_a_slot_while_first_waits(in_transaction=True)


def test_the_thread_holds_its_slot_again_after_the_wait(slots):
    slots(1)
    with compute_slot():
        with waiting():
            assert getattr(compute_slots._holding, "slot", None) is None
        assert compute_slots._holding.slot is not None
    assert compute_slots._holding.slot is None


def test_a_delivery_computes_in_a_slot(slots, monkeypatch):
    from tasks.pipeline import delivery

    slots(2)
    seen = {}

    def run(**kwargs):
        seen["slot"] = getattr(compute_slots._holding, "slot", None)
        return "done"

    monkeypatch.setattr(delivery, "_delivery_run", run)
    assert delivery.delivery_run(task_id="x", stage="plan", carry=False) == "done"
    assert seen["slot"] is not None


def test_a_thread_back_from_a_wait_goes_before_a_new_delivery():
    from agency.compute_slots import ComputeSlots

    slots = ComputeSlots(1)
    slots.acquire()  # held by a third thread's work
    order: list[str] = []

    def take(name: str, resuming: bool) -> None:
        slots.acquire(resuming=resuming)
        order.append(name)
        slots.release()

    entrant = threading.Thread(target=take, args=("new delivery", False))
    entrant.start()
    time.sleep(0.1)  # queued first
    resumer = threading.Thread(target=take, args=("back from a wait", True))
    resumer.start()
    time.sleep(0.1)
    slots.release()
    entrant.join(5)
    resumer.join(5)
    assert order == ["back from a wait", "new delivery"]


def test_every_free_slot_is_handed_on():
    from agency.compute_slots import ComputeSlots

    slots = ComputeSlots(3)
    for _ in range(3):
        slots.acquire()
    done = threading.Semaphore(0)

    def take(resuming: bool) -> None:
        slots.acquire(resuming=resuming)
        done.release()

    waiters = [threading.Thread(target=take, args=(n % 2 == 0,)) for n in range(3)]
    for thread in waiters:
        thread.start()
    time.sleep(0.1)
    for _ in range(3):
        slots.release()
    assert all(done.acquire(timeout=5) for _ in range(3))


def test_a_timed_out_wait_for_a_slot_hands_its_notice_on():
    from agency.compute_slots import ComputeSlots

    slots = ComputeSlots(1)
    slots.acquire()
    assert slots.acquire(resuming=True, timeout=0.05) is False
    got = threading.Event()
    waiter = threading.Thread(target=lambda: (slots.acquire(), got.set()))
    waiter.start()
    time.sleep(0.05)
    slots.release()
    assert got.wait(5)  # the one who gave up is not counted as still waiting
    waiter.join(5)


@pytest.mark.django_db(transaction=True)
def test_a_stage_queued_for_its_slot_after_a_wait_keeps_its_heartbeat(slots, settings, operator):
    """A stage back from a model call on a busy worker queues for its slot; meanwhile it beats
    every third of PIPELINE_STALE_AFTER, so the redispatcher does not take it for dead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks import services
    from tasks.models import TaskState
    from tasks.pipeline.runner import StageOutcome, stage_run

    slots(1)
    settings.PIPELINE = {**settings.PIPELINE, "STALE_AFTER_SECONDS": 0.3, "BEAT_MIN_INTERVAL": 0}
    task = services.task_create(
        actor=operator, description="Write add(a, b) in calc.py that returns a + b; test it."
    )
    busy, beats = threading.Event(), []

    def other_work() -> None:
        with compute_slot():  # takes the slot the stage gives up for its wait
            busy.set()
            time.sleep(0.6)

    def work(ctx):
        with CaptureQueriesContext(connection) as queries, waiting():
            threading.Thread(target=other_work).start()
            busy.wait(5)
        beats.extend(q for q in queries if "stage_heartbeat_at" in q["sql"])
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    with compute_slot():
        stage_run(
            task_id=str(task.pk), stage="plan", serves={"submitted"}, enter=TaskState.PLANNING,
            work=work,
        )  # fmt: skip
    assert len(beats) >= 2  # 0.6 s queued, a beat every 0.1 s
