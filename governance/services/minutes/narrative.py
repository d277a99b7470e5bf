"""The minute-taker's (or the bureau's) narrative: text per agenda item and general remarks."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance.models import Minutes
from governance.services.common import GovernanceError, acting_user

from .shared import _lock, _require_writer


@transaction.atomic
def save_narrative(*, actor, minutes: Minutes, narrative: dict[int, str], remarks: str) -> Minutes:
    """The minute-taker's (or the bureau's) text per agenda item and general remarks."""
    minutes = _lock(minutes)
    _require_writer(actor, minutes.session)
    if not minutes.is_draft:
        raise GovernanceError(_("The minutes are no longer a draft: reopen them to amend."))
    item_ids = {item["id"] for item in minutes.record.get("items", [])}
    unknown = set(narrative) - item_ids
    if unknown:
        raise GovernanceError(_("An agenda item of the narrative is not in the minutes."))
    kept = {k: v for k, v in (minutes.narrative or {}).items() if int(k) not in narrative}
    kept.update({str(pk): text.strip() for pk, text in narrative.items() if text.strip()})
    changed = kept != (minutes.narrative or {}) or remarks.strip() != minutes.remarks
    if not changed:
        return minutes
    minutes.narrative = kept
    minutes.remarks = remarks.strip()
    minutes.edited_at = timezone.now()
    minutes.edited_by = acting_user(actor)
    minutes.save(update_fields=["narrative", "remarks", "edited_at", "edited_by"])
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.narrative_saved",
        data={"items": sorted(int(k) for k in kept), "remarks": bool(minutes.remarks)},
    )
    return minutes
