"""Every reporting URL × every persona, and what each persona may read of a report.

404 where the report's existence is itself private (a draft, another city's
report); 403 where the person may see the object but not make this change.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import services
from reporting.models import Visibility
from tests import permissions
from tests.conftest import PERSONAS
from tests.permissions import expect
from tests.reporting.helpers import (
    COALITION,
    PUBLIC,
    SECRET,
    evaluate_and_release,
    fill,
    report_of,
    set_visibility,
)

pytestmark = pytest.mark.django_db

ANON, OUT, COORD, DELEG, COMM, BUR, SEC, ADM = PERSONAS


def objects():
    draft = report_of("Potsdam", 2025)
    submitted = report_of("Berlin", 2025)
    evaluating = report_of("Rotterdam", 2025)
    published = report_of("Potsdam", 2024)
    return {
        "draft": draft,
        "submitted": submitted,
        "evaluating": evaluating,
        "published": published,
        "cycle": draft.cycle,
        "section": draft.sections.order_by("commitment__number").first(),
    }


def _attachment(report, user):
    section = report.sections.order_by("commitment__number").first()
    return services.add_attachment(
        actor=user,
        section=section,
        upload=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 evidence"),
        content_type="application/pdf",
    )


# url name, method, kwargs builder, expected status per persona
MATRIX = [
    ("my_reports", "get", lambda o: {}, expect(200, anon=302)),
    ("report_detail", "get", lambda o: {"pk": o["draft"].pk}, expect(404, coord=200, adm=200)),
    (
        "report_detail",
        "get",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, comm=200, bur=200, sec=200, adm=200),
    ),
    ("report_detail", "get", lambda o: {"pk": o["published"].pk}, expect(200)),
    (
        "report_edit",
        "get",
        lambda o: {"pk": o["draft"].pk},
        expect(404, anon=302, coord=200, adm=403),
    ),
    (
        "section_edit",
        "get",
        lambda o: {"pk": o["draft"].pk, "section_pk": o["section"].pk},
        expect(404, anon=302, coord=200, adm=403),
    ),
    (
        "indicators_save",
        "post",
        lambda o: {"pk": o["draft"].pk, "section_pk": o["section"].pk},
        expect(404, anon=302, coord=400, adm=403),
    ),  # 400: the formset's management form is missing
    (
        "section_save",
        "post",
        lambda o: {"pk": o["draft"].pk, "section_pk": o["section"].pk},
        expect(404, anon=302, coord=400, adm=403),
    ),  # 400: an empty form is not saved
    (
        "attachment_upload",
        "post",
        lambda o: {"pk": o["draft"].pk, "section_pk": o["section"].pk},
        expect(404, anon=302, coord=302, adm=403),
    ),
    (
        "copy_previous",
        "post",
        lambda o: {"pk": o["draft"].pk},
        expect(404, anon=302, coord=302, adm=403),
    ),
    ("submit", "get", lambda o: {"pk": o["draft"].pk}, expect(404, anon=302, coord=200, adm=403)),
    ("publish", "get", lambda o: {"pk": o["published"].pk}, expect(403, anon=302, coord=200)),
    # 202: the PDF is queued (it renders after the commit, which a test never makes).
    (
        "report_pdf",
        "get",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, comm=202, bur=202, sec=202, adm=202),
    ),
    # Its progress: to exactly those who may download that PDF variant (JSON here).
    (
        "report_pdf_status",
        "get",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, comm=200, bur=200, sec=200, adm=200),
    ),
    ("report_pdf_status", "get", lambda o: {"pk": o["draft"].pk}, expect(404)),
    ("report_pdf_status", "get", lambda o: {"pk": o["published"].pk}, expect(200)),
    (
        "report_pdf_retry",
        "post",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, anon=302, comm=403, bur=302, sec=302, adm=302),
    ),
    (
        "transmit",
        "post",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, anon=302, comm=302, bur=302, sec=403, adm=302),
    ),
    (
        "transmit",
        "get",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, anon=302, comm=200, bur=200, sec=403, adm=200),
    ),
    (
        "transmit_all",
        "get",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=200, bur=200, sec=403, adm=200),
    ),
    (
        "return_report",
        "get",
        lambda o: {"pk": o["submitted"].pk},
        expect(404, anon=302, comm=200, bur=200, sec=403, adm=200),
    ),
    (
        "evaluate",
        "get",
        lambda o: {"pk": o["evaluating"].pk},
        expect(404, anon=302, comm=403, bur=403, sec=200, adm=200),
    ),
    (
        "release",
        "get",
        lambda o: {"pk": o["evaluating"].pk},
        expect(404, anon=302, comm=403, bur=403, sec=200, adm=200),
    ),
    (
        "ask_questions",
        "post",
        lambda o: {"pk": o["evaluating"].pk},
        expect(404, anon=302, comm=403, bur=403, sec=302, adm=302),
    ),
    (
        "secretariat_home",
        "get",
        lambda o: {},
        expect(403, anon=302, comm=200, bur=200, sec=200, adm=200),
    ),
    ("cycle_new", "get", lambda o: {}, expect(403, anon=302, bur=200, adm=200)),
    (
        "cycle_dashboard",
        "get",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=200, bur=200, sec=200, adm=200),
    ),
    (
        "cycle_review",
        "get",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=200, bur=200, sec=200, adm=200),
    ),
    (
        "transmit_all",
        "post",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=302, bur=302, sec=403, adm=302),
    ),
    (
        "cycle_pdf",
        "get",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=202, bur=202, sec=202, adm=202),
    ),
    (
        "cycle_pdf_retry",
        "post",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=403, bur=302, sec=302, adm=302),
    ),
    (
        "cycle_pdfs_progress",
        "get",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=403, bur=200, sec=200, adm=200),
    ),
    (
        "cycle_pdfs_rerender",
        "post",
        lambda o: {"pk": o["cycle"].pk},
        expect(404, anon=302, comm=403, bur=302, sec=302, adm=302),
    ),
    ("good_practice_list", "get", lambda o: {}, expect(200)),
]


GETS = [row for row in MATRIX if row[1] == "get"]
POSTS = [row for row in MATRIX if row[1] == "post"]


def _check(persona_client, personas, name, method, kwargs, expected):
    url = reverse(f"reporting:{name}", kwargs=kwargs(objects()))
    return permissions.check(
        persona_client,
        url,
        expected,
        method=method,
        redirects={ANON: "/accounts/login/"},
        personas=personas,
        label=name,
    )


@pytest.mark.parametrize(
    ("name", "method", "kwargs", "expected"), GETS, ids=[f"{m[0]}-{i}" for i, m in enumerate(GETS)]
)
def test_page_permission_matrix(
    persona_client, no_template_rendering, name, method, kwargs, expected
):
    """Reading changes nothing, so one URL is tried by every persona in turn."""
    problems = _check(persona_client, PERSONAS, name, method, kwargs, expected)
    assert not problems, problems


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "expected"),
    POSTS,
    ids=[f"{m[0]}-{i}" for i, m in enumerate(POSTS)],
)
def test_action_permission_matrix(
    persona_client, no_template_rendering, persona, name, method, kwargs, expected
):
    """Actions change state: each persona tries each one on fresh data."""
    problems = _check(persona_client, [persona], name, method, kwargs, expected)
    assert not problems, problems


@pytest.mark.parametrize("persona", PERSONAS)
def test_attachment_download_and_delete(persona_client, persona, coordinator):
    draft = report_of("Potsdam", 2025)
    attachment = _attachment(draft, coordinator)
    try:
        client = persona_client(persona)
        download = client.get(
            reverse("reporting:attachment_download", args=[draft.pk, attachment.pk])
        )
        assert download.status_code == (200 if persona in (COORD, ADM) else 404)
        if download.status_code == 200:
            assert b"".join(download.streaming_content).startswith(b"%PDF")
            assert download["Content-Disposition"].startswith("attachment")
        delete = client.post(reverse("reporting:attachment_delete", args=[draft.pk, attachment.pk]))
        expected = {ANON: 302, COORD: 302, ADM: 403}.get(persona, 404)
        assert delete.status_code == expected
    finally:
        attachment.file.storage.delete(attachment.file.name)


@pytest.fixture
def mixed_report(coordinator, bureau, secretariat):
    """Potsdam 2025, submitted, with one public, one coalition and one secretariat-only text."""
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    set_visibility(report, coordinator, 9, Visibility.PUBLIC, actions=PUBLIC)
    set_visibility(report, coordinator, 1, Visibility.COALITION, actions=COALITION)
    set_visibility(report, coordinator, 3, Visibility.SECRETARIAT, actions=SECRET)
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_secretariat_only_text_is_shown_to_city_and_secretariat_alone(
    persona_client, persona, mixed_report
):
    response = persona_client(persona).get(mixed_report.get_absolute_url())
    sees = {COORD: True, SEC: True, ADM: True}.get(persona, False)
    if persona in (COMM, BUR):
        assert response.status_code == 200
        body = response.content.decode()
        assert COALITION in body and PUBLIC in body
    elif not sees:
        assert response.status_code == 404
        return
    assert (SECRET in response.content.decode()) is sees


def test_evaluation_is_invisible_to_the_city_until_released(
    client, coordinator, secretariat, mixed_report
):
    scores = {s.pk: (2, "Feedback only for after the release") for s in mixed_report.sections.all()}
    services.save_evaluation(
        actor=secretariat, report=mixed_report, scores=scores, overall="Hidden overall text"
    )
    client.force_login(coordinator)
    body = client.get(mixed_report.get_absolute_url()).content.decode()
    assert "Hidden overall text" not in body
    assert "Feedback only for after the release" not in body
    client.force_login(secretariat)
    assert "Hidden overall text" in client.get(mixed_report.get_absolute_url()).content.decode()
    services.release_evaluation(actor=secretariat, report=mixed_report)
    client.force_login(coordinator)
    body = client.get(mixed_report.get_absolute_url()).content.decode()
    assert "Hidden overall text" in body and "Feedback only for after the release" in body


@pytest.mark.parametrize("persona", [ANON, OUT, DELEG, COMM])
def test_public_sees_only_public_sections_of_a_published_report(
    persona_client, persona, mixed_report, coordinator, secretariat
):
    evaluate_and_release(mixed_report, secretariat)
    url = mixed_report.get_absolute_url()
    if persona in (ANON, OUT):
        assert persona_client(persona).get(url).status_code == 404  # not yet published
    services.publish_report(actor=coordinator, report=mixed_report, publish_scores=False)
    body = persona_client(persona).get(url).content.decode()
    assert PUBLIC in body
    assert SECRET not in body
    # Coalition sections: members' people and the committee, not the public.
    assert (COALITION in body) is (persona in (DELEG, COMM))
    assert "Feedback 3" not in body or persona == COMM


def test_good_practice_library_shows_only_approved_public_published_practices(
    client, coordinator, bureau, secretariat
):
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    set_visibility(
        report,
        coordinator,
        9,
        Visibility.PUBLIC,
        good_practice=True,
        good_practice_title="Approved public practice",
        good_practice_summary="Summary A",
    )
    set_visibility(
        report,
        coordinator,
        8,
        Visibility.PUBLIC,
        good_practice=True,
        good_practice_title="Not approved practice",
        good_practice_summary="Summary B",
    )
    set_visibility(
        report,
        coordinator,
        3,
        Visibility.SECRETARIAT,
        good_practice=True,
        good_practice_title="Secret practice",
        good_practice_summary="C",
    )
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    sections = {s.commitment.number: s for s in report.sections.select_related("commitment")}
    services.save_evaluation(
        actor=secretariat,
        report=report,
        scores={s.pk: (3, "") for s in sections.values()},
        overall="Fine",
        approved_good_practices={sections[9].pk, sections[3].pk},
    )
    services.release_evaluation(actor=secretariat, report=report)
    url = reverse("reporting:good_practice_list")
    assert "Approved public practice" not in client.get(url).content.decode()  # unpublished
    services.publish_report(actor=coordinator, report=report, publish_scores=False)
    body = client.get(url + "?q=practice").content.decode()
    assert "Approved public practice" in body
    assert "Not approved practice" not in body
    assert "Secret practice" not in body
    assert "Approved public practice" not in client.get(url + "?commitment=1").content.decode()
