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

    Queued in the outbox, sent after commit: a rolled-back change sends nothing. The
    services call it (through `services.common.notify_city`, which stays quiet for the demo).
    """
    context = {
        "report": report,
        "event": event,
        "url": absolute_url(reverse("reporting:report_detail", kwargs={"pk": report.pk})),
    }
    send_templated("reporting-status", to=coordinator_emails(report.city_id), context=context)
