from django.db import migrations

CHAIN_COUNT = 16  # audit.chain.CHAIN_COUNT at the time of this migration


def create_chain_heads(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    for chain in range(CHAIN_COUNT):
        AuditChainHead.objects.get_or_create(chain=chain)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_chain_heads, migrations.RunPython.noop)]
