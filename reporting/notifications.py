"""Emails to city coordinators: reminders and news about their report."""

from __future__ import annotations

from django.urls import reverse

from coalition.mail import absolute_url, send_templated
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
        "url": absolute_url(reverse("reporting:report_detail", kwargs={"pk": report.pk})),
    }
    recipients = coordinator_emails(report.city_id)
    transaction.on_commit(
        lambda: send_templated("reporting-status", to=recipients, context=context)
    )
