"""One application in progress per new city and coalition, whatever the spelling of its name.

Existing applications for a new city get their city_key. Applications already in
progress twice for one city (the race this constraint closes) keep their place:
the later ones get a key marked with their id, so the constraint can be created,
and the bureau settles them (a resubmission of such a one is refused until then).
"""

import re
import unicodedata

from django.db import migrations, models

OPEN = ["submitted", "returned", "resubmitted", "under_vote"]


def city_name_key(name):
    """governance.models.admissions.city_name_key as of this migration."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
    folded = folded.translate(str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"}))
    return re.sub(r"[\s\-\u2010-\u2015\u2212_]+", " ", folded).strip()[:255]


def fill_city_key(apps, schema_editor):
    AdmissionApplication = apps.get_model("governance", "AdmissionApplication")
    taken = set()
    for application in AdmissionApplication.objects.filter(city__isnull=True).order_by(
        "submitted_at", "id"
    ):
        key = city_name_key(application.city_name)
        identity = (application.coalition_id, application.country, key)
        if application.status in OPEN:
            if identity in taken:
                key = f"{key}#{application.pk}"[-255:]
            taken.add(identity)
        application.city_key = key
        application.save(update_fields=["city_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_electorate_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="admissionapplication",
            name="city_key",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(fill_city_key, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="admissionapplication",
            constraint=models.UniqueConstraint(
                condition=models.Q(("city__isnull", True), ("status__in", OPEN)),
                fields=("coalition", "country", "city_key"),
                name="application_one_open_per_new_city_and_coalition",
            ),
        ),
    ]
