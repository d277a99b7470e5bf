"""By-elections of officers: an officer election names the terms it ends (issue 11).

Until now certification ended every sitting holder of the office; an election names its
outgoing officers instead, and `additional_seats` counts its vacancies. Officer elections
not yet certified (nor void) keep the old meaning: they name the terms of the office that
run into their new term, and the rest of their offices are vacancies.
"""

from django.db import migrations, models
from django.db.models import Q

UNDECIDED = (
    "draft",
    "candidacy",
    "published",
    "voting",
    "closed",
    "tallied",
    "released",
    "counted",
)


def name_outgoing_officers(apps, schema_editor):
    Election = apps.get_model("governance", "Election")
    CommitteeOfficer = apps.get_model("governance", "CommitteeOfficer")
    for election in Election.objects.filter(body="officers", status__in=UNDECIDED):
        outgoing = list(
            CommitteeOfficer.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=election.term_starts_on),
                coalition_id=election.coalition_id,
                office=election.office,
                starts_on__lt=election.term_starts_on,
            )
        )
        election.outgoing_officers.set(outgoing)
        election.additional_seats = max(election.seats - len(outgoing), 0)
        election.save(update_fields=["additional_seats"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0021_roll_call_proxy_holder"),
    ]

    operations = [
        migrations.AddField(
            model_name="election",
            name="outgoing_officers",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="governance.committeeofficer",
                verbose_name="outgoing officers",
            ),
        ),
        migrations.AddField(
            model_name="statuteprofile",
            name="vice_presidents",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: no fixed number.",
                null=True,
                verbose_name="number of Vice-Presidents of the steering committee",
            ),
        ),
        migrations.RunPython(name_outgoing_officers, migrations.RunPython.noop),
    ]
