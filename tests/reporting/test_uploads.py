"""Report attachments: malformed PDFs and zip bombs get a form error, with bounded work."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.letters import minimal_pdf
from reporting.models import SectionAttachment
from reporting.uploads import check_attachment
from tests.malformed_pdfs import corpus, recoverable
from tests.reporting.helpers import report_of

CORPUS = corpus()
ODT = "application/vnd.oasis.opendocument.text"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_malformed_pdf_attachment_gets_a_form_error(client, coordinator, name):
    report = report_of("Potsdam", 2025)
    section = report.sections.order_by("commitment__number").first()
    client.force_login(coordinator)
    url = reverse("reporting:attachment_upload", args=[report.pk, section.pk])
    upload = SimpleUploadedFile(f"{name}.pdf", CORPUS[name], content_type="application/pdf")
    response = client.post(url, {f"a{section.pk}-file": upload})
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("The file was not attached: The PDF")
    assert not SectionAttachment.objects.filter(section=section).exists()


def test_a_readable_pdf_attachment_is_accepted():
    assert check_attachment(SimpleUploadedFile("report.pdf", minimal_pdf(["Report"])))
    for name, data in recoverable().items():
        if name == "garbage_before_header":
            continue  # attachments must start with %PDF- (letters tolerate leading blanks)
        assert check_attachment(SimpleUploadedFile(f"{name}.pdf", data)) == "application/pdf"


def _odf(mimetype_size: int, *, zip64: bool = True) -> bytes:
    """An OpenDocument-looking archive whose `mimetype` inflates to `mimetype_size` bytes.

    Written in chunks: the test itself never holds the inflated content.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w", force_zip64=zip64) as entry:
            entry.write(ODT.encode())
            chunk = b" " * (1024 * 1024)
            left = mimetype_size - len(ODT)
            while left > 0:
                entry.write(chunk[:left])
                left -= len(chunk)
        archive.writestr("content.xml", "<x/>")
    return out.getvalue()


def _peak_while(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_opendocument_zip_bomb_is_refused_without_inflating_it():
    """The type, then 300 MB of spaces: about 300 KB on the wire."""
    bomb = _odf(300 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024

    def check():
        with pytest.raises(ValidationError) as caught:
            check_attachment(SimpleUploadedFile("plan.odt", bomb))
        assert caught.value.code == "content"

    assert _peak_while(check) < 2 * 1024 * 1024


def _declaring_a_small_mimetype(archive: bytes) -> bytes:
    """The same archive, its central directory claiming that `mimetype` inflates to 47 bytes."""
    at = archive.index(b"PK\x01\x02")  # the first central directory entry: mimetype
    assert archive[at + 46 : at + 54] == b"mimetype"
    return archive[: at + 24] + (47).to_bytes(4, "little") + archive[at + 28 :]


def test_a_forged_small_declared_size_does_not_let_the_entry_inflate():
    forged = _declaring_a_small_mimetype(_odf(50 * 1024 * 1024, zip64=False))
    assert zipfile.ZipFile(io.BytesIO(forged)).getinfo("mimetype").file_size == 47

    def check():
        with pytest.raises(ValidationError) as caught:
            check_attachment(SimpleUploadedFile("plan.odt", forged))
        assert caught.value.code == "content"

    assert _peak_while(check) < 2 * 1024 * 1024


def test_a_real_opendocument_file_is_still_accepted():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT)  # stored, first, as the format asks
        archive.writestr("content.xml", "<x/>", compress_type=zipfile.ZIP_DEFLATED)
    assert check_attachment(SimpleUploadedFile("plan.odt", out.getvalue())) == ODT
