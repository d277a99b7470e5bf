"""Publication of approved minutes: the public page, and the PDFs rendered by Celery (one in
the authoritative language, one per language with a translation)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit, jobs
from coalition.services import model_update
from governance.models import Minutes, MinutesPDF, MinutesStatus
from governance.services.common import GovernanceError, acting_user, bureau_emails

from .shared import _city_emails, _lock, _notify, _require_bureau, attending_city_ids

#: Named by its dotted path (its Celery name): the tasks module imports this one (ADR 0006).
RENDER_TASK = "governance.tasks.render_minutes_pdf"


def _undispatched(minutes_pk: int) -> None:
    MinutesPDF.objects.filter(minutes_id=minutes_pk, status="queued").update(dispatched_at=None)


def pdf_languages(minutes: Minutes) -> list[str]:
    """The authoritative language, then each language with a translation."""
    others = [
        code
        for code, _name in settings.LANGUAGES
        if code != minutes.source_language and minutes.has_text_in(code)
    ]
    return [minutes.source_language, *others]


def queue_pdf(minutes: Minutes, language: str | None = None) -> list[MinutesPDF]:
    """Ask for the PDF in `language` (every language with text by default), drawn by Celery.

    A translation emptied since takes its PDF away.
    """
    wanted = pdf_languages(minutes)
    languages = wanted if language is None else [language]
    MinutesPDF.objects.filter(minutes=minutes, language__in=languages).exclude(
        language__in=wanted
    ).delete()
    pdfs = [
        MinutesPDF.objects.update_or_create(
            minutes=minutes, language=code, defaults=jobs.fresh_attempt()
        )[0]
        for code in languages
        if code in wanted
    ]
    if pdfs:
        jobs.enqueue_on_commit(
            RENDER_TASK, minutes.pk, on_failure=lambda: _undispatched(minutes.pk)
        )
    return pdfs


@transaction.atomic
def publish_minutes(*, actor, minutes: Minutes) -> Minutes:
    """The bureau publishes approved minutes: the session's public page, and the PDFs (Celery)."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if minutes.status != MinutesStatus.APPROVED:
        raise GovernanceError(_("Only approved minutes are published."))
    model_update(
        minutes,
        fields={
            "status": MinutesStatus.PUBLISHED,
            "published_at": timezone.now(),
            "published_by": acting_user(actor),
        },
        actor=actor,
    )
    queue_pdf(minutes)
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.published",
        from_state=MinutesStatus.APPROVED,
        to_state=minutes.status,
        data={"sha256": minutes.record_sha256},
    )
    _notify(
        minutes,
        "published",
        to=[*bureau_emails(session.coalition), *_city_emails(attending_city_ids(session))],
    )
    return minutes
