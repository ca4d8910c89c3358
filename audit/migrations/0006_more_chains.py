"""256 chains instead of 16 (see audit.chain.CHAIN_COUNT): a head row for each new chain.

Events already written keep their chain; a task that was running during the upgrade goes on
in the chain its id now maps to, so its events span two chains, each verifiable on its own."""

from django.db import migrations

CHAIN_COUNT = 256  # audit.chain.CHAIN_COUNT at the time of this migration


def create_chain_heads(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(chain=chain) for chain in range(CHAIN_COUNT)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_time_indexes_fulltext")]
    operations = [migrations.RunPython(create_chain_heads, migrations.RunPython.noop)]
