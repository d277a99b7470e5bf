"""Assembly polls: opening (quorum, item, electorate), one ballot per city, hand votes,
the close's arithmetic, release and confirmation, and the exclusion loop."""

from __future__ import annotations

import pytest

from coalition.models import AuditEvent
from governance import rules
from governance.engine import polls as engine
from governance.models import (
    AgendaItem,
    AssemblyPoll,
    CityBallot,
    PollElector,
    PollStatus,
)
from governance.services import GovernanceError, assemblies, attendance
from governance.services import polls as services
from tests.governance.polls_support import sitting_room


def _open(room, kind="motion", **kwargs):
    return services.open_poll(
        actor=room.chair,
        item=kwargs.pop("item", room.item),
        kind=kind,
        question=kwargs.pop("question", "Shall the motion be adopted?"),
        **kwargs,
    )


def _vote(room, poll, city, choice="yes", **kwargs):
    person = room.delegates[city.pk].person
    return services.cast_ballot(actor=person, poll=poll, choice=choice, **kwargs)


def test_a_poll_freezes_the_present_cities_with_voting_rights(db):
    room = sitting_room(5, present=3)
    poll = _open(room)
    electors = set(PollElector.objects.filter(poll=poll).values_list("city_id", flat=True))
    assert electors == {c.pk for c in room.cities[:3]}
    assert poll.rule["majority"] == "simple"
    assert poll.quorum_at_opening == {
        "present": 3,
        "with_voting_rights": 5,
        "required": 0,
        "convocation": 1,
        "by_proxy": 0,
    }
    # A city arriving later does not join the electorate.
    attendance.check_in(
        actor=room.world.bureau, registration=room.delegates[room.cities[4].pk], channel="desk"
    )
    with pytest.raises(GovernanceError, match="not present"):
        _vote(room, poll, room.cities[4])


def test_a_poll_opens_only_with_the_quorum(db):
    room = sitting_room(5, present=2, quorum_kind="number", quorum_number=3)
    with pytest.raises(GovernanceError, match="not quorate"):
        _open(room)
    attendance.check_in(
        actor=room.world.bureau, registration=room.delegates[room.cities[2].pk], channel="desk"
    )
    assert _open(room).is_open


def test_a_poll_opens_only_on_an_item_that_may_be_decided(db):
    room = sitting_room(3)
    planned = AgendaItem.objects.create(
        session=room.session, position=2, kind="motion", title="Not announced"
    )
    with pytest.raises(GovernanceError, match="announced"):
        _open(room, item=planned)


def test_only_the_chair_or_the_bureau_opens_a_poll(db):
    room = sitting_room(3)
    delegate = room.delegates[room.cities[0].pk].person
    with pytest.raises(GovernanceError, match="chair"):
        services.open_poll(actor=delegate, item=room.item, kind="motion", question="Q?")


def test_one_poll_at_a_time_in_a_session(db):
    room = sitting_room(3)
    _open(room)
    with pytest.raises(GovernanceError, match="Another poll"):
        _open(room)


def test_one_city_one_ballot_whoever_holds_the_card_and_the_second_attempt_is_audited(db):
    room = sitting_room(3)
    city = room.cities[0]
    poll = _open(room)
    _vote(room, poll, city, "yes")
    holding = services.holding_of(room.delegates[city.pk].person, room.session)
    attendance.check_in(
        actor=room.world.bureau, registration=room.substitutes[city.pk], channel="desk"
    )
    attendance.hand_card(actor=room.world.bureau, holding=holding, to=room.substitutes[city.pk])
    with pytest.raises(GovernanceError, match="voted already"):
        services.cast_ballot(actor=room.substitutes[city.pk].person, poll=poll, choice="no")
    assert CityBallot.objects.filter(poll=poll, city=city).count() == 1
    ballot = CityBallot.objects.get(poll=poll, city=city)
    assert ballot.cast_by == room.delegates[city.pk].person and ballot.holding_ref == holding.pk
    assert AuditEvent.objects.filter(verb="poll.second_ballot_refused").count() == 1
    # The former holder has no card any more.
    with pytest.raises(GovernanceError, match="holding a city's voting card"):
        _vote(room, poll, room.cities[0], "no")


def test_a_person_without_a_card_cannot_vote(db):
    room = sitting_room(3)
    poll = _open(room)
    with pytest.raises(GovernanceError, match="voting card"):
        services.cast_ballot(
            actor=room.substitutes[room.cities[0].pk].person, poll=poll, choice="yes"
        )


def test_the_close_computes_the_result_once_with_its_arithmetic(db):
    room = sitting_room(6)
    room.item.kind = "statute_change"
    room.item.save()
    poll = _open(room)
    assert poll.decision_kind == "statute_change"
    choices = ["yes", "yes", "yes", "yes", "no", "abstain"]
    for city, choice in zip(room.cities, choices, strict=True):
        _vote(room, poll, city, choice)
    poll = services.close_poll(actor=room.chair, poll=poll)
    assert poll.status == PollStatus.CLOSED
    assert poll.outcome == "adopted"  # 4 of 5 cast >= 3/4
    assert poll.arithmetic == "Yes 4, No 1, Abstain 1; three quarters of 5 is 3.8: adopted"
    assert poll.result["named"][0]["city"] == room.cities[0].name
    with pytest.raises(GovernanceError):
        services.close_poll(actor=room.chair, poll=poll)


def test_two_thirds_of_53_is_35_3():
    figures = rules.assembly_poll_result(
        {"majority_exclusion": "two_thirds"}, "exclusion", 41, 12, 5
    )
    assert rules.describe_poll_result(figures) == (
        "Yes 41, No 12, Abstain 5; two thirds of 53 is 35.3: adopted"
    )


def test_a_hand_vote_counts_once_a_teller_confirms_it(db):
    room = sitting_room(3)
    poll = _open(room)
    city = room.cities[1]
    ballot = services.enter_hand_vote(actor=room.chair, poll=poll, city=city, choice="no")
    assert ballot.cast_by == room.chair and not ballot.counts
    with pytest.raises(GovernanceError, match="awaits a teller"):
        services.close_poll(actor=room.chair, poll=poll)
    with pytest.raises(GovernanceError, match="teller"):
        services.confirm_hand_vote(actor=room.chair, ballot=ballot)
    services.confirm_hand_vote(actor=room.tellers[0], ballot=ballot)
    with pytest.raises(GovernanceError, match="voted already"):
        _vote(room, poll, city, "yes")
    poll = services.close_poll(actor=room.chair, poll=poll)
    assert poll.result["no"] == 1


def test_the_result_is_released_by_the_chair_and_confirmed_by_a_teller(db):
    room = sitting_room(3)
    poll = _open(room)
    _vote(room, poll, room.cities[0])
    services.close_poll(actor=room.chair, poll=poll)
    with pytest.raises(GovernanceError, match="released"):
        services.confirm_result(actor=room.tellers[0], poll=poll)
    with pytest.raises(GovernanceError, match="chair"):
        services.release_result(actor=room.tellers[0], poll=poll)
    services.release_result(actor=room.chair, poll=poll)
    poll = services.confirm_result(actor=room.tellers[1], poll=poll)
    assert poll.status == PollStatus.PUBLISHED
    assert AuditEvent.objects.get(verb="poll.published").data["result"]["yes"] == 1
    # The totals entered the log only at publication.
    closed = AuditEvent.objects.get(verb="poll.closed")
    assert "yes" not in closed.data


def test_a_choice_among_options(db):
    room = sitting_room(4)
    room.item.kind = "award"
    room.item.save()
    poll = _open(
        room,
        kind="choice",
        question="ECCAR Award, under 50,000 inhabitants",
        options=("Botkyrka", "Esch-sur-Alzette"),
    )
    first, second = poll.options.order_by("position")
    for city, option in zip(room.cities, [first, second, second, None], strict=True):
        if option is None:
            _vote(room, poll, city, "abstain")
        else:
            _vote(room, poll, city, option=option)
    poll = services.close_poll(actor=room.chair, poll=poll)
    assert poll.outcome == f"option:{second.pk}"
    assert poll.arithmetic == (
        "Botkyrka 1, Esch-sur-Alzette 2, Abstain 1: Esch-sur-Alzette has the most votes"
    )


def test_the_late_item_vote_is_a_poll(db):
    room = sitting_room(3, late_items_allowed=True, majority_late_item="two_thirds")
    late = assemblies.add_late_item(
        actor=room.world.bureau, session=room.session, kind="debate", title="Urgent"
    )
    poll = _open(room, kind="late_item", item=late, question="Add the item?")
    for city in room.cities:
        _vote(room, poll, city, "yes")
    services.close_poll(actor=room.chair, poll=poll)
    services.release_result(actor=room.chair, poll=poll)
    services.confirm_result(actor=room.tellers[0], poll=poll)
    late.refresh_from_db()
    assert late.status == "added_in_session" and late.late_item_approved


def test_progress_is_all_an_open_poll_tells(db):
    room = sitting_room(4)
    poll = _open(room)
    _vote(room, poll, room.cities[0])
    assert engine.progress(poll) == (1, 4)
    assert AssemblyPoll.objects.get(pk=poll.pk).result == {}
