"""Certified delegates and substitutes: the state machine, the invariants, the roles, the emails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from coalition.audit import events_for
from governance.models import CertificationStatus, DelegateCertification
from governance.services import GovernanceError
from governance.services import delegates as services
from members import services as members_services
from members.models import MembershipStatus, Role, RoleKind
from members.selectors import roles_for
from tests.factories import UserFactory
from tests.governance.conftest import pdf_upload

TODAY = timezone.localdate


@pytest.fixture
def city_world(world, django_capture_on_commit_callbacks):
    """The world's first city with a coordinator, and two people with accounts."""
    city = world.cities[0]
    coordinator = UserFactory(email="coord@seatville.example")
    members_services.grant_role(
        actor=world.admin, user=coordinator, kind=RoleKind.COORDINATOR, city=city
    )
    world.extra.update(
        city=city,
        coordinator=coordinator,
        alice=UserFactory(email="alice@seatville.example", language="fr"),
        bob=UserFactory(email="bob@seatville.example"),
    )
    return world


def submit(world, person, *, role="delegate", scope="standing", valid_from=None, until=None):
    return services.submit_certification(
        actor=world.extra["coordinator"],
        details=services.CertificationDetails(
            city=world.extra["city"],
            coalition=world.coalition,
            person=person,
            role=role,
            scope=scope,
            valid_from=valid_from or TODAY(),
            valid_until=until,
            signed_by_name="Maria Mayor",
            signed_by_office="Mayor of Seatville 0",
        ),
        letter=pdf_upload("mandate.pdf", "Mandate"),
    )


def test_a_validated_delegate_votes_for_the_city_and_holds_the_delegate_role(city_world):
    w = city_world
    certification = submit(w, w.extra["alice"])
    assert certification.status == CertificationStatus.SUBMITTED
    assert certification.mandate_letter.read().startswith(b"%PDF-")
    assert not services.certified_voters(w.coalition)[0].delegate

    services.validate_certification(actor=w.bureau, certification=certification)

    certification.refresh_from_db()
    assert certification.status == CertificationStatus.VALIDATED
    assert certification.validated_by == w.bureau
    voters = {v.city: v for v in services.certified_voters(w.coalition)}
    assert voters[w.extra["city"]].delegate == certification
    role = certification.granted_role
    assert (role.kind, role.city, role.starts_on) == ("delegate", w.extra["city"], TODAY())
    assert w.extra["city"].pk in roles_for(w.extra["alice"]).delegate_of
    verbs = [e.verb for e in events_for(certification)]
    assert verbs == ["certification.submitted", "certification.validated"]


def test_only_the_citys_coordinator_may_certify(city_world):
    w = city_world
    with pytest.raises(GovernanceError):
        services.submit_certification(
            actor=w.extra["bob"],
            details=services.CertificationDetails(
                city=w.extra["city"],
                coalition=w.coalition,
                person=w.extra["alice"],
                role="delegate",
                scope="standing",
                valid_from=TODAY(),
                valid_until=None,
                signed_by_name="M",
                signed_by_office="Mayor",
            ),
            letter=pdf_upload(),
        )
    assert not DelegateCertification.objects.exists()


def test_a_certification_for_one_session_needs_its_last_day(city_world):
    w = city_world
    with pytest.raises(GovernanceError) as error:
        submit(w, w.extra["alice"], scope="session")
    assert error.value.field == "valid_until"


def test_a_revoked_delegate_loses_the_vote_and_the_role_at_once(city_world):
    w = city_world
    certification = services.validate_certification(
        actor=w.bureau, certification=submit(w, w.extra["alice"])
    )
    role_pk = certification.granted_role_id
    assert role_pk

    services.revoke_certification(
        actor=w.extra["coordinator"], certification=certification, reason="Left the city."
    )

    assert services.certified_voters(w.coalition, on=timezone.now())[0].delegate is None
    # The role started today: it is withdrawn, not left standing until midnight.
    assert not Role.objects.filter(pk=role_pk).exists()
    alice = type(w.extra["alice"]).objects.get(pk=w.extra["alice"].pk)
    assert w.extra["city"].pk not in roles_for(alice).delegate_of
    assert [e.verb for e in events_for(certification)][-1] == "certification.revoked"


def test_revoking_a_delegate_in_force_since_earlier_ends_the_role_yesterday(city_world):
    w = city_world
    certification = services.validate_certification(
        actor=w.bureau, certification=submit(w, w.extra["alice"])
    )
    earlier = TODAY() - dt.timedelta(days=10)
    DelegateCertification.objects.filter(pk=certification.pk).update(valid_from=earlier)
    Role.objects.filter(pk=certification.granted_role_id).update(starts_on=earlier)
    certification.refresh_from_db()

    services.revoke_certification(actor=w.bureau, certification=certification, reason="Resigned")

    role = Role.objects.get(pk=certification.granted_role_id)
    assert role.ends_on == TODAY() - dt.timedelta(days=1)
    assert not role.is_current


def test_a_new_standing_delegate_replaces_the_one_in_force(city_world):
    w = city_world
    first = services.validate_certification(
        actor=w.bureau, certification=submit(w, w.extra["alice"])
    )
    DelegateCertification.objects.filter(pk=first.pk).update(valid_from=dt.date(2024, 1, 1))
    Role.objects.filter(pk=first.granted_role_id).update(starts_on=dt.date(2024, 1, 1))
    second = submit(w, w.extra["bob"])

    services.validate_certification(actor=w.bureau, certification=second)

    first.refresh_from_db()
    assert first.valid_until == TODAY() - dt.timedelta(days=1)
    assert services.certified_voters(w.coalition)[0].delegate == second
    assert not Role.objects.get(pk=first.granted_role_id).is_current


def test_two_delegates_from_the_same_day_cannot_both_be_validated(city_world):
    w = city_world
    first, second = submit(w, w.extra["alice"]), submit(w, w.extra["bob"])
    services.validate_certification(actor=w.bureau, certification=first)
    with pytest.raises(GovernanceError):
        services.validate_certification(actor=w.bureau, certification=second)
    second.refresh_from_db()
    assert second.status == CertificationStatus.SUBMITTED


def test_a_session_delegate_takes_precedence_during_the_session(city_world):
    w = city_world
    standing = submit(w, w.extra["alice"])
    services.validate_certification(actor=w.bureau, certification=standing)
    session = submit(
        w, w.extra["bob"], scope="session", valid_from=TODAY() + dt.timedelta(days=5),
        until=TODAY() + dt.timedelta(days=6),
    )  # fmt: skip
    services.validate_certification(
        actor=w.bureau,
        certification=session,
        valid_from=TODAY() + dt.timedelta(days=6),
        valid_until=TODAY() + dt.timedelta(days=7),
    )
    session.refresh_from_db()
    assert (session.valid_from, session.valid_until) == (
        TODAY() + dt.timedelta(days=6),
        TODAY() + dt.timedelta(days=7),
    )  # the bureau set the session's dates
    assert services.certified_voters(w.coalition)[0].delegate == standing
    on = TODAY() + dt.timedelta(days=6)
    assert services.certified_voters(w.coalition, on=on)[0].delegate == session
    assert services.certified_voters(w.coalition, on=on + dt.timedelta(days=2))[0].delegate == (
        standing
    )


def test_substitutes_are_capped_by_substitutes_allowed(city_world, settings):
    settings.DELEGATE_SUBSTITUTES_ALLOWED = 1
    w = city_world
    assert services.substitutes_allowed(w.coalition) == 1
    first = submit(w, w.extra["alice"], role="substitute")
    second = submit(w, w.extra["bob"], role="substitute")
    services.validate_certification(actor=w.bureau, certification=first)
    with pytest.raises(GovernanceError, match="most allowed"):
        services.validate_certification(actor=w.bureau, certification=second)
    voters = services.certified_voters(w.coalition)[0]
    assert voters.substitutes == [first]
    # A substitute is not given the delegate role.
    assert first.granted_role is None


def test_rejection_needs_a_reason_and_the_coordinator_is_told_in_their_language(
    city_world, django_capture_on_commit_callbacks
):
    w = city_world
    certification = submit(w, w.extra["alice"])
    with pytest.raises(GovernanceError):
        services.reject_certification(actor=w.bureau, certification=certification, reason=" ")
    w.extra["coordinator"].language = "fr"
    w.extra["coordinator"].save(update_fields=["language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_certification(
            actor=w.bureau, certification=certification, reason="The letter is unsigned."
        )
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REJECTED
    (message,) = mail.outbox
    assert message.to == ["coord@seatville.example"]
    assert message.body.startswith("Bonjour")  # the coordinator chose French
    assert "The letter is unsigned." in message.body


def test_emails_go_to_the_bureau_on_submission_and_to_the_person_on_validation(
    city_world, django_capture_on_commit_callbacks
):
    w = city_world
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certification = submit(w, w.extra["alice"])
    assert [m.to for m in mail.outbox] == [["desk@example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_certification(actor=w.bureau, certification=certification)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"alice@seatville.example", "coord@seatville.example"}
    assert by_address["alice@seatville.example"].body.startswith("Bonjour")  # Alice reads French
    assert by_address["coord@seatville.example"].body.startswith("Hello")
    assert "validated" in by_address["coord@seatville.example"].subject


def test_a_suspended_city_cannot_have_a_delegate_validated(city_world):
    w = city_world
    certification = submit(w, w.extra["alice"])
    membership = w.extra["city"].memberships.get()
    members_services.change_membership_status(
        actor=w.admin, membership=membership, to_status=MembershipStatus.SUSPENDED, reason="Fees"
    )
    with pytest.raises(GovernanceError):
        services.validate_certification(actor=w.bureau, certification=certification)


def test_certified_voters_costs_two_queries_whatever_the_number_of_cities(
    city_world, django_assert_num_queries
):
    w = city_world
    services.validate_certification(actor=w.bureau, certification=submit(w, w.extra["alice"]))
    with django_assert_num_queries(2):
        voters = services.certified_voters(w.coalition)
        names = [(v.city.name, [p.email for p in v.people]) for v in voters]
    assert names[0] == ("Seatville 0", ["alice@seatville.example"])
    assert len(names) == 5


def test_the_bureau_appoints_and_ends_city_roles_of_its_member_cities_only(city_world):
    w = city_world
    role = services.appoint_city_role(
        actor=w.bureau,
        coalition=w.coalition,
        city=w.extra["city"],
        user=w.extra["bob"],
        kind=RoleKind.COORDINATOR,
        starts_on=TODAY(),
    )
    assert role.is_current
    with pytest.raises(GovernanceError):
        services.appoint_city_role(
            actor=w.bureau,
            coalition=w.coalition,
            city=w.extra["city"],
            user=w.extra["bob"],
            kind=RoleKind.BUREAU,
            starts_on=TODAY(),
        )
    outside = members_services.create_city(actor=w.admin, name="Elsewhere", country="FR")
    with pytest.raises(GovernanceError) as error:
        services.appoint_city_role(
            actor=w.bureau,
            coalition=w.coalition,
            city=outside,
            user=w.extra["bob"],
            kind=RoleKind.COORDINATOR,
            starts_on=TODAY(),
        )
    assert error.value.field == "city"
    with pytest.raises(GovernanceError):
        services.end_city_role(actor=w.bureau, role=role, ends_on=TODAY(), reason="")
    services.end_city_role(actor=w.bureau, role=role, ends_on=TODAY(), reason="Moved on.")
    role.refresh_from_db()
    assert role.ends_on == TODAY()
    assert events_for(role).filter(verb="role.ended").get().message == "Moved on."


def test_a_certified_delegates_role_is_ended_by_revoking_not_by_the_role_page(city_world):
    w = city_world
    certification = services.validate_certification(
        actor=w.bureau, certification=submit(w, w.extra["alice"])
    )
    with pytest.raises(GovernanceError, match="revoke"):
        services.end_city_role(
            actor=w.bureau, role=certification.granted_role, ends_on=TODAY(), reason="x"
        )


def test_postgresql_refuses_two_overlapping_validated_delegates_even_without_the_service(
    postgres, city_world
):
    w = city_world
    first, second = submit(w, w.extra["alice"]), submit(w, w.extra["bob"])
    services.validate_certification(actor=w.bureau, certification=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegateCertification.objects.filter(pk=second.pk).update(status="validated")
