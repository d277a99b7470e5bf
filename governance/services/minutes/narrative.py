"""The minute-taker's (or the bureau's) narrative: text per agenda item and general remarks,
in the authoritative language and, as translations, in the others (ADR 0014, ADR 0017).

The authoritative text (`Minutes.source_language`) changes only while a draft: it is what is
circulated and approved. A translation may be added or corrected at any time, audited; after
approval it changes nothing of what was approved (`Minutes.text_sha256`), and once published
its PDF is rendered (again).
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import Minutes
from governance.services.common import GovernanceError, acting_user

from .publication import queue_pdf
from .shared import _lock, _require_writer

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _merged(minutes: Minutes, language: str, narrative: dict[int, str]) -> dict[str, str]:
    item_ids = {item["id"] for item in minutes.record.get("items", [])}
    if set(narrative) - item_ids:
        raise GovernanceError(_("An agenda item of the narrative is not in the minutes."))
    kept = {k: v for k, v in minutes.narrative_in(language).items() if int(k) not in narrative}
    kept.update({str(pk): text.strip() for pk, text in narrative.items() if text.strip()})
    return kept


def _change_source_language(minutes: Minutes, language: str) -> list[str]:
    """Say the authoritative text is in `language` (a draft's writer corrects the label)."""
    if language not in LANGUAGES:
        raise GovernanceError(_("Choose one of the portal's languages."), field="source_language")
    if minutes.has_text_in(language):
        raise GovernanceError(
            _(
                "The minutes have a translation in that language already: empty it first, "
                "or choose another language."
            ),
            field="source_language",
        )
    before = minutes.source_language
    setattr(minutes, f"narrative_{language}", minutes.narrative_in(before))
    setattr(minutes, f"remarks_{language}", minutes.remarks_in(before))
    setattr(minutes, f"narrative_{before}", {})
    setattr(minutes, f"remarks_{before}", "")
    minutes.source_language = language
    return [
        "source_language",
        f"narrative_{language}",
        f"remarks_{language}",
        f"narrative_{before}",
        f"remarks_{before}",
    ]


@transaction.atomic
def save_narrative(
    *,
    actor,
    minutes: Minutes,
    narrative: dict[int, str],
    remarks: str,
    language: str | None = None,
    source_language: str | None = None,
) -> Minutes:
    """The text per agenda item and the general remarks, in `language`.

    `language` None (or the source language) writes the authoritative text, only while a
    draft; `source_language` (a draft only) says which language that text is in. Another
    language writes a translation, in any status.
    """
    minutes = _lock(minutes)
    _require_writer(actor, minutes.session)
    # The minutes as they will be: the row itself changes only through model_update, below.
    draft = copy.copy(minutes)
    fields: list[str] = []
    if source_language and source_language != draft.source_language:
        if not draft.is_draft:
            raise GovernanceError(
                _("The authoritative language changes only while the minutes are a draft."),
                field="source_language",
            )
        fields += _change_source_language(draft, source_language)
    language = language or draft.source_language
    if language not in LANGUAGES:
        raise GovernanceError(_("Choose one of the portal's languages."), field="language")
    is_translation = language != draft.source_language
    if not is_translation and not draft.is_draft:
        raise GovernanceError(_("The minutes are no longer a draft: reopen them to amend."))
    kept = _merged(draft, language, narrative)
    changed = kept != draft.narrative_in(language) or remarks.strip() != draft.remarks_in(language)
    if not changed and not fields:
        return minutes
    setattr(draft, f"narrative_{language}", kept)
    setattr(draft, f"remarks_{language}", remarks.strip())
    draft.edited_at = timezone.now()
    draft.edited_by = acting_user(actor)
    fields += [f"narrative_{language}", f"remarks_{language}", "edited_at", "edited_by"]
    model_update(
        minutes, fields={name: getattr(draft, name) for name in sorted(set(fields))}, actor=actor
    )
    data = {
        "language": language,
        "items": sorted(int(k) for k in kept),
        "remarks": bool(minutes.remarks_in(language)),
    }
    if is_translation:
        # What was approved stays as it was: the authoritative text and its hash.
        data |= {"status": minutes.status, "approved_sha256": minutes.text_sha256}
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.translation_saved" if is_translation else "minutes.narrative_saved",
        data=data,
    )
    if is_translation and minutes.is_published:
        queue_pdf(minutes, language)
    return minutes
