"""Translations of an adopted motion and its published declaration (with its PDF job)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition import audit, jobs
from coalition.services import model_update
from governance import motion_text as mt
from governance.models import (
    DeclarationPDF,
    Motion,
    MotionKind,
    MotionStatus,
    MotionVersion,
)
from governance.services.common import GovernanceError, acting_user

from .eligibility import is_bureau_of
from .shared import LANGUAGES, _lock_motion, current_version

RENDER_TASK = "governance.tasks.render_declaration_pdf"


# --- Translations and the published declaration ----------------------------------------------


@transaction.atomic
def add_translation(*, actor, motion: Motion, language: str, lines: list[mt.Line]) -> MotionVersion:
    """The bureau adds a translation of the adopted text (or, before, of the current one).

    It must keep the original's line count and sections, so that line n translates line n.
    """
    motion = _lock_motion(motion)
    if not is_bureau_of(actor, motion.session.coalition_id):
        raise GovernanceError(_("Only the bureau may add a translation."))
    if language not in LANGUAGES or language == motion.language:
        raise GovernanceError(
            _("Choose a language other than the authoritative text's."), field="language"
        )
    original = motion.adopted_version or current_version(motion)
    source = mt.from_json(original.lines)
    if [line.section for line in lines] != [line.section for line in source]:
        raise GovernanceError(
            _("The translation must have the same lines as the text: %(n)s.") % {"n": len(source)},
            field="operative" if motion.is_declaration else "body",
        )
    if MotionVersion.objects.filter(motion=motion, number=original.number, language=language):
        raise GovernanceError(_("This text has a translation in that language."), field="language")
    translation = MotionVersion.objects.create(
        motion=motion,
        number=original.number,
        language=language,
        is_authoritative=False,
        translation_of=original,
        lines=mt.to_json(lines),
        sha256=mt.sha256(lines),
        created_by=acting_user(actor),
    )
    audit.record(
        actor=actor,
        target=translation,
        verb="motion.translation_added",
        data={"motion": motion.pk, "version": original.number, "language": language},
    )
    if motion.published_at:
        _queue_pdf(motion)
    return translation


def _unique_slug(motion: Motion) -> str:
    base = slugify(f"{motion.session.local_starts_at:%Y} {motion.title}")[:100] or "declaration"
    slug, n = base, 2
    while Motion.objects.filter(slug=slug).exclude(pk=motion.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _queue_pdf(motion: Motion) -> DeclarationPDF:
    pdf, _created = DeclarationPDF.objects.update_or_create(
        motion=motion, defaults=jobs.fresh_attempt()
    )
    jobs.enqueue_on_commit(RENDER_TASK, motion.pk, on_failure=lambda: _undispatched(motion.pk))
    return pdf


def _undispatched(motion_pk: int) -> None:
    DeclarationPDF.objects.filter(motion_id=motion_pk, status="queued").update(dispatched_at=None)


@transaction.atomic
def publish_declaration(*, actor, motion: Motion) -> Motion:
    """The bureau publishes an adopted declaration: its public page, and its PDF (Celery)."""
    motion = _lock_motion(motion)
    if not is_bureau_of(actor, motion.session.coalition_id):
        raise GovernanceError(_("Only the bureau may publish."))
    if motion.kind != MotionKind.DECLARATION or motion.status != MotionStatus.ADOPTED:
        raise GovernanceError(_("Only an adopted declaration is published."))
    if motion.published_at:
        return motion
    model_update(
        motion,
        fields={"slug": _unique_slug(motion), "published_at": timezone.now()},
        actor=actor,
    )
    _queue_pdf(motion)
    audit.record(
        actor=actor,
        target=motion,
        verb="declaration.published",
        data={"slug": motion.slug, "sha256": motion.adopted_sha256},
    )
    return motion
