"""The private storage, and serving a file from it once a view has checked who may read it."""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.http import FileResponse, Http404


def private_storage() -> Storage:
    """Letters, attachments and PDFs: outside MEDIA_ROOT (`STORAGES["private"]`), never served
    by the web server, only by a view that checks access (`private_file_response`).

    A callable, so that each FileField reads the setting when used (tests override it). The
    migrations name it by the paths where the models import it (`governance.models.admissions`,
    `reporting.models`), which stay valid.
    """
    return storages["private"]


def private_file_response(
    field,
    *,
    filename: str,
    content_type: str = "application/pdf",
    inline: bool = False,
    public: bool = False,
):
    """Stream `field`'s file; 404 if it has gone missing.

    A download (the default) is sandboxed by its Content-Security-Policy, so that a file
    opened from the browser runs nothing; an inline PDF is not, or the browser's viewer
    refuses to draw it. Only a file that anyone may read (`public`) may be cached.
    """
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
