"""Private helpers of the attendance package: a registration's row lock, the session's state
guard, a city's card taken and ended."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import (
    AssemblySession,
    CardHolding,
    Registration,
    SessionStatus,
)
from governance.services.common import GovernanceError, acting_user


def _lock(registration: Registration) -> Registration:
    # Only the registration's row: locking the joined session, city or coalition rows would
    # queue every check-in of the session behind one another. Two people of one city racing
    # for its card are settled by the card's partial unique constraints.
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "city", "person")
        .get(pk=registration.pk)
    )


# --- Check-in and check-out -------------------------------------------------------------------


def _require_sitting_or_convened(session: AssemblySession) -> None:
    if session.status not in (SessionStatus.CONVENED, SessionStatus.IN_SESSION):
        raise GovernanceError(_("Attendance is recorded only for a convened or sitting session."))


def _take_card(*, actor, registration: Registration, handed_from=None) -> CardHolding | None:
    """Give the city's card to the registration if nobody holds it (the constraint decides)."""
    try:
        with transaction.atomic():
            holding = CardHolding.objects.create(
                session_id=registration.session_id,
                city_id=registration.city_id,
                holder_id=registration.person_id,
                registration=registration,
                handed_from=handed_from,
                recorded_by=actor,
            )
    except IntegrityError:
        return None
    audit.record(
        actor=acting_user(actor),
        target=holding,
        verb="card.taken" if handed_from is None else "card.handed",
        data={"city": registration.city_id, "holder": registration.person_id},
    )
    return holding


def _end(holding: CardHolding, *, actor) -> None:
    model_update(holding, fields={"current": False, "ended_at": timezone.now()}, actor=actor)
