"""Who may see and do what with a report or a cycle: the one place that decides.

Views never check roles themselves: they call `get_report_for_user` or
`get_cycle_for_user`, which answer 404 to those who may not see the object at
all (a draft's existence is the city's business) and PermissionDenied to those
who may see it but not make the change they ask for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coalition.request_cache import per_request
from governance import interface as governance_interface
from members.models import Membership
from members.selectors import roles_for
from reporting.models import (
    HANDED_IN_STATUSES,
    PDFVariant,
    Report,
    ReportingCycle,
    ReportStatus,
    Visibility,
)

ALL_VISIBILITIES = frozenset(Visibility.values)
COALITION_VISIBILITIES = frozenset({Visibility.PUBLIC, Visibility.COALITION})
PUBLIC_VISIBILITIES = frozenset({Visibility.PUBLIC})

#: Evaluation display modes: everything, the scores alone (published with consent), nothing.
EVALUATION_FULL = "full"
EVALUATION_SCORES = "scores"


def committee_coalition_ids(user) -> frozenset[int]:
    """Coalitions on whose steering committee this person currently sits (once per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return per_request(
        user,
        "reporting.committee_coalitions",
        lambda: governance_interface.committee_coalition_ids(user),
    )


def member_coalition_ids(user) -> frozenset[int]:
    """Coalitions of which a city this person coordinates or represents is a current member."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return per_request(user, "reporting.member_coalitions", lambda: _member_coalition_ids(user))


def _member_coalition_ids(user) -> frozenset[int]:
    roles = roles_for(user)
    cities = roles.coordinator_of | roles.delegate_of
    if not cities:
        return frozenset()
    return frozenset(
        Membership.objects.current()
        .filter(city_id__in=cities)
        .values_list("coalition_id", flat=True)
    )


@dataclass(frozen=True)
class CycleAccess:
    view: bool = False
    manage: bool = False  # bureau: open cycles, see the cycle's status
    review: bool = False  # bureau or committee: transmit or return submitted reports
    evaluate: bool = False  # secretariat
    consolidated_pdf: bool = False

    @property
    def manage_pdfs(self) -> bool:
        """Staff (bureau, secretariat): render the cycle's PDFs again, follow their progress."""
        return self.manage or self.evaluate


def cycle_access(user, coalition_id: int) -> CycleAccess:
    roles = roles_for(user)
    admin = roles.is_admin
    secretariat = coalition_id in roles.secretariat_of or admin
    bureau = coalition_id in roles.bureau_of or admin
    committee = coalition_id in committee_coalition_ids(user)
    return CycleAccess(
        view=secretariat or bureau or committee,
        manage=bureau,
        review=bureau or committee,
        evaluate=secretariat,
        consolidated_pdf=secretariat or committee or bureau,
    )


@dataclass(frozen=True)
class ReportAccess:
    view: bool = False
    is_city: bool = False  # a coordinator of the reporting city
    visibilities: frozenset[str] = field(default_factory=frozenset)
    evaluation: str | None = None  # EVALUATION_FULL, EVALUATION_SCORES or None
    review: bool = False
    evaluate: bool = False
    manage_pdfs: bool = False  # see render errors, retry
    pdf_variant: str | None = None

    @property
    def sees_all_sections(self) -> bool:
        return self.visibilities == ALL_VISIBILITIES

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied


def report_access(user, report: Report) -> ReportAccess:
    roles = roles_for(user)
    coalition_id = report.cycle.coalition_id
    cycle = cycle_access(user, coalition_id)
    admin = roles.is_admin
    is_city = report.city_id in roles.coordinator_of
    handed_in = report.status in HANDED_IN_STATUSES
    published = report.status == ReportStatus.PUBLISHED
    released = report.is_released
    secretariat = cycle.evaluate and handed_in

    if admin or is_city or secretariat:
        visibilities = ALL_VISIBILITIES
        variant = PDFVariant.FULL
    elif cycle.review and handed_in:
        visibilities = COALITION_VISIBILITIES
        variant = PDFVariant.COALITION
    elif published and coalition_id in member_coalition_ids(user):
        visibilities = COALITION_VISIBILITIES
        variant = PDFVariant.PUBLIC
    elif published:
        visibilities = PUBLIC_VISIBILITIES
        variant = PDFVariant.PUBLIC
    else:
        return ReportAccess()

    if admin or secretariat or released and (is_city or cycle.review):
        evaluation = EVALUATION_FULL
    elif published and report.publish_scores:
        evaluation = EVALUATION_SCORES
    else:
        evaluation = None
    return ReportAccess(
        view=True,
        is_city=is_city,
        visibilities=visibilities,
        evaluation=evaluation,
        review=cycle.review and handed_in,
        evaluate=secretariat,
        manage_pdfs=admin or secretariat or (cycle.manage and handed_in),
        pdf_variant=variant if handed_in else None,
    )


def get_report_for_user(user, pk: int, write: bool = False) -> Report:
    """The report with `.access` set; 404 if the person may not see it.

    `write=True` asks for the city's right to change it (its coordinators only).
    """
    report = Report.objects.with_context().filter(pk=pk).first()
    if report is None:
        raise Http404
    access = report_access(user, report)
    if not access.view:
        raise Http404
    if write and not access.is_city:
        raise PermissionDenied
    report.access = access
    return report


def get_cycle_for_user(user, pk: int) -> ReportingCycle:
    cycle = ReportingCycle.objects.select_related("coalition", "plan").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    access = cycle_access(user, cycle.coalition_id)
    if not access.view:
        raise Http404
    cycle.access = access
    return cycle
