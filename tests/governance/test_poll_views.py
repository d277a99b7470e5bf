"""The poll pages as people use them (plain POSTs, no JavaScript): the chair opens a poll with a
form error first, the card holder votes, a hand vote, confirmation pages; fixed query counts."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import AssemblyPoll, CityBallot
from governance.services import attendance
from governance.services import polls as services
from tests.governance.polls_support import sitting_room


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_chair_runs_a_poll_through_plain_forms(client, db):
    room = sitting_room(3)
    item = room.item
    client.force_login(room.chair)
    chair_url = reverse("governance:chair_page", args=[room.session.pk])
    assert client.get(chair_url).status_code == 200
    prefix = f"item{item.pk}"
    open_url = reverse("governance:poll_open", args=[item.pk])
    response = client.post(open_url, {f"{prefix}-kind": "motion", f"{prefix}-question": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    response = client.post(
        open_url,
        {f"{prefix}-kind": "motion", f"{prefix}-question": "Adopt?", f"{prefix}-named": "on"},
    )
    assert response.status_code == 302
    poll = AssemblyPoll.objects.get()
    page = client.get(chair_url).content.decode()
    assert "0 of 3 cities have voted" in page

    # The delegate of the first city votes from the poll page.
    delegate = room.delegates[room.cities[0].pk].person
    client.force_login(delegate)
    poll_url = reverse("governance:poll_detail", args=[poll.pk])
    assert "Cast the city" in client.get(poll_url).content.decode()
    assert client.post(poll_url, {"choice": "yes"}).status_code == 302
    assert "Your city has voted" in client.get(poll_url).content.decode()

    # A hand vote for the second city, confirmed by a teller.
    client.force_login(room.chair)
    hand_url = reverse("governance:poll_hand_vote", args=[poll.pk])
    second = room.cities[1]
    assert client.post(hand_url, {"city": str(second.pk), "choice": "no"}).status_code == 302
    ballot = CityBallot.objects.get(poll=poll, city=second)
    client.force_login(room.tellers[0])
    confirm_url = reverse("governance:ballot_confirm", args=[ballot.pk])
    assert client.post(confirm_url).status_code == 302
    ballot.refresh_from_db()
    assert ballot.confirmed_by == room.tellers[0]

    # Closing without JavaScript: the confirmation page first, nothing changed.
    client.force_login(room.chair)
    close_url = reverse("governance:poll_close", args=[poll.pk])
    response = client.post(close_url)
    assert response.status_code == 200 and b'name="confirmed"' in response.content
    assert AssemblyPoll.objects.get().is_open
    assert client.post(close_url, {"confirmed": "1"}).status_code == 302
    poll.refresh_from_db()
    assert poll.arithmetic.startswith("Yes 1, No 1, Abstain 0")
    # The delegate does not see the result before release and confirmation.
    client.force_login(delegate)
    assert "Yes 1" not in client.get(poll_url).content.decode()


def test_the_chair_page_and_the_projector_cost_the_same_queries_at_two_sizes(client, db):
    room = sitting_room(12, present=3)
    client.force_login(room.chair)
    counts = []
    for present in (3, 12):
        for city in room.cities[:present]:
            if services.holding_of(room.delegates[city.pk].person, room.session) is None:
                attendance.check_in(
                    actor=room.world.bureau,
                    registration=room.delegates[city.pk],
                    channel="desk",
                )
        poll = services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
        for city in room.cities[: present // 2 + 1]:
            services.cast_ballot(actor=room.delegates[city.pk].person, poll=poll, choice="yes")
        counts.append(
            (
                _queries(client, reverse("governance:chair_page", args=[room.session.pk])),
                _queries(client, reverse("governance:projector", args=[room.session.pk])),
                _queries(client, reverse("governance:poll_detail", args=[poll.pk])),
            )
        )
        services.cancel_poll(actor=room.chair, poll=poll)
    assert counts[0] == counts[1], counts
