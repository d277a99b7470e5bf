import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from coalition.models import AuditEvent
from members import services
from members.models import City, Membership, MembershipStatus, search_key
from tests.factories import CityFactory, CoalitionFactory, MembershipFactory, UserFactory

S = MembershipStatus


def test_search_key_folds_accents_and_case():
    assert search_key("Zürich") == "zurich"
    assert search_key("KÖLN") == "koln"
    assert search_key("Liège") == "liege"


@pytest.mark.django_db
def test_city_search_name_holds_name_and_local_name():
    city = CityFactory(name="Munich", local_name="München")
    assert city.search_name == "munich | munchen | muenchen"  # German spells ü as ue too
    city.local_name = "Minga"
    city.save(update_fields=["local_name"])
    city.refresh_from_db()
    assert "minga" in city.search_name


@pytest.mark.django_db
def test_database_forbids_two_current_memberships_of_one_city_in_one_coalition():
    membership = MembershipFactory(status=S.MEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            city=membership.city, coalition=membership.coalition, status=S.APPLICANT
        )


@pytest.mark.django_db
def test_an_ended_membership_does_not_block_readmission():
    old = MembershipFactory(status=S.WITHDRAWN)
    again = Membership.objects.create(city=old.city, coalition=old.coalition, status=S.APPLICANT)
    assert again.pk != old.pk


@pytest.mark.django_db
def test_create_membership_records_first_history_entry_and_audit():
    actor = UserFactory()
    city, coalition = CityFactory(), CoalitionFactory()
    membership = services.create_membership(
        actor=actor, city=city, coalition=coalition, status=S.APPLICANT, reason="Letter received"
    )
    (entry,) = membership.history.all()
    assert (entry.from_status, entry.to_status, entry.changed_by) == ("", S.APPLICANT, actor)
    assert AuditEvent.objects.filter(verb="membership.created", object_id=membership.pk).exists()


@pytest.mark.django_db
def test_status_transitions_keep_a_dated_history():
    actor = UserFactory()
    membership = services.create_membership(
        actor=actor, city=CityFactory(), coalition=CoalitionFactory(), status=S.APPLICANT
    )
    services.change_membership_status(
        actor=actor, membership=membership, to_status=S.MEMBER, reason="Admitted"
    )
    services.change_membership_status(
        actor=actor,
        membership=membership,
        to_status=S.SUSPENDED,
        reason="No report for two years",
        effective_on=dt.date(2025, 1, 15),
    )
    membership.refresh_from_db()
    assert membership.status == S.SUSPENDED
    assert membership.signed_on is not None  # set when it became a member
    steps = list(membership.history.values_list("from_status", "to_status", "reason"))
    assert steps == [
        ("", S.APPLICANT, ""),
        (S.APPLICANT, S.MEMBER, "Admitted"),
        (S.MEMBER, S.SUSPENDED, "No report for two years"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "target"),
    [(S.APPLICANT, S.SUSPENDED), (S.MEMBER, S.APPLICANT), (S.WITHDRAWN, S.MEMBER)],
)
def test_forbidden_status_transitions_are_refused(start, target):
    membership = MembershipFactory(status=start)
    with pytest.raises(services.MembershipError):
        services.change_membership_status(
            actor=None, membership=membership, to_status=target, reason="Try"
        )
    membership.refresh_from_db()
    assert membership.status == start
    assert not membership.history.exists()


@pytest.mark.django_db
def test_status_change_needs_a_reason():
    membership = MembershipFactory(status=S.MEMBER)
    with pytest.raises(services.MembershipError):
        services.change_membership_status(
            actor=None, membership=membership, to_status=S.SUSPENDED, reason="  "
        )


@pytest.mark.django_db
def test_leaving_sets_the_end_date():
    membership = MembershipFactory(status=S.MEMBER)
    services.change_membership_status(
        actor=None,
        membership=membership,
        to_status=S.WITHDRAWN,
        reason="Council decision",
        effective_on=dt.date(2024, 6, 30),
    )
    membership.refresh_from_db()
    assert membership.ended_on == dt.date(2024, 6, 30)


@pytest.mark.django_db
def test_update_city_audits_only_real_changes():
    city = CityFactory(region="Bavaria")
    assert services.update_city(actor=None, city=city, region="Bavaria") == []
    assert services.update_city(actor=None, city=city, region="Franconia") == ["region"]
    city.refresh_from_db()
    assert city.region == "Franconia"
    assert AuditEvent.objects.filter(verb="city.updated", object_id=city.pk).count() == 1


@pytest.mark.django_db
def test_create_city_gives_a_unique_slug():
    a = services.create_city(actor=None, name="Springfield", country="US")
    b = services.create_city(actor=None, name="Springfield", country="CA")
    assert (a.slug, b.slug) == ("springfield", "springfield-ca")
    assert City.objects.count() == 2
