"""Emails to city coordinators: reminders and news about their report."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import Role, RoleKind
from reporting.models import Report


def coordinator_emails(city_id: int) -> list[str]:
    return sorted(
        set(
            Role.objects.current()
            .filter(kind=RoleKind.COORDINATOR, city_id=city_id)
            .values_list("user__email", flat=True)
        )
    )


def portal_url(path: str) -> str:
    base = settings.PORTAL_BASE_URL
    return base.rstrip("/") + path


def send(template: str, *, recipients: list[str], context: dict) -> int:
    """Send emails/<template>-subject.txt, -body.txt and -body.html. Returns recipients count."""
    if not recipients:
        return 0
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    text = render_to_string(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return len(recipients)


def notify_city(report: Report, event: str) -> None:
    """Tell the city's coordinators that their report was returned, questioned or evaluated.

    Sent after commit: a rolled-back change sends nothing.
    """
    from django.db import transaction  # noqa: PLC0415

    from reporting.services import is_quiet  # noqa: PLC0415

    if is_quiet():
        return
    context = {
        "report": report,
        "event": event,
        "url": portal_url(reverse("reporting:report_detail", kwargs={"pk": report.pk})),
    }
    recipients = coordinator_emails(report.city_id)
    transaction.on_commit(lambda: send("reporting-status", recipients=recipients, context=context))
