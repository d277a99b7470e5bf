"""Who may see and change what in governance: one access helper per object.

Each helper answers 404 to those who may not know the object exists and
raises PermissionDenied for a change they may not make. Administrators
(superusers) act as bureau staff of every coalition.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from coalition.request_cache import per_request
from governance.models import (
    AdmissionApplication,
    AgendaDocument,
    AgendaItem,
    AssemblyPoll,
    AssemblySession,
    Candidacy,
    CardHolding,
    CityBallot,
    CommitteeSeat,
    CommitteeVote,
    ConvocationDelivery,
    DelegateCertification,
    Election,
    ElectionChallenge,
    ElectionStatus,
    ExclusionProposal,
    MembershipFee,
    Minutes,
    MinutesStatus,
    Motion,
    Proxy,
    Registration,
    RegistrationStatus,
    RollCall,
    SeatKind,
)
from governance.models.motions import Amendment
from governance.rules import SeatInfo, split_electorate
from members.models import CITY_ROLES, PUBLIC_STATUSES, City, Coalition, Membership, Role
from members.selectors import roles_for


@dataclass(frozen=True)
class HeldSeat:
    id: int
    coalition_id: int
    city_id: int | None
    kind: str

    @property
    def is_voting(self) -> bool:
        return self.kind == SeatKind.VOTING


def held_seats(user) -> tuple[HeldSeat, ...]:
    """The current committee seats this person represents (one query, once per request)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return per_request(
        user,
        "governance.held_seats",
        lambda: tuple(
            HeldSeat(*row)
            for row in CommitteeSeat.objects.current()
            .filter(representative=user)
            .order_by("id")
            .values_list("id", "coalition_id", "city_id", "kind")
        ),
    )


def seats_in(user, coalition_id: int) -> list[HeldSeat]:
    return [seat for seat in held_seats(user) if seat.coalition_id == coalition_id]


def is_committee_member(user, coalition_id: int | None = None) -> bool:
    seats = held_seats(user)
    return bool(seats if coalition_id is None else seats_in(user, coalition_id))


def bureau_coalition_ids(user) -> frozenset[int] | None:
    """Coalitions whose bureau this person staffs; None means all (administrators)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = roles_for(user)
    if roles.is_admin:
        return None
    return roles.bureau_of


def is_bureau(user, coalition_id: int | None = None) -> bool:
    ids = bureau_coalition_ids(user)
    if ids is None:
        return True
    return bool(ids) if coalition_id is None else coalition_id in ids


def require_bureau(user, coalition_id: int) -> None:
    if not is_bureau(user, coalition_id):
        raise PermissionDenied


# --- Applications -------------------------------------------------------------


def can_see_application(user, application: AdmissionApplication) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if application.applicant_id == user.pk or is_bureau(user, application.coalition_id):
        return True
    # The committee sees an application once the bureau has put it to its vote.
    return is_committee_member(user, application.coalition_id) and application.votes.exists()


def get_application_for_user(user, pk: int, write: bool = False) -> AdmissionApplication:
    """The application, if this person may see it (else 404).

    With write=True, only its applicant or the coalition's bureau may go on
    (else PermissionDenied); which change each may make is the view's and the
    service's business.
    """
    application = get_object_or_404(
        AdmissionApplication.objects.select_related(
            "coalition", "city", "applicant", "plan", "membership"
        ),
        pk=pk,
    )
    if not can_see_application(user, application):
        raise Http404
    if write and not (
        application.applicant_id == user.pk or is_bureau(user, application.coalition_id)
    ):
        raise PermissionDenied
    return application


# --- Votes --------------------------------------------------------------------


def can_see_vote(user, vote: CommitteeVote) -> bool:
    return is_bureau(user, vote.coalition_id) or is_committee_member(user, vote.coalition_id)


def get_vote_for_user(user, pk: int, write: bool = False) -> CommitteeVote:
    """The vote, if this person sits on the coalition's committee or staffs its bureau.

    With write=True (casting a ballot) the person must represent a voting seat
    that is not recused.
    """
    vote: CommitteeVote = get_object_or_404(
        CommitteeVote.objects.select_related(
            "coalition",
            "subject_city",
            "application__city",
            "exclusion_proposal__membership__city",
        ),
        pk=pk,
    )
    if not can_see_vote(user, vote):
        raise Http404
    if write and voting_seat_for(user, vote) is None:
        raise PermissionDenied
    return vote


def voting_seat_for(user, vote: CommitteeVote) -> HeldSeat | None:
    """The seat through which this person votes on this vote, if any (recused seats excluded)."""
    seats = seats_in(user, vote.coalition_id)
    eligible, _recused = split_electorate(
        [SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
    )
    return next((s for s in seats if s.id in eligible), None)


def recused_seat_for(user, vote: CommitteeVote) -> HeldSeat | None:
    seats = seats_in(user, vote.coalition_id)
    _eligible, recused = split_electorate(
        [SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
    )
    return next((s for s in seats if s.id in recused), None)


# --- Exclusion proposals ---------------------------------------------------------


def get_proposal_for_user(user, pk: int, write: bool = False) -> ExclusionProposal:
    """An exclusion proposal: seen by the committee and the bureau; changed by the bureau."""
    proposal = get_object_or_404(
        ExclusionProposal.objects.select_related(
            "coalition", "membership__city", "proposed_by", "proposer_seat__city"
        ),
        pk=pk,
    )
    if not (
        is_bureau(user, proposal.coalition_id) or is_committee_member(user, proposal.coalition_id)
    ):
        raise Http404
    if write and not is_bureau(user, proposal.coalition_id):
        raise PermissionDenied
    return proposal


# --- The statute profile and membership fees ---------------------------------------------


def get_coalition_for_bureau(user, slug: str) -> Coalition:
    """A coalition whose statute profile and fees this person keeps: its bureau, or an admin.

    Coalitions are public, so another coalition's staff get PermissionDenied, not 404.
    """
    coalition = get_object_or_404(Coalition, slug=slug)
    require_bureau(user, coalition.pk)
    return coalition


def get_fee_for_user(user, pk: int) -> MembershipFee:
    """A city's fee: what it owes is private to its coalition's bureau (404 to anyone else)."""
    fee = get_object_or_404(MembershipFee.objects.select_related("coalition", "city"), pk=pk)
    if not is_bureau(user, fee.coalition_id):
        raise Http404
    return fee


# --- Delegate certifications and city roles ---------------------------------------------


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


# --- Assembly sessions --------------------------------------------------------------------


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


# --- Motions and amendments -----------------------------------------------------------------


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


# --- Elections ---------------------------------------------------------------------------


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


# --- Proxies (ADR 0016) ---------------------------------------------------------------


def get_proxy_for_user(user, pk: int, write: bool = False) -> Proxy:
    """A proxy: the bureau and the registrars of both cities read it (404 to anyone else).

    With write=True (withdrawing), only the principal city's registrars and the bureau go on.
    """
    proxy = get_object_or_404(
        Proxy.objects.select_related("session__coalition", "principal", "holder"), pk=pk
    )
    if not getattr(user, "is_authenticated", False):
        raise Http404
    bureau = is_bureau(user, proxy.session.coalition_id)
    cities = registrar_city_ids(user)
    if not (bureau or proxy.principal_id in cities or proxy.holder_id in cities):
        raise Http404
    if write and not (bureau or proxy.principal_id in cities):
        raise PermissionDenied
    return proxy


def get_proxy_for_bureau(user, pk: int) -> Proxy:
    proxy = get_object_or_404(
        Proxy.objects.select_related("session__coalition", "principal", "holder"), pk=pk
    )
    if not is_bureau(user, proxy.session.coalition_id):
        raise Http404
    return proxy


# --- Minutes (ADR 0017) -------------------------------------------------------------


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
    """A session's minutes once shared: the writers, and the member cities' coordinators and
    delegates (who object from this page); 404 to anyone else, and while a draft."""
    session = get_public_session(user, pk)
    minutes = get_object_or_404(
        Minutes.objects.select_related("session__coalition"), session=session
    )
    if is_minute_writer(user, session):
        return minutes
    if minutes.status in SHARED_MINUTES and is_member_city_person(user, session.coalition_id):
        return minutes
    raise Http404


def get_published_minutes(user, pk: int) -> Minutes:
    """A session's published minutes, for anyone (404 until published)."""
    session = get_public_session(user, pk)
    return get_object_or_404(
        Minutes.objects.select_related("session__coalition", "session__host_city"),
        session=session,
        status=MinutesStatus.PUBLISHED,
    )
