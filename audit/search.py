"""Full-text search over event payloads.

PostgreSQL: the string and number values of the payload (not its keys), with path and name
punctuation (`/ . _ - @ :`) read as spaces so that `ledger` finds `tests/test_ledger.py`, as a
`simple` (no stemming) tsvector, matched with `websearch_to_tsquery` (all words, "quoted
phrases", `or`, `-word`). The tsvector is a stored generated column, `payload_search`, with
a GIN index (migration 0004; not a model field, so PostgreSQL-only SQL reads it).
Elsewhere (SQLite): every word or quoted phrase must occur in the payload text
(case-insensitive substring).
"""

from __future__ import annotations

import json
import re
import shlex

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

SEARCH_MAX_CHARS = 200
SPLIT_CHARACTERS = "/._-@:"  # migration 0004 reads these as spaces when it indexes
_WORD_HYPHEN = re.compile(r"(?<=\w)-")


def search_text_normalised(text: str) -> str:
    """The query with the same punctuation read as spaces (a leading `-` still negates)."""
    text = _WORD_HYPHEN.sub(" ", text)
    return text.translate({ord(c): " " for c in SPLIT_CHARACTERS if c != "-"})


def search_terms(text: str) -> list[str]:
    """Words and "quoted phrases"; an unbalanced quote is read as a plain character."""
    try:
        terms = shlex.split(text)
    except ValueError:
        terms = text.split()
    return [t for t in (term.strip() for term in terms) if t]


def audit_search_filter(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()[:SEARCH_MAX_CHARS]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(
            RawSQL(
                '"audit_auditevent"."payload_search" @@ '
                "websearch_to_tsquery('simple'::regconfig, %s)",
                [search_text_normalised(text)],
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for term in search_terms(text):
        # The payload is stored as JSON text: look for the term as JSON would escape it.
        condition &= Q(payload__icontains=json.dumps(term, ensure_ascii=False)[1:-1])
    return queryset.filter(condition)


def search_index_flush() -> int:
    """Merges the full-text index's pending list into the index (PostgreSQL; see migration
    0007); returns the pages merged. Run by beat, so appends usually only add to the list."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('audit_payload_fts'::regclass)")
        return int(cursor.fetchone()[0])
