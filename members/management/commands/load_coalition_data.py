from django.core.management.base import BaseCommand

from members.seed import load_coalition_data


class Command(BaseCommand):
    help = "Load the coalitions, lead cities and ECCAR's Ten-Point Plan from the public record."

    def handle(self, *args, **options):
        created = load_coalition_data()
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(self.style.SUCCESS(f"Coalition data loaded (created: {summary})."))
