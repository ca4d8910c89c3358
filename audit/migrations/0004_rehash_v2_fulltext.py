"""Re-chain the events written before hash scheme v2 (pre-release data only)."""

import json

from django.db import migrations

def rehash(apps, schema_editor):
    from audit.chain import event_hash, head_signature, payload_digest, timestamp_us
    from audit.fields import canonical_json

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    for head in AuditChainHead.objects.all():
        prev = "0" * 64
        last = 0
        for event in AuditEvent.objects.filter(chain=head.chain).order_by("sequence").iterator():
            payload = event.payload
            if isinstance(payload, str):
                payload = json.loads(payload) if payload else {}
            text = canonical_json(payload)
            event.payload = text
            event.prev_hash = prev
            event.hash = event_hash(
                prev_hash=prev,
                chain=event.chain,
                sequence=event.sequence,
                timestamp_us=timestamp_us(event.timestamp),
                category=event.category,
                action=event.action,
                actor=event.actor,
                task_hex=event.task_id.hex if event.task_id else "",
                level=event.level,
                payload_digest=payload_digest(text),
            )
            event.save(update_fields=["payload", "prev_hash", "hash"])
            prev, last = event.hash, event.sequence
        head.sequence, head.head_hash = last, prev
        head.signature = head_signature(chain=head.chain, sequence=last, head_hash=prev)
        head.save(update_fields=["sequence", "head_hash", "signature"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_checkpoints_exports_v2")]
    operations = [
        migrations.RunPython(rehash, migrations.RunPython.noop),
        # The PostgreSQL full-text index is built in 0005 (an earlier draft built it here).
    ]
