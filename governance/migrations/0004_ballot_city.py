"""Ballots name their city, so that one city casts one vote (step 1: add and fill)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_city(apps, schema_editor):
    Ballot = apps.get_model("governance", "Ballot")
    for ballot in Ballot.objects.select_related("seat").filter(city__isnull=True):
        ballot.city_id = ballot.seat.city_id
        ballot.save(update_fields=["city"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_admissionapplication_committeevote_comment_ballot_and_more"),
        ("members", "0002_membership_report_overdue"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.city",
                verbose_name="city",
            ),
        ),
        migrations.RunPython(fill_city, migrations.RunPython.noop),
    ]
