from django.core.management.base import BaseCommand

from coalition.demo import current_totp_code, ensure_demo_allowed


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff accounts."

    def handle(self, *args, **options):
        ensure_demo_allowed()
        self.stdout.write(current_totp_code())
