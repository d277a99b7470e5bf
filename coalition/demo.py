"""Demo accounts and data for `make run` and the browser tests. Never for production.

Every account's password is `demo`. Staff accounts (administrator, bureau,
secretariat) must use two-factor authentication; they share the published
demo TOTP secret below, and `python manage.py demo_totp` prints the current code.
"""

from __future__ import annotations

import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string
from django.utils.text import slugify

from coalition.mail import silenced
from coalition.models import User

DEMO_PASSWORD = "demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_DOMAIN = "demo.coalition.example"


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_DOMAIN}"


#: (local part, full name, description, needs TOTP)
DEMO_ACCOUNTS = [
    ("admin", "Ada Admin", "administrator", True),
    ("bureau", "Bruno Bureau", "bureau staff (ECCAR)", True),
    ("secretariat", "Sara Secretariat", "scientific secretariat (ECCAR)", True),
    ("committee", "Camille Committee", "steering committee member for Ghent", False),
    ("coordinator", "Corinna Coordinator", "city coordinator of Potsdam", False),
    ("delegate", "David Delegate", "delegate of Potsdam", False),
    ("substitute", "Sami Substitute", "substitute delegate of Potsdam", False),
    ("graz", "Greta Graz", "city coordinator of Graz (a delegate certification waits)", False),
    ("applicant", "Anna Applicant", "applicant for a new city (application waiting)", False),
    ("bureau-de", "Berit Bureau", "bureau staff (ECCAR-DE, whose statute allows proxies)", True),
]

#: ECCAR's steering committee in the seed (DOMAIN.md): a voting seat for each city, each
#: with its representative, so that the demo committee can reach its quorum. Ghent's is
#: committee@demo and Graz's graz@demo; every other one is <city>@demo (rotterdam@demo...).
COMMITTEE_SEAT_CITIES = [
    "Rotterdam",
    "Berlin",
    "Bologna",
    "Botkyrka",
    "Esch-sur-Alzette",
    "Ghent",
    "Graz",
    "Karlsruhe",
    "Liège",
    "Malmö",
    "Metz",
    "Munich",
    "Nancy",
    "Nantes",
    "Potsdam",
    "Toulouse",
    "Villeurbanne",
]
#: Seats of the previous term that were not renewed (their representatives too).
PREVIOUS_SEAT_CITIES = ["Nuremberg", "Heidelberg"]
_SEAT_ACCOUNT_EXCEPTIONS = {"Ghent": "committee"}
#: What else a seat's account does in the demo (governance.demo.proxies, in ECCAR-DE).
_SEAT_ACCOUNT_NOTES = {
    "Berlin": (
        "; Berlin's coordinator and delegate in ECCAR-DE, holding Munich's proxy and "
        "Karlsruhe's pending one"
    ),
    "Munich": "; Munich's coordinator, whose proxy Berlin holds (ECCAR-DE)",
    "Karlsruhe": "; Karlsruhe's coordinator, whose proxy to Berlin waits for ECCAR-DE's bureau",
}


def seat_account(city: str) -> str:
    """The local part of the demo account representing a city's committee seat."""
    return _SEAT_ACCOUNT_EXCEPTIONS.get(city) or slugify(city)  # 'Liège' -> 'liege'


def _seat_accounts() -> list[tuple[str, str, str, bool]]:
    known = {local for local, *_ in DEMO_ACCOUNTS}
    accounts = []
    for city in COMMITTEE_SEAT_CITIES + PREVIOUS_SEAT_CITIES:
        local = seat_account(city)
        if local not in known:
            term = "this" if city in COMMITTEE_SEAT_CITIES else "the previous"
            accounts.append(
                (
                    local,
                    f"{city} Representative",
                    f"{city}'s seat on the committee ({term} term)"
                    + _SEAT_ACCOUNT_NOTES.get(city, ""),
                    False,
                )
            )
    return accounts


DEMO_ACCOUNTS += _seat_accounts()


def ensure_demo_allowed() -> None:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured(
            "Demo data is refused under these settings (DEMO_DATA_ALLOWED is off): "
            "demo accounts must never exist in production."
        )


#: Each app's demo loader, in the order they build on each other (dotted paths, so that
#: `coalition/` imports no app and the apps' demo modules may import this one: ADR 0006).
DEMO_LOADERS = ("members.demo.load", "governance.demo.load", "reporting.demo.load")


def current_totp_code(secret: str = DEMO_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def load_demo(*, stdout=None) -> dict:
    """Idempotent: creates what is missing, changes nothing that is there."""
    ensure_demo_allowed()
    # The demo walks applications and reports through their services, which email the
    # people involved; demo people get no email (none is even queued).
    with (
        silenced(),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        users = _ensure_accounts()
        for loader in DEMO_LOADERS:
            import_string(loader)(users=users)
    return users


def _ensure_accounts() -> dict:
    users = {}
    for local, full_name, _description, needs_totp in DEMO_ACCOUNTS:
        email = demo_email(local)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=full_name)
            user.set_password(DEMO_PASSWORD)
            if local == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if (
            needs_totp
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users[local] = user
    return users
