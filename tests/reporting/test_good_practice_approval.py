"""An approval belongs to the text approved: a rewritten good practice goes back for review.

A city can edit an approved practice only while its report is back with questions (the
report is not public then); the secretariat approved what it read, so changing the
title or summary, or withdrawing the proposal, withdraws the approval (audited) until
the secretariat approves the new text.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.models import AuditEvent
from reporting import selectors, services
from reporting.forms import EvaluationForm
from reporting.models import ReportSection, ReportStatus, Visibility
from tests.reporting.helpers import fill, report_of

pytestmark = pytest.mark.django_db

TITLE = "Tenancy fairness audit"
SUMMARY = "Testers of different origins apply for the same flats; the results are published."


def save(section: ReportSection, actor, **data) -> ReportSection:
    section.refresh_from_db()
    return services.save_section(
        actor=actor, section=section, expected_version=section.version, data=data
    )


def scores(report) -> dict:
    return {s.pk: (3, "Clear.") for s in report.sections.all()}


def evaluated_with_approval(coordinator, bureau, secretariat):
    """Potsdam's 2025 report with a public good practice, evaluated with it approved; and the
    practice's section as the city last saved it."""
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    section = save(
        report.sections.get(commitment__number=7),
        coordinator,
        good_practice=True,
        good_practice_title=TITLE,
        good_practice_summary=SUMMARY,
        visibility=Visibility.PUBLIC,
    )
    saved = ReportSection.objects.get(pk=section.pk)
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    services.save_evaluation(
        actor=secretariat,
        report=report,
        scores=scores(report),
        overall="Steady.",
        approved_good_practices={section.pk},
    )
    return report, section, saved


@pytest.fixture
def approved(coordinator, bureau, secretariat):
    """Potsdam's 2025 report, back with questions, with an approved public good practice."""
    report, section, _saved = evaluated_with_approval(coordinator, bureau, secretariat)
    services.ask_questions(actor=secretariat, report=report, questions="Which districts?")
    report.refresh_from_db()
    section.refresh_from_db()
    assert report.status == ReportStatus.QUESTIONS
    assert section.good_practice_approved_at is not None
    return report, section


def publish(report, *, coordinator, secretariat, approve: set[int] | None = None) -> None:
    """Answer, release and publish. By default the secretariat saves the evaluation as its
    form stands: the approvals still in force stay ticked."""
    services.submit_report(actor=coordinator, report=report, answer="Two districts.")
    if approve is None:
        approve = set(
            report.sections.filter(good_practice_approved_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
    services.save_evaluation(
        actor=secretariat,
        report=report,
        scores=scores(report),
        overall="Steady.",
        approved_good_practices=approve,
    )
    services.release_evaluation(actor=secretariat, report=report)
    services.publish_report(actor=coordinator, report=report, publish_scores=False)


@pytest.mark.parametrize(
    "change",
    [
        {"good_practice_summary": SUMMARY + " And the agencies were trained."},
        {"good_practice_title": "Tenancy fairness audit, extended"},
        {"good_practice": False},
    ],
    ids=["summary rewritten", "title rewritten", "proposal withdrawn"],
)
def test_rewriting_an_approved_good_practice_sends_it_back_for_review(
    approved, coordinator, change
):
    report, section = approved
    section = save(section, coordinator, **change)
    assert section.good_practice_approved_at is None
    assert section.good_practice_approved_by is None
    event = AuditEvent.objects.filter(verb="reporting.good_practice_sent_back").get()
    assert event.actor == coordinator
    assert event.data["section"] == section.pk
    assert event.data["approved_title"] == TITLE


def test_saving_the_same_text_or_other_fields_keeps_the_approval(approved, coordinator):
    report, section = approved
    # An autosave sends every field of the section, the unchanged practice included.
    section = save(
        section,
        coordinator,
        actions="A longer description of the actions.",
        good_practice=True,
        good_practice_title=TITLE,
        good_practice_summary=SUMMARY,
    )
    assert section.good_practice_approved_at is not None
    assert not AuditEvent.objects.filter(verb="reporting.good_practice_sent_back").exists()


def test_a_rewritten_practice_stays_out_of_the_library_until_approved_again(
    approved, coordinator, secretariat, client
):
    report, section = approved
    save(section, coordinator, good_practice_summary="Rewritten after approval.")
    publish(report, coordinator=coordinator, secretariat=secretariat)
    assert not selectors.approved_good_practices().filter(pk=section.pk).exists()
    assert TITLE not in client.get(reverse("reporting:good_practice_list")).content.decode()


def test_the_secretariat_approves_the_new_text_and_the_library_shows_it(
    approved, coordinator, secretariat, client
):
    report, section = approved
    save(section, coordinator, good_practice_summary="Rewritten after approval.")
    publish(report, coordinator=coordinator, secretariat=secretariat, approve={section.pk})
    section.refresh_from_db()
    assert section.good_practice_approved_by == secretariat
    body = client.get(reverse("reporting:good_practice_list")).content.decode()
    assert TITLE in body and "Rewritten after approval." in body


def test_the_evaluation_form_no_longer_ticks_a_sent_back_practice(
    approved, coordinator, secretariat, client
):
    report, section = approved
    save(section, coordinator, good_practice_summary="Rewritten after approval.")
    services.submit_report(actor=coordinator, report=report, answer="Two districts.")
    form = EvaluationForm(
        sections=report.sections.select_related("commitment", "score"),
        rubric=selectors.rubric(),
    )
    assert form.fields[f"approve_{section.pk}"].initial is False


def test_the_city_is_told_that_changing_an_approved_practice_sends_it_back(
    approved, coordinator, client
):
    report, section = approved
    client.force_login(coordinator)
    url = reverse("reporting:section_edit", args=[report.pk, section.pk])
    body = client.get(url).content.decode()
    assert "sends it back to the secretariat for review" in body


def test_approving_a_good_practice_keeps_the_sections_saved_at_time(
    coordinator, bureau, secretariat
):
    """The section's "Saved at" is the city's last edit, not the secretariat's approval."""
    _report, section, saved = evaluated_with_approval(coordinator, bureau, secretariat)
    section.refresh_from_db()
    assert section.good_practice_approved_at is not None
    assert section.updated_at == saved.updated_at
