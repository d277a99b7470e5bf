"""Reads of assembly sessions: lists, agendas and deliveries at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Prefetch

from governance.models import (
    AgendaDocument,
    AgendaItem,
    AgendaItemStatus,
    AssemblySession,
    ConvocationDelivery,
    ExtraordinaryRequest,
)
from members.models import City, Coalition


def sessions_for_bureau(coalitions) -> list[AssemblySession]:
    return list(
        AssemblySession.objects.for_lists()
        .filter(coalition__in=coalitions)
        .select_related("convocation")
        .order_by("-starts_at", "-id")
    )


def public_sessions(
    coalition: Coalition, *, now: dt.datetime
) -> tuple[list[AssemblySession], list[AssemblySession]]:
    """(upcoming, past) public sessions of a coalition: one query."""
    sessions = list(
        AssemblySession.objects.public()
        .for_lists()
        .filter(coalition=coalition)
        .order_by("starts_at", "id")
    )
    upcoming = [s for s in sessions if s.ends_at >= now]
    past = [s for s in sessions if s.ends_at < now]
    past.reverse()
    return upcoming, past


def agenda_of(
    session: AssemblySession, *, include_withdrawn: bool = False, announced_only: bool = False
) -> list[AgendaItem]:
    items = AgendaItem.objects.filter(session=session).prefetch_related(
        Prefetch("documents", queryset=AgendaDocument.objects.order_by("uploaded_at", "id"))
    )
    if not include_withdrawn:
        items = items.exclude(status=AgendaItemStatus.WITHDRAWN)
    if announced_only:
        items = items.exclude(status__in=[AgendaItemStatus.PENDING_APPROVAL])
    return list(items.order_by("position", "id"))


def deliveries_of(session: AssemblySession) -> list[ConvocationDelivery]:
    return list(
        ConvocationDelivery.objects.filter(session=session)
        .select_related("city", "outgoing_email")
        .order_by("city__name", "role", "email")
    )


def delivery_counts(deliveries: list[ConvocationDelivery]) -> dict[str, int]:
    return dict(Counter(d.state for d in deliveries))


def has_open_requests(coalition: Coalition) -> bool:
    return ExtraordinaryRequest.objects.filter(coalition=coalition, closed_at__isnull=True).exists()


def open_requests_of_city(city: City) -> list[ExtraordinaryRequest]:
    return list(
        ExtraordinaryRequest.objects.filter(city=city, closed_at__isnull=True)
        .select_related("coalition", "requested_by")
        .order_by("-created_at")
    )
