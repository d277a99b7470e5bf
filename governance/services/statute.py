"""The statute profile: every edit saves a new version; none is ever changed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition import audit
from governance import statute_selectors
from governance.models import SOURCED_VALUES, VALUE_FIELDS, StatuteProfile
from governance.services.common import GovernanceError
from members.models import Coalition


class VotingRightsLossNotConfirmed(GovernanceError):
    """The new version would take voting rights from cities, and nobody said they meant it."""

    def __init__(self, losing: list):
        self.losing = losing
        super().__init__(
            ngettext(
                "This change takes the voting rights of %(count)s city: confirm it to save.",
                "This change takes the voting rights of %(count)s cities: confirm it to save.",
                len(losing),
            )
            % {"count": len(losing)},
            field="confirm",
        )


@transaction.atomic
def update_statute_profile(
    *,
    actor,
    coalition: Coalition,
    values: dict,
    sources: dict[str, str],
    valid_from: dt.date,
    adopted_on: dt.date | None = None,
    note: str = "",
    based_on_version: int,
    confirm_loss_of_voting_rights: bool = False,
) -> StatuteProfile:
    """Save the coalition's next statute profile version.

    `based_on_version` is the version the editor started from (0 for German law's
    defaults): if someone saved another meanwhile, nothing is saved. A version that
    takes voting rights from any city (on the later of today and `valid_from`) needs
    `confirm_loss_of_voting_rights`.
    """
    Coalition.objects.select_for_update().get(pk=coalition.pk)
    latest = StatuteProfile.objects.filter(coalition=coalition).order_by("-version").first()
    latest_version = latest.version if latest else 0
    if based_on_version != latest_version:
        raise GovernanceError(
            _(
                "Someone saved version %(version)s of the profile meanwhile: "
                "open the form again to start from it."
            )
            % {"version": latest_version}
        )
    if latest is not None and valid_from < latest.valid_from:
        raise GovernanceError(
            _("A new version cannot be valid before the previous one (%(date)s).")
            % {"date": latest.valid_from.isoformat()},
            field="valid_from",
        )
    unknown = set(values) - set(VALUE_FIELDS)
    if unknown:
        raise ValueError(f"Not values of the profile: {sorted(unknown)}")
    keys = {value.key for value in SOURCED_VALUES}
    profile = StatuteProfile(
        coalition=coalition,
        version=latest_version + 1,
        valid_from=valid_from,
        adopted_on=adopted_on,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        sources={k: (sources.get(k) or "").strip() for k in sorted(keys)},
        **values,
    )
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise GovernanceError(" ".join(exc.messages)) from exc
    before = (latest or StatuteProfile.german_law_defaults(coalition)).snapshot()
    after = profile.snapshot()
    changes = {
        name: [before[name], after[name]] for name in VALUE_FIELDS if before[name] != after[name]
    }
    sources_changed = sorted(k for k in keys if before["sources"][k] != after["sources"][k])
    same_dates = latest is not None and (latest.valid_from, latest.adopted_on) == (
        valid_from,
        adopted_on,
    )
    if not changes and not sources_changed and same_dates:
        raise GovernanceError(_("Nothing changed: no new version was saved."))
    on = max(timezone.localdate(), valid_from)
    losing = statute_selectors.impact(coalition, proposed=after, on=on).losing
    if losing and not confirm_loss_of_voting_rights:
        raise VotingRightsLossNotConfirmed(losing)
    profile.save()
    audit.record(
        actor=actor,
        target=profile,
        verb="statute.version_saved",
        from_state=f"v{latest_version}",
        to_state=f"v{profile.version}",
        message=profile.note,
        data={
            "coalition_id": coalition.pk,
            "valid_from": valid_from.isoformat(),
            "changes": changes,
            "sources_changed": sources_changed,
            "voting_rights_removed_from": [city.pk for city in losing],
        },
    )
    return profile
