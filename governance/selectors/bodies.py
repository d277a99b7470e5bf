"""The coalition page's bodies: its steering committee, its officers, and a city's seats."""

from __future__ import annotations

from django.utils import timezone

from governance.models import (
    CommitteeOfficer,
    CommitteeSeat,
    OfficerOffice,
    SeatKind,
)
from members.models import Coalition


def coalition_committee(coalition: Coalition) -> dict:
    """The coalition's current steering committee by kind, and past seats (one query)."""
    today = timezone.localdate()
    seats = list(
        CommitteeSeat.objects.filter(coalition=coalition)
        .select_related("city", "representative")
        .order_by("city__name", "institution", "-starts_on")
    )
    current = [
        s for s in seats if s.starts_on <= today and (s.ends_on is None or s.ends_on >= today)
    ]
    past = sorted(
        (s for s in seats if s.ends_on is not None and s.ends_on < today),
        key=lambda s: (s.ends_on, s.holder_name),
        reverse=True,
    )
    # When every current seat shares one term, the page states it once.
    terms = {(s.starts_on, s.ends_on) for s in current}
    return {
        "coalition": coalition,
        "voting": [s for s in current if s.kind == SeatKind.VOTING],
        "observers": [s for s in current if s.kind == SeatKind.OBSERVER],
        "advisers": [s for s in current if s.kind == SeatKind.ADVISER],
        "partners": [s for s in current if not s.city_id],
        "past": past,
        "has_committee": bool(current),
        "common_term": next(iter(terms)) if len(terms) == 1 else None,
    }


def coalition_officers(coalition: Coalition) -> list[CommitteeOfficer]:
    """The committee's current officers, the President first, each with the term (one query)."""
    return sorted(
        CommitteeOfficer.objects.current()
        .filter(coalition=coalition)
        .select_related("city", "person"),
        key=lambda o: (o.office != OfficerOffice.PRESIDENT, o.starts_on, o.city.name),
    )


def city_committee_seats(city) -> dict:
    """A city's seats on any coalition's steering committee, current and past, with terms
    (one query). For the city's public profile (members includes it through a tag)."""
    today = timezone.localdate()
    seats = list(
        CommitteeSeat.objects.filter(city=city)
        .select_related("coalition")
        .order_by("-starts_on", "coalition__short_name", "id")
    )
    return {
        "city": city,
        "current_seats": [
            s for s in seats if s.starts_on <= today and (s.ends_on is None or s.ends_on >= today)
        ],
        "past_seats": [s for s in seats if s.ends_on is not None and s.ends_on < today],
        "future_seats": [s for s in seats if s.starts_on > today],
    }
