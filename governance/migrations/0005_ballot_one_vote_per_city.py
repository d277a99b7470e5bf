"""One city, one vote (step 2): every ballot has its city, and a city has one ballot per vote."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_ballot_city"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ballot",
            name="city",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.city",
                verbose_name="city",
            ),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(
                fields=("vote", "city"), name="ballot_one_per_city_per_vote"
            ),
        ),
    ]
