"""Every demo seat has someone who can vote; the bureau is told when seats have nobody."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.demo import demo_email
from governance import engine, rules, selectors, services
from governance.engine.electorate import ELIGIBLE, Elector, Electorate
from governance.models import AdmissionApplication, CommitteeSeat, SeatKind
from governance.services import application_checks
from members.models import Coalition


def _waiting_application() -> AdmissionApplication:
    return AdmissionApplication.objects.get(city_name="Leipzig")


def _unrepresent(names: list[str], actor) -> None:
    for seat in CommitteeSeat.objects.current().filter(city__name__in=names):
        services.update_seat(actor=actor, seat=seat, representative=None)


def test_every_demo_voting_seat_has_a_representative(demo):
    eccar = Coalition.objects.get(short_name="ECCAR")
    seats = CommitteeSeat.objects.current().filter(coalition=eccar, kind=SeatKind.VOTING)
    assert seats.count() == 17
    assert not seats.filter(representative__isnull=True).exists()
    rotterdam = seats.select_related("representative").get(city__name="Rotterdam")
    assert rotterdam.representative.email == demo_email("rotterdam")
    assert seats.get(city__name="Ghent").representative == demo["committee"]
    assert seats.get(city__name="Liège").representative.email == demo_email("liege")


def test_the_demo_committee_can_decide_an_admission(demo):
    readiness = services_readiness()
    assert (readiness.electorate, readiness.unrepresented) == (17, ())
    assert readiness.quorum_reachable and readiness.can_close_early


def services_readiness():
    return selectors.admission_vote_readiness(_waiting_application())


def test_readiness_counts_unrepresented_seats_against_the_quorum():
    electors = tuple(
        Elector(
            seat_id=i,
            city_id=i,
            status=ELIGIBLE,
            reason="voting_seat",
            representative_id=i if i <= 8 else None,
            label=f"City {i}",
        )
        for i in range(1, 18)
    )
    ready = engine.readiness(Electorate(electors), rules.DEFAULT_RULE)
    assert (ready.electorate, ready.can_vote, ready.quorum_required) == (17, 8, 9)
    assert not ready.quorum_reachable and not ready.can_close_early
    assert len(ready.unrepresented) == 9
    no_quorum = engine.readiness(Electorate(electors), rules.Rule(quorum="none"))
    assert no_quorum.quorum_reachable and not no_quorum.can_close_early


def test_bureau_is_warned_on_the_open_vote_form_when_the_quorum_is_out_of_reach(
    client, bureau, administrator
):
    eccar_cities = [
        "Rotterdam",
        "Berlin",
        "Bologna",
        "Botkyrka",
        "Esch-sur-Alzette",
        "Graz",
        "Karlsruhe",
        "Liège",
        "Malmö",
    ]
    _unrepresent(eccar_cities, administrator)
    client.force_login(bureau)
    application = _waiting_application()
    page = client.get(reverse("governance:application_review", args=[application.pk]))
    content = page.content.decode()
    assert "This vote cannot reach its quorum" in content
    assert "9 voting seats have nobody who can vote" in content
    assert "only 8 seats can vote" in content


def test_bureau_is_warned_when_opening_and_on_the_vote_page_while_the_quorum_holds(
    client, bureau, administrator
):
    _unrepresent(["Rotterdam"], administrator)
    client.force_login(bureau)
    application = _waiting_application()
    closes_on = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    application_checks.tick_every_item(actor=bureau, application=application)
    response = client.post(
        reverse("governance:application_open_vote", args=[application.pk]),
        {"closes_on": closes_on, "confirmed": "1"},
        follow=True,
    )
    content = response.content.decode()
    assert "1 voting seat has nobody who can vote: Rotterdam." in content
    assert "cannot close before its date" in content
    vote = application.votes.get()
    again = client.get(vote.get_absolute_url()).content.decode()
    assert 'id="vote-readiness"' in again and "Rotterdam" in again


def test_no_warning_when_every_seat_can_vote(client, bureau):
    client.force_login(bureau)
    application = _waiting_application()
    page = client.get(reverse("governance:application_review", args=[application.pk]))
    assert 'id="vote-readiness"' not in page.content.decode()


pytestmark = pytest.mark.django_db
