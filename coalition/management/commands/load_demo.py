from django.core.management import call_command
from django.core.management.base import BaseCommand

from coalition.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email, load_demo


class Command(BaseCommand):
    help = (
        "Load the coalition data, demo accounts and demo activity (idempotent; not in production)."
    )

    def handle(self, *args, **options):
        call_command("load_coalition_data", stdout=self.stdout)
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts (password: demo):"))
        width = max(len(demo_email(local)) for local, *_ in DEMO_ACCOUNTS)
        for local, _name, description, needs_totp in DEMO_ACCOUNTS:
            note = "  [two-factor: code from `make totp`]" if needs_totp else ""
            self.stdout.write(f"  {demo_email(local):<{width}}  {description}{note}")
        self.stdout.write(
            f"Password for every account: {DEMO_PASSWORD}. Staff accounts share the demo TOTP "
            f"secret {DEMO_TOTP_SECRET}; `make totp` prints the current code."
        )
