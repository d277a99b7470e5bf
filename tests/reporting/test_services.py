"""Unit tests of the reporting services: cycles, filing, review, evaluation, reminders."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import reporting.tasks  # noqa: F401 - registers reporting's tasks with the Celery app
from coalition.audit import events_for
from coalition.celery import app
from governance.letters import minimal_pdf
from members.models import Coalition, Membership
from reporting import reminders, services
from reporting.models import (
    ReminderSent,
    Report,
    ReportSection,
    ReportStatus,
    RubricLevel,
    Visibility,
)
from reporting.uploads import check_attachment
from tests.reporting.helpers import fill, report_of, through_release

pytestmark = pytest.mark.django_db


def test_rubric_levels_are_data_from_zero_to_four(demo):
    levels = list(RubricLevel.objects.order_by("score").values_list("score", "label"))
    assert [score for score, _ in levels] == [0, 1, 2, 3, 4]
    assert levels[0][1] == "Nothing reported" and levels[4][1] == "Exemplary"


def test_open_cycle_creates_a_draft_for_every_member_with_sensitive_sections_private(bureau):
    eccar = Coalition.objects.get(short_name="ECCAR")
    today = timezone.localdate()
    cycle = services.open_cycle(
        actor=bureau, coalition=eccar, year=2030, opens_on=today, due_on=today + dt.timedelta(60)
    )
    members = Membership.objects.filter(coalition=eccar, status="member").count()
    assert cycle.reports.count() == members
    assert set(cycle.reports.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    report = cycle.reports.first()
    by_number = {
        s.commitment.number: s.visibility for s in report.sections.select_related("commitment")
    }
    assert len(by_number) == 10
    assert by_number[3] == by_number[10] == Visibility.SECRETARIAT
    assert by_number[1] == Visibility.COALITION
    with pytest.raises(services.ReportingError):
        services.open_cycle(actor=bureau, coalition=eccar, year=2030, opens_on=today, due_on=today)


def test_stale_save_is_refused_and_nothing_is_overwritten(coordinator, delegate):
    report = report_of("Potsdam", 2025)
    section = report.sections.get(commitment__number=5)
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={"actions": "First coordinator's text"},
    )
    with pytest.raises(services.StaleSectionError) as caught:
        services.save_section(
            actor=coordinator,
            section=section,
            expected_version=section.version,
            data={"actions": "Second coordinator's text"},
        )
    assert caught.value.current.actions == "First coordinator's text"
    section.refresh_from_db()
    assert section.actions == "First coordinator's text"


def test_submit_locks_the_report_and_clears_the_overdue_mark(coordinator):
    report = report_of("Potsdam", 2025)
    membership = Membership.objects.get(city=report.city, coalition=report.cycle.coalition)
    membership.report_overdue_since = dt.date(2025, 1, 1)
    membership.save(update_fields=["report_overdue_since"])
    services.submit_report(actor=coordinator, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == coordinator
    membership.refresh_from_db()
    assert membership.report_overdue_since is None
    section = report.sections.first()
    with pytest.raises(services.ReportLockedError):
        services.save_section(
            actor=coordinator,
            section=section,
            expected_version=section.version,
            data={"actions": "too late"},
        )


def test_pre_submit_check_flags_commitments_without_action_but_allows_them(coordinator):
    report = report_of("Potsdam", 2025)
    check = services.pre_submit_check(report)
    flagged = {i.section_id for i in check if not i.blocking}
    empty = set(report.sections.filter(actions="").values_list("pk", flat=True))
    assert flagged == empty and empty
    assert not [i for i in check if i.blocking]


def test_a_good_practice_without_title_blocks_submission(coordinator):
    report = report_of("Potsdam", 2025)
    section = report.sections.get(commitment__number=1)
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={"good_practice": True, "good_practice_title": "", "good_practice_summary": ""},
    )
    with pytest.raises(services.ReportingError):
        services.submit_report(actor=coordinator, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_return_with_a_reason_unlocks_the_report(coordinator, bureau):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    with pytest.raises(services.ReportingError):
        services.return_report(actor=bureau, report=report, reason="  ")
    services.return_report(actor=bureau, report=report, reason="Please add commitment 7.")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.is_editable
    assert report.returned_reason == "Please add commitment 7."


def test_release_needs_every_score_and_an_overall_assessment(coordinator, bureau, secretariat):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    first = report.sections.order_by("commitment__number").first()
    services.save_evaluation(
        actor=secretariat, report=report, scores={first.pk: (2, "ok")}, overall="Good"
    )
    assert Report.objects.get(pk=report.pk).status == ReportStatus.UNDER_EVALUATION
    with pytest.raises(services.ReportingError):
        services.release_evaluation(actor=secretariat, report=report)
    through = {s.pk: (3, "") for s in report.sections.all()}
    services.save_evaluation(actor=secretariat, report=report, scores=through, overall="")
    with pytest.raises(services.ReportingError):
        services.release_evaluation(actor=secretariat, report=report)
    services.save_evaluation(actor=secretariat, report=report, scores=through, overall="Good")
    services.release_evaluation(actor=secretariat, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RELEASED


def test_questions_unlock_and_the_answer_returns_it_to_evaluation(coordinator, bureau, secretariat):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    services.ask_questions(actor=secretariat, report=report, questions="What budget for 4?")
    report.refresh_from_db()
    assert report.status == ReportStatus.QUESTIONS and report.is_editable
    with pytest.raises(services.ReportingError):
        services.submit_report(actor=coordinator, report=report, answer="")
    services.submit_report(actor=coordinator, report=report, answer="EUR 20,000.")
    report.refresh_from_db()
    assert report.status == ReportStatus.UNDER_EVALUATION
    assert report.city_answer == "EUR 20,000."


def test_publish_only_after_release(coordinator, bureau, secretariat):
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    with pytest.raises(services.ReportingError):
        services.publish_report(actor=coordinator, report=report, publish_scores=True)
    through_release(report, coordinator=coordinator, bureau=bureau, secretariat=secretariat)
    services.publish_report(actor=coordinator, report=report, publish_scores=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.publish_scores


def test_copy_previous_year_fills_only_empty_sections(coordinator):
    report = report_of("Potsdam", 2025)
    kept = report.sections.get(commitment__number=1).actions
    last_year = report_of("Potsdam", 2024).sections.get(commitment__number=5).actions
    filled = services.copy_previous_year(actor=coordinator, report=report)
    assert filled == 7  # the demo draft has sections 1, 2 and 4 written
    assert report.sections.get(commitment__number=1).actions == kept
    assert report.sections.get(commitment__number=5).actions == last_year
    assert services.copy_previous_year(actor=coordinator, report=report) == 0


def test_reminders_go_out_once_at_each_stage_and_overdue_is_marked(
    coordinator, django_capture_on_commit_callbacks
):
    def send_report_reminders(today):  # the emails leave after commit (coalition.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_report_reminders(today=today)

    report = report_of("Potsdam", 2025)
    due = report.cycle.due_on
    mail.outbox.clear()
    assert send_report_reminders(today=due - dt.timedelta(days=30))["sent"] >= 1
    potsdam_mails = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(potsdam_mails) == 1 and "due" in potsdam_mails[0].subject
    send_report_reminders(today=due - dt.timedelta(days=29))
    assert len([m for m in mail.outbox if coordinator.email in m.to]) == 1
    for days, kind in ((7, "d7"), (1, "d1"), (-1, "overdue")):
        send_report_reminders(today=due - dt.timedelta(days=days))
        assert ReminderSent.objects.filter(report=report, kind=kind).count() == 1
    send_report_reminders(today=due + dt.timedelta(days=3))
    assert ReminderSent.objects.filter(report=report).count() == 4
    assert len([m for m in mail.outbox if coordinator.email in m.to]) == 4
    membership = Membership.objects.get(city=report.city, coalition=report.cycle.coalition)
    assert membership.report_overdue_since is None  # still within the grace period
    send_report_reminders(today=report.cycle.overdue_from)
    membership.refresh_from_db()
    assert membership.report_overdue_since == due + dt.timedelta(days=1)
    services.submit_report(actor=coordinator, report=report)
    membership.refresh_from_db()
    assert membership.report_overdue_since is None


def test_the_overdue_flag_is_audited_when_marked_and_when_cleared(coordinator):
    report = report_of("Potsdam", 2025)
    membership = Membership.objects.get(city=report.city, coalition=report.cycle.coalition)
    reminders.send_report_reminders(today=report.cycle.overdue_from)
    services.submit_report(actor=coordinator, report=report)

    trail = [
        (e.verb, e.actor, e.from_state, e.to_state)
        for e in events_for(membership)
        if "overdue" in e.verb
    ]
    since = (report.cycle.due_on + dt.timedelta(days=1)).isoformat()
    assert trail == [
        ("reporting.marked_overdue", None, "", since),
        ("reporting.overdue_cleared", coordinator, since, ""),
    ]


def test_a_city_that_was_not_overdue_gets_no_cleared_record(coordinator):
    report = report_of("Potsdam", 2025)
    membership = Membership.objects.get(city=report.city, coalition=report.cycle.coalition)
    services.submit_report(actor=coordinator, report=report)
    assert not [e for e in events_for(membership) if "overdue" in e.verb]


def test_submitted_reports_get_no_reminder(coordinator):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    reminders.send_report_reminders(today=report.cycle.due_on - dt.timedelta(days=1))
    assert not ReminderSent.objects.filter(report=report).exists()


def test_reminder_task_is_registered_under_the_beat_name():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reporting.tasks.send_report_reminders" in names
    assert "reporting.tasks.send_report_reminders" in app.tasks


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("report.pdf", minimal_pdf(["Annual report"]), True),
        ("header-only.pdf", b"%PDF-1.7\n...", False),  # a PDF is read, not only sniffed
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, True),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, True),
        ("notes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20, True),
        ("evil.pdf", b"<script>alert(1)</script>", False),
        ("image.png", b"%PDF-1.4 a pdf in disguise", False),
        ("page.html", b"<html></html>", False),
        ("drawing.svg", b"<svg onload='x'/>", False),
        ("fake.docx", b"PK\x03\x04 not a real zip", False),
        ("empty.pdf", b"", False),
    ],
)
def test_attachments_are_checked_by_content_and_extension(name, content, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        assert check_attachment(upload)
    else:
        with pytest.raises(ValidationError):
            check_attachment(upload)


def test_real_office_documents_are_accepted(tmp_path):
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert check_attachment(SimpleUploadedFile("plan.docx", path.read_bytes())).endswith("document")
    odt = tmp_path / "plan.odt"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert check_attachment(SimpleUploadedFile("plan.odt", odt.read_bytes()))


def test_too_large_attachments_are_refused(settings):
    settings.REPORTING_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        check_attachment(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200))
    assert caught.value.code == "size"


def test_attachment_is_stored_privately_and_bumps_the_version(coordinator, settings):
    report = report_of("Potsdam", 2025)
    section = report.sections.first()
    before = report.version
    attachment = services.add_attachment(
        actor=coordinator,
        section=section,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
        content_type="application/pdf",
    )
    try:
        stored = Path(attachment.file.path).resolve()
        assert stored.exists()
        assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
        assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    finally:
        attachment.file.storage.delete(attachment.file.name)
    assert Report.objects.get(pk=report.pk).version == before + 1
    assert ReportSection.objects.get(pk=section.pk).attachments.count() == 1
