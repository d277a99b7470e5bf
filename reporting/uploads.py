"""Attachment checks: the type is read from the file's first bytes and must match its extension.

Accepted: PDF, PNG, JPEG, GIF, WebP, Office documents (OOXML and the older OLE2
formats) and OpenDocument. SVG and HTML are refused: a browser would run their scripts.
A PDF is also read by coalition.pdfcheck (bounded work; damaged, protected or
scripted files refused), and an archive's entries are never inflated beyond a
few bytes: an upload is at most 10 MB, but a zip bomb of that size inflates to
gigabytes.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coalition.pdfcheck import check_pdf

#: extension -> MIME type sent back on download
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
OOXML_DIRS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The most bytes read from an OpenDocument's `mimetype` entry (the longest type is 47).
MAX_MIMETYPE_BYTES = 128


def max_attachment_bytes() -> int:
    return getattr(settings, "REPORTING_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


def _matches(ext: str, head: bytes, upload) -> bool:
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == ".gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if ext == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ext in (".doc", ".xls", ".ppt"):
        return head.startswith(OLE2)
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if ext in OOXML_DIRS:
                return "[Content_Types].xml" in names and any(
                    n.startswith(OOXML_DIRS[ext]) for n in names
                )
            if "mimetype" not in names:
                return False
            return _odf_mimetype(archive) == EXTENSIONS[ext]
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        KeyError,
        ValueError,
        EOFError,
    ):
        return False
    finally:
        upload.seek(0)


def _odf_mimetype(archive: zipfile.ZipFile) -> str:
    """The `mimetype` entry, read only when its declared size is small, and never past a bound.

    The declared size is checked first; the read is bounded too, since a forged
    archive can declare a small size for an entry that inflates without end.
    """
    info = archive.getinfo("mimetype")
    if info.file_size > MAX_MIMETYPE_BYTES or info.flag_bits & 0x1:  # too large, or encrypted
        return ""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return ""  # the format stores it plainly; other methods may not even be available
    with archive.open(info) as entry:
        data = entry.read(MAX_MIMETYPE_BYTES + 1)
    if len(data) > MAX_MIMETYPE_BYTES:
        return ""
    return data.decode("ascii", "replace").strip()


def check_attachment(upload) -> str:
    """Validate an uploaded file; return the MIME type to store. Raises ValidationError."""
    name = PurePath(upload.name or "").name
    ext = PurePath(name).suffix.lower()
    if ext not in EXTENSIONS:
        raise ValidationError(
            _("This type of file is not accepted. Attach a PDF, an image or an office document."),
            code="type",
        )
    limit = max_attachment_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _matches(ext, head, upload):
        raise ValidationError(
            _("The content of the file does not match its name (%(ext)s).") % {"ext": ext},
            code="content",
        )
    if ext == ".pdf":
        check_pdf(upload)
    return EXTENSIONS[ext]
