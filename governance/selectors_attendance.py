"""Reads of a session's registrations, attendance, voting cards and live quorum (fixed queries).

Presence derives from the attendance events: a person is present when their last event is
a check-in. Voting rights are judged under the session's statute snapshot on its first day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance import rules
from governance.models import (
    AssemblySession,
    AttendanceEvent,
    AttendanceKind,
    CardHolding,
    Proxy,
    Registration,
    RegistrationStatus,
    RollCall,
    StatuteProfile,
)
from governance.statute_selectors import VotingRight, judge, voting_facts
from members.models import City


def session_day(session: AssemblySession) -> dt.date:
    """The day on which certifications and voting rights are judged: the session's first."""
    return session.local_starts_at.date()


def snapshot_of(session: AssemblySession) -> dict:
    """The statute snapshot the session follows (the profile in force until it is convened)."""
    if session.statute_snapshot:
        return session.statute_snapshot
    return StatuteProfile.current_for(session.coalition, session_day(session)).snapshot()


def session_voting_rights(session: AssemblySession) -> list[VotingRight]:
    """Each member city's voting rights for the session (three queries)."""
    day = session_day(session)
    return judge(voting_facts(session.coalition, day), snapshot_of(session), day)


def _last_event_kind():
    return Subquery(
        AttendanceEvent.objects.filter(registration=OuterRef("pk"))
        .order_by("-at", "-id")
        .values("kind")[:1]
    )


def registrations_of(session: AssemblySession, *, city: City | None = None) -> list[Registration]:
    """The session's registrations (of one city, if given), each with `.present` (one query)."""
    qs = (
        Registration.objects.filter(session=session)
        .select_related("city", "person", "registered_by")
        .annotate(last_event=_last_event_kind())
        .order_by("city__name", "city_id", "role", "person__full_name", "id")
    )
    if city is not None:
        qs = qs.filter(city=city)
    rows = list(qs)
    for row in rows:
        row.present = row.last_event == AttendanceKind.CHECK_IN
    return cast(list[Registration], rows)


def registrations_of_person(user) -> list[Registration]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Registration.objects.filter(person=user)
        .select_related("session", "city")
        .order_by("-session__starts_at", "id")
    )


def registration_present(registration: Registration) -> bool:
    kind = (
        AttendanceEvent.objects.filter(registration=registration)
        .order_by("-at", "-id")
        .values_list("kind", flat=True)
        .first()
    )
    return kind == AttendanceKind.CHECK_IN


def present_city_ids(session: AssemblySession) -> set[int]:
    """Cities with an accredited delegate or substitute present (one query)."""
    return set(
        Registration.objects.filter(
            session=session,
            status=RegistrationStatus.ACCREDITED,
            role__in=("delegate", "substitute"),
        )
        .annotate(last_event=_last_event_kind())
        .filter(last_event=AttendanceKind.CHECK_IN)
        .values_list("city_id", flat=True)
    )


def card_holder(session: AssemblySession, city: City) -> CardHolding | None:
    """Who holds the city's voting card now (one query), or None."""
    return (
        CardHolding.objects.filter(session=session, city=city, current=True)
        .select_related("holder", "registration")
        .first()
    )


def card_holders(session: AssemblySession) -> dict[int, CardHolding]:
    """Every current card of the session by city id (one query)."""
    return {
        h.city_id: h
        for h in CardHolding.objects.filter(session=session, current=True).select_related(
            "holder", "registration"
        )
    }


def card_history(session: AssemblySession, city: City) -> list[CardHolding]:
    return list(
        CardHolding.objects.filter(session=session, city=city)
        .select_related("holder", "handed_from", "recorded_by")
        .order_by("started_at", "id")
    )


def proxies_in_force(session: AssemblySession) -> list[Proxy]:
    """The session's validated proxies that have not ended (one query)."""
    return list(
        Proxy.objects.in_force()
        .filter(session=session)
        .select_related("principal", "holder")
        .order_by("holder__name", "principal__name", "id")
    )


def proxies_count_for_quorum(snapshot: dict) -> bool:
    """Whether a city represented by proxy counts as present for the quorum (ADR 0016).

    The profile has no such value yet: a proxy exercises the city's rights, so by default it
    counts; a snapshot that says `proxies_count_for_quorum: false` is honoured.
    """
    return bool(snapshot.get("proxies_count_for_quorum", True))


@dataclass(frozen=True)
class Quorum:
    with_voting_rights: int
    present: int
    required: int
    present_ids: frozenset[int]
    rights_ids: frozenset[int]
    #: 1, or 2 once the second convocation was convened (its own quorum applies).
    convocation: int = 1
    #: Cities with voting rights absent themselves but represented by a proxy in force whose
    #: holder city is present (they vote; they count in `present` if the statute says so).
    proxy_ids: frozenset[int] = frozenset()
    #: Those proxies, principal city name → holder city name (the desk and the roll call name them).
    represented: tuple[tuple[int, str, str], ...] = ()

    def proxy_holder_of(self, city_id: int) -> str:
        """The name of the city holding this city's proxy in force, or ""."""
        return next((holder for pk, _p, holder in self.represented if pk == city_id), "")

    @property
    def quorate(self) -> bool:
        return self.present >= self.required

    @property
    def voting_ids(self) -> frozenset[int]:
        """The cities that may vote now: present themselves or by proxy."""
        return self.present_ids | self.proxy_ids

    @property
    def label(self) -> str:
        head = ngettext(
            "%(present)d of %(total)d city with voting rights present",
            "%(present)d of %(total)d cities with voting rights present",
            self.with_voting_rights,
        ) % {"present": self.present, "total": self.with_voting_rights}
        if self.proxy_ids:
            head = ngettext(
                "%(head)s (%(n)d by proxy)", "%(head)s (%(n)d by proxy)", len(self.proxy_ids)
            ) % {"head": head, "n": len(self.proxy_ids)}
        if self.required == 0:
            text = _("%(head)s; no quorum required: quorate") % {"head": head}
        elif self.quorate:
            text = _("%(head)s; quorum %(required)d: quorate") % {
                "head": head,
                "required": self.required,
            }
        else:
            text = _("%(head)s; quorum %(required)d: not quorate") % {
                "head": head,
                "required": self.required,
            }
        if self.convocation == 2:
            return _("Second convocation: %(quorum)s") % {"quorum": text}
        return text


def live_quorum(
    session: AssemblySession,
    *,
    rights: list[VotingRight] | None = None,
    convocation: int | None = None,
) -> Quorum:
    """The live quorum from the session's statute snapshot (four queries, or one with `rights`;
    one more where the statute allows proxies).

    Cities count when they have voting rights and an accredited delegate or substitute present,
    or (unless the statute says otherwise) a validated proxy held by a city present. The
    quorum is the convocation's: the second convocation's once the bureau convened it (or
    the one `convocation` names: the bureau asks how the first would judge the room).
    """
    rights = session_voting_rights(session) if rights is None else rights
    snapshot = snapshot_of(session)
    rights_ids = frozenset(r.city.pk for r in rights if r.has_voting_rights)
    own = frozenset(present_city_ids(session) & rights_ids)
    in_force = proxies_in_force(session) if snapshot.get("proxies_allowed") else []
    by_proxy = frozenset(
        p.principal_id
        for p in in_force
        if p.holder_id in own and p.principal_id in rights_ids and p.principal_id not in own
    )
    counted = own | by_proxy if proxies_count_for_quorum(snapshot) else own
    convocation = convocation or session.convocation_number
    required = rules.assembly_quorum_required(snapshot, len(rights_ids), convocation=convocation)
    return Quorum(
        len(rights_ids),
        len(counted),
        required,
        counted,
        rights_ids,
        convocation=convocation,
        proxy_ids=by_proxy,
        represented=tuple(
            (p.principal_id, p.principal.name, p.holder.name)
            for p in in_force
            if p.principal_id in by_proxy
        ),
    )


def present_voting_cities(session: AssemblySession) -> list[int]:
    """Ids of the cities with voting rights present or represented by proxy (the electorate)."""
    return sorted(live_quorum(session).voting_ids)


@dataclass(frozen=True)
class CityRow:
    city: City
    has_voting_rights: bool
    present: bool
    holding: CardHolding | None
    people: tuple[Registration, ...]
    #: The city holding its proxy in force ("represented by <holder> (proxy)"), or "".
    proxy_holder: str = ""


def desk_rows(session: AssemblySession) -> tuple[Quorum, list[CityRow]]:
    """The desk's and the room's table: per member city, rights, presence, card (five queries)."""
    rights = session_voting_rights(session)
    quorum = live_quorum(session, rights=rights)
    holders = card_holders(session)
    by_city: dict[int, list[Registration]] = {}
    for registration in registrations_of(session):
        if registration.status == RegistrationStatus.ACCREDITED:
            by_city.setdefault(registration.city_id, []).append(registration)
    rows = [
        CityRow(
            city=r.city,
            has_voting_rights=r.has_voting_rights,
            present=r.city.pk in quorum.present_ids
            or any(p.present for p in by_city.get(r.city.pk, [])),
            holding=holders.get(r.city.pk),
            people=tuple(by_city.get(r.city.pk, [])),
            proxy_holder=quorum.proxy_holder_of(r.city.pk),
        )
        for r in rights
        if r.has_voting_rights or r.city.pk in by_city
    ]
    return quorum, rows


def roll_calls_of(session: AssemblySession) -> list[RollCall]:
    return list(
        RollCall.objects.filter(session=session).select_related("taken_by").order_by("taken_at")
    )


def roll_call_entries(roll_call: RollCall):
    return list(roll_call.entries.order_by("city_name", "id"))
