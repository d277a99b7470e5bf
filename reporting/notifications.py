"""Emails about reports: to city coordinators (reminders, news about their report) and to the
coalition's staff (a report submitted, answered, returned or transmitted to them)."""

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


def staff_emails(coalition_id: int, kinds) -> list[str]:
    """The addresses of the coalition's current staff of the given role kinds."""
    return sorted(
        set(
            Role.objects.current()
            .filter(kind__in=kinds, coalition_id=coalition_id)
            .values_list("user__email", flat=True)
        )
    )


#: Who among the staff hears of each step of a report: the bureau transmits submitted
#: reports, the secretariat evaluates transmitted and answered ones, and both hear of a
#: report returned to its city.
STAFF_EVENTS = {
    "submitted": (RoleKind.BUREAU,),
    "answered": (RoleKind.SECRETARIAT,),
    "transmitted": (RoleKind.SECRETARIAT,),
    "returned": (RoleKind.BUREAU, RoleKind.SECRETARIAT),
}


def _others(addresses: list[str], actor) -> list[str]:
    """The addresses but the acting person's own: nobody is told of what they just did."""
    own = (getattr(actor, "email", "") or "").lower()
    return [address for address in addresses if address.lower() != own]


def notify_staff(report: Report, event: str, *, actor=None) -> None:
    """Tell the coalition's staff that a report moved; the person who moved it is left out."""
    to = _others(staff_emails(report.cycle.coalition_id, STAFF_EVENTS[event]), actor)
    context = {
        "report": report,
        "event": event,
        "url": absolute_url(reverse("reporting:report_detail", kwargs={"pk": report.pk})),
    }
    send_templated("reporting-staff", to=to, context=context)


def notify_staff_of_batch(cycle, count: int, *, actor=None) -> None:
    """Tell the secretariat that the bureau transmitted `count` reports of the cycle at once."""
    to = _others(staff_emails(cycle.coalition_id, STAFF_EVENTS["transmitted"]), actor)
    context = {
        "cycle": cycle,
        "count": count,
        "event": "transmitted_many",
        "url": absolute_url(reverse("reporting:cycle_dashboard", kwargs={"pk": cycle.pk})),
    }
    send_templated("reporting-staff", to=to, context=context)
