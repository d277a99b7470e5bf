"""Voting cards: one current card per city and session, one per person (partial unique
constraints, which settle any race); taken, handed over, ended."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from governance import selectors_attendance as reads
from governance.models import (
    CardHolding,
    Registration,
)
from governance.services.common import GovernanceError

from .shared import _end, _lock, _take_card


def _check_may_hold(registration: Registration) -> None:
    if not (registration.is_accredited and registration.may_hold_card):
        raise GovernanceError(
            _("Only an accredited delegate or substitute holds a voting card."), field="to"
        )
    if not reads.registration_present(registration):
        raise GovernanceError(
            _("%(person)s is not checked in.") % {"person": registration.person}, field="to"
        )


@transaction.atomic
def hand_card(*, actor, holding: CardHolding, to: Registration) -> CardHolding:
    """Hand the city's card from its holder to a present delegate or substitute of the city."""
    holding = (
        CardHolding.objects.select_for_update(of=("self",))
        .select_related("holder")
        .get(pk=holding.pk)
    )
    if not holding.current:
        raise GovernanceError(_("The card has moved meanwhile: reload the page."), field="to")
    to = _lock(to)
    if to.session_id != holding.session_id or to.city_id != holding.city_id:
        raise GovernanceError(_("The card goes only to a person of the same city."), field="to")
    if to.person_id == holding.holder_id:
        raise GovernanceError(_("This person holds the card already."), field="to")
    _check_may_hold(to)
    _end(holding, actor=actor)
    new = _take_card(actor=actor, registration=to, handed_from=holding.holder)
    if new is None:  # the constraint answered: someone else took it in between
        raise GovernanceError(_("The card has moved meanwhile: reload the page."), field="to")
    return new


@transaction.atomic
def take_card(*, actor, registration: Registration) -> CardHolding:
    """A present delegate or substitute takes the city's card when nobody holds it."""
    registration = _lock(registration)
    _check_may_hold(registration)
    if CardHolding.objects.filter(
        session_id=registration.session_id, city_id=registration.city_id, current=True
    ).exists():
        raise GovernanceError(_("Someone holds the city's card already."))
    holding = _take_card(actor=actor, registration=registration)
    if holding is None:
        raise GovernanceError(_("Someone holds the city's card already."))
    return holding
