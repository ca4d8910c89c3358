"""Servers and workers freeze their warm heap, so full collections skip it (agency/heap.py)."""

import gc
import weakref

import pytest
from celery.signals import worker_ready

from agency.celery import _mark_ready, _settle_heap, _warm_model_providers, _warm_risk_classifier
from agency.heap import YOUNG_COLLECTION_THRESHOLD, settle_heap


@pytest.fixture
def unfrozen():
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the suite runs with the normal collector
    gc.set_threshold(*threshold)


def _tracked(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects())


def test_what_exists_when_settling_is_frozen_and_later_objects_are_not(unfrozen):
    before = [object()]
    assert _tracked(before)

    frozen = settle_heap()

    after = [object()]
    assert frozen > 0  # (objects freed since by reference counting leave the count)
    assert not _tracked(before)  # a full collection no longer walks it
    assert _tracked(after)


def test_the_young_generation_is_collected_less_often_and_the_older_ones_as_before(unfrozen):
    _, middle, old = gc.get_threshold()

    settle_heap()

    assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, middle, old)


class _Node:
    pass


def test_startup_garbage_is_collected_rather_than_frozen_for_good(unfrozen):
    gc.disable()  # only settle_heap may collect
    try:
        node = _Node()
        node.itself = node  # a cycle: reference counting alone never frees it
        dead = weakref.ref(node)
        del node

        settle_heap()

        assert dead() is None
    finally:
        gc.enable()


def test_the_served_application_is_warm_and_settled(unfrozen):
    from django.urls import get_resolver

    from agency.management.commands.agency_serve import _application

    _application()

    assert gc.get_freeze_count() > 0
    assert get_resolver()._populated


def test_a_worker_settles_its_heap_after_its_warm_ups_and_before_it_says_ready():
    receivers = [ref() for _, ref in worker_ready.receivers]

    assert receivers.index(_warm_risk_classifier) < receivers.index(_settle_heap)
    assert receivers.index(_warm_model_providers) < receivers.index(_settle_heap)
    assert receivers.index(_settle_heap) < receivers.index(_mark_ready)
