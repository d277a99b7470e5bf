"""Elections, candidacies, tellers and challenges."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    Candidacy,
    Election,
    ElectionChallenge,
    ElectionStatus,
)

from .delegates import coordinated_city_ids
from .people import is_bureau


def get_public_election(user, pk: int) -> Election:
    """An election past its draft (anyone: its call, list and result are public); a draft only
    for its bureau (else 404)."""
    election = get_object_or_404(Election.objects.select_related("coalition"), pk=pk)
    if election.status == ElectionStatus.DRAFT and not is_bureau(user, election.coalition_id):
        raise Http404
    return election


def get_election_for_bureau(user, pk: int) -> Election:
    """An election this person's bureau runs (404 to others: its draft is the bureau's own)."""
    election = get_object_or_404(Election.objects.select_related("coalition"), pk=pk)
    if not is_bureau(user, election.coalition_id):
        raise Http404
    return election


def get_candidacy_for_user(user, pk: int, write: bool = False) -> Candidacy:
    """A candidacy's letter: for the city's coordinators and the bureau (404 to others).

    Withdrawing (`write`) is the city's own act: PermissionDenied for the bureau.
    """
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("election__coalition", "city", "person"), pk=pk
    )
    own = owns_candidacy(user, candidacy, coordinated_city_ids(user))
    if not (own or is_bureau(user, candidacy.election.coalition_id)):
        raise Http404
    if write and not own:
        raise PermissionDenied
    return candidacy


def owns_candidacy(user, candidacy: Candidacy, coordinated) -> bool:
    """The city's coordinator owns a committee candidacy; the candidate owns an officer's."""
    if candidacy.election.is_officer_election:
        return bool(getattr(user, "is_authenticated", False)) and candidacy.person_id == user.pk
    return candidacy.city_id in coordinated


def is_teller(user, election: Election) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        election.tellers.filter(pk=user.pk).exists()
    )


def get_challenge_for_user(user, pk: int):
    """A challenge's evidence: for its city's coordinators, the person who filed it and the
    bureau (404 to others: the grounds and the evidence are not public)."""
    challenge = get_object_or_404(
        ElectionChallenge.objects.select_related("election__coalition", "city", "filed_by"), pk=pk
    )
    own = challenge.city_id in coordinated_city_ids(user) or challenge.filed_by_id == getattr(
        user, "pk", None
    )
    if not (own or is_bureau(user, challenge.election.coalition_id)):
        raise Http404
    return challenge
