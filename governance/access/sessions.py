"""Assembly sessions and their documents, registration and attendance, polls."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    AgendaDocument,
    AgendaItem,
    AssemblyPoll,
    AssemblySession,
    CardHolding,
    CityBallot,
    ConvocationDelivery,
    Registration,
    RegistrationStatus,
    RollCall,
)
from members.models import PUBLIC_STATUSES, City, Membership
from members.selectors import roles_for

from .delegates import coordinated_city_ids
from .people import is_bureau


def get_session_for_bureau(user, pk: int):
    """A session this person's bureau keeps (404 to others: a draft is the bureau's own)."""
    session = get_object_or_404(
        AssemblySession.objects.select_related(
            "coalition", "host_city", "chair", "minute_taker", "teller_1", "teller_2"
        ),
        pk=pk,
    )
    if not is_bureau(user, session.coalition_id):
        raise Http404
    return session


def get_agenda_item_for_bureau(user, pk: int):
    item: AgendaItem = get_object_or_404(
        AgendaItem.objects.select_related("session__coalition"), pk=pk
    )
    if not is_bureau(user, item.session.coalition_id):
        raise Http404
    return item


def get_delivery_for_bureau(user, pk: int):
    delivery = get_object_or_404(
        ConvocationDelivery.objects.select_related("session", "city"), pk=pk
    )
    if not is_bureau(user, delivery.session.coalition_id):
        raise Http404
    return delivery


def get_public_session(user, pk: int):
    """A convened, sitting or closed session (anyone); a draft only for its bureau (else 404)."""
    session = get_object_or_404(
        AssemblySession.objects.select_related("coalition", "host_city", "chair"), pk=pk
    )
    if not (session.is_public or is_bureau(user, session.coalition_id)):
        raise Http404
    return session


def is_member_city_person(user, coalition_id: int) -> bool:
    """A coordinator or delegate of a member city of the coalition (sees members' documents)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_for(user)
    cities = roles.coordinator_of | roles.delegate_of
    return (
        bool(cities)
        and Membership.objects.filter(
            coalition_id=coalition_id, city_id__in=cities, status__in=PUBLIC_STATUSES
        ).exists()
    )


def can_see_members_documents(user, coalition_id: int) -> bool:
    return is_bureau(user, coalition_id) or is_member_city_person(user, coalition_id)


def get_agenda_document_for_user(user, pk: int):
    """A document of a public session's agenda: public ones to anyone, the others to the bureau
    and the member cities' coordinators and delegates (404 to the rest)."""
    document = get_object_or_404(
        AgendaDocument.objects.select_related("item__session__coalition"), pk=pk
    )
    session = document.item.session
    coalition_id = session.coalition_id
    if is_bureau(user, coalition_id):
        return document
    if not session.is_public:
        raise Http404
    if not (document.public or is_member_city_person(user, coalition_id)):
        raise Http404
    return document


# --- Registration and attendance ----------------------------------------------------------------


def registrar_city_ids(user) -> frozenset[int]:
    """Cities whose people this person may register: those they coordinate or are delegate of."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = roles_for(user)
    return roles.coordinator_of | roles.delegate_of


def get_city_for_registrar(user, city_pk: int) -> City:
    """A city this person registers people for (its coordinator or delegate; else 404)."""
    if city_pk not in registrar_city_ids(user):
        raise Http404
    return get_object_or_404(City, pk=city_pk)


def is_desk(user, session: AssemblySession) -> bool:
    """The bureau of the session's coalition, or its chair: they run the desk."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_bureau(user, session.coalition_id) or session.chair_id == user.pk


def get_session_for_desk(user, pk: int) -> AssemblySession:
    """A convened or sitting session's desk: the bureau and the chair (403 to others)."""
    session = get_public_session(user, pk)
    if not is_desk(user, session):
        raise PermissionDenied
    return session


def get_session_for_participant(user, pk: int) -> AssemblySession:
    """The room view: the desk and the session's accredited people (403 to others)."""
    session = get_public_session(user, pk)
    if is_desk(user, session):
        return session
    if (
        getattr(user, "is_authenticated", False)
        and Registration.objects.filter(
            session=session, person=user, status=RegistrationStatus.ACCREDITED
        ).exists()
    ):
        return session
    raise PermissionDenied


def get_registration_for_user(user, pk: int, write: bool = False) -> Registration:
    """A registration: its person (who writes), its city's registrars and the desk (who read).

    404 to anyone else; PermissionDenied on a write by a reader.
    """
    registration = get_object_or_404(
        Registration.objects.select_related("session__coalition", "city", "person"), pk=pk
    )
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if registration.person_id == user.pk:
        return registration
    if is_desk(user, registration.session) or registration.city_id in registrar_city_ids(user):
        if write:
            raise PermissionDenied
        return registration
    raise Http404


def get_registration_for_desk(user, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("session__coalition", "city", "person"), pk=pk
    )
    if not is_desk(user, registration.session):
        raise Http404
    return registration


def get_roll_call_for_user(user, pk: int) -> RollCall:
    """A roll call: the desk, the participants and the member cities' people (else 404)."""
    roll_call = get_object_or_404(RollCall.objects.select_related("session__coalition"), pk=pk)
    session = roll_call.session
    if is_desk(user, session) or can_see_members_documents(user, session.coalition_id):
        return roll_call
    raise Http404


def get_holding_for_hander(user, pk: int):
    """A current voting card its holder or the desk may hand on (404 to anyone else)."""
    holding = get_object_or_404(
        CardHolding.objects.select_related("session__coalition", "registration__city"), pk=pk
    )
    if holding.holder_id == getattr(user, "pk", None) or is_desk(user, holding.session):
        return holding
    raise Http404


# --- Assembly polls ---------------------------------------------------------------------------


def is_session_teller(user, session: AssemblySession) -> bool:
    return getattr(user, "is_authenticated", False) and user.pk in (
        session.teller_1_id,
        session.teller_2_id,
    )


def is_poll_officer(user, session: AssemblySession) -> bool:
    """The chair, the bureau (the desk) and the two tellers: they run and check the polls."""
    return is_desk(user, session) or is_session_teller(user, session)


def is_participant(user, session: AssemblySession) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and Registration.objects.filter(
            session=session, person=user, status=RegistrationStatus.ACCREDITED
        ).exists()
    )


def get_session_for_officer(user, pk: int) -> AssemblySession:
    """The chair's page: the desk and the tellers (403 to others; 404 for a draft)."""
    session = get_public_session(user, pk)
    if not is_poll_officer(user, session):
        raise PermissionDenied
    return session


def get_session_for_room(user, pk: int) -> AssemblySession:
    """The projector: the officers and the session's accredited people (403 to others)."""
    session = get_public_session(user, pk)
    if is_poll_officer(user, session) or is_participant(user, session):
        return session
    raise PermissionDenied


def can_see_poll(user, poll: AssemblyPoll) -> bool:
    session = poll.session
    return (
        is_poll_officer(user, session)
        or is_participant(user, session)
        or can_see_members_documents(user, session.coalition_id)
    )


def get_poll_for_user(user, pk: int) -> AssemblyPoll:
    """A poll: its officers, the session's participants and the member cities' people (404)."""
    poll = get_object_or_404(
        AssemblyPoll.objects.select_related(
            "session__coalition", "item", "subject_city", "session__chair"
        ),
        pk=pk,
    )
    if not poll.session.is_public or not can_see_poll(user, poll):
        raise Http404
    return poll


def get_poll_for_officer(user, pk: int) -> AssemblyPoll:
    poll = get_poll_for_user(user, pk)
    if not is_poll_officer(user, poll.session):
        raise PermissionDenied
    return poll


def get_ballot_for_officer(user, pk: int) -> CityBallot:
    ballot = get_object_or_404(
        CityBallot.objects.select_related("poll__session__coalition", "city"), pk=pk
    )
    if not is_poll_officer(user, ballot.poll.session):
        raise Http404
    return ballot


def get_item_for_officer(user, pk: int) -> AgendaItem:
    item: AgendaItem = get_object_or_404(
        AgendaItem.objects.select_related("session__coalition"), pk=pk
    )
    if not item.session.is_public or not is_poll_officer(user, item.session):
        raise Http404
    return item


def get_exclusion_item_for_reply(user, pk: int) -> AgendaItem:
    """An exclusion item the user's city is concerned by (its coordinators; 404 to others)."""
    item: AgendaItem = get_object_or_404(
        AgendaItem.objects.select_related(
            "session__coalition", "exclusion_proposal__membership__city"
        ),
        pk=pk,
        exclusion_proposal__isnull=False,
    )
    proposal = item.exclusion_proposal
    if proposal is None:  # pragma: no cover - the query asked for one
        raise Http404
    city_id = proposal.membership.city_id
    if not item.session.is_public or city_id not in coordinated_city_ids(user):
        raise Http404
    return item
