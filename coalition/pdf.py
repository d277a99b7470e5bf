"""The one way the portal turns HTML into PDF: WeasyPrint, fetching nothing but our static files.

Reports carry text written by users. Templates escape it, so it never becomes
markup; and should any markup reach WeasyPrint anyway, `StaticOnlyURLFetcher`
refuses every URL that is not one of the portal's own static files: no
file://, no http(s)://, no data:, no path that climbs out of the static
directories. Fonts come from the system (DejaVu Sans covers Latin, Cyrillic and
Arabic); no web font is ever fetched.

Every PDF is tagged as PDF/UA-1 (ISO 14289-1), so that a screen reader reads it
as it reads the page: WeasyPrint writes the structure tree (headings, lists,
tables with their header cells, figures with their alternative text), marks the
document as tagged, takes the document language from `<html lang>` and the title
from `<title>`, and asks viewers to show that title rather than the file name.
A PDF template therefore needs a `lang` on its root element, a `<title>`, and
headings in order; tests/coalition/test_pdf_tags.py reads the tags back.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

#: WeasyPrint's PDF/UA variant: PDF 1.7, tagged, with the PDF/UA identification in its XMP.
PDF_VARIANT = "pdf/ua-1"

#: The base URL PDF templates are rendered against. A reserved name (RFC 6761) that
#: never resolves: a static URL is recognised by it and served from disk, never fetched.
PDF_BASE_URL = "https://pdf.portal.invalid/"


class RefusedURL(ValueError):
    """The PDF renderer was asked for something other than a static file of the portal."""


def resolve_static(url: str, *, base_url: str = PDF_BASE_URL) -> Path:
    """The file on disk behind a static URL of the portal, or RefusedURL."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if parts.scheme != base.scheme or parts.netloc != base.netloc:
        raise RefusedURL(f"not a portal static URL: {url[:200]}")
    if parts.query or parts.fragment:
        # A fragment is fine for an SVG sprite, but nothing we render uses one.
        raise RefusedURL(f"query or fragment in a static URL: {url[:200]}")
    path = unquote(parts.path)
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if not path.startswith(prefix):
        raise RefusedURL(f"outside the static files: {url[:200]}")
    relative = path[len(prefix) :]
    if not relative or "\x00" in relative or "\\" in relative:
        raise RefusedURL(f"bad static path: {url[:200]}")
    segments = relative.split("/")
    if any(seg in ("", ".", "..") for seg in segments):
        raise RefusedURL(f"static path escapes its directory: {url[:200]}")
    found = _find_static(relative)
    if found is None:
        raise RefusedURL(f"no such static file: {url[:200]}")
    return found


def _find_static(relative: str) -> Path | None:
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    candidates = [Path(found)] if found else []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    for candidate in candidates:
        real = candidate.resolve()
        # Symlinks must not lead out of the static directories either.
        if real.is_file() and (
            any(real.is_relative_to(root) for root in roots) or _in_app_static(real)
        ):
            return real
    return None


def _in_app_static(path: Path) -> bool:
    for config in apps.get_app_configs():
        static = Path(config.path, "static").resolve()
        if path.is_relative_to(static):
            return True
    return False


class StaticOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the portal's static files and refuses the rest."""

    def __init__(self, *, base_url: str = PDF_BASE_URL, **kwargs):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, **kwargs)
        self.base_url = base_url
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        try:
            path = resolve_static(url, base_url=self.base_url)
        except RefusedURL:
            self.refused.append(url)
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_pdf(
    html: str,
    base_url: str = PDF_BASE_URL,
    *,
    url_fetcher: StaticOnlyURLFetcher | None = None,
) -> bytes:
    """Render an HTML document (already escaped by the template engine) to tagged PDF bytes."""
    fetcher = url_fetcher or StaticOnlyURLFetcher(base_url=base_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def warm_up() -> None:
    """Load the renderer's fonts in this process (a Celery pool process, before its first task).

    Never raises: a renderer that cannot start shows on the first real PDF, as a failed job.
    """
    try:
        render_pdf(
            '<!DOCTYPE html><html lang="en"><title>Warm-up</title>'
            "<body><p>Warm <b>up</b> <i>fonts</i></p></body></html>"
        )
    except Exception:  # the first task reports it where staff see it
        logger.exception("the PDF renderer could not warm up")
