"""By-elections of officers: an officer election names the terms it renews or replaces
(or counts vacancies); certification ends those terms only, never the other
Vice-Presidents', and never seats more Vice-Presidents than the statute provides."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from coalition.models import AuditEvent
from governance.errors import GovernanceError
from governance.models import (
    CommitteeOfficer,
    Election,
    ElectionStatus,
    OfficerOffice,
    StatuteProfile,
)
from governance.services import election_release, officer_elections, officers
from governance.services import elections as election_services
from governance.services import seats as seat_services
from governance.services.statute import update_statute_profile
from members import services as members_services
from members.models import Coalition, CoalitionKind
from tests.built_once import built_once
from tests.factories import UserFactory
from tests.governance.conftest import build_world
from tests.governance.election_world import end_window
from tests.governance.test_officers import cast, details, to_voting


def _statute(world, **values):
    current = StatuteProfile.current_for(world.coalition)
    update_statute_profile(
        actor=world.bureau,
        coalition=world.coalition,
        values={**current.values(), **values},
        sources={},
        valid_from=timezone.localdate(),
        adopted_on=None,
        note="Two Vice-Presidents",
        based_on_version=0,
        confirm_loss_of_voting_rights=True,
    )


@built_once
def world():
    """Five voting seats, a President and two Vice-Presidents who started on different dates;
    the statute provides two Vice-Presidents."""
    world = build_world(5)
    _statute(world, vice_presidents=2)
    today = timezone.localdate()
    for n, seat in enumerate(world.seats[:3]):
        seat.representative.full_name = f"Officer {n}"
        seat.representative.save(update_fields=["full_name"])
    world.extra["president"] = officers.record_officer(
        actor=world.bureau,
        seat=world.seats[4],
        office=OfficerOffice.PRESIDENT,
        starts_on=today - dt.timedelta(days=25),
        ends_on=today + dt.timedelta(days=1000),
    )
    world.extra["vp_old"] = officers.record_officer(
        actor=world.bureau,
        seat=world.seats[0],
        office=OfficerOffice.VICE_PRESIDENT,
        starts_on=today - dt.timedelta(days=25),
        ends_on=today + dt.timedelta(days=100),
    )
    world.extra["vp_new"] = officers.record_officer(
        actor=world.bureau,
        seat=world.seats[1],
        office=OfficerOffice.VICE_PRESIDENT,
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=1400),
    )
    return world


def by_election(world, *, outgoing, vacancies=0, offices=None, method="approval"):
    return officer_elections.create_officer_election(
        actor=world.bureau,
        coalition=world.coalition,
        office=OfficerOffice.VICE_PRESIDENT,
        details=details(method, title="By-election of a Vice-President"),
        offices=offices,
        outgoing=outgoing,
        vacancies=vacancies,
    )


def _count_and_publish(world, election, ceremony):
    end_window(election)
    election_services.close_voting(actor=world.bureau, election=election)
    election.refresh_from_db()
    election = election_services.tally(
        actor=world.seats[0].representative, election=election, shares=ceremony.shares[:2]
    )
    election_release.release_result(actor=world.bureau, election=election)
    return election_release.confirm_release(actor=world.seats[1].representative, election=election)


def _run(world, election, standing, choice_of):
    election, candidacies, ceremony = to_voting(world, election, standing)
    for seat in world.seats:
        cast(election, seat, [choice_of(candidacies).pk])
    return _count_and_publish(world, election, ceremony), candidacies


def _terms(world):
    return {
        o.pk: (o.starts_on, o.ends_on)
        for o in CommitteeOfficer.objects.filter(coalition=world.coalition)
    }


def _certify_starting_today(world, election):
    """The challenge period ended yesterday and the new term starts today (dates shifted)."""
    today = timezone.localdate()
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=today - dt.timedelta(days=1), term_starts_on=today
    )
    election.refresh_from_db()
    election_services.certify_election(actor=world.bureau, election=election)
    election.refresh_from_db()
    return election


def test_a_by_election_ends_only_the_named_vice_presidents_term(world):
    vp_old, vp_new = world.extra["vp_old"], world.extra["vp_new"]
    election = by_election(world, outgoing=[vp_old])
    assert (election.seats, election.additional_seats) == (1, 0)
    assert list(election.outgoing_officers.all()) == [vp_old]
    created = AuditEvent.objects.get(verb="election.created", object_id=str(election.pk))
    assert created.data["outgoing_officers"] == [vp_old.pk]

    before = _terms(world)
    election, (c2, _c3) = _run(world, election, world.seats[2:4], lambda c: c[0])
    # Published, in its challenge period: nothing has changed yet.
    assert election.status == ElectionStatus.COUNTED
    assert _terms(world) == before
    with pytest.raises(GovernanceError, match="challenge period"):
        election_services.certify_election(actor=world.bureau, election=election)
    assert _terms(world) == before

    election = _certify_starting_today(world, election)
    assert election.status == ElectionStatus.CERTIFIED
    vp_old.refresh_from_db()
    vp_new.refresh_from_db()
    last_day = election.term_starts_on - dt.timedelta(days=1)
    assert vp_old.ends_on == last_day
    assert (vp_new.starts_on, vp_new.ends_on) == before[vp_new.pk]  # untouched
    assert _terms(world)[world.extra["president"].pk] == before[world.extra["president"].pk]
    elected = CommitteeOfficer.objects.get(election=election)
    assert (elected.city, elected.office) == (c2.city, OfficerOffice.VICE_PRESIDENT)
    assert (elected.starts_on, elected.ends_on) == (election.term_starts_on, election.term_ends_on)
    vps = CommitteeOfficer.objects.current().filter(office=OfficerOffice.VICE_PRESIDENT)
    assert set(vps.values_list("pk", flat=True)) == {vp_new.pk, elected.pk}

    # The audit log says which term ended, why, and what the certification installed.
    ended = AuditEvent.objects.filter(verb="officer.term_ended")
    assert [e.object_id for e in ended] == [str(vp_old.pk)]
    assert ended[0].data["why"] == "outgoing" and ended[0].data["election"] == election.pk
    installed = AuditEvent.objects.get(verb="election.officers_installed")
    assert installed.data["outgoing"] == [vp_old.pk]
    assert installed.data["ended"] == [vp_old.pk]
    assert installed.data["recorded"] == [elected.pk]


def test_a_vacancy_election_ends_nothing(world):
    vp_old = world.extra["vp_old"]
    today = timezone.localdate()
    # The first Vice-President resigned yesterday: the office is vacant.
    CommitteeOfficer.objects.filter(pk=vp_old.pk).update(ends_on=today - dt.timedelta(days=1))
    election = by_election(world, outgoing=[], vacancies=1)
    assert (election.seats, election.additional_seats) == (1, 1)
    before = _terms(world)
    election, (c2, _c3) = _run(world, election, world.seats[2:4], lambda c: c[0])
    election = _certify_starting_today(world, election)
    after = _terms(world)
    elected = CommitteeOfficer.objects.get(election=election)
    assert {pk: v for pk, v in after.items() if pk != elected.pk} == before
    assert not AuditEvent.objects.filter(verb="officer.term_ended").exists()
    assert elected.city == c2.city


@pytest.mark.parametrize(
    ("case", "field", "match"),
    [
        ("more offices than outgoing and vacancies", "offices", "offices to fill \\(2\\)"),
        ("an outgoing term that already ended", "outgoing_officers", "count the office"),
        ("a term of another coalition", "outgoing_officers", "another coalition"),
        ("the President's term", "outgoing_officers", "this election fills"),
        ("a third Vice-President", "vacancies", "provides 2 Vice-Presidents"),
        ("a negative vacancy", "vacancies", "negative"),
    ],
)
def test_the_by_election_refuses_inconsistent_figures(world, case, field, match):
    vp_old, today = world.extra["vp_old"], timezone.localdate()
    if case == "more offices than outgoing and vacancies":
        call = {"outgoing": [vp_old], "offices": 2}
    elif case == "an outgoing term that already ended":
        CommitteeOfficer.objects.filter(pk=vp_old.pk).update(ends_on=today - dt.timedelta(days=1))
        vp_old.refresh_from_db()
        call = {"outgoing": [vp_old]}
    elif case == "a term of another coalition":
        other = build_other_coalition_term(world)
        call = {"outgoing": [other]}
    elif case == "the President's term":
        call = {"outgoing": [world.extra["president"]]}
    elif case == "a third Vice-President":
        call = {"outgoing": [], "vacancies": 1}
    else:
        call = {"outgoing": [vp_old], "vacancies": -1, "offices": 1}
    with pytest.raises(GovernanceError, match=match) as refused:
        by_election(world, **call)
    assert refused.value.field == field
    assert not Election.objects.exists()


def build_other_coalition_term(world) -> CommitteeOfficer:
    other = Coalition.objects.create(
        name="Other Coalition", short_name="OC", slug="oc", kind=CoalitionKind.REGIONAL
    )
    city = members_services.create_city(actor=world.admin, name="Elsewhere", country="FR")
    members_services.create_membership(
        actor=world.admin, city=city, coalition=other, signed_on=dt.date(2012, 1, 1)
    )
    seat = seat_services.add_seat(
        actor=world.admin,
        coalition=other,
        kind="voting",
        city=city,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        representative=UserFactory(email="elsewhere@example.org"),
    )
    return officers.record_officer(
        actor=world.admin,
        seat=seat,
        office=OfficerOffice.VICE_PRESIDENT,
        starts_on=timezone.localdate() - dt.timedelta(days=3),
    )


def test_a_president_election_must_name_the_sitting_president(world):
    with pytest.raises(GovernanceError, match="name the President's term") as refused:
        officer_elections.create_officer_election(
            actor=world.bureau,
            coalition=world.coalition,
            office=OfficerOffice.PRESIDENT,
            details=details(),
            outgoing=[],
            vacancies=1,
        )
    assert refused.value.field == "vacancies"
    election = officer_elections.create_officer_election(
        actor=world.bureau,
        coalition=world.coalition,
        office=OfficerOffice.PRESIDENT,
        details=details(),
        outgoing=[world.extra["president"]],
    )
    assert election.seats == 1


def test_a_vice_president_who_stays_cannot_stand_in_the_by_election(world):
    election = by_election(world, outgoing=[world.extra["vp_old"]])
    election_services.open_call(actor=world.bureau, election=election)
    staying = world.seats[1]  # vp_new's seat
    with pytest.raises(GovernanceError, match="already hold the office"):
        officer_elections.stand_for_office(
            actor=staying.representative, election=election, seat=staying, statement="Again"
        )
    # The outgoing Vice-President may stand for the office again.
    outgoing = world.seats[0]
    officer_elections.stand_for_office(
        actor=outgoing.representative, election=election, seat=outgoing, statement="Again"
    )


def test_certification_never_seats_more_vice_presidents_than_the_statute(world):
    vp_old = world.extra["vp_old"]
    election = by_election(world, outgoing=[vp_old])
    election, _candidacies = _run(world, election, world.seats[2:4], lambda c: c[0])
    # Meanwhile the bureau recorded a Vice-President into the office the by-election fills.
    officers.end_officer_term(
        actor=world.bureau, officer=vp_old, ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    officers.record_officer(
        actor=world.bureau,
        seat=world.seats[3],
        office=OfficerOffice.VICE_PRESIDENT,
        starts_on=timezone.localdate(),
    )
    before = _terms(world)
    with pytest.raises(GovernanceError, match="provides 2 Vice-Presidents"):
        _certify_starting_today(world, election)
    assert _terms(world) == before
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTED


def test_no_one_holds_two_overlapping_terms_of_the_same_office(world):
    vp_new = world.extra["vp_new"]
    with pytest.raises(GovernanceError, match="already holds an office"):
        officers.record_officer(
            actor=world.bureau,
            seat=world.seats[1],
            office=OfficerOffice.VICE_PRESIDENT,
            starts_on=vp_new.ends_on - dt.timedelta(days=1),
        )


def test_the_coalition_page_shows_the_officers_after_the_by_election(client, world):
    vp_new = world.extra["vp_new"]
    election = by_election(world, outgoing=[world.extra["vp_old"]])
    election, (c2, _c3) = _run(world, election, world.seats[2:4], lambda c: c[0])
    election = _certify_starting_today(world, election)
    cache.clear()
    page = client.get(reverse("members:coalition_detail", args=["tcc"])).content.decode()
    officers_part = page.split('id="officers-title"', 1)[1].split("</ul>", 1)[0]
    assert officers_part.count("Vice-President") == 2
    assert "Officer 0" not in officers_part  # the outgoing Vice-President left
    assert "Officer 1" in officers_part and "Officer 2" in officers_part
    remaining = f"term {date_format(vp_new.starts_on)} – {date_format(vp_new.ends_on)}"
    new_term = f"term {date_format(election.term_starts_on)} – {date_format(election.term_ends_on)}"
    assert remaining in officers_part and new_term in officers_part
    assert c2.city.name in officers_part


# --- The bureau's form ----------------------------------------------------------------------


def _form_data(**overrides):
    now, today = timezone.localtime(), timezone.localdate()
    at = lambda days: (now + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    data = {
        "office": OfficerOffice.VICE_PRESIDENT,
        "offices": "1",
        "vacancies": "0",
        "title": "By-election of a Vice-President",
        "method": "approval",
        "term_starts_on": (today + dt.timedelta(days=60)).isoformat(),
        "term_ends_on": (today + dt.timedelta(days=60 + 4 * 365)).isoformat(),
        "candidacy_deadline": at(10),
        "voting_opens_at": at(11),
        "voting_closes_at": at(20),
        "challenge_ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    return {**data, **overrides}


def test_the_form_offers_the_sitting_officers_with_their_terms(client, world):
    client.force_login(world.bureau)
    page = client.get(reverse("governance:officer_election_create", args=["tcc"]))
    assert page.status_code == 200
    html = page.content.decode()
    vp_old = world.extra["vp_old"]
    starts, ends = (date_format(d, "SHORT_DATE_FORMAT") for d in (vp_old.starts_on, vp_old.ends_on))
    label = f"Officer 0 (Seatville 0), Vice-President, {starts} to {ends}"
    assert label in html
    assert html.count('name="outgoing_officers"') == 3  # the President and both VPs
    assert 'name="vacancies"' in html


def test_the_form_ties_inconsistent_figures_to_their_fields(client, world):
    client.force_login(world.bureau)
    url = reverse("governance:officer_election_create", args=["tcc"])
    vp_old = world.extra["vp_old"]
    response = client.post(url, _form_data(offices="2", outgoing_officers=[vp_old.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["offices"]
    assert (
        "(2) are the outgoing officers ticked (1) plus the vacancies (0)"
        in form.errors["offices"][0]
    )
    assert 'id="id_offices_errors"' in response.content.decode()
    # The statute's two Vice-Presidents both stay: no room for a vacancy.
    response = client.post(url, _form_data(vacancies="1"))
    assert list(response.context["form"].errors) == ["vacancies"]
    # A term that ended is no longer offered.
    CommitteeOfficer.objects.filter(pk=vp_old.pk).update(
        ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client.post(url, _form_data(outgoing_officers=[vp_old.pk]))
    assert list(response.context["form"].errors) == ["outgoing_officers"]
    assert not Election.objects.exists()


def test_the_form_creates_the_by_election_and_the_manage_page_names_the_outgoing(client, world):
    client.force_login(world.bureau)
    vp_old = world.extra["vp_old"]
    response = client.post(
        reverse("governance:officer_election_create", args=["tcc"]),
        _form_data(outgoing_officers=[vp_old.pk]),
    )
    election = Election.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:election_manage", args=[election.pk])
    assert list(election.outgoing_officers.all()) == [vp_old]
    manage = client.get(response["Location"]).content.decode()
    assert "Outgoing officers" in manage and "Officer 0 (Seatville 0" in manage
    assert "Officer 1" not in manage  # the Vice-President who stays


def test_the_election_pages_name_the_outgoing_officer_and_offer_no_stand_to_who_stays(
    client, world
):
    vp_old = world.extra["vp_old"]
    election = by_election(world, outgoing=[vp_old])
    election_services.open_call(actor=world.bureau, election=election)
    public = client.get(election.get_absolute_url()).content.decode()
    assert "Outgoing officers" in public and "Officer 0, Seatville 0" in public
    assert "Officer 1" not in public
    # The Vice-President who stays is not offered to stand; the outgoing one is.
    client.force_login(world.seats[1].representative)
    page = client.get(election.get_absolute_url()).content.decode()
    assert "Stand for office from the seat of" not in page
    client.force_login(world.seats[0].representative)
    page = client.get(election.get_absolute_url()).content.decode()
    assert "Stand for office from the seat of Seatville 0" in page
    # Officer candidates stand themselves: the bureau's table offers no mayor's letter.
    officer_elections.stand_for_office(
        actor=world.seats[0].representative,
        election=election,
        seat=world.seats[0],
        statement="Again",
    )
    client.force_login(world.bureau)
    manage = client.get(reverse("governance:election_manage", args=[election.pk]))
    assert "Endorsement letter" not in manage.content.decode()


def test_the_published_ballots_name_the_candidates_and_the_buttons_say_the_step(client, world):
    election = by_election(world, outgoing=[world.extra["vp_old"]])
    election, candidacies, ceremony = to_voting(world, election, world.seats[2:4])
    for seat in world.seats:
        cast(election, seat, [candidacies[0].pk])
    end_window(election)
    election_services.close_voting(actor=world.bureau, election=election)
    election.refresh_from_db()
    # The bureau, a teller, finds the tally from the manage page.
    client.force_login(world.bureau)
    manage = client.get(reverse("governance:election_manage", args=[election.pk]))
    assert reverse("governance:election_tally", args=[election.pk]) in manage.content.decode()
    election = election_services.tally(
        actor=world.seats[0].representative, election=election, shares=ceremony.shares[:2]
    )
    page = client.get(election.get_absolute_url()).content.decode()
    assert "Review the count and release it" in page
    election_release.release_result(actor=world.bureau, election=election)
    client.force_login(world.seats[1].representative)  # a teller who did not release
    page = client.get(election.get_absolute_url()).content.decode()
    assert "Review the count and confirm its release" in page
    election_release.confirm_release(actor=world.seats[1].representative, election=election)
    page = client.get(election.get_absolute_url()).content.decode()
    assert f"<td>{candidacies[0].pk} {candidacies[0].city.name}</td>" in page


def test_the_migration_names_the_terms_an_election_under_way_renews(world):
    """Officer elections created before by-elections existed renewed the whole office."""
    migration = importlib.import_module("governance.migrations.0022_byelection_outgoing_officers")
    election = by_election(world, outgoing=[world.extra["vp_old"]])
    election.outgoing_officers.clear()
    Election.objects.filter(pk=election.pk).update(additional_seats=election.seats)
    migration.name_outgoing_officers(django_apps, None)
    election.refresh_from_db()
    assert set(election.outgoing_officers.all()) == {world.extra["vp_old"], world.extra["vp_new"]}
    assert election.additional_seats == 0
