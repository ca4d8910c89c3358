"""Querysets compiled to SQL once per database, for the hottest fixed-shape reads.

The ORM builds and compiles a queryset every time one is evaluated: for a lookup by key with
a join or two that is 0.2–0.4 ms of CPU, more than the database spends answering it. The API
key behind every request and the task row the pipeline locks several times a run are read
this way thousands of times a minute, always in the same shape.

`PreparedQuery(build, *kinds)` calls `build(*markers)` once per database alias (one marker of
each kind: `uuid.UUID`, `int` or `str`), compiles it, and remembers where each marker landed
among the statement's parameters and which field prepares it. A call then prepares only its
own values, runs the statement, and builds the instances as `QuerySet` does
(`ModelIterable`: converters, `select_related` rows, annotations). Only filters whose value
is a plain parameter of one field may take a marker (`pk=`, `key_hash=`, `requester_id=`);
anything else in the queryset is fixed when it is compiled.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Field, Model, QuerySet
from django.db.models.lookups import Lookup
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

_MARKERS: dict[type, Callable[[], Any]] = {
    uuid.UUID: uuid.uuid4,
    int: lambda: secrets.randbelow(2**52) + 2**40,
    str: lambda: f"marker-{secrets.token_hex(16)}",
}


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]  # where each value goes among `params`
    fields: tuple[Field, ...]  # and the field that prepares it
    # Per converted column: its position, the converters the ORM applies (backend's, then
    # field's) and the expression they are given, as `SQLCompiler.get_converters` finds them.
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    locks: bool  # SELECT … FOR UPDATE: only inside a transaction
    build_instance: Callable[[Sequence[Any]], Any]


class PreparedQuery(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type) -> None:
        unknown = [kind for kind in kinds if kind not in _MARKERS]
        if unknown:
            raise TypeError(f"no marker for {unknown}; use uuid.UUID, int or str")
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def all(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        return list(self._rows(values, using))

    def first(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> M | None:
        """The first row the statement returns (give the queryset an order or a unique
        filter), or None."""
        return next(self._rows(values, using), None)

    def _rows(self, values: tuple[Any, ...], using: str) -> Iterator[M]:
        if len(values) != len(self._kinds):
            raise TypeError(f"expected {len(self._kinds)} values, got {len(values)}")
        connection = connections[using]
        compiled = self._compiled.get(using) or self._compile(using)
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for position, field, value in zip(compiled.positions, compiled.fields, values, strict=True):
            params[position] = field.get_db_prep_value(value, connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        for fetched in rows:
            row = list(fetched)
            for position, converters, expression in compiled.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            yield compiled.build_instance(row)

    def _compile(self, using: str) -> _Compiled:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            connection = connections[using]
            markers = [_MARKERS[kind]() for kind in self._kinds]
            queryset = self._build(*markers).using(using)
            compiler = queryset.query.get_compiler(using=using)
            # A locking read compiles only inside a transaction: open one that runs nothing (no
            # savepoint inside the caller's). Each call checks for its own transaction instead.
            with transaction.atomic(using=using, savepoint=False):
                sql, params = compiler.as_sql()
            fields = tuple(_field_of(queryset, marker) for marker in markers)
            positions = tuple(
                _position(params, field.get_db_prep_value(marker, connection, prepared=False))
                for field, marker in zip(fields, markers, strict=True)
            )
            columns = [column[0] for column in compiler.select[: compiler.col_count]]
            if compiler.has_composite_fields(columns):
                raise ValueError("composite primary keys are not supported")
            compiled = _Compiled(
                sql=sql,
                params=tuple(params),
                positions=positions,
                fields=fields,
                converters=tuple(
                    (position, tuple(converters), expression)
                    for position, (converters, expression) in compiler.get_converters(
                        columns
                    ).items()
                ),
                locks=queryset.query.select_for_update
                and connection.features.has_select_for_update,
                build_instance=_instance_builder(compiler, using),
            )
            self._compiled[using] = compiled
            return compiled


def _field_of(queryset: QuerySet[Any], marker: Any) -> Field:
    """The field of the filter whose value is `marker`."""
    found = [
        lookup.lhs.output_field
        for lookup in _lookups(queryset.query.where)
        if lookup.rhs_is_direct_value() and lookup.rhs == marker
    ]
    if len(found) != 1:
        raise ValueError(f"a marker must be the value of exactly one filter; found {len(found)}")
    return found[0]


def _lookups(node: Any) -> Iterator[Lookup]:
    for child in getattr(node, "children", ()):
        if isinstance(child, Lookup):
            yield child
        else:
            yield from _lookups(child)


def _position(params: tuple[Any, ...] | list[Any], prepared: Any) -> int:
    positions = [index for index, param in enumerate(params) if param == prepared]
    if len(positions) != 1:
        raise ValueError(f"a marker must be one parameter of the statement; found {len(positions)}")
    return positions[0]


def _instance_builder(compiler: SQLCompiler, using: str) -> Callable[[Sequence[Any]], Any]:
    """A row → model instance, with its `select_related` rows and annotations, as
    `ModelIterable` builds it (its populators keep no state between rows)."""
    select, klass_info = compiler.select, compiler.klass_info
    assert klass_info is not None, "PreparedQuery reads model instances, not values()"
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    # (django-stubs give it the `fetch_mode` argument of a later Django.)
    populators = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]
    annotations = tuple(compiler.annotation_col_map.items())

    def build(row: Sequence[Any]) -> Any:
        instance = model.from_db(using, names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations:
            setattr(instance, name, row[position])
        return instance

    return build
