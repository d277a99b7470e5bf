"""City.search_name holds transliterated spellings (anyascii, umlauts spelled out as well),
recomputed for every existing city; on PostgreSQL a trigram index answers the directory's
LIKE '%...%' search."""

from django.db import migrations, models

TRIGRAM_INDEX = "members_city_search_name_trgm"


def recompute_search_names(apps, schema_editor):
    # The model's own folding, not a copy: the stored key must be what the query folds to.
    from members.models import search_spellings  # noqa: PLC0415 - app code, only when the migration runs

    City = apps.get_model("members", "City")
    batch = []
    for city in City.objects.only("id", "name", "local_name", "search_name").iterator():
        key = search_spellings(city.name, city.local_name)
        if key != city.search_name:
            city.search_name = key
            batch.append(city)
        if len(batch) >= 500:
            City.objects.bulk_update(batch, ["search_name"])
            batch = []
    City.objects.bulk_update(batch, ["search_name"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
        "ON members_city USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_membership_report_overdue")]

    operations = [
        migrations.AlterField(
            model_name="city",
            name="search_name",
            field=models.CharField(db_index=True, editable=False, max_length=1000),
        ),
        migrations.RunPython(recompute_search_names, migrations.RunPython.noop),
        # Outside the model state (as governance 0009's exclusion constraint): the index
        # exists on PostgreSQL only.
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
