"""Private helpers of the motions package, and what several of its modules read: the current
version of a motion and a new one, the checks on its lines, the row locks, the portal's
languages."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.utils.translation import gettext as _

from governance import motion_text as mt
from governance.models import (
    Amendment,
    Motion,
    MotionVersion,
)
from governance.services.common import GovernanceError, acting_user

LANGUAGES = {code for code, _name in settings.LANGUAGES}


# --- Versions --------------------------------------------------------------------------------


def current_version(motion: Motion) -> MotionVersion:
    return cast(  # every motion has its first version
        MotionVersion,
        MotionVersion.objects.filter(motion=motion, is_authoritative=True)
        .order_by("-number")
        .first(),
    )


def _new_version(*, motion, number, lines, actor, amendment=None) -> MotionVersion:
    return MotionVersion.objects.create(
        motion=motion,
        number=number,
        language=motion.language,
        is_authoritative=True,
        lines=mt.to_json(lines),
        sha256=mt.sha256(lines),
        amendment=amendment,
        created_by=acting_user(actor),
    )


def _check_lines(lines: list[mt.Line], *, declaration: bool) -> None:
    if not lines:
        raise GovernanceError(_("Write the text of the motion."), field="body")
    if any(len(line.text) > mt.MAX_LINE_LENGTH for line in lines):
        raise GovernanceError(_("A line is too long: break it into shorter lines."), field="body")
    if declaration:
        sections = {line.section for line in lines}
        if sections != {mt.PREAMBLE, mt.OPERATIVE}:
            raise GovernanceError(
                _("A declaration has a preamble and operative clauses: write both."),
                field="operative",
            )


def _lock_motion(motion: Motion) -> Motion:
    return (
        Motion.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "item", "city")
        .get(pk=motion.pk)
    )


def _lock_amendment(amendment: Amendment) -> Amendment:
    _lock_motion(amendment.motion)
    return (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("motion__session", "city", "version")
        .get(pk=amendment.pk)
    )
