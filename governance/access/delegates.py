"""Delegate certifications and the city roles the bureau appoints."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    DelegateCertification,
)
from members.models import CITY_ROLES, PUBLIC_STATUSES, City, Membership, Role
from members.selectors import roles_for

from .people import bureau_coalition_ids, is_bureau


def coordinated_city_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return roles_for(user).coordinator_of


def get_city_for_coordinator(user, city_pk: int):
    """A city this person coordinates today (else 404: the page is the city's own)."""
    if city_pk not in coordinated_city_ids(user):
        raise Http404
    return get_object_or_404(City, pk=city_pk)


def can_see_certification(user, certification: DelegateCertification) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        certification.person_id == user.pk
        or certification.city_id in coordinated_city_ids(user)
        or is_bureau(user, certification.coalition_id)
    )


def get_certification_for_user(user, pk: int, write: bool = False) -> DelegateCertification:
    """A certification: seen by its person, the city's coordinators and the coalition's bureau.

    With write=True (revoking), only the city's coordinators and the bureau may go on.
    """
    certification = get_object_or_404(
        DelegateCertification.objects.select_related(
            "city", "coalition", "person", "submitted_by", "validated_by", "revoked_by"
        ),
        pk=pk,
    )
    if not can_see_certification(user, certification):
        raise Http404
    if write and not (
        certification.city_id in coordinated_city_ids(user)
        or is_bureau(user, certification.coalition_id)
    ):
        raise PermissionDenied
    return certification


def get_city_role_for_bureau(user, pk: int):
    """A coordinator's or delegate's role of a city that is a member of this person's coalition.

    Others get 404: the bureau of one coalition does not manage another's cities.
    """
    role = get_object_or_404(
        Role.objects.select_related("user", "city"), pk=pk, kind__in=CITY_ROLES
    )
    ids = bureau_coalition_ids(user)
    assert role.city_id is not None  # a city role names its city
    memberships = Membership.objects.filter(city_id=role.city_id, status__in=PUBLIC_STATUSES)
    if ids is not None and not memberships.filter(coalition_id__in=ids).exists():
        raise Http404
    return role
