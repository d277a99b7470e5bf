"""The exclusion loop with no manual step: the committee adopts a proposal, it appears on the
next session's agenda by itself, the city replies, and the published poll decides."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import (
    AgendaItem,
    CommitteeSeat,
    ExclusionReply,
    MembershipDecision,
    PollElector,
    ProposalStatus,
)
from governance.services import GovernanceError, assemblies, exclusions
from governance.services import polls as polls_services
from members import services as members_services
from members.models import Membership, Role, RoleKind
from tests.factories import UserFactory
from tests.governance.polls_support import sitting_room


def _adopt(world, city):
    membership = Membership.objects.get(city=city, coalition=world.coalition)
    proposal = services.propose_exclusion(
        actor=world.members[1], membership=membership, grounds="Racist statements by the mayor."
    )
    vote = services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(days=5)
    )
    for member in world.members[1:]:
        services.cast_vote(actor=member, vote=vote, choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING_ASSEMBLY
    return proposal


def _draft(world):
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=120), dt.time(10), tzinfo=zone
    )
    return assemblies.create_session(
        actor=world.bureau,
        coalition=world.coalition,
        details=assemblies.SessionDetails(
            body="general_assembly",
            title="Next assembly",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=6),
        ),
    )


def test_an_adopted_proposal_goes_on_the_next_draft_session_by_itself(db):
    room = sitting_room(4)
    world = room.world
    draft = _draft(world)
    proposal = _adopt(world, world.cities[0])
    item = AgendaItem.objects.get(exclusion_proposal=proposal)
    assert item.session == draft and item.status == "planned" and item.kind == "exclusion"
    # Idempotent: creating or convening sessions adds it nowhere else.
    assert assemblies.schedule_exclusions(actor=world.bureau, coalition=world.coalition) == []
    _draft(world)
    assert AgendaItem.objects.filter(exclusion_proposal=proposal).count() == 1


def test_a_session_drafted_later_takes_the_waiting_proposal(db):
    room = sitting_room(4)
    proposal = _adopt(room.world, room.cities[0])
    assert not AgendaItem.objects.filter(exclusion_proposal=proposal).exists()
    draft = _draft(room.world)
    assert AgendaItem.objects.get(exclusion_proposal=proposal).session == draft


def _exclusion_item(room, proposal):
    return AgendaItem.objects.create(
        session=room.session,
        position=2,
        kind="exclusion",
        title="Exclusion",
        status="announced",
        announced=True,
        exclusion_proposal=proposal,
    )


def test_the_city_concerned_replies_in_writing(db):
    room = sitting_room(3)
    city = room.cities[0]
    proposal = _adopt(room.world, city)
    item = _exclusion_item(room, proposal)
    coordinator = UserFactory()
    members_services.grant_role(
        actor=room.world.admin, user=coordinator, kind=RoleKind.COORDINATOR, city=city
    )
    with pytest.raises(GovernanceError, match="coordinator"):
        exclusions.file_exclusion_reply(actor=room.chair, item=item, text="No.")
    reply = exclusions.file_exclusion_reply(
        actor=coordinator, item=item, text="The statements were misquoted."
    )
    assert ExclusionReply.objects.get(item=item) == reply and reply.city == city


def test_the_published_poll_excludes_the_city_ends_its_seats_and_roles(db):
    room = sitting_room(4, majority_exclusion="two_thirds")
    city = room.cities[0]
    proposal = _adopt(room.world, city)
    item = _exclusion_item(room, proposal)
    coordinator = UserFactory()
    role = members_services.grant_role(
        actor=room.world.admin, user=coordinator, kind=RoleKind.COORDINATOR, city=city
    )
    poll = polls_services.open_poll(
        actor=room.chair, item=item, kind="exclusion", question="Exclude the city?"
    )
    assert PollElector.objects.get(poll=poll, city=city).status == "recused"
    with pytest.raises(GovernanceError, match="recused"):
        polls_services.cast_ballot(actor=room.delegates[city.pk].person, poll=poll, choice="no")
    for other in room.cities[1:]:
        polls_services.cast_ballot(actor=room.delegates[other.pk].person, poll=poll, choice="yes")
    polls_services.close_poll(actor=room.chair, poll=poll)
    assert not MembershipDecision.objects.filter(exclusion_proposal=proposal).exists()
    polls_services.release_result(actor=room.chair, poll=poll)
    polls_services.confirm_result(actor=room.tellers[0], poll=poll)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXCLUDED
    decision = MembershipDecision.objects.get(exclusion_proposal=proposal)
    assert decision.kind == "exclusion" and decision.body == "general_assembly"
    assert decision.reason == "Yes 3, No 0, Abstain 0; two thirds of 3 is 2.0: adopted"
    assert Membership.objects.get(pk=proposal.membership_id).status == "excluded"
    seat = CommitteeSeat.objects.get(city=city, coalition=room.world.coalition)
    assert seat.ends_on == timezone.localdate(timezone.now(), room.session.zone)
    assert Role.objects.get(pk=role.pk).ends_on is not None
    item.refresh_from_db()
    assert item.status == "decided"


def test_a_rejected_exclusion_is_declined(db):
    room = sitting_room(3)
    city = room.cities[0]
    proposal = _adopt(room.world, city)
    item = _exclusion_item(room, proposal)
    poll = polls_services.open_poll(
        actor=room.chair, item=item, kind="exclusion", question="Exclude the city?"
    )
    for other in room.cities[1:]:
        polls_services.cast_ballot(actor=room.delegates[other.pk].person, poll=poll, choice="no")
    polls_services.close_poll(actor=room.chair, poll=poll)
    polls_services.release_result(actor=room.chair, poll=poll)
    polls_services.confirm_result(actor=room.tellers[1], poll=poll)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert Membership.objects.get(pk=proposal.membership_id).status == "member"


def test_the_city_files_its_reply_through_the_page_and_the_chair_reads_it(client, db):
    room = sitting_room(3)
    city = room.cities[0]
    proposal = _adopt(room.world, city)
    item = _exclusion_item(room, proposal)
    coordinator = UserFactory()
    members_services.grant_role(
        actor=room.world.admin, user=coordinator, kind=RoleKind.COORDINATOR, city=city
    )
    client.force_login(coordinator)
    url = reverse("governance:exclusion_reply", args=[item.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "We dispute the grounds."}).status_code == 302
    client.force_login(room.chair)
    page = client.get(reverse("governance:chair_page", args=[room.session.pk])).content.decode()
    assert "We dispute the grounds." in page
