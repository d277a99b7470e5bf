"""The generated part of a session's minutes, read from what the portal stored (no judgement).

`build_record(session)` returns plain JSON: the session's facts, attendance per city (each
person's check-ins and check-outs, the voting card's hand-overs), the roll calls quoted, and
each agenda item in order with the text versions voted (their SHA-256), each poll with its
rule, quorum at opening, electorate size and, once the result is public, its arithmetic (a
named poll: each city's vote), and the membership decisions taken on exclusion items. Times
are ISO 8601 in the session's time zone. Names are copied as they were when generated.

A fixed number of queries whatever the size of the session. `record_sha256` hashes the
canonical JSON, so a printed record can be checked against the portal's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from governance.engine.electorate import ELIGIBLE
from governance.models import (
    AgendaItemStatus,
    AssemblyPoll,
    AssemblySession,
    AttendanceEvent,
    CardHolding,
    MembershipDecision,
    MotionVersion,
    PollStatus,
    Registration,
    RollCall,
)

#: Bump when the record's shape changes (a stored record says which shape it has).
RECORD_FORMAT = 2  # 2: roll-call entries name the proxy holder ("proxy_holder")


def _name(user) -> str:
    return str(user) if user is not None else ""


def _at(session: AssemblySession, value) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value, session.zone).isoformat(timespec="minutes")


def _session(session: AssemblySession) -> dict[str, Any]:
    snapshot = session.statute_snapshot or {}
    return {
        "id": session.pk,
        "title": session.title,
        "body": session.body,
        "mode": session.mode,
        "venue": session.venue,
        "host_city": session.host_city.name if session.host_city else "",
        "starts_at": _at(session, session.starts_at),
        "ends_at": _at(session, session.ends_at),
        "time_zone": session.time_zone,
        "chair": _name(session.chair),
        "minute_taker": _name(session.minute_taker),
        "tellers": [_name(t) for t in session.tellers],
        "statute_version": snapshot.get("version"),
    }


def _attendance(session: AssemblySession) -> list[dict[str, Any]]:
    registrations = list(
        Registration.objects.filter(session=session, status="accredited")
        .select_related("city", "person")
        .order_by("city__name", "role", "id")
    )
    events: dict[int, list[dict]] = {}
    for event in AttendanceEvent.objects.filter(session=session).order_by("at", "id"):
        events.setdefault(event.registration_id, []).append(
            {"kind": event.kind, "at": _at(session, event.at), "channel": event.channel}
        )
    cards: dict[int, list[dict]] = {}
    for holding in (
        CardHolding.objects.filter(session=session)
        .select_related("holder", "handed_from")
        .order_by("started_at", "id")
    ):
        cards.setdefault(holding.city_id, []).append(
            {
                "holder": _name(holding.holder),
                "handed_from": _name(holding.handed_from),
                "since": _at(session, holding.started_at),
                "until": _at(session, holding.ended_at),
            }
        )
    cities: dict[int, dict[str, Any]] = {}
    for registration in registrations:
        people = events.get(registration.pk, [])
        if not people:
            continue  # accredited but never came: not in the attendance
        city = cities.setdefault(
            registration.city_id,
            {
                "city": registration.city.name,
                "city_id": registration.city_id,
                "people": [],
                "cards": cards.get(registration.city_id, []),
            },
        )
        city["people"].append(
            {
                "name": _name(registration.person),
                "role": registration.role,
                "mode": registration.mode,
                "events": people,
            }
        )
    return sorted(cities.values(), key=lambda c: c["city"])


def _roll_calls(session: AssemblySession) -> list[dict[str, Any]]:
    return [
        {
            "taken_at": _at(session, rc.taken_at),
            "with_voting_rights": rc.with_voting_rights,
            "present": rc.present,
            "required": rc.required,
            "quorate": rc.quorate,
            "entries": [
                {
                    "city": e.city_name,
                    "has_voting_rights": e.has_voting_rights,
                    "present": e.present,
                    "card_holder": e.card_holder_name,
                    # Since the proxies (ADR 0016); records drawn before have no such key.
                    "proxy_holder": e.proxy_holder_name,
                }
                for e in rc.entries.all()
            ],
        }
        for rc in RollCall.objects.filter(session=session)
        .prefetch_related("entries")
        .order_by("taken_at", "id")
    ]


def _version(version: MotionVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"number": version.number, "sha256": version.sha256}


def _version_voted(poll: AssemblyPoll, versions: dict[int, list[MotionVersion]]):
    """The authoritative version the poll decided on: the amended one, or the motion's text
    as it stood when the poll opened."""
    if poll.amendment is not None:
        return poll.amendment.version
    if poll.motion_id is None:
        return None
    standing = [v for v in versions.get(poll.motion_id, []) if v.created_at <= poll.opened_at]
    return standing[-1] if standing else None


def _poll(session: AssemblySession, poll: AssemblyPoll, versions) -> dict[str, Any]:
    public = poll.status == PollStatus.PUBLISHED
    entry: dict[str, Any] = {
        "id": poll.pk,
        "question": poll.question,
        "kind": poll.kind,
        "named": poll.named,
        "status": poll.status,
        "rule": poll.rule,
        "quorum_at_opening": poll.quorum_at_opening,
        "electorate": poll.n_electorate,  # type: ignore[attr-defined]
        "opened_at": _at(session, poll.opened_at),
        "closed_at": _at(session, poll.closed_at),
        "options": [o.label for o in poll.options.all()],
        "motion": poll.motion.title if poll.motion is not None else "",
        "amendment": poll.amendment.range_label if poll.amendment is not None else "",
        "amendment_city": poll.amendment.city.name if poll.amendment is not None else "",
        "version_voted": _version(_version_voted(poll, versions)),
    }
    if public:
        entry.update(
            {
                "outcome": poll.outcome,
                "arithmetic": poll.arithmetic,
                "result": poll.result,
                "released_at": _at(session, poll.released_at),
                "confirmed_at": _at(session, poll.confirmed_at),
            }
        )
    return entry


def _items(session: AssemblySession) -> list[dict[str, Any]]:
    items = list(
        session.items.exclude(status__in=[AgendaItemStatus.PLANNED, AgendaItemStatus.WITHDRAWN])
        .select_related("exclusion_proposal__membership__city")
        .prefetch_related("motions__adopted_version")
        .order_by("position", "id")
    )
    polls = list(
        AssemblyPoll.objects.filter(session=session)
        .exclude(status=PollStatus.CANCELLED)
        .select_related("motion", "amendment__version", "amendment__city")
        .prefetch_related("options")
        .annotate(
            n_electorate=Count("electors", filter=Q(electors__status=ELIGIBLE), distinct=True)
        )
        .order_by("opened_at", "id")
    )
    versions: dict[int, list[MotionVersion]] = {}
    for version in MotionVersion.objects.filter(
        motion__session=session, is_authoritative=True
    ).order_by("number"):
        versions.setdefault(version.motion_id, []).append(version)
    proposals = [i.exclusion_proposal_id for i in items if i.exclusion_proposal_id]
    decisions = {
        d.exclusion_proposal_id: d
        for d in MembershipDecision.objects.filter(exclusion_proposal_id__in=proposals)
    }
    result = []
    for item in items:
        motions = [
            {
                "title": m.title,
                "status": m.status,
                "language": m.language,
                "adopted_version": _version(m.adopted_version),
                "result": m.result_ref,
            }
            for m in sorted(item.motions.all(), key=lambda m: m.pk)
        ]
        decision = decisions.get(item.exclusion_proposal_id) if item.exclusion_proposal_id else None
        result.append(
            {
                "id": item.pk,
                "position": item.position,
                "kind": item.kind,
                "title": item.title,
                "status": item.status,
                "announced": item.announced,
                "late": item.is_late,
                "late_item_vote": item.late_item_vote,
                "motions": motions,
                "polls": [_poll(session, p, versions) for p in polls if p.item_id == item.pk],
                "exclusion": (
                    {
                        "city": item.exclusion_proposal.membership.city.name,
                        "decision": decision.kind,
                        "decided_on": decision.decided_on.isoformat(),
                        "reference": decision.reference,
                        "reason": decision.reason,
                    }
                    if decision is not None and item.exclusion_proposal is not None
                    else None
                ),
            }
        )
    return result


def build_record(session: AssemblySession) -> dict[str, Any]:
    session = AssemblySession.objects.select_related(
        "coalition", "host_city", "chair", "minute_taker", "teller_1", "teller_2"
    ).get(pk=session.pk)
    return {
        "format": RECORD_FORMAT,
        "session": _session(session),
        "attendance": _attendance(session),
        "roll_calls": _roll_calls(session),
        "items": _items(session),
    }


def record_sha256(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
