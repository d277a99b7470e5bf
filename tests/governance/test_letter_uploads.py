"""Malformed and hostile PDFs sent as the mayor's letter: always a form error, never a 500."""

from __future__ import annotations

import tracemalloc

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition import pdfcheck
from governance import services
from governance.letters import validate_letter
from governance.models import AdmissionApplication, ApplicationStatus, LetterUpload
from tests.factories import UserFactory
from tests.governance.conftest import form_data
from tests.malformed_pdfs import corpus, recoverable

pytestmark = pytest.mark.django_db

CORPUS = corpus()
KEPT = ('value="Newtown"', 'value="Villeneuve"', 'value="fabien@newtown.example"',
        "Second action under 2", 'value="FR" selected', 'value="43.6"')  # fmt: skip


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", data, content_type="application/pdf")


def assert_letter_refused_and_input_kept(response) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_letter_errors"' in html
    for kept in KEPT:
        assert kept in html, kept
    assert not LetterUpload.objects.exists()  # a refused letter is not kept


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_malformed_letter_gets_a_form_error_on_the_application_form(client, world, name):
    client.force_login(UserFactory())
    response = client.post(
        reverse("governance:apply"), form_data(world, letter=upload(name, CORPUS[name]))
    )
    assert_letter_refused_and_input_kept(response)
    assert not AdmissionApplication.objects.exists()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_malformed_letter_gets_a_form_error_when_a_returned_application_is_edited(
    client, world, name
):
    applicant = UserFactory()
    application = world.apply(applicant)
    services.return_application(actor=world.bureau, application=application, message="Why?")
    client.force_login(applicant)
    edit = reverse("governance:application_edit", args=[application.pk])
    response = client.post(edit, form_data(world, letter=upload(name, CORPUS[name])))
    assert_letter_refused_and_input_kept(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.letter_filename == "letter.pdf"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("header_only", "damaged"),
        ("truncated_half", "damaged"),
        ("zero_pages", "no_pages"),
        ("circular_kids_pair", "damaged"),
        ("bogus_encrypt_filter", "damaged"),
        ("bogus_encrypt_standard", "damaged"),
        ("encrypt_without_id", "encrypted"),
        ("page_tree_nested_very_deep", "too_complex"),
        ("page_tree_of_six_thousand_pages", "too_complex"),
        ("huge_declared_stream_length", "too_complex"),
        ("javascript_open_action", "scripts"),
        ("javascript_name_tree", "scripts"),
        ("javascript_link_annotation", "scripts"),
        ("javascript_in_a_compressed_action_chain", "scripts"),
        ("launch_action", "scripts"),
    ],
)
def test_each_kind_of_bad_pdf_is_told_apart(name, code):
    with pytest.raises(ValidationError) as caught:
        validate_letter(upload(name, CORPUS[name]))
    assert caught.value.code == code


@pytest.mark.parametrize("name", sorted(recoverable()))
def test_a_readable_pdf_with_a_repairable_defect_is_accepted(name):
    validate_letter(upload(name, recoverable()[name]))


def test_an_inflating_stream_costs_a_bounded_amount_of_memory():
    """A 400 KB cross-reference stream inflating to 400 MB stops at pypdf's configured limit."""
    bomb = upload("bomb", CORPUS["xref_stream_bomb"])
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            validate_letter(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * pdfcheck.MAX_DECODED_STREAM_BYTES


def test_pypdf_reads_leniently_under_the_portal_limits(monkeypatch):
    """strict=False (office suites write odd but readable files) and the tighter limits apply."""
    seen = {}
    original = pypdf.PdfReader

    def spy(stream, strict=True, *args, **kwargs):
        seen["strict"] = strict
        seen["configuration"] = pypdf.get_configuration()
        return original(stream, strict, *args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", spy)
    validate_letter(upload("good", recoverable()["garbage_before_header"]))
    assert seen["strict"] is False
    configuration = seen["configuration"]
    assert configuration.zlib_maximum_output_length == pdfcheck.MAX_DECODED_STREAM_BYTES
    assert configuration.page_tree_maximum_depth == pdfcheck.MAX_PAGE_TREE_DEPTH
    assert configuration.jbig2dec_binary is None
    # ...and only while the check runs: the rest of the process keeps pypdf's defaults.
    assert pypdf.get_configuration().page_tree_maximum_depth == 100
