"""Reads of the governance app."""

from __future__ import annotations

from governance.models import CommitteeSeat


def committee_seat_ids_for(user) -> frozenset[int]:
    """Ids of the current committee seats this person represents (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_coalition_seats", None)
    if cached is None:
        cached = frozenset(
            CommitteeSeat.objects.current().filter(representative=user).values_list("pk", flat=True)
        )
        user._coalition_seats = cached
    return cached


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard: {"title", "items": [{"label", "url"}], "empty"}."""
    panels = []
    seats = CommitteeSeat.objects.filter(pk__in=committee_seat_ids_for(user)).select_related(
        "coalition", "city"
    )
    for seat in seats:
        panels.append(
            {
                "title": f"{seat.coalition.short_name} steering committee",
                "body": f"{seat.holder_name}: {seat.get_kind_display()}",
                "items": [],
            }
        )
    return panels
