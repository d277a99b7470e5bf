"""Motions, amendments and published declarations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    AssemblySession,
    Motion,
)
from governance.models.motions import Amendment
from members.models import PUBLIC_STATUSES, City
from members.selectors import roles_for

from .people import is_bureau, is_committee_member, require_bureau
from .sessions import is_member_city_person


def member_cities_of(user, coalition_id: int) -> list[City]:
    """The member cities of the coalition this person speaks for (coordinator or delegate)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = roles_for(user)
    cities = roles.coordinator_of | roles.delegate_of
    if not cities:
        return []
    return list(
        City.objects.filter(
            pk__in=cities,
            memberships__coalition_id=coalition_id,
            memberships__status__in=PUBLIC_STATUSES,
        )
        .distinct()
        .order_by("name")
    )


def can_see_motions(user, session: AssemblySession) -> bool:
    """A convened session's motions: its bureau, its committee and its member cities' people."""
    coalition_id = session.coalition_id
    if is_bureau(user, coalition_id):
        return True
    if not session.is_public:
        return False
    return is_committee_member(user, coalition_id) or is_member_city_person(user, coalition_id)


def get_session_for_motions(user, pk: int) -> AssemblySession:
    session = get_object_or_404(AssemblySession.objects.select_related("coalition"), pk=pk)
    if not can_see_motions(user, session):
        raise Http404
    return session


def get_motion_for_user(user, pk: int, write: bool = False) -> Motion:
    """A motion, to those who see its session's motions (else 404).

    With write=True (amending), only the people of a member city may go on.
    """
    motion = get_object_or_404(
        Motion.objects.select_related(
            "session__coalition", "item", "city", "submitted_by", "adopted_version"
        ),
        pk=pk,
    )
    if not can_see_motions(user, motion.session):
        raise Http404
    if write and not member_cities_of(user, motion.session.coalition_id):
        raise PermissionDenied
    return motion


def get_motion_for_bureau(user, pk: int) -> Motion:
    """A motion its session's bureau manages (others who see it get PermissionDenied)."""
    motion = get_motion_for_user(user, pk)
    require_bureau(user, motion.session.coalition_id)
    return motion


def may_recommend(user, coalition_id: int) -> bool:
    return is_committee_member(user, coalition_id) or is_bureau(user, coalition_id)


def get_amendment_for_user(user, pk: int, write: bool = False, recommend: bool = False):
    """An amendment, to those who see its motion (else 404).

    write=True (answering a recommendation, withdrawing): only its city's people;
    recommend=True: only the steering committee and the bureau (else PermissionDenied).
    """
    amendment = get_object_or_404(
        Amendment.objects.select_related("motion__session__coalition", "city", "version"),
        pk=pk,
    )
    session = amendment.motion.session
    if not can_see_motions(user, session):
        raise Http404
    coalition_id = session.coalition_id
    if write and amendment.city_id not in {c.pk for c in member_cities_of(user, coalition_id)}:
        raise PermissionDenied
    if recommend and not may_recommend(user, coalition_id):
        raise PermissionDenied
    return amendment


def get_published_declaration(slug: str) -> Motion:
    """A published declaration: public (404 for any other address)."""
    return get_object_or_404(
        Motion.objects.select_related(
            "session__coalition", "session__host_city", "adopted_version"
        ),
        slug=slug,
        published_at__isnull=False,
    )
