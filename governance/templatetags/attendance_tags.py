"""The attendance part of a session's page: the desk, the room, one's registration, roll calls."""

from __future__ import annotations

from django import template

from governance import access
from governance import selectors_attendance as reads
from governance.models import Registration, SessionStatus
from members.models import PUBLIC_STATUSES, City

register = template.Library()


@register.inclusion_tag("governance/attendance/includes/session_links.html", takes_context=True)
def session_attendance(context, session) -> dict:
    """Links for this person: the desk (bureau, chair), their registration, their cities' page."""
    user = context["request"].user
    open_ = session.status in (SessionStatus.CONVENED, SessionStatus.IN_SESSION)
    if not getattr(user, "is_authenticated", False) or not session.is_public:
        return {"session": session, "show": False}
    cities = []
    ids = access.registrar_city_ids(user)
    if ids and open_:
        cities = list(
            City.objects.filter(
                pk__in=ids,
                memberships__coalition_id=session.coalition_id,
                memberships__status__in=PUBLIC_STATUSES,
            )
            .distinct()
            .order_by("name")
        )
    desk = access.is_desk(user, session)
    own = Registration.objects.filter(session=session, person=user).first()
    members = desk or access.can_see_members_documents(user, session.coalition_id)
    return {
        "session": session,
        "show": True,
        "desk": desk,
        "own": own,
        "cities": cities,
        "roll_calls": reads.roll_calls_of(session) if members else [],
    }
