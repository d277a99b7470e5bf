"""Reads of the statute profile: who holds voting rights, and what a change would take away.

`voting_rights` answers, for each member city of a coalition on a date, whether it
may vote in the General Assembly and, if not, every reason. It costs a fixed number
of queries however many cities there are (memberships, their history, the year's
fees, and the profile unless given): the facts are read once (`voting_facts`) and
judged by a pure function (`judge`), so the edit page can weigh the current and the
proposed profile against the same facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import FeeStatus, MembershipFee, StatuteProfile
from members.models import (
    CURRENT_STATUSES,
    City,
    Coalition,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
)

#: The statuses of a membership that make a city a member (a suspended member is one).
MEMBER_STATUSES = (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED)


class NoVoteReason(models.TextChoices):
    NOT_A_MEMBER = "not_a_member", _("not a member")
    SUSPENDED = "suspended", _("suspended")
    FEE_UNPAID = "fee_unpaid", _("fee unpaid")
    FEE_MISSING = "fee_missing", _("no fee recorded")
    REPORT_OVERDUE = "report_overdue", _("annual report overdue")


@dataclass(frozen=True)
class Reason:
    code: str
    year: int | None = None
    since: dt.date | None = None

    def __str__(self) -> str:
        if self.code == NoVoteReason.FEE_UNPAID:
            return gettext("fee for %(year)s unpaid") % {"year": self.year}
        if self.code == NoVoteReason.FEE_MISSING:
            return gettext("no fee recorded for %(year)s") % {"year": self.year}
        if self.code == NoVoteReason.REPORT_OVERDUE and self.since:
            return gettext("annual report overdue since %(date)s") % {
                "date": self.since.isoformat()
            }
        return str(NoVoteReason(self.code).label)


@dataclass(frozen=True)
class CityFacts:
    """What voting rights depend on, for one city on one date."""

    city: City
    membership: Membership
    status: str  # the membership's status on the date ("" before it began)
    fee_status: str | None  # None: no fee recorded for the year
    fee_paid_on: dt.date | None
    report_overdue_since: dt.date | None

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATUSES


@dataclass(frozen=True)
class VotingRight:
    city: City
    membership: Membership
    status: str
    reasons: tuple[Reason, ...] = ()

    @property
    def has_voting_rights(self) -> bool:
        return not self.reasons


def voting_facts(coalition: Coalition, on: dt.date) -> list[CityFacts]:
    """The facts of every city with a current membership or a membership in force on `on`.

    Three queries: the memberships (with their cities), their history up to `on`, the fees
    of `on`'s year. The status on `on` is the last step of the history effective by then.
    """
    memberships = list(
        Membership.objects.filter(coalition=coalition).select_related("city").order_by("id")
    )
    status_on: dict[int, str] = {}
    for membership_id, to_status in (
        MembershipStatusChange.objects.filter(membership__coalition=coalition, effective_on__lte=on)
        .order_by("membership_id", "effective_on", "changed_at", "id")
        .values_list("membership_id", "to_status")
    ):
        status_on[membership_id] = to_status
    fees = {
        city_id: (status, paid_on)
        for city_id, status, paid_on in MembershipFee.objects.filter(
            coalition=coalition, year=on.year
        ).values_list("city_id", "status", "paid_on")
    }
    chosen: dict[int, Membership] = {}
    for membership in memberships:
        status = status_on.get(membership.pk, "")
        if status not in MEMBER_STATUSES and membership.status not in CURRENT_STATUSES:
            continue  # a membership that had ended, or not begun, on `on` and is not current
        best = chosen.get(membership.city_id)
        if best is None or status in MEMBER_STATUSES:
            chosen[membership.city_id] = membership
    facts = []
    for membership in chosen.values():
        fee_status, paid_on = fees.get(membership.city_id, (None, None))
        facts.append(
            CityFacts(
                city=membership.city,
                membership=membership,
                status=status_on.get(membership.pk, ""),
                fee_status=fee_status,
                fee_paid_on=paid_on,
                report_overdue_since=membership.report_overdue_since,
            )
        )
    facts.sort(key=lambda f: (f.city.name, f.city.pk))
    return facts


def fee_reason(facts: CityFacts, on: dt.date) -> Reason | None:
    """Why the year's fee stands in the way of voting on `on`, if it does."""
    if facts.fee_status is None:
        return Reason(NoVoteReason.FEE_MISSING, year=on.year)
    if facts.fee_status == FeeStatus.WAIVED:
        return None
    if facts.fee_status == FeeStatus.PAID and facts.fee_paid_on and facts.fee_paid_on <= on:
        return None
    return Reason(NoVoteReason.FEE_UNPAID, year=on.year)


def report_reason(facts: CityFacts, on: dt.date) -> Reason | None:
    since = facts.report_overdue_since
    if since is not None and since <= on:
        return Reason(NoVoteReason.REPORT_OVERDUE, since=since)
    return None


def judge(facts: list[CityFacts], snapshot: dict, on: dt.date) -> list[VotingRight]:
    """Voting rights under a profile's snapshot: every reason a city may not vote, not just one."""
    rights = []
    for f in facts:
        reasons: list[Reason] = []
        if not f.is_member:
            reasons.append(Reason(NoVoteReason.NOT_A_MEMBER))
        elif f.status == MembershipStatus.SUSPENDED:
            reasons.append(Reason(NoVoteReason.SUSPENDED))
        if snapshot.get("requires_fee_paid") and (reason := fee_reason(f, on)):
            reasons.append(reason)
        if snapshot.get("requires_no_report_overdue") and (reason := report_reason(f, on)):
            reasons.append(reason)
        rights.append(VotingRight(f.city, f.membership, f.status, tuple(reasons)))
    return rights


def voting_rights(
    coalition: Coalition, *, on: dt.date | None = None, profile: StatuteProfile | None = None
) -> list[VotingRight]:
    """For each member city (and each applicant), whether it has voting rights on `on`."""
    on = on or timezone.localdate()
    profile = profile or StatuteProfile.current_for(coalition, on)
    return judge(voting_facts(coalition, on), profile.snapshot(), on)


@dataclass(frozen=True)
class Impact:
    """What the optional conditions would do, and what a proposed profile takes away."""

    members: int  # member cities (suspended ones included) on the date
    excluded_by_fee: int  # member cities the fee condition alone would exclude
    excluded_by_report: int
    with_rights_now: int
    with_rights_proposed: int
    losing: list[City] = field(default_factory=list)  # rights now, none under the proposal


def impact(
    coalition: Coalition, *, proposed: dict | None = None, on: dt.date | None = None
) -> Impact:
    """The edit page's preview: what each optional condition excludes, and who loses the vote."""
    on = on or timezone.localdate()
    facts = voting_facts(coalition, on)
    members = [f for f in facts if f.is_member]
    now = judge(facts, StatuteProfile.current_for(coalition, on).snapshot(), on)
    after = judge(facts, proposed, on) if proposed is not None else now
    losing = [
        a.city
        for a, b in zip(now, after, strict=True)
        if a.has_voting_rights and not b.has_voting_rights
    ]
    return Impact(
        members=len(members),
        excluded_by_fee=sum(1 for f in members if fee_reason(f, on)),
        excluded_by_report=sum(1 for f in members if report_reason(f, on)),
        with_rights_now=sum(1 for r in now if r.has_voting_rights),
        with_rights_proposed=sum(1 for r in after if r.has_voting_rights),
        losing=losing,
    )
