"""Serving a file from private storage, once a view has checked who may read it."""

from __future__ import annotations

from django.http import FileResponse, Http404


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
