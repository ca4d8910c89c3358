"""Database connections around long waits.

With the PostgreSQL connection pool (settings: DATABASE_POOL_MAX_SIZE), a thread that waits
on a model provider for seconds need not hold a connection meanwhile: it hands it back, and
the next query takes one from the pool again. That is what lets hundreds of worker threads
wait on models at once with a few dozen connections.
"""

from __future__ import annotations

from django.db import connection


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
