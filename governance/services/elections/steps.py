"""The two moves every election step makes: lock the election row, change its status (audited)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.errors import GovernanceError
from governance.models import Election


def lock_election(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def move_status(
    election: Election,
    *,
    actor,
    allowed: tuple[str, ...],
    to: str,
    verb: str,
    values: dict[str, Any] | None = None,
    **data,
) -> None:
    """Move the election to `to`, writing `values` with it; audited with `data`."""
    if election.status not in allowed:
        raise GovernanceError(_("The election is not at that step."))
    previous = election.status
    model_update(election, fields={"status": to, **(values or {})}, actor=actor)
    audit.record(
        actor=actor, target=election, verb=verb, from_state=previous, to_state=to, data=data
    )
