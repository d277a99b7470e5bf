"""The pages each demo account works with, with the demo's objects in their addresses.

Shared by the portal-wide sweeps: axe-core on every page (test_accessibility) and
hostile input in every form on them (test_hostile_input).
"""

from __future__ import annotations

from django.urls import reverse

from governance.demo import PAST_ASSEMBLY_TITLE
from governance.models import (
    AdmissionApplication,
    AssemblyPoll,
    AssemblySession,
    CommitteeSeat,
    CommitteeVote,
    DelegateCertification,
    Election,
    MembershipFee,
    Motion,
)
from members.models import City, Membership, Role
from reporting.models import Report, ReportingCycle, ReportStatus
from tests.governance.polls_support import demo_sitting

#: The two sittings of ECCAR's assembly the poll pages need (tests.governance.polls_support):
#: one with a poll open, one between polls (the chair's forms to open one).
POLL_OPEN = "ECCAR General Assembly, sitting with a poll open"
BETWEEN_POLLS = "ECCAR General Assembly, sitting between polls"


def poll_pages() -> dict[str, list[str]]:
    """The chair's, the projector's and the polls' pages, per account; the sittings made once."""
    running = AssemblySession.objects.filter(title=POLL_OPEN).first() or demo_sitting(
        title=POLL_OPEN, open_poll=True
    )
    waiting = AssemblySession.objects.filter(title=BETWEEN_POLLS).first() or demo_sitting(
        title=BETWEEN_POLLS, open_poll=False
    )
    open_poll = AssemblyPoll.objects.get(session=running, status="open")
    released = AssemblyPoll.objects.get(session=waiting, status="released")
    chair = [reverse("governance:chair_page", args=[s.pk]) for s in (running, waiting)]
    projector = reverse("governance:projector", args=[running.pk])
    polls = [reverse("governance:poll_detail", args=[p.pk]) for p in (open_poll, released)]
    return {
        "bureau": [*chair, projector, *polls],  # the chair (the desk)
        "committee": [*chair, polls[1]],  # the first teller: confirms the released result
        "delegate": [projector, *polls],  # holds Potsdam's card: the ballot on the open poll
    }


def pages_of(account: str) -> list[str]:
    """The pages to check for one demo account, with the demo's objects in them."""
    cycle = ReportingCycle.objects.filter(coalition__slug="eccar").order_by("-year").first()
    potsdam = Report.objects.filter(city__name="Potsdam")
    potsdam_city = City.objects.get(name="Potsdam")
    potsdams_delegate = DelegateCertification.objects.get(
        city=potsdam_city, role="delegate", status="validated"
    )
    assembly = AssemblySession.objects.filter(status="convened").first()
    registrations = {r.person.email.split("@")[0]: r for r in assembly.registrations.all()}
    motion = Motion.objects.filter(session=assembly).first()
    potsdams_amendment = motion.amendments.filter(city=potsdam_city).first()
    declaration = Motion.objects.exclude(published_at=None).first()
    counted_election = Election.objects.get(status="counted")  # released and confirmed
    zurich = AssemblySession.objects.get(title=PAST_ASSEMBLY_TITLE)  # its minutes published
    if account == "anonymous":
        return [
            reverse("governance:coalition_sessions", args=["eccar"]),
            reverse("governance:session_detail", args=[assembly.pk]),
            reverse("governance:declaration_detail", args=[declaration.slug]),
            reverse("governance:session_detail", args=[zurich.pk]),
            reverse("governance:minutes_public", args=[zurich.pk]),
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/accounts/password/reset/key/1-forged-key/",
            "/accounts/confirm-email/",
            "/privacy/",
        ]
    if account == "coordinator":
        return [
            "/dashboard/",
            reverse("reporting:my_reports"),
            potsdam.get(cycle=cycle).get_absolute_url(),
            reverse("reporting:report_edit", args=[potsdam.get(cycle=cycle).pk]),
            reverse(
                "reporting:section_edit",
                args=[
                    potsdam.get(cycle=cycle).pk,
                    potsdam.get(cycle=cycle).sections.order_by("commitment__number").first().pk,
                ],
            ),
            potsdam.exclude(cycle=cycle).get().get_absolute_url(),  # last year's, released
            "/accounts/email/",
            "/accounts/password/change/",
            "/accounts/2fa/",
            "/accounts/my-data/",
            "/accounts/close/",  # with the warning: the only coordinator of Potsdam
            reverse("governance:city_delegates", args=[potsdam_city.pk]),
            reverse("governance:certify_delegate", args=[potsdam_city.pk]),
            reverse("governance:certification_revoke", args=[potsdams_delegate.pk]),
            reverse("governance:extraordinary_request", args=[potsdam_city.pk]),
            reverse("governance:city_registrations", args=[assembly.pk, potsdam_city.pk]),
            reverse("governance:city_proxies", args=[assembly.pk, potsdam_city.pk]),
            reverse("governance:session_motions", args=[assembly.pk]),
            reverse("governance:motion_submit", args=[assembly.pk]),
            motion.get_absolute_url(),
            reverse("governance:amendment_submit", args=[motion.pk]),
            reverse("governance:amendment_withdraw", args=[potsdams_amendment.pk]),
            reverse("governance:election_challenge", args=[counted_election.pk, potsdam_city.pk]),
            reverse("governance:minutes_circulation", args=[zurich.pk]),  # Potsdam attended
        ]
    if account == "delegate":
        return [
            "/dashboard/",
            reverse("governance:my_registrations"),
            reverse("governance:registration_detail", args=[registrations["delegate"].pk]),
            reverse("governance:session_room", args=[assembly.pk]),
            *poll_pages()["delegate"],
        ]
    if account == "applicant":
        applications = AdmissionApplication.objects.filter(
            applicant__email__startswith="applicant@"
        )
        return [
            "/dashboard/",
            reverse("governance:my_applications"),
            *(a.get_absolute_url() for a in applications),
            reverse("governance:apply"),
        ]
    if account == "committee":
        vote = CommitteeVote.objects.open().first()
        return [
            "/dashboard/",
            reverse("governance:committee_home"),
            vote.get_absolute_url(),
            reverse("governance:propose_exclusion"),
            reverse("reporting:cycle_review", args=[cycle.pk]),
            motion.get_absolute_url(),
            reverse("governance:amendment_recommend", args=[potsdams_amendment.pk]),
            reverse("governance:election_result_review", args=[counted_election.pk]),
            *poll_pages()["committee"],
        ]
    if account == "bureau":
        waiting = AdmissionApplication.objects.waiting_for_bureau().first()
        membership = Membership.objects.get(city__name="Potsdam", coalition__slug="eccar")
        seat = CommitteeSeat.objects.filter(city__name="Ghent").latest("starts_on")
        due_fee = MembershipFee.objects.filter(coalition__slug="eccar", status="due").first()
        return [
            "/dashboard/",
            reverse("governance:bureau_home"),
            reverse("governance:application_review", args=[waiting.pk]),
            reverse("governance:application_audit", args=[waiting.pk]),
            reverse("governance:audit_log"),
            reverse("governance:seat_list"),
            reverse("governance:seat_change", args=[seat.pk]),
            reverse("governance:membership_list"),
            reverse("governance:membership_decision", args=[membership.pk]),
            reverse("governance:statute_profile", args=["eccar"]),
            reverse("governance:statute_edit", args=["eccar"]),
            reverse("governance:fee_list", args=["eccar"]),
            reverse("governance:fee_record", args=[due_fee.pk]),
            reverse("governance:certification_queue"),
            reverse(
                "governance:certification_review",
                args=[DelegateCertification.objects.get(status="submitted").pk],
            ),
            reverse("governance:certification_review", args=[potsdams_delegate.pk]),
            reverse("governance:delegate_list"),
            reverse("governance:role_list"),
            reverse("governance:session_list"),
            reverse("governance:bureau_elections"),
            reverse("governance:session_create"),
            reverse("governance:officer_election_create", args=["eccar"]),
            reverse("governance:minutes_edit", args=[zurich.pk]),
            reverse("governance:session_manage", args=[assembly.pk]),
            reverse("governance:session_deliveries", args=[assembly.pk]),
            reverse("governance:session_registrations", args=[assembly.pk]),
            reverse("governance:session_proxies", args=[assembly.pk]),
            reverse("governance:registration_reject", args=[registrations["graz"].pk]),
            reverse("governance:session_desk", args=[assembly.pk]),
            motion.get_absolute_url(),
            reverse("governance:motion_translation", args=[motion.pk]),
            reverse("governance:motion_publish", args=[motion.pk]),
            reverse(
                "governance:role_end",
                args=[Role.objects.get(kind="coordinator", city=potsdam_city).pk],
            ),
            reverse("reporting:secretariat_home"),
            reverse("reporting:cycle_new"),
            reverse("reporting:cycle_dashboard", args=[cycle.pk]),
            reverse("reporting:cycle_review", args=[cycle.pk]),
            reverse("reporting:transmit_all", args=[cycle.pk]),  # the confirmation page
            *poll_pages()["bureau"],
        ]
    if account == "secretariat":
        to_evaluate = Report.objects.filter(
            cycle=cycle, status__in=[ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION]
        ).first()
        return [
            "/dashboard/",
            reverse("reporting:secretariat_home"),
            reverse("reporting:cycle_dashboard", args=[cycle.pk]),
            reverse("reporting:evaluate", args=[to_evaluate.pk]),
            reverse("governance:minutes_edit", args=[zurich.pk]),  # Zurich's minute-taker
            "/accounts/2fa/",
        ]
    raise AssertionError(account)
