"""Recompute an election from its published data: `manage.py verify_election ID [--file F]`.

Reads the election's published bundle (or a downloaded copy of it) and checks the box's
fingerprint against the receipts, the opened list against its hash, the counts against
the cities that voted, and the result against a recount. scripts/verify_election.py does
the same from the file alone, without Django or a database.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from governance.elections import bundle
from governance.models import Election
from governance.selectors_elections import RESULT_STATUSES
from governance.services.elections import published_bundle


class Command(BaseCommand):
    help = "Recompute an election's count from its published data and say whether it agrees."

    def add_arguments(self, parser):
        parser.add_argument("election", type=int)
        parser.add_argument("--file", help="a downloaded bundle.json instead of the database")

    def handle(self, *args, election: int, file: str | None = None, **options):
        if file:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        else:
            found = Election.objects.filter(pk=election, status__in=RESULT_STATUSES).first()
            if found is None:
                raise CommandError(f"No counted election {election}.")
            data = published_bundle(found)
        problems = bundle.verify(data)
        recount = bundle.recount(data)
        self.stdout.write(
            f"Election {election}: {len(data.get('ballots') or [])} ballots, "
            f"elected {recount['elected']}, skipped {recount['skipped']}"
        )
        if problems:
            raise CommandError("The published data do not agree: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("The published data agree with the result."))
