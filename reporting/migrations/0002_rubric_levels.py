"""The published scoring rubric (0-4). Its text is data: staff can refine it in the admin."""

from django.db import migrations

LEVELS = [
    (0, "Nothing reported", "The report describes no action under this commitment."),
    (
        1,
        "Intentions only",
        "Plans or intentions are described, but no action was carried out during the year.",
    ),
    (
        2,
        "Some action",
        "At least one action was carried out, with few resources, partners or results reported.",
    ),
    (
        3,
        "Substantial action",
        "Several actions with committed resources and partners, and results measured "
        "against indicators.",
    ),
    (
        4,
        "Exemplary",
        "A sustained, well-resourced programme with measured results, worth sharing as a "
        "good practice with other cities.",
    ),
]


def load(apps, schema_editor):
    RubricLevel = apps.get_model("reporting", "RubricLevel")
    for score, label, description in LEVELS:
        RubricLevel.objects.get_or_create(
            score=score, defaults={"label": label, "description": description}
        )


def unload(apps, schema_editor):
    apps.get_model("reporting", "RubricLevel").objects.filter(
        score__in=[score for score, _l, _d in LEVELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
