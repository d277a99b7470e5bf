"""The mayor's letter of commitment: checked by its content, stored privately, served with care."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coalition.pdfcheck import check_pdf

#: Largest letter accepted.
MAX_LETTER_BYTES = 10 * 1024 * 1024


class OversizedUpload(UploadedFile):
    """Stands for a file that was too large: its bytes were not kept, only its size."""

    def __init__(self, name: str, content_type: str, size: int):
        super().__init__(io.BytesIO(b""), name, content_type, size)


class LetterSizeLimitHandler(FileUploadHandler):
    """Stops keeping an upload's bytes once it passes the limit, but lets the form say so.

    Placed first among the request's upload handlers (see views.apply). A too
    large file therefore costs no disk space beyond the limit, and the form
    receives an OversizedUpload of the real size and gives a clear error
    instead of the request failing.
    """

    def __init__(self, request=None, limit: int = MAX_LETTER_BYTES):
        super().__init__(request)
        self.limit = limit
        self.size = 0
        self.oversized = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.size = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.oversized = True
            return None  # the later handlers stop receiving this file's bytes
        return raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.content_type, self.size)
        return None  # the next handler (memory or temporary file) completes the file


def validate_letter(upload: UploadedFile) -> None:
    """A real PDF by its content (not its name or declared type), at most 10 MB.

    Read by coalition.pdfcheck with bounded work: a damaged, protected, empty or
    scripted PDF gets a form error, whatever is wrong with it.
    """
    size = getattr(upload, "size", 0) or 0
    if isinstance(upload, OversizedUpload) or size > MAX_LETTER_BYTES:
        raise ValidationError(
            _("The letter is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_LETTER_BYTES)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The letter file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.lstrip(b"\r\n\t \x00").startswith(b"%PDF-"):
        raise ValidationError(
            _("The letter must be a PDF file. This file is not a PDF, whatever its name says."),
            code="not_pdf",
        )
    check_pdf(upload)


def minimal_pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF holding the given lines of text (demo data and tests)."""

    def escape(text: str) -> str:
        safe = text.encode("latin-1", "replace").decode("latin-1")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream_lines = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        stream_lines.append(f"({escape(line)}) Tj T*")
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
