"""The full-text index takes new events into its pending list (GIN `fastupdate`) again.

0005 turned fastupdate off so that no append would pay for merging a full pending list. But
updating the GIN tree on every insert is the larger steady cost of an append: with 4 writers
at one event per transaction, 2,090-2,210 events/s with p99 1.9-2.9 ms added, against
2,310-2,360 events/s with p99 1.54-1.59 ms with the pending list (`benchmark audit`,
1,000,000 events). The beat job `audit.search_index_flush` merges the list every
AUDIT_SEARCH_FLUSH_INTERVAL seconds, so it stays short for searches and never reaches
`gin_pending_list_limit` in an appender's transaction under a normal load."""

from django.db import migrations

PENDING_LIST_LIMIT_KB = 16_384
PENDING_LIST_ON = (
    "ALTER INDEX IF EXISTS audit_payload_fts "
    f"SET (fastupdate = on, gin_pending_list_limit = {PENDING_LIST_LIMIT_KB})"
)
PENDING_LIST_OFF = (
    "ALTER INDEX IF EXISTS audit_payload_fts SET (fastupdate = off); "
    "ALTER INDEX IF EXISTS audit_payload_fts RESET (gin_pending_list_limit)"
)


def pending_list_on(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PENDING_LIST_ON)


def pending_list_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PENDING_LIST_OFF)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_more_chains")]
    operations = [migrations.RunPython(pending_list_on, pending_list_off)]
