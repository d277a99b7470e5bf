"""The governance services: applications, votes, recusal, closing, exclusions, seats, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from coalition.audit import events_for
from coalition.settings import base
from governance import services
from governance.models import (
    AdmissionApplication,
    ApplicationStatus,
    Ballot,
    CloseReason,
    CommitteeVote,
    DecisionRule,
    ExclusionProposal,
    MembershipDecision,
    Outcome,
    ProposalStatus,
    SeatKind,
    VoteStatus,
    private_storage,
)
from governance.rules import MajorityRule
from members import services as members_services
from members.models import City, Coalition, Membership, MembershipStatus, Role, RoleKind
from tests.factories import UserFactory
from tests.governance.conftest import pdf_upload, seat_with_a_successor, second_seat_of

pytestmark = pytest.mark.django_db


def verbs(obj) -> list[str]:
    return [e.verb for e in events_for(obj)]


def all_vote(world, vote, choices):
    for member, choice in zip(world.members, choices, strict=False):
        services.cast_vote(actor=member, vote=vote, choice=choice)


# --- Applications ---------------------------------------------------------------------------


def test_submitting_an_application_stores_it_audits_and_tells_applicant_and_bureau(
    world, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="mayor.office@newtown.example")
    with django_capture_on_commit_callbacks(execute=True):
        application = world.apply(applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.plan == world.plan
    assert application.letter.name.startswith("governance/letters/")
    assert application.letter_filename == "letter.pdf"
    assert application.letter.read().startswith(b"%PDF-")
    # Empty lines are dropped; one action per commitment was given.
    assert [a.description for a in application.proposed_actions.all()] == [
        "Action for 1",
        "Action for 2",
        "Action for 3",
    ]
    assert verbs(application) == ["application.submitted"]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["desk@example.org", "mayor.office@newtown.example"]
    assert all(m.alternatives for m in mail.outbox)  # text and HTML


def test_the_letter_is_stored_in_the_private_storage_outside_the_media_root(
    world, private_storage_in_tmp
):
    application = world.apply()
    assert application.letter.path.startswith(str(private_storage_in_tmp))
    # The configured private storage is the one the field uses, and it is not under MEDIA_ROOT.
    assert private_storage() is storages["private"]
    location = base.STORAGES["private"]["OPTIONS"]["location"]
    assert location == base.PRIVATE_MEDIA_ROOT
    assert not str(location).startswith(str(base.MEDIA_ROOT))


def test_an_application_needs_an_action_under_every_commitment(world):
    actions = {c.pk: ["Something"] for c in world.commitments[:2]}
    with pytest.raises(services.GovernanceError, match="missing: 3"):
        world.apply(actions=actions)
    assert not AdmissionApplication.objects.exists()


def test_a_member_city_cannot_apply_again(world):
    with pytest.raises(services.GovernanceError, match="already a member"):
        world.apply(city=world.cities[0], city_name="")


def test_a_new_city_already_in_the_directory_must_be_chosen_from_the_list(world):
    with pytest.raises(services.GovernanceError, match="already in the directory"):
        world.apply(city_name="seatville 1", country="DE")


def test_two_open_applications_for_one_city_are_refused(world):
    city = City.objects.create(name="Solo", slug="solo", country="IT")
    world.apply(city=city, city_name="", country="")
    with pytest.raises(services.GovernanceError, match="already in progress"):
        world.apply(city=city, city_name="", country="")


def test_the_database_forbids_two_open_applications_for_one_city(world):
    city = City.objects.create(name="Solo", slug="solo", country="IT")
    first = world.apply(city=city, city_name="", country="")
    clone = AdmissionApplication.objects.get(pk=first.pk)
    clone.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_return_and_resubmit_cycle_with_audit_and_emails(world, django_capture_on_commit_callbacks):
    applicant = UserFactory()
    application = world.apply(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_application(
            actor=world.bureau, application=application, message="Please add the mayor's date."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert mail.outbox[-1].to == [applicant.email]
    assert "mayor's date" in mail.outbox[-1].body  # text mail is not HTML-escaped

    with pytest.raises(services.GovernanceError):
        services.resubmit_application(
            actor=UserFactory(), application=application, details=world.details()
        )
    details = world.details(contact_name="Claire Corrected")
    services.resubmit_application(
        actor=applicant, application=application, details=details, letter=pdf_upload("v2.pdf")
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RESUBMITTED
    assert application.contact_name == "Claire Corrected"
    assert application.letter_filename == "v2.pdf"
    assert verbs(application) == [
        "application.submitted",
        "application.returned",
        "application.resubmitted",
    ]
    resubmitted = list(events_for(application))[-1]
    assert resubmitted.from_state == "returned" and resubmitted.to_state == "resubmitted"
    assert {"contact_name", "letter"} <= set(resubmitted.data["changed"])


def test_only_a_waiting_application_can_be_returned_or_put_to_vote(world):
    application = world.apply()
    world.open_vote(application)
    with pytest.raises(services.GovernanceError):
        services.return_application(actor=world.bureau, application=application, message="x")
    with pytest.raises(services.GovernanceError):
        world.open_vote(application)


# --- Votes ------------------------------------------------------------------------------------


def test_opening_a_vote_snapshots_the_coalition_rule(world):
    DecisionRule.objects.create(coalition=world.coalition, majority=MajorityRule.TWO_THIRDS)
    application = world.apply()
    vote = world.open_vote(application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_VOTE
    assert vote.rule["majority"] == "two_thirds"
    # A later change of the rule does not touch the open vote.
    DecisionRule.objects.filter(coalition=world.coalition).update(majority=MajorityRule.SIMPLE)
    vote.refresh_from_db()
    assert vote.rule_snapshot.majority == "two_thirds"
    assert "vote.opened" in verbs(vote)


def test_a_seat_votes_once_and_the_latest_choice_counts(world):
    vote = world.open_vote(world.apply())
    member = world.members[0]
    services.cast_vote(actor=member, vote=vote, choice="yes")
    services.cast_vote(actor=member, vote=vote, choice="no")
    services.cast_vote(actor=member, vote=vote, choice="no")  # no change: not audited again
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.choice == "no"
    assert ballot.times_changed == 1
    events = [e for e in events_for(vote) if e.verb in ("vote.cast", "vote.changed")]
    assert [(e.verb, e.from_state, e.to_state) for e in events] == [
        ("vote.cast", "", "yes"),
        ("vote.changed", "yes", "no"),
    ]


def test_the_database_allows_one_ballot_per_seat_and_vote(world):
    vote = world.open_vote(world.apply())
    seat = world.seats[0]
    Ballot.objects.create(vote=vote, seat=seat, city=seat.city, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, seat=seat, city=seat.city, choice="no")


def test_the_database_allows_one_ballot_per_city_even_through_a_second_seat(world):
    """One city, one vote, whatever seats it holds: the constraint, not only the service."""
    vote = world.open_vote(world.apply())
    seat = world.seats[0]
    second = second_seat_of(seat)
    Ballot.objects.create(vote=vote, seat=seat, city=seat.city, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, seat=second, city=seat.city, choice="no")


def test_a_city_holding_two_seats_by_mistake_still_casts_one_vote(world):
    vote = world.open_vote(world.apply())
    seat = world.seats[0]
    colleague = UserFactory()
    second_seat_of(seat, representative=colleague)
    services.cast_vote(actor=seat.representative, vote=vote, choice="yes")
    services.cast_vote(actor=colleague, vote=vote, choice="no")  # changes the city's vote
    ballot = Ballot.objects.get(vote=vote, city=seat.city)
    assert ballot.choice == "no"
    assert ballot.times_changed == 1


def test_a_seat_cannot_be_stretched_over_another_seat_of_its_city(world):
    seat, later = seat_with_a_successor(world, days_later=30)
    with pytest.raises(services.GovernanceError, match="already holds a seat"):
        services.update_seat(
            actor=world.bureau, seat=seat, ends_on=seat.starts_on + dt.timedelta(days=60)
        )
    with pytest.raises(services.GovernanceError, match="already holds a seat"):
        services.end_seat(actor=world.bureau, seat=seat, ends_on=later.starts_on)
    with pytest.raises(services.GovernanceError, match="already holds a seat"):
        services.update_seat(actor=world.bureau, seat=later, starts_on=seat.starts_on)


@pytest.mark.parametrize("seat", ["observer_seat", "adviser_seat"])
def test_observers_and_advisers_cannot_vote(world, seat):
    vote = world.open_vote(world.apply())
    with pytest.raises(services.GovernanceError, match="voting seat"):
        services.cast_vote(actor=getattr(world, seat).representative, vote=vote, choice="yes")
    assert not Ballot.objects.exists()


def test_people_without_a_seat_and_ended_seats_cannot_vote(world):
    vote = world.open_vote(world.apply())
    with pytest.raises(services.GovernanceError):
        services.cast_vote(actor=world.bureau, vote=vote, choice="yes")
    services.end_seat(
        actor=world.admin, seat=world.seats[1], ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(services.GovernanceError):
        services.cast_vote(actor=world.members[1], vote=vote, choice="yes")


def test_a_seat_of_another_coalition_cannot_vote(world):
    vote = world.open_vote(world.apply())
    other = Coalition.objects.create(name="Other", short_name="OTH", slug="oth", kind="national")
    members_services.create_membership(
        actor=world.admin, city=world.cities[0], coalition=other, signed_on=dt.date(2015, 1, 1)
    )
    elsewhere = UserFactory()
    services.add_seat(
        actor=world.admin,
        coalition=other,
        kind=SeatKind.VOTING,
        city=world.cities[0],
        starts_on=timezone.localdate(),
        representative=elsewhere,
    )
    with pytest.raises(services.GovernanceError, match="voting seat"):
        services.cast_vote(actor=elsewhere, vote=vote, choice="yes")
    assert not Ballot.objects.exists()


def test_the_city_concerned_is_recused_and_the_electorate_shrinks(world):
    subject = world.cities[0]
    membership = Membership.objects.get(city=subject, coalition=world.coalition)
    proposal = services.propose_exclusion(
        actor=world.members[1], membership=membership, grounds="Persistent failure to report."
    )
    vote = services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(days=5)
    )
    assert vote.subject_city == subject
    with pytest.raises(services.GovernanceError, match="recused"):
        services.cast_vote(actor=world.members[0], vote=vote, choice="no")
    eligible, recused = services.electorate_of(vote)
    assert recused == [world.seats[0].pk]
    assert len(eligible) == 4


def test_the_vote_closes_at_once_when_every_voting_seat_has_voted(world):
    application = world.apply()
    vote = world.open_vote(application)
    all_vote(world, vote, ["yes", "yes", "no", "abstain"])
    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN
    services.cast_vote(actor=world.members[4], vote=vote, choice="yes")
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    assert vote.close_reason == CloseReason.ALL_VOTED
    assert vote.outcome == Outcome.ADOPTED
    assert vote.result["yes"] == 3 and vote.result["no"] == 1 and vote.result["abstain"] == 1
    assert vote.result["rule"] == {
        "quorum": "more_than_half",
        "abstentions_count_for_quorum": True,
        "majority": "simple",
    }


def test_admission_creates_the_city_and_its_membership_in_the_same_transaction(
    world, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="applicant@newtown.example")
    application = world.apply(applicant)
    vote = world.open_vote(application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        all_vote(world, vote, ["yes"] * 5)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    city = City.objects.get(name="Newtown", country="FR")
    membership = application.membership
    assert membership.city == city
    assert membership.status == MembershipStatus.MEMBER
    assert membership.signed_on == application.letter_signed_on
    assert membership.plan == world.plan
    assert sorted(a.description for a in membership.chosen_actions.all()) == [
        "Action for 1",
        "Action for 2",
        "Action for 3",
    ]
    history = membership.history.get()
    assert history.decision == vote
    assert verbs(application)[-1] == "application.admitted"
    assert {"vote.closed", "vote.outcome"} <= set(verbs(vote))
    # The applicant, the contact person and every committee member and bureau member hear of it.
    recipients = {m.to[0] for m in mail.outbox}
    assert {"applicant@newtown.example", "claire@newtown.example", "desk@example.org"} <= (
        recipients
    )
    assert {m.email for m in world.members} <= recipients


@pytest.mark.parametrize(
    ("account", "appointed"),
    [("verified", True), ("unverified", False), ("none", False), ("already", True)],
)
def test_the_focal_point_becomes_the_admitted_citys_coordinator(
    world, django_capture_on_commit_callbacks, account, appointed
):
    focal = None
    if account != "none":
        focal = UserFactory(email="Fabien@Newtown.example", verified=account != "unverified")
    application = world.apply()
    vote = world.open_vote(application)
    if account == "already":
        city = members_services.create_city(actor=world.bureau, name="Newtown", country="FR")
        members_services.grant_role(
            actor=world.bureau, user=focal, kind=RoleKind.COORDINATOR, city=city
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        all_vote(world, vote, ["yes"] * 5)

    city = City.objects.get(name="Newtown")
    roles = Role.objects.filter(kind=RoleKind.COORDINATOR, city=city)
    assert [r.user for r in roles] == ([focal] if appointed else [])
    to_applicant = next(m for m in mail.outbox if m.to == [application.applicant.email])
    if appointed:
        assert "Fabien Focal (fabien@newtown.example) is now the city's coordinator" in (
            to_applicant.body
        )
    else:
        assert "Fabien Focal has no verified account on the portal" in to_applicant.body
    committee_mail = next(m for m in mail.outbox if m.to == [world.members[0].email])
    assert "coordinator" not in committee_mail.body


def test_rejection_keeps_the_application_with_its_reason(world):
    application = world.apply()
    vote = world.open_vote(application)
    all_vote(world, vote, ["no", "no", "no", "yes", "abstain"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert "did not admit" in application.decision_reason
    assert "1 yes, 3 no, 1 abstentions" in application.decision_reason
    assert not City.objects.filter(name="Newtown").exists()
    assert application.membership is None


def test_a_closed_vote_cannot_change(world):
    vote = world.open_vote(world.apply())
    all_vote(world, vote, ["yes"] * 5)
    with pytest.raises(services.VoteClosedError):
        services.cast_vote(actor=world.members[0], vote=vote, choice="no")
    with pytest.raises(services.VoteClosedError):
        services.add_comment(actor=world.members[0], vote=vote, body="Too late")
    vote.refresh_from_db()
    before = (vote.outcome, vote.result, vote.closed_at)
    again = services.close_vote(vote=vote)  # idempotent
    assert (again.outcome, again.result, again.closed_at) == before


def test_no_quorum_sends_the_application_back_to_the_bureau(world):
    application = world.apply()
    vote = world.open_vote(application, days=1)
    services.cast_vote(actor=world.members[0], vote=vote, choice="yes")
    services.cast_vote(actor=world.members[1], vote=vote, choice="yes")
    services.close_vote(vote=vote, now=timezone.now() + dt.timedelta(days=2))
    vote.refresh_from_db()
    application.refresh_from_db()
    assert vote.outcome == Outcome.NO_QUORUM
    assert vote.close_reason == CloseReason.DEADLINE
    assert application.status == ApplicationStatus.SUBMITTED
    # The bureau can put it to a new vote.
    second = world.open_vote(application)
    assert second.pk != vote.pk


def test_a_vote_cannot_be_closed_before_its_date(world):
    vote = world.open_vote(world.apply())
    with pytest.raises(services.GovernanceError, match="still open"):
        services.close_vote(vote=vote)


def test_a_vote_closed_by_date_can_no_longer_take_ballots(world):
    vote = world.open_vote(world.apply())
    CommitteeVote.objects.filter(pk=vote.pk).update(closes_at=timezone.now())
    with pytest.raises(services.VoteClosedError):
        services.cast_vote(actor=world.members[0], vote=vote, choice="yes")


def test_withdrawing_an_application_under_vote_cancels_the_vote(world):
    applicant = UserFactory()
    application = world.apply(applicant)
    vote = world.open_vote(application)
    services.withdraw_application(actor=applicant, application=application, reason="Elections")
    application.refresh_from_db()
    vote.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert vote.status == VoteStatus.CANCELLED
    assert "vote.cancelled" in verbs(vote)


def test_comments_are_open_to_observers_and_advisers(world):
    vote = world.open_vote(world.apply())
    comment = services.add_comment(
        actor=world.observer_seat.representative, vote=vote, body="UNESCO supports this city."
    )
    assert comment.seat == world.observer_seat


def test_a_vote_needs_voting_seats(world):
    for seat in world.seats:
        services.end_seat(
            actor=world.admin, seat=seat, ends_on=timezone.localdate() - dt.timedelta(days=1)
        )
    with pytest.raises(services.GovernanceError, match="no current voting seat"):
        world.open_vote(world.apply())


# --- Exclusion, suspension, withdrawal ----------------------------------------------------


def _adopted_exclusion(world):
    membership = Membership.objects.get(city=world.cities[0], coalition=world.coalition)
    proposal = services.propose_exclusion(
        actor=world.members[1], membership=membership, grounds="Racist statements by the mayor."
    )
    vote = services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(days=5)
    )
    for member in world.members[1:]:
        services.cast_vote(actor=member, vote=vote, choice="yes")
    proposal.refresh_from_db()
    return membership, proposal, vote


def test_exclusion_path_from_proposal_to_the_general_conference(world):
    membership, proposal, vote = _adopted_exclusion(world)
    vote.refresh_from_db()
    # All four non-recused seats voted: the vote closed at once and was adopted.
    assert vote.status == VoteStatus.CLOSED and vote.outcome == Outcome.ADOPTED
    assert vote.result["electorate"] == 4
    assert vote.result["recused_seats"] == [world.seats[0].pk]
    assert proposal.status == ProposalStatus.AWAITING_ASSEMBLY
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER  # only the conference excludes

    decision = services.record_assembly_decision(
        actor=world.bureau,
        proposal=proposal,
        exclude=True,
        body="general_conference",
        decided_on=timezone.localdate(),
        reason="Excluded by the General Conference.",
        reference="GC 2026, resolution 4",
    )
    membership.refresh_from_db()
    proposal.refresh_from_db()
    assert membership.status == MembershipStatus.EXCLUDED
    assert membership.ended_on == timezone.localdate()
    assert proposal.status == ProposalStatus.EXCLUDED
    change = membership.history.order_by("changed_at", "id").last()
    assert change.to_status == MembershipStatus.EXCLUDED
    assert change.decision == decision
    assert decision.exclusion_proposal == proposal
    assert verbs(proposal) == [
        "exclusion.proposed",
        "exclusion.vote_opened",
        "exclusion.vote_closed",
        "exclusion.decided",
    ]


def test_the_conference_may_decline_an_exclusion(world):
    membership, proposal, _vote = _adopted_exclusion(world)
    services.record_assembly_decision(
        actor=world.bureau,
        proposal=proposal,
        exclude=False,
        body="general_assembly",
        decided_on=timezone.localdate(),
        reason="The city apologised and acted.",
    )
    membership.refresh_from_db()
    proposal.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER
    assert proposal.status == ProposalStatus.DECLINED
    assert MembershipDecision.objects.get().kind == "exclusion_declined"


def test_a_rejected_exclusion_goes_no_further(world):
    membership = Membership.objects.get(city=world.cities[0], coalition=world.coalition)
    proposal = services.propose_exclusion(
        actor=world.members[1], membership=membership, grounds="Late reports."
    )
    vote = services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(days=5)
    )
    for member in world.members[1:]:
        services.cast_vote(actor=member, vote=vote, choice="no")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.NOT_ADOPTED
    with pytest.raises(services.GovernanceError):
        services.record_assembly_decision(
            actor=world.bureau,
            proposal=proposal,
            exclude=True,
            body="general_conference",
            decided_on=timezone.localdate(),
            reason="x",
        )


def test_only_voting_members_propose_exclusions_and_only_one_at_a_time(world):
    membership = Membership.objects.get(city=world.cities[2], coalition=world.coalition)
    with pytest.raises(services.GovernanceError, match="voting member"):
        services.propose_exclusion(
            actor=world.observer_seat.representative, membership=membership, grounds="x"
        )
    services.propose_exclusion(actor=world.members[0], membership=membership, grounds="x")
    with pytest.raises(services.GovernanceError, match="already in progress"):
        services.propose_exclusion(actor=world.members[1], membership=membership, grounds="y")
    assert ExclusionProposal.objects.count() == 1


def test_suspension_reinstatement_and_withdrawal_are_recorded_with_reasons(world):
    membership = Membership.objects.get(city=world.cities[3], coalition=world.coalition)
    today = timezone.localdate()
    with pytest.raises(services.GovernanceError, match="reason"):
        services.record_suspension(
            actor=world.bureau, membership=membership, decided_on=today, reason=" "
        )
    services.record_suspension(
        actor=world.bureau, membership=membership, decided_on=today, reason="No report for 3 years"
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.SUSPENDED
    services.record_reinstatement(
        actor=world.bureau, membership=membership, decided_on=today, reason="Reports filed"
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER
    decision = services.record_withdrawal(
        actor=world.bureau, membership=membership, decided_on=today, reason="Council decision"
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.WITHDRAWN
    assert [c.to_status for c in membership.history.order_by("changed_at", "id")] == [
        "member",
        "suspended",
        "member",
        "withdrawn",
    ]
    assert membership.history.order_by("changed_at", "id").last().decision == decision
    with pytest.raises(services.GovernanceError):
        services.record_suspension(
            actor=world.bureau, membership=membership, decided_on=today, reason="again"
        )


# --- Seats ---------------------------------------------------------------------------------


def test_seats_are_added_for_member_cities_and_ended_not_deleted(world):
    outsider_city = City.objects.create(name="Faraway", slug="faraway", country="PT")
    with pytest.raises(services.GovernanceError, match="not a member"):
        services.add_seat(
            actor=world.bureau,
            coalition=world.coalition,
            kind=SeatKind.VOTING,
            city=outsider_city,
            starts_on=timezone.localdate(),
        )
    with pytest.raises(services.GovernanceError, match="already holds a seat"):
        services.add_seat(
            actor=world.bureau,
            coalition=world.coalition,
            kind=SeatKind.VOTING,
            city=world.cities[0],
            starts_on=timezone.localdate(),
        )
    with pytest.raises(services.GovernanceError, match="voting seat is held by a member city"):
        services.add_seat(
            actor=world.bureau,
            coalition=world.coalition,
            kind=SeatKind.VOTING,
            institution="Council of Europe",
            starts_on=timezone.localdate(),
        )
    seat = world.seats[0]
    services.end_seat(actor=world.bureau, seat=seat, ends_on=timezone.localdate())
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()
    assert verbs(seat) == ["seat.added", "seat.ended"]
