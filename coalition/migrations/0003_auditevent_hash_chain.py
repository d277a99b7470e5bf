"""The audit log becomes a hash chain: each row's hash and its predecessor's.

Rows written before this migration are chained here, in id order, with the same
serialisation coalition.audit.record uses for new ones.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def chain_existing_rows(apps, schema_editor):
    from coalition.audit import fields_of, row_hash  # noqa: PLC0415 - app code, only when it runs

    AuditEvent = apps.get_model("coalition", "AuditEvent")
    previous = ""
    batch = []
    rows = AuditEvent.objects.using(schema_editor.connection.alias).select_related("content_type")
    for event in rows.order_by("id").iterator(chunk_size=2000):
        label = f"{event.content_type.app_label}.{event.content_type.model}"
        event.prev_hash = previous
        event.hash = row_hash(fields_of(event, label))
        previous = event.hash
        batch.append(event)
        if len(batch) >= 1000:
            AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("coalition", "0002_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="previous row's hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="when"
            ),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop, elidable=False),
    ]
