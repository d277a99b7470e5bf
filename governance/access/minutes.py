"""Minutes of a session (ADR 0017)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    AssemblySession,
    AttendeeRole,
    Minutes,
    MinutesStatus,
    Registration,
    RegistrationStatus,
)

from .people import is_bureau
from .sessions import get_public_session, is_member_city_person


def is_minute_writer(user, session: AssemblySession) -> bool:
    """The session's minute-taker and the bureau of its coalition write the minutes."""
    if not getattr(user, "is_authenticated", False):
        return False
    return session.minute_taker_id == user.pk or is_bureau(user, session.coalition_id)


def get_session_for_minute_writer(user, pk: int) -> AssemblySession:
    """The minutes editor: the minute-taker and the bureau (403 to others; 404 for a draft)."""
    session = get_public_session(user, pk)
    if not is_minute_writer(user, session):
        raise PermissionDenied
    return session


#: Minutes the member cities read: circulated, before an assembly, or final.
SHARED_MINUTES = (
    MinutesStatus.CIRCULATED,
    MinutesStatus.BEFORE_ASSEMBLY,
    MinutesStatus.APPROVED,
    MinutesStatus.PUBLISHED,
)


def get_minutes_for_circulation(user, pk: int) -> Minutes:
    """A session's minutes once shared: the writers, the member cities' coordinators and
    delegates, and the session's accredited substitutes (who object from this page); 404 to
    anyone else, and while a draft."""
    session = get_public_session(user, pk)
    minutes: Minutes = get_object_or_404(
        Minutes.objects.select_related("session__coalition"), session=session
    )
    if is_minute_writer(user, session):
        return minutes
    if minutes.status in SHARED_MINUTES and (
        is_member_city_person(user, session.coalition_id) or _sat_as_substitute(user, session)
    ):
        return minutes
    raise Http404


def _sat_as_substitute(user, session: AssemblySession) -> bool:
    """An accredited substitute of the session (certified for a city): objects for it too."""
    return Registration.objects.filter(
        session=session,
        person=user,
        role=AttendeeRole.SUBSTITUTE,
        status=RegistrationStatus.ACCREDITED,
    ).exists()


def get_published_minutes(user, pk: int) -> Minutes:
    """A session's published minutes, for anyone (404 until published)."""
    session = get_public_session(user, pk)
    return get_object_or_404(
        Minutes.objects.select_related("session__coalition", "session__host_city"),
        session=session,
        status=MinutesStatus.PUBLISHED,
    )
