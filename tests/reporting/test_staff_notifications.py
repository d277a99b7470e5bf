"""Staff hear when a report is submitted, answered, transmitted or returned."""

from __future__ import annotations

import pytest

from coalition.models import OutgoingEmail
from members.models import Role, RoleKind
from reporting import services
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


def _staff(report, kind) -> set[str]:
    return set(
        Role.objects.current()
        .filter(kind=kind, coalition=report.cycle.coalition)
        .values_list("user__email", flat=True)
    )


def _to(subject_part: str) -> set[str]:
    return set(
        OutgoingEmail.objects.filter(
            template="reporting-staff", subject__contains=subject_part
        ).values_list("to", flat=True)
    )


def test_each_step_tells_the_staff_who_act_next(coordinator, bureau, secretariat):
    report = report_of("Potsdam", 2025)
    bureau_staff, secretariat_staff = (
        _staff(report, RoleKind.BUREAU),
        _staff(report, RoleKind.SECRETARIAT),
    )
    assert bureau_staff and secretariat_staff

    services.submit_report(actor=coordinator, report=report)
    assert _to("Report submitted: Potsdam") == bureau_staff

    services.transmit_report(actor=bureau, report=report)
    # The person who acted is not told of their own step.
    assert _to("Report to evaluate: Potsdam") == secretariat_staff - {bureau.email}

    services.ask_questions(actor=secretariat, report=report, questions="What budget for 4?")
    services.submit_report(actor=coordinator, report=report, answer="EUR 20,000.")
    answered = OutgoingEmail.objects.filter(subject__contains="Questions answered: Potsdam")
    assert {e.to for e in answered} == secretariat_staff
    assert all("EUR 20,000." in e.text for e in answered)


def test_a_returned_report_is_told_to_the_bureau_and_the_secretariat(coordinator, bureau):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    services.return_report(actor=bureau, report=report, reason="Section 3 is empty.")
    everyone = _staff(report, RoleKind.BUREAU) | _staff(report, RoleKind.SECRETARIAT)
    returned = OutgoingEmail.objects.filter(subject__contains="Report returned to the city")
    assert {e.to for e in returned} == everyone - {bureau.email}
    assert all("Section 3 is empty." in e.text for e in returned)


def test_transmitting_a_whole_cycle_sends_one_message_per_person(coordinator, bureau):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    count = services.transmit_all(actor=bureau, cycle=report.cycle)
    assert count >= 1
    batch = OutgoingEmail.objects.filter(
        template="reporting-staff", subject__contains="to evaluate"
    )
    assert sorted(e.to for e in batch) == sorted(
        _staff(report, RoleKind.SECRETARIAT) - {bureau.email}
    )
    assert all(str(report.cycle) in e.subject for e in batch)
