"""A person's own data: what the portal holds about them, and closing their account.

The account, email addresses, second factors and audit entries live here; each app
adds what it holds through its own `privacy` module, named in
settings.PRIVACY_PROVIDERS (so `coalition/` imports no app). A provider module may
define any of:

- `personal_data(user) -> dict[str, list[dict]]`: sections of the export, about
  this person only (never another person's private data);
- `closing_consequences(user) -> list[str]`: what closing the account changes for
  the coalition (the only coordinator of a city...), shown before the person confirms;
- `release_account(*, actor, user) -> None`: end what the person holds, through that
  app's services, inside the closing transaction.

Closing keeps the acts (a city's votes, reports, audit entries) and pseudonymises
the person: the user row stays, so every foreign key and the audit log's hash chain
stay as they are, but its name and email become "Former member #id", it can no
longer sign in, and their sessions, email addresses and second factors are deleted.
See docs/retention.md.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import ModuleType
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition import audit
from coalition.models import AuditEvent
from coalition.services import model_update

#: The domain of a closed account's placeholder address (.invalid is reserved: RFC 2606).
CLOSED_EMAIL_DOMAIN = "closed.invalid"


class PrivacyError(Exception):
    """The step cannot be done now; the message is for the person."""


def providers() -> list[ModuleType]:
    return [import_module(path) for path in settings.PRIVACY_PROVIDERS]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def is_closed(user) -> bool:
    return user.email.endswith(f"@{CLOSED_EMAIL_DOMAIN}")


# --- The export -----------------------------------------------------------------------


def personal_data(user) -> dict[str, Any]:
    """Everything the portal holds about `user`, as JSON-ready data (the download and the page)."""
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "portal": settings.PORTAL_NAME,
        "account": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "is_staff": user.is_staff,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        # The kind of each second factor and when it was set up; never its secret.
        "two_factor_authentication": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }
    for provider in providers():
        if hasattr(provider, "personal_data"):
            data.update(provider.personal_data(user))
    # What the person did, as the audit log has it: the step and its object, without the
    # object's description, message or data, which may name other people.
    made = (
        AuditEvent.objects.filter(actor=user)
        .select_related("content_type")
        .order_by("created_at", "id")
    )
    data["audit_entries_made"] = [_audit_entry(e) for e in made]
    about = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk)
    ).select_related("content_type")
    data["audit_entries_about_the_account"] = [
        _audit_entry(e) for e in about.order_by("created_at", "id")
    ]
    return data


def _audit_entry(event) -> dict[str, Any]:
    return {
        "at": _iso(event.created_at),
        "what": event.verb,
        "object_type": f"{event.content_type.app_label}.{event.content_type.model}",
        "object_id": event.object_id,
        "from": event.from_state,
        "to": event.to_state,
    }


#: Headings of the export's sections, for the readable page (same keys as the JSON).
SECTION_TITLES = {
    "account": gettext_lazy("Your account"),
    "email_addresses": gettext_lazy("Email addresses"),
    "two_factor_authentication": gettext_lazy("Two-factor authentication"),
    "roles": gettext_lazy("Roles"),
    "committee_seats": gettext_lazy("Steering committee seats you represent"),
    "ballots_cast": gettext_lazy("Votes you cast for your city"),
    "comments": gettext_lazy("Comments on votes"),
    "applications_filed": gettext_lazy("Applications you filed"),
    "letters_kept_from_unfinished_forms": gettext_lazy("Letters kept from unfinished forms"),
    "report_sections_last_edited": gettext_lazy("Report sections you wrote"),
    "reports_submitted": gettext_lazy("Reports you handed in"),
    "attachments_uploaded": gettext_lazy("Files you attached to reports"),
    "evaluations": gettext_lazy("Evaluations you wrote"),
    "audit_entries_made": gettext_lazy("Steps you took (audit log)"),
    "audit_entries_about_the_account": gettext_lazy("Changes to your account (audit log)"),
}


def readable_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export as headed tables for the page: one per section, rows of (field, value)."""
    sections = []
    for key, value in data.items():
        if key in ("generated_at", "portal"):
            continue
        rows = [value] if isinstance(value, dict) else list(value)
        columns = list(dict.fromkeys(name for row in rows for name in row))
        sections.append(
            {
                "key": key,
                "title": SECTION_TITLES.get(key, key.replace("_", " ").capitalize()),
                "columns": [c.replace("_", " ").capitalize() for c in columns],
                "rows": [[_cell(row.get(c)) for c in columns] for row in rows],
            }
        )
    return sections


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, dict)):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


# --- Closing the account --------------------------------------------------------------


def closing_consequences(user) -> list[str]:
    """What closing this account changes for the coalition, for the confirmation page."""
    messages: list[str] = []
    others = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
    if user.is_superuser and not others.exists():
        messages.append(
            _(
                "You are the portal's only administrator. Make someone else an administrator "
                "first, or nobody will be able to manage accounts."
            )
        )
    for provider in providers():
        if hasattr(provider, "closing_consequences"):
            messages += provider.closing_consequences(user)
    return messages


def _delete_sessions(user) -> int:
    """Delete the person's stored sessions (database sessions; others die with the password)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0

    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


@transaction.atomic
def close_account(*, actor, user) -> None:
    """Close `user`'s account: end what they hold, pseudonymise them, keep their acts.

    `actor` is the person themselves (or an administrator acting on a request).
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if is_closed(user):
        raise PrivacyError(_("This account is already closed."))
    for provider in providers():
        if hasattr(provider, "release_account"):
            provider.release_account(actor=actor, user=user)
    EmailAddress.objects.filter(user=user).delete()
    authenticators = Authenticator.objects.filter(user=user).delete()[0]
    model_update(
        user,
        fields={
            "full_name": f"Former member #{user.pk}",
            "email": f"former-member-{user.pk}@{CLOSED_EMAIL_DOMAIN}",
            "language": "",
            "is_active": False,
            "is_staff": False,
            "is_superuser": False,
            "last_login": None,
            "password": make_password(None),  # unusable, as set_unusable_password()
        },
        actor=actor,
    )
    user.groups.clear()
    user.user_permissions.clear()
    sessions = _delete_sessions(user)
    audit.record(
        actor=actor,
        target=user,
        verb="account.closed",
        to_state="closed",
        data={"authenticators_deleted": authenticators, "sessions_deleted": sessions},
    )


# --- The privacy notice ---------------------------------------------------------------


def _days(kind: str) -> int:
    rules: dict[str, dict[str, Any]] = settings.RETENTION_POLICY
    return int(rules[kind]["days"])


def privacy_notice() -> list[dict[str, str]]:
    """The privacy page's table: each kind of personal data, why it is kept, for how long, and
    who sees it. The periods come from settings.RETENTION_POLICY, so the page says what the
    retention job does."""
    hours = settings.SESSION_COOKIE_AGE // 3600
    return [
        {
            "what": _(
                "Your account: your name, email addresses, password (stored only as a hash), "
                "language and two-factor authentication settings."
            ),
            "why": _("To sign you in, and to write to you in your language."),
            "how_long": _(
                "Until you close your account. Your name and email address are then replaced "
                "by “Former member” and a number; your email addresses, second factors and "
                "sessions are deleted."
            ),
            "who": _("You, and the portal's administrators."),
        },
        {
            "what": _(
                "Your roles (coordinator, delegate, staff) and the steering committee seats "
                "you represent, with their dates."
            ),
            "why": _(
                "They decide what you may do for a city or the coalition, and record who held "
                "which role when."
            ),
            "how_long": _(
                "As long as the coalition keeps its records. Closing your account ends them; "
                "the past record is kept under the pseudonym."
            ),
            "who": _(
                "The bureau and the administrators. A coordinator's name and email are public "
                "only if the coordinator chose to publish them."
            ),
        },
        {
            "what": _("The votes you cast for your city, and your comments on votes."),
            "why": _("One city, one vote: the committee's decisions must remain verifiable."),
            "how_long": _(
                "Kept as the coalition's record. Closing your account replaces your name by "
                "the pseudonym; the city's vote stays."
            ),
            "who": _("The steering committee and the bureau of the coalition."),
        },
        {
            "what": _(
                "Applications you filed for a city, with the mayor's letter and the contact "
                "people named in them."
            ),
            "why": _("An application is the city's act of accession to the plan of action."),
            "how_long": _(
                "Kept with the city's membership. A letter uploaded with a form that was never "
                "sent is deleted after %(days)s days."
            )
            % {"days": _days("letters_of_unfinished_forms")},
            "who": _("The bureau and the steering committee of the coalition."),
        },
        {
            "what": _("Annual report sections you wrote and files you attached to reports."),
            "why": _("A report is the city's account of its work on the plan of action."),
            "how_long": _(
                "Kept as the city's record; closing your account replaces your name by the "
                "pseudonym. A file no report refers to any more is deleted after %(days)s day."
            )
            % {"days": _days("orphaned_report_attachments")},
            "who": _(
                "The city's coordinators, the bureau, the scientific secretariat and the "
                "steering committee; the parts the city publishes, everyone."
            ),
        },
        {
            "what": _("The audit log: who changed what, and when."),
            "why": _("Accountability: every decision and correction can be traced."),
            "how_long": _(
                "As long as the coalition keeps its records. The log cannot be edited: closing "
                "your account pseudonymises the account its entries point to, but a "
                "description written at the time (for example a role's holder) stays."
            ),
            "who": _("The portal's administrators."),
        },
        {
            "what": _("Sessions: the record that keeps you signed in."),
            "why": _("To keep you signed in between pages."),
            "how_long": _(
                "A session expires after %(hours)s hours and is then deleted within a day; "
                "closing your account deletes them at once."
            )
            % {"hours": hours},
            "who": _("Nobody reads them: only the portal uses them."),
        },
    ]
