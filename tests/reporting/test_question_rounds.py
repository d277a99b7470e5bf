"""Every round of questions between the secretariat and the city is kept, with its answer."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from reporting import privacy, selectors, services
from reporting.models import QuestionRound, Report, ReportStatus
from tests.reporting.helpers import fill, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(coordinator, bureau):
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    return report


def _round_trip(report, secretariat, coordinator, questions: str, answer: str) -> None:
    services.ask_questions(actor=secretariat, report=report, questions=questions)
    services.submit_report(actor=coordinator, report=report, answer=answer)


def test_two_rounds_are_both_kept_in_order(evaluating, secretariat, coordinator):
    _round_trip(evaluating, secretariat, coordinator, "How many staff?", "Three people.")
    _round_trip(evaluating, secretariat, coordinator, "Which budget line?", "Line 4.2.")
    rounds = selectors.question_rounds_for(evaluating)
    assert [(r.number, r.questions, r.answer) for r in rounds] == [
        (1, "How many staff?", "Three people."),
        (2, "Which budget line?", "Line 4.2."),
    ]
    assert all(r.asked_by == secretariat and r.answered_by == coordinator for r in rounds)
    assert rounds[0].answered_at <= rounds[1].asked_at
    evaluating.refresh_from_db()
    # The report's own fields still hold the current (latest) round.
    assert evaluating.questions == "Which budget line?" and evaluating.city_answer == "Line 4.2."


def test_an_open_round_waits_for_its_answer(evaluating, secretariat, coordinator):
    _round_trip(evaluating, secretariat, coordinator, "First?", "Yes.")
    services.ask_questions(actor=secretariat, report=evaluating, questions="Second?")
    latest = QuestionRound.objects.filter(report=evaluating).order_by("-number").first()
    assert latest.number == 2 and latest.answered_at is None and latest.answer == ""
    evaluating.refresh_from_db()
    assert evaluating.status == ReportStatus.QUESTIONS and evaluating.city_answer == ""


def test_the_history_shows_on_the_report_and_the_evaluation_page(
    client, evaluating, secretariat, coordinator
):
    _round_trip(evaluating, secretariat, coordinator, "How many staff?", "Three people.")
    _round_trip(evaluating, secretariat, coordinator, "Which budget line?", "Line 4.2.")
    client.force_login(secretariat)
    for url in (
        evaluating.get_absolute_url(),
        reverse("reporting:evaluate", args=[evaluating.pk]),
    ):
        body = client.get(url).content.decode()
        assert "Questions and answers" in body
        assert body.index("How many staff?") < body.index("Which budget line?")
        assert "Three people." in body and "Line 4.2." in body
        assert "Round 2" in body
    client.force_login(coordinator)
    body = client.get(evaluating.get_absolute_url()).content.decode()
    assert "How many staff?" in body and "Line 4.2." in body


def test_the_committee_does_not_read_the_exchange(
    client, evaluating, secretariat, coordinator, bureau
):
    _round_trip(evaluating, secretariat, coordinator, "A private question?", "A reply.")
    client.force_login(bureau)
    body = client.get(evaluating.get_absolute_url()).content.decode()
    assert "A private question?" not in body


def test_the_data_migration_turns_existing_questions_into_a_first_round(evaluating, bureau):
    Report.objects.filter(pk=evaluating.pk).update(
        questions="Old question?", city_answer="Old answer.", status=ReportStatus.UNDER_EVALUATION
    )
    migration = importlib.import_module("reporting.migrations.0005_question_rounds_from_reports")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # a second run adds nothing
    (first,) = QuestionRound.objects.filter(report=evaluating)
    assert (first.number, first.questions, first.answer) == (1, "Old question?", "Old answer.")
    assert first.answered_at is not None
    assert not QuestionRound.objects.filter(report__questions="").exists()


def test_a_persons_export_holds_the_questions_they_asked_and_the_answers_they_gave(
    evaluating, secretariat, coordinator
):
    _round_trip(evaluating, secretariat, coordinator, "How many staff?", "Three people.")
    (asked,) = privacy.personal_data(secretariat)["questions_asked_or_answered"]
    assert asked["questions"] == "How many staff?" and asked["answer"] is None
    (answered,) = privacy.personal_data(coordinator)["questions_asked_or_answered"]
    assert answered["answer"] == "Three people." and answered["questions"] is None
