"""The statute profile's versions, voting rights and their reasons, and membership fees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from coalition.models import AuditEvent
from governance import services
from governance.models import FeeStatus, MembershipFee, StatuteProfile
from governance.statute_selectors import NoVoteReason, impact, voting_rights
from members import services as members_services
from members.models import Membership
from tests.governance.conftest import build_world


def today():
    """Read at use, not at import: a run may cross midnight (in TIME_ZONE) between the two."""
    return timezone.localdate()


def save_version(world, *, based_on: int = 0, confirm: bool = False, **values):
    current = StatuteProfile.current_for(world.coalition)
    return services.update_statute_profile(
        actor=world.bureau,
        coalition=world.coalition,
        values={**current.values(), **values},
        sources={"quorum": "Statute 2019 §7(3)"},
        valid_from=today(),
        based_on_version=based_on,
        confirm_loss_of_voting_rights=confirm,
    )


def pay(world, city, year=None, status=FeeStatus.PAID, paid_on=None):
    return services.record_fee(
        actor=world.bureau,
        coalition=world.coalition,
        city=city,
        year=year or today().year,
        status=status,
        amount=Decimal("500"),
        paid_on=paid_on,
    )


# --- Versions -----------------------------------------------------------------------------


def test_a_coalition_without_a_profile_follows_german_law(world):
    profile = StatuteProfile.current_for(world.coalition)
    assert profile.is_default
    assert profile.snapshot()["quorum_kind"] == "none"
    assert profile.snapshot()["sources"]["quorum"] == "BGB §32: no quorum"


def test_editing_saves_a_new_version_and_leaves_the_old_one_unchanged(world):
    first = save_version(world, quorum_kind="share", quorum_share="1/2")
    copied = first.snapshot()  # as a session opening now would keep it
    second = save_version(world, based_on=1, quorum_kind="share", quorum_share="2/3")
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.snapshot() == copied
    assert StatuteProfile.current_for(world.coalition) == second
    assert StatuteProfile.objects.filter(coalition=world.coalition).count() == 2


def test_every_version_is_audited_with_what_changed(world):
    save_version(world, quorum_kind="share", quorum_share="1/2")
    event = AuditEvent.objects.get(verb="statute.version_saved")
    assert event.actor == world.bureau
    assert event.data["changes"]["quorum_kind"] == ["none", "share"]
    assert event.data["sources_changed"]  # the quorum's source is now the statute's


def test_an_edit_started_from_an_older_version_is_refused(world):
    save_version(world, quorum_kind="share", quorum_share="1/2")
    with pytest.raises(services.GovernanceError, match="meanwhile"):
        save_version(world, based_on=0, quorum_kind="number", quorum_number=3)
    assert StatuteProfile.objects.filter(coalition=world.coalition).count() == 1


def test_a_version_in_force_later_leaves_today_to_the_one_before(world):
    save_version(world, quorum_kind="share", quorum_share="1/2")
    services.update_statute_profile(
        actor=world.bureau,
        coalition=world.coalition,
        values={**StatuteProfile.current_for(world.coalition).values(), "proxies_allowed": True,
                "proxy_cap": 2},
        sources={},
        valid_from=today() + dt.timedelta(days=30),
        based_on_version=1,
    )  # fmt: skip
    assert StatuteProfile.current_for(world.coalition).version == 1
    assert StatuteProfile.current_for(world.coalition, today() + dt.timedelta(days=30)).version == 2


def test_an_inconsistent_profile_is_refused(world):
    with pytest.raises(services.GovernanceError):
        save_version(world, proxies_allowed=True, proxy_cap=None)
    with pytest.raises(services.GovernanceError):
        save_version(world, quorum_kind="share", quorum_share="")


def test_saving_nothing_new_is_refused(world):
    save_version(world, quorum_kind="share", quorum_share="1/2")
    with pytest.raises(services.GovernanceError, match="Nothing changed"):
        save_version(world, based_on=1)


# --- Voting rights ----------------------------------------------------------------------


def test_members_vote_and_the_suspended_do_not(world):
    membership = Membership.objects.get(city=world.cities[0], coalition=world.coalition)
    services.record_suspension(
        actor=world.bureau, membership=membership, decided_on=today(), reason="Test."
    )
    rights = {r.city: r for r in voting_rights(world.coalition)}
    assert [x.code for x in rights[world.cities[0]].reasons] == [NoVoteReason.SUSPENDED]
    assert all(rights[c].has_voting_rights for c in world.cities[1:])


def test_an_applicant_has_no_vote_as_it_is_not_a_member(world):
    city = members_services.create_city(actor=world.admin, name="Newtown", country="FR")
    members_services.create_membership(
        actor=world.admin, city=city, coalition=world.coalition, status="applicant"
    )
    rights = {r.city: r for r in voting_rights(world.coalition)}
    assert [x.code for x in rights[city].reasons] == [NoVoteReason.NOT_A_MEMBER]


def test_a_city_that_joined_after_the_date_had_no_vote_on_it(world):
    city = members_services.create_city(actor=world.admin, name="Latecomer", country="FR")
    members_services.create_membership(
        actor=world.admin, city=city, coalition=world.coalition, signed_on=today()
    )
    rights = {r.city: r for r in voting_rights(world.coalition, on=today() - dt.timedelta(days=1))}
    assert not rights[city].has_voting_rights
    assert {r.city: r for r in voting_rights(world.coalition)}[city].has_voting_rights


def test_with_the_fee_condition_every_reason_is_given(world):
    save_version(world, requires_fee_paid=True, requires_no_report_overdue=True, confirm=True)
    first, second, third, fourth, fifth = world.cities
    pay(world, first)
    pay(world, second, status=FeeStatus.WAIVED)
    pay(world, third, status=FeeStatus.DUE)
    membership = Membership.objects.get(city=fourth, coalition=world.coalition)
    membership.report_overdue_since = today() - dt.timedelta(days=40)
    membership.save(update_fields=["report_overdue_since"])
    rights = {r.city: r for r in voting_rights(world.coalition)}
    assert rights[first].has_voting_rights
    assert rights[second].has_voting_rights
    assert [str(x) for x in rights[third].reasons] == [f"fee for {today().year} unpaid"]
    assert [x.code for x in rights[fourth].reasons] == [
        NoVoteReason.FEE_MISSING,
        NoVoteReason.REPORT_OVERDUE,
    ]
    assert [x.code for x in rights[fifth].reasons] == [NoVoteReason.FEE_MISSING]


def test_a_fee_paid_after_the_date_did_not_count_on_it(world):
    profile = save_version(world, requires_fee_paid=True, confirm=True)
    pay(world, world.cities[0], paid_on=today())
    yesterday = voting_rights(world.coalition, on=today() - dt.timedelta(days=1), profile=profile)
    now = voting_rights(world.coalition, profile=profile)
    assert not next(r for r in yesterday if r.city == world.cities[0]).has_voting_rights
    assert next(r for r in now if r.city == world.cities[0]).has_voting_rights


def test_a_version_that_takes_voting_rights_needs_a_confirmation(world):
    pay(world, world.cities[0])
    with pytest.raises(services.VotingRightsLossNotConfirmed) as refused:
        save_version(world, requires_fee_paid=True)
    assert set(refused.value.losing) == set(world.cities[1:])
    assert not StatuteProfile.objects.filter(coalition=world.coalition).exists()
    save_version(world, requires_fee_paid=True, confirm=True)
    assert AuditEvent.objects.get(verb="statute.version_saved").data[
        "voting_rights_removed_from"
    ] == sorted(c.pk for c in world.cities[1:])


def test_the_preview_counts_what_each_condition_would_exclude(world):
    pay(world, world.cities[0])
    pay(world, world.cities[1], status=FeeStatus.WAIVED)
    preview = impact(world.coalition)
    assert (preview.members, preview.excluded_by_fee, preview.excluded_by_report) == (5, 3, 0)
    assert preview.losing == []


@pytest.mark.parametrize("cities", [20, 60])
def test_voting_rights_cost_a_fixed_number_of_queries(db, django_assert_max_num_queries, cities):
    world = build_world(voting_seats=cities)
    for city in world.cities[::2]:
        pay(world, city)
    with django_assert_max_num_queries(4):
        rights = voting_rights(world.coalition)
    assert len(rights) == cities
    with django_assert_max_num_queries(4):
        impact(world.coalition, proposed={"requires_fee_paid": True})


# --- Fees -------------------------------------------------------------------------------


def test_recording_a_payment_changes_the_fee_and_is_audited(world):
    fee = pay(world, world.cities[0], status=FeeStatus.DUE)
    pay(world, world.cities[0], paid_on=today())
    fee.refresh_from_db()
    assert (fee.status, fee.paid_on, fee.recorded_by) == (FeeStatus.PAID, today(), world.bureau)
    event = AuditEvent.objects.filter(verb="fee.recorded").latest("id")
    assert (event.from_state, event.to_state) == ("due", "paid")


def test_a_waiver_clears_the_payment_date(world):
    pay(world, world.cities[0], paid_on=today())
    fee = pay(world, world.cities[0], status=FeeStatus.WAIVED)
    assert fee.paid_on is None


def test_a_payment_cannot_be_dated_in_the_future(world):
    with pytest.raises(services.GovernanceError) as refused:
        pay(world, world.cities[0], paid_on=today() + dt.timedelta(days=1))
    assert refused.value.field == "paid_on"


def test_generating_fees_uses_the_population_bands_and_is_idempotent(world):
    for population, city in zip([10_000, 80_000, 900_000, None, 40_000], world.cities, strict=True):
        city.population = population
        city.save(update_fields=["population"])
    save_version(world, fee_bands=[{"up_to": 50000, "amount": "500.00"},
                                   {"up_to": 500000, "amount": "750.00"},
                                   {"up_to": None, "amount": "1000.00"}])  # fmt: skip
    result = services.generate_fees_for_year(
        actor=world.bureau, coalition=world.coalition, year=today().year
    )
    assert result.created == 4
    assert result.without_amount == [world.cities[3]]
    amounts = dict(
        MembershipFee.objects.filter(year=today().year).values_list("city__name", "amount")
    )
    assert amounts == {
        "Seatville 0": Decimal("500.00"),
        "Seatville 1": Decimal("750.00"),
        "Seatville 2": Decimal("1000.00"),
        "Seatville 4": Decimal("500.00"),
    }
    again = services.generate_fees_for_year(
        actor=world.bureau, coalition=world.coalition, year=today().year
    )
    assert (again.created, again.existing) == (0, 4)
    assert AuditEvent.objects.filter(verb="fees.generated").count() == 1


def test_a_flat_amount_applies_to_every_member_city(world):
    result = services.generate_fees_for_year(
        actor=world.bureau, coalition=world.coalition, year=today().year, flat_amount=Decimal("600")
    )
    assert result.created == 5
    assert set(MembershipFee.objects.values_list("amount", flat=True)) == {Decimal("600.00")}


def test_without_bands_or_a_flat_amount_nothing_is_generated(world):
    with pytest.raises(services.GovernanceError) as refused:
        services.generate_fees_for_year(
            actor=world.bureau, coalition=world.coalition, year=today().year
        )
    assert refused.value.field == "flat_amount"
