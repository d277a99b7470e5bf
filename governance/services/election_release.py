"""After the tally: the four-eyes release of the result, the challenge period, the challenges.

- `release_result`: the returning officer (bureau staff of the coalition) releases the
  counted result (TALLIED → RELEASED). Still not public.
- `confirm_release`: a teller who is not the releasing officer confirms (RELEASED →
  COUNTED): the result, the ballot list and the published file become public, and the
  challenge period is set from the timetable (`challenge_period_end`).
- `file_challenge`: in that period a member city (its coordinator or certified delegate)
  challenges the election, with grounds and an optional PDF.
- `decide_challenge`: the bureau records the steering committee's decision on it: rejected,
  or upheld (the election is void: no seats are ever created). Certification
  (`services.elections.certify_election`) refuses while a challenge is undecided.

Every step is audited with people, dates and counts only: nothing names a choice, and the
result itself is never copied into the audit log. ADR 0013, "Release and challenges".
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance import access
from governance.errors import GovernanceError
from governance.models import (
    CertificationRole,
    ChallengeStatus,
    DelegateCertification,
    Election,
    ElectionChallenge,
    ElectionRelease,
    ElectionStatus,
)
from governance.notifications import notify
from governance.services.common import bureau_emails
from governance.services.delegates import is_coordinator_of
from members.models import City, Membership, MembershipStatus, Role, RoleKind

#: Before its release the result is seen by the returning officer and the tellers only.
UNRELEASED_STATUSES = (ElectionStatus.TALLIED, ElectionStatus.RELEASED)


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("coalition").get(pk=election.pk)


def _move(election: Election, *, actor, allowed, to: str, verb: str, values=None, **data) -> None:
    """Move the election to `to` (writing `values` with it), audited with `data`."""
    if election.status not in allowed:
        raise GovernanceError(_("The election is not at that step."))
    previous = election.status
    model_update(election, fields={"status": to, **(values or {})}, actor=actor)
    audit.record(
        actor=actor, target=election, verb=verb, from_state=previous, to_state=to, data=data
    )


def is_returning_officer(user, election: Election) -> bool:
    """The bureau staff of the election's coalition (administrators are bureau everywhere)."""
    return access.is_bureau(user, election.coalition_id)


def may_confirm_release(user, election: Election) -> bool:
    """A teller confirms; an election without tellers (elected without a ballot, so no box
    was ever opened) is confirmed by a second person of the bureau: the four eyes remain."""
    if election.tellers.exists():
        return access.is_teller(user, election)
    return is_returning_officer(user, election)


def may_see_unreleased_result(user, election: Election) -> bool:
    return is_returning_officer(user, election) or access.is_teller(user, election)


def challenge_period_end(election: Election, published_on: dt.date) -> dt.date:
    """The challenge period keeps its planned length, counted from the publication.

    Planned: from the day voting closed to `challenge_ends_on`. A late release therefore
    never shortens the cities' time to challenge; the period never passes the day before
    the new terms start, and never ends earlier than the timetable said.
    """
    closed_on = timezone.localdate(election.voting_closes_at)
    planned = max((election.challenge_ends_on - closed_on).days, 0)
    latest = election.term_starts_on - dt.timedelta(days=1)
    return min(max(election.challenge_ends_on, published_on + dt.timedelta(days=planned)), latest)


def _teller_emails(election: Election, *, except_user) -> list[str]:
    return list(election.tellers.exclude(pk=except_user.pk).values_list("email", flat=True))


@transaction.atomic
def release_result(*, actor, election: Election) -> ElectionRelease:
    """The returning officer releases the counted result; a teller must still confirm it."""
    election = _lock(election)
    if not is_returning_officer(actor, election):
        raise GovernanceError(_("Only the returning officer (the bureau) releases the result."))
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.TALLIED,),
        to=ElectionStatus.RELEASED,
        verb="election.result_released",
        ballots_hash=election.ballots_hash,
    )
    release = ElectionRelease.objects.create(election=election, released_by=actor)
    notify(
        "election-release-pending",
        # Without tellers (elected without a ballot) the rest of the bureau confirms.
        to=_teller_emails(election, except_user=actor)
        or [e for e in bureau_emails(election.coalition) if e != actor.email],
        context={
            "election": election,
            "review_url": absolute_url(
                reverse("governance:election_result_review", args=[election.pk])
            ),
        },
    )
    return release


@transaction.atomic
def confirm_release(*, actor, election: Election) -> Election:
    """A teller, not the releasing officer, confirms: the result is published, the period runs."""
    election = _lock(election)
    if not may_confirm_release(actor, election):
        raise GovernanceError(_("Only a teller confirms the release."))
    release = ElectionRelease.objects.select_for_update().filter(election=election).first()
    if release is None or election.status != ElectionStatus.RELEASED:
        raise GovernanceError(_("The election is not at that step."))
    if release.released_by_id == actor.pk:
        raise GovernanceError(
            _("Another teller confirms: the person who released the result may not.")
        )
    now = timezone.now()
    model_update(release, fields={"confirmed_by": actor, "confirmed_at": now}, actor=actor)
    planned = election.challenge_ends_on
    challenge_ends_on = challenge_period_end(election, timezone.localdate(now))
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.RELEASED,),
        to=ElectionStatus.COUNTED,
        verb="election.result_published",
        values={"challenge_ends_on": challenge_ends_on},
        released_by=release.released_by_id,
        ballots_hash=election.ballots_hash,
        elected=election.result.get("elected", []),
        challenge_ends_on=challenge_ends_on.isoformat(),
        planned_challenge_ends_on=planned.isoformat(),
    )
    return election


# --- Challenges ---------------------------------------------------------------------------


#: A member city (a suspended one is still a member: it may contest an election run without it);
#: an applicant is not.
CHALLENGING_MEMBERSHIPS = (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED)


def is_member_city(election: Election, city: City) -> bool:
    return Membership.objects.filter(
        coalition_id=election.coalition_id, city=city, status__in=CHALLENGING_MEMBERSHIPS
    ).exists()


def may_challenge_for(user, election: Election, city: City) -> bool:
    """The city's coordinator, or its delegate certified to the coalition today."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_coordinator_of(user, city):
        return True
    return (
        DelegateCertification.objects.in_force()
        .filter(
            coalition_id=election.coalition_id,
            city=city,
            person=user,
            role=CertificationRole.DELEGATE,
        )
        .exists()
    )


def challenge_is_open(election: Election, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return election.status == ElectionStatus.COUNTED and today <= election.challenge_ends_on


def challenge_refusal(user, election: Election, city: City) -> str:
    """Why this person may not challenge for this city now ('' when they may)."""
    if not challenge_is_open(election):
        return _("Challenges are filed during the challenge period, after the result is published.")
    if not is_member_city(election, city):
        return _("Only a member city of the coalition may challenge the election.")
    if not may_challenge_for(user, election, city):
        return _("Only the city's coordinator or its certified delegate may challenge for it.")
    return ""


def cities_challenging_as(user, election: Election) -> list[City]:
    """The member cities for which this person may file a challenge now."""
    if not getattr(user, "is_authenticated", False) or not challenge_is_open(election):
        return []
    coordinated = set(
        Role.objects.current()
        .filter(kind=RoleKind.COORDINATOR, user=user, city__isnull=False)
        .values_list("city_id", flat=True)
    )
    delegated = set(
        DelegateCertification.objects.in_force()
        .filter(coalition_id=election.coalition_id, person=user, role=CertificationRole.DELEGATE)
        .values_list("city_id", flat=True)
    )
    return list(
        City.objects.filter(
            pk__in=coordinated | delegated,
            memberships__coalition_id=election.coalition_id,
            memberships__status__in=CHALLENGING_MEMBERSHIPS,
        )
        .distinct()
        .order_by("name")
    )


def _store_evidence(challenge: ElectionChallenge, evidence: UploadedFile) -> None:
    base = (evidence.name or "evidence.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')[:200]
    challenge.evidence_filename = name or "evidence.pdf"
    evidence.seek(0)
    challenge.evidence.save(challenge.evidence_filename, evidence, save=False)


def _coordinator_emails(city: City) -> list[str]:
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.COORDINATOR, city=city)
        .values_list("user__email", flat=True)
    )


@transaction.atomic
def file_challenge(
    *, actor, election: Election, city: City, grounds: str, evidence: UploadedFile | None = None
) -> ElectionChallenge:
    """A member city challenges the published result. The PDF is checked by the form
    (governance.letters.validate_letter) and stored privately."""
    election = _lock(election)
    refusal = challenge_refusal(actor, election, city)
    if refusal:
        raise GovernanceError(refusal)
    grounds = (grounds or "").strip()
    if not grounds:
        raise GovernanceError(
            _("Say on what grounds the city challenges the election."), field="grounds"
        )
    challenge = ElectionChallenge(election=election, city=city, filed_by=actor, grounds=grounds)
    if evidence is not None:
        _store_evidence(challenge, evidence)
    challenge.save()
    audit.record(
        actor=actor,
        target=election,
        verb="election.challenge_filed",
        data={"challenge": challenge.pk, "city": city.pk, "evidence": bool(evidence)},
    )
    notify(
        "election-challenge-filed",
        to=[*bureau_emails(election.coalition), actor.email],
        context={
            "election": election,
            "challenge": challenge,
            "election_url": absolute_url(election.get_absolute_url()),
        },
    )
    return challenge


@transaction.atomic
def decide_challenge(
    *,
    actor,
    challenge: ElectionChallenge,
    upheld: bool,
    committee_decided_on: dt.date,
    reason: str,
) -> ElectionChallenge:
    """The bureau records the steering committee's decision; upheld makes the election void."""
    election = _lock(challenge.election)
    challenge = ElectionChallenge.objects.select_for_update().get(pk=challenge.pk)
    if not is_returning_officer(actor, election):
        raise GovernanceError(_("Only the bureau records the committee's decision."))
    if challenge.status != ChallengeStatus.PENDING:
        raise GovernanceError(_("This challenge is already decided."))
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError(_("Give the reasons of the committee's decision."), field="reason")
    if committee_decided_on > timezone.localdate():
        raise GovernanceError(
            _("The committee's decision cannot be in the future."), field="committee_decided_on"
        )
    if committee_decided_on < challenge.filed_at.date():
        raise GovernanceError(
            _("The committee decides after the challenge is filed."), field="committee_decided_on"
        )
    if upheld and election.status != ElectionStatus.COUNTED:
        raise GovernanceError(_("Only a published, uncertified election can be declared void."))
    model_update(
        challenge,
        fields={
            "status": ChallengeStatus.UPHELD if upheld else ChallengeStatus.REJECTED,
            "committee_decided_on": committee_decided_on,
            "decision_reason": reason,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=election,
        verb="election.challenge_decided",
        to_state=challenge.status,
        data={
            "challenge": challenge.pk,
            "city": challenge.city_id,
            "committee_decided_on": committee_decided_on.isoformat(),
        },
    )
    concerned = [challenge.filed_by.email, *_coordinator_emails(challenge.city)]
    if upheld:
        _move(
            election,
            actor=actor,
            allowed=(ElectionStatus.COUNTED,),
            to=ElectionStatus.VOID,
            verb="election.declared_void",
            challenge=challenge.pk,
        )
        concerned += [
            *election.candidacies.values_list("person__email", flat=True),
            *bureau_emails(election.coalition),
        ]
    notify(
        "election-challenge-decided",
        to=concerned,
        context={
            "election": election,
            "challenge": challenge,
            "upheld": upheld,
            "election_url": absolute_url(election.get_absolute_url()),
        },
    )
    return challenge


def pending_challenges(election: Election) -> int:
    return election.challenges.filter(status=ChallengeStatus.PENDING).count()
