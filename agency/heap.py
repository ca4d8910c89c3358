"""Keeps the startup heap out of the cyclic garbage collector's full passes.

A warm server or worker holds a few hundred thousand long-lived objects: modules, classes,
URL patterns, serializer fields, the classifier's vocabulary. Python's full (generation-2)
collection walks all of them, with the GIL held, each time enough new objects have survived
since the last one; under API load that was an 80–107 ms pause about every 1.2 s in the
server, stalling every request in flight (`docs/benchmarks.md`, item 16). `gc.freeze()` moves
what exists once the process is warm into a permanent generation the collector skips, so a
full pass walks only what was allocated since. Frozen objects are still freed by reference
counting; only cycles among them are never collected, and a process makes those at startup
once, not per request.
"""

from __future__ import annotations

import gc


def load_url_conf() -> None:
    """Imports every URLconf and the views, serializers and filters they name, and builds the
    reverse map, so a server's first requests do not, and what they load is frozen too."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (populates the resolver)


# Container objects allocated (net) between two young-generation collections. CPython's 700
# suits a script. A server with 50 requests in flight has far more young objects alive than
# that, and every collection walked them again. Interleaved, at 20,000 instead of 700, a task
# list request cost 4.02–4.24 instead of 4.23–4.52 ms of server CPU and a create 3.30–3.34
# instead of 3.56–3.68 (`docs/benchmarks.md`, item 16). A young collection frees only cycles;
# reference counting frees the rest at once, so memory barely moves.
YOUNG_COLLECTION_THRESHOLD = 20_000


def settle_heap() -> int:
    """Collect what startup left behind, freeze the rest, and collect the young generation
    less often. Returns the frozen count.

    Call it once the process is warm (its application built, its models loaded) and before it
    serves: what is allocated later stays under the normal collector.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)
    return gc.get_freeze_count()
