"""Reads of a session's minutes for their pages and PDF (fixed queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from governance import rules
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AttendanceChannel,
    AttendanceKind,
    AttendanceMode,
    AttendeeRole,
    DecisionKind,
    Minutes,
    MinutesObjection,
    PollKind,
    PollStatus,
    SessionStatus,
)


def _label(choices, value) -> str:
    """The translated label of a stored value (the value itself if the choices lost it)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _poll_view(poll: dict[str, Any]) -> dict[str, Any]:
    view = dict(poll)
    view["opened"] = _parse(poll.get("opened_at"))
    view["closed"] = _parse(poll.get("closed_at"))
    result = poll.get("result")
    view["arithmetic_shown"] = rules.describe_poll_result(result) if result else ""
    view["kind_label"] = _label(PollKind, poll.get("kind"))
    view["status_label"] = _label(PollStatus, poll.get("status"))
    view["majority_label"] = _label(
        rules.AssemblyMajority, (poll.get("rule") or {}).get("majority")
    )
    return view


def _person_view(person: dict[str, Any]) -> dict[str, Any]:
    return {
        **person,
        "role_label": _label(AttendeeRole, person.get("role")),
        "mode_label": _label(AttendanceMode, person.get("mode")),
        "events_shown": [
            {
                **e,
                "when": _parse(e["at"]),
                "kind_label": _label(AttendanceKind, e["kind"]),
                "channel_label": _label(AttendanceChannel, e["channel"]),
            }
            for e in person.get("events", [])
        ],
    }


def minutes_context(minutes: Minutes) -> dict[str, Any]:
    """The minutes as the pages and the PDF show them: the record with the narrative beside."""
    record = minutes.record or {}
    items = [
        {
            **item,
            "narrative": minutes.narrative_for(item["id"]),
            "kind_label": _label(AgendaItemKind, item.get("kind")),
            "status_label": _label(AgendaItemStatus, item.get("status")),
            "polls_shown": [_poll_view(p) for p in item.get("polls", [])],
            "decision_label": _label(DecisionKind, (item.get("exclusion") or {}).get("decision")),
        }
        for item in record.get("items", [])
    ]
    attendance = [
        {
            **city,
            "people_shown": [_person_view(p) for p in city.get("people", [])],
            "cards_shown": [
                {**c, "from_when": _parse(c["since"]), "until_when": _parse(c["until"])}
                for c in city.get("cards", [])
            ],
        }
        for city in record.get("attendance", [])
    ]
    roll_calls = [{**rc, "when": _parse(rc["taken_at"])} for rc in record.get("roll_calls", [])]
    return {
        "minutes": minutes,
        "session": minutes.session,
        "facts": record.get("session", {}),
        "starts": _parse(record.get("session", {}).get("starts_at")),
        "ends": _parse(record.get("session", {}).get("ends_at")),
        "items": items,
        "attendance": attendance,
        "roll_calls": roll_calls,
    }


def objections_of(minutes: Minutes) -> list[MinutesObjection]:
    return list(
        minutes.objections.select_related("city", "filed_by").order_by("-round", "filed_at")
    )


def approval_items_for(minutes: Minutes) -> list[AgendaItem]:
    """Open "approval of the minutes" items of the coalition's later sessions (one query)."""
    session = minutes.session
    return list(
        AgendaItem.objects.filter(
            kind=AgendaItemKind.MINUTES,
            session__coalition_id=session.coalition_id,
            session__starts_at__gt=session.starts_at,
            session__status__in=[
                SessionStatus.DRAFT,
                SessionStatus.CONVENED,
                SessionStatus.IN_SESSION,
            ],
        )
        .exclude(status__in=["withdrawn", "decided"])
        .exclude(minutes_approved__isnull=False)
        .select_related("session")
        .order_by("session__starts_at", "position")
    )
