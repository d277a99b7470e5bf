"""The steering committee's officers: recording a term, ending one, installing an election's.

Every write runs under the seat services' lock on the coalition (`seats.lock_coalition`),
so that a certification and a bureau correction of the same committee queue, and the
checks below (no person in two offices at once, one President at a time, an officer sits
on a voting seat) cannot be raced past. PostgreSQL also holds the first two as exclusion
constraints (governance.models.officers).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from coalition import audit
from coalition.pagecache import public_pages_changed
from coalition.services import model_update
from governance.models import (
    CommitteeOfficer,
    CommitteeSeat,
    Election,
    OfficerOffice,
    SeatKind,
)
from governance.services import seats as seat_services
from governance.services.common import GovernanceError
from members.models import Coalition


def _covers(seat: CommitteeSeat, day: dt.date) -> bool:
    return seat.starts_on <= day and (seat.ends_on is None or seat.ends_on >= day)


def check_officer_term(
    *,
    coalition: Coalition,
    office: str,
    person,
    starts_on: dt.date,
    ends_on: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    """Raise GovernanceError if `person` may not hold `office` for this term."""
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError(_("The term cannot end before it starts."))
    overlapping = CommitteeOfficer.objects.overlapping(starts_on, ends_on)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.filter(person=person).select_related("coalition").first()
    if other is not None:
        raise GovernanceError(
            _("%(person)s already holds an office during that term (%(office)s, %(coalition)s).")
            % {
                "person": person.full_name or person.email,
                "office": other.get_office_display(),
                "coalition": other.coalition.short_name,
            }
        )
    if (
        office == OfficerOffice.PRESIDENT
        and overlapping.filter(coalition=coalition, office=OfficerOffice.PRESIDENT).exists()
    ):
        raise GovernanceError(_("The committee already has a President during that term."))


@transaction.atomic
def record_officer(
    *,
    actor,
    seat: CommitteeSeat,
    office: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    election: Election | None = None,
) -> CommitteeOfficer:
    """The representative of a voting seat holds `office` for a term (audited)."""
    coalition = seat.coalition
    seat_services.lock_coalition(coalition)
    seat = CommitteeSeat.objects.select_related("city", "representative").get(pk=seat.pk)
    if office not in OfficerOffice.values:
        raise GovernanceError(_("Unknown office."))
    if seat.kind != SeatKind.VOTING or seat.city is None:
        raise GovernanceError(_("Officers are chosen among the committee's voting members."))
    if seat.representative is None:
        raise GovernanceError(
            _("The seat of %(city)s has no representative to hold an office.")
            % {"city": seat.city.name}
        )
    if not _covers(seat, starts_on):
        raise GovernanceError(
            _("The seat of %(city)s is not held on %(day)s.")
            % {"city": seat.city.name, "day": starts_on.isoformat()}
        )
    check_officer_term(
        coalition=coalition,
        office=office,
        person=seat.representative,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    officer = CommitteeOfficer.objects.create(
        coalition=coalition,
        office=office,
        seat=seat,
        city=seat.city,
        person=seat.representative,
        starts_on=starts_on,
        ends_on=ends_on,
        election=election,
    )
    audit.record(
        actor=actor,
        target=officer,
        verb="officer.recorded",
        to_state=office,
        data={
            "seat": seat.pk,
            "person": seat.representative.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "election": getattr(election, "pk", None),
        },
    )
    public_pages_changed()  # the officers show on the coalition page
    return officer


@transaction.atomic
def end_officer_term(
    *,
    actor,
    officer: CommitteeOfficer,
    ends_on: dt.date,
    election: Election | None = None,
    why: str = "",
) -> CommitteeOfficer:
    """End an officer's term on `ends_on` (terms end; rows are never deleted).

    Certification names the `election` and `why` ("outgoing": the election renews the term;
    "elected_elsewhere": its holder was elected to another office) in the audit record.
    """
    seat_services.lock_coalition(officer.coalition)
    officer = CommitteeOfficer.objects.select_for_update().get(pk=officer.pk)
    if ends_on < officer.starts_on:
        raise GovernanceError(_("The term cannot end before it starts."))
    previous = officer.ends_on
    model_update(
        officer,
        fields={"ends_on": ends_on},
        actor=actor,
        verb="officer.term_ended",
        to_state=officer.office,
        data={
            "ends_on": ends_on.isoformat(),
            "previously_ends_on": previous.isoformat() if previous else None,
            "election": getattr(election, "pk", None),
            "why": why,
        },
    )
    public_pages_changed()
    return officer


def _person_name(officer: CommitteeOfficer) -> str:
    return officer.person.full_name or officer.person.email


def most_at_once(
    terms: list[tuple[dt.date, dt.date | None]], starts_on: dt.date, ends_on: dt.date | None
) -> int:
    """The most terms running on one day of [starts_on, ends_on] (None: open-ended)."""
    within = {s for s, _e in terms if starts_on <= s and (ends_on is None or s <= ends_on)}
    days = {starts_on} | within
    return max(
        (sum(1 for s, e in terms if s <= day and (e is None or e >= day)) for day in days),
        default=0,
    )


def vice_presidents_allowed(snapshot: dict) -> int | None:
    """The statute's number of Vice-Presidents (None: the statute fixes none)."""
    return (snapshot or {}).get("vice_presidents")


@transaction.atomic
def install_officers(*, actor, election: Election) -> list[CommitteeOfficer]:
    """Write a certified officer election's result: its outgoing officers end the day before.

    Only the terms the election names (`Election.outgoing_officers`) end, the day before
    the new term starts; the other holders of the office stay (a by-election for one
    Vice-President among several), and a vacancy ends nothing. An elected person's other
    office (a Vice-President elected President) ends then too. Each elected candidate takes
    the office from the city's voting seat held on the first day of the new term; never
    more Vice-Presidents at once than the statute's number (copied when the call opened).
    """
    coalition = election.coalition
    seat_services.lock_coalition(coalition)
    starts_on, ends_on = election.term_starts_on, election.term_ends_on
    last_day = starts_on - dt.timedelta(days=1)
    elected_ids = list(election.result.get("elected", []))
    candidacies = {c.pk: c for c in election.candidacies.select_related("city", "person")}
    elected = [candidacies[pk] for pk in elected_ids]
    outgoing = list(election.outgoing_officers.select_related("person"))
    outgoing_ids = {o.pk for o in outgoing}
    moving = list(
        CommitteeOfficer.objects.overlapping(starts_on, None)
        .filter(person__in=[c.person for c in elected])
        .exclude(pk__in=outgoing_ids)
        .select_related("person")
    )
    for officer in moving:
        if officer.coalition_id == coalition.pk and officer.office == election.office:
            raise GovernanceError(
                _("%(person)s already holds the office of %(office)s during the new term.")
                % {"person": _person_name(officer), "office": officer.get_office_display()}
            )
    ending = [(o, "outgoing") for o in outgoing] + [(o, "elected_elsewhere") for o in moving]
    ended = []
    for officer, why in ending:
        if officer.ends_on is not None and officer.ends_on <= last_day:
            continue  # the term ends by itself before the new one
        if officer.starts_on > last_day:
            raise GovernanceError(
                _("%(person)s's term as %(office)s starts on %(day)s: correct it first.")
                % {
                    "person": _person_name(officer),
                    "office": officer.get_office_display(),
                    "day": officer.starts_on.isoformat(),
                }
            )
        end_officer_term(actor=actor, officer=officer, ends_on=last_day, election=election, why=why)
        ended.append(officer.pk)
    allowed = vice_presidents_allowed(election.statute_snapshot)
    if election.office == OfficerOffice.VICE_PRESIDENT and allowed is not None:
        terms = list(
            CommitteeOfficer.objects.overlapping(starts_on, ends_on)
            .filter(coalition=coalition, office=OfficerOffice.VICE_PRESIDENT)
            .values_list("starts_on", "ends_on")
        )
        new_terms = [(starts_on, ends_on)] * len(elected)
        if most_at_once(terms + new_terms, starts_on, ends_on) > allowed:
            raise GovernanceError(
                _("The statute provides %(n)s Vice-Presidents: this result would seat more.")
                % {"n": allowed}
            )
    seats = {
        s.city_id: s
        for s in CommitteeSeat.objects.current(starts_on)
        .voting()
        .filter(coalition=coalition, city__in=[c.city for c in elected])
    }
    installed = []
    for candidacy in elected:
        seat = seats.get(candidacy.city_id)
        if seat is None or seat.representative_id != candidacy.person_id:
            raise GovernanceError(
                _("%(city)s does not hold a voting seat represented by its candidate on %(day)s.")
                % {"city": candidacy.city.name, "day": starts_on.isoformat()}
            )
        installed.append(
            record_officer(
                actor=actor,
                seat=seat,
                office=election.office,
                starts_on=starts_on,
                ends_on=ends_on,
                election=election,
            )
        )
    audit.record(
        actor=actor,
        target=election,
        verb="election.officers_installed",
        to_state=election.office,
        data={
            "outgoing": sorted(outgoing_ids),
            "ended": ended,
            "recorded": [o.pk for o in installed],
            "vacancies": election.additional_seats,
            "starts_on": starts_on.isoformat(),
        },
    )
    return installed
