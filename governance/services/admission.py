"""An application put to the steering committee's vote, and what its outcome does."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.pagecache import public_pages_changed
from coalition.services import model_update
from governance import engine, rules
from governance.models import (
    WAITING_FOR_BUREAU,
    AdmissionApplication,
    ApplicationStatus,
    CommitteeVote,
    VoteKind,
)
from governance.notifications import notify
from governance.rules import Outcome
from governance.services.application_checks import require_complete
from governance.services.applications import lock_application, set_application_status
from governance.services.common import (
    GovernanceError,
    application_context,
    bureau_emails,
    committee_emails,
    tally_sentence,
    vote_context,
)
from governance.services.votes import CommitteeSubject
from members import services as members_services
from members.models import (
    CURRENT_STATUSES,
    City,
    Commitment,
    Membership,
    MembershipStatus,
    Role,
    RoleKind,
)


@transaction.atomic
def open_admission_vote(
    *, actor, application: AdmissionApplication, closes_at: dt.datetime
) -> CommitteeVote:
    """The bureau puts an application to the steering committee's vote."""
    application = lock_application(application)
    if application.status not in WAITING_FOR_BUREAU:
        raise GovernanceError(_("Only an application waiting for the bureau can be put to a vote."))
    require_complete(application)  # the bureau's application check comes first

    def question() -> str:
        return _("Admit %(city)s (%(country)s) as a member of %(coalition)s?") % {
            "city": application.city_display,
            "country": application.country_display,
            "coalition": application.coalition.short_name,
        }

    vote = engine.open_vote(
        actor=actor,
        coalition=application.coalition,
        kind=VoteKind.ADMISSION,
        closes_at=closes_at,
        question=question,
        subject_city=application.city,
        application=application,
    )
    from_status = set_application_status(application, ApplicationStatus.UNDER_VOTE, actor=actor)
    audit.record(
        actor=actor,
        target=application,
        verb="application.vote_opened",
        from_state=from_status,
        to_state=application.status,
        data={"vote": vote.pk, "closes_at": vote.closes_at.isoformat()},
    )
    notify(
        "application-under-vote",
        to=[application.applicant.email],
        context={**application_context(application), "vote": vote},
    )
    return vote


class AdmissionSubject(CommitteeSubject):
    """An application to join, decided by the steering committee (the city, if known, recused)."""

    def on_outcome(self, *, vote: CommitteeVote, outcome: str, tally, rule, actor) -> None:
        _conclude_admission(vote=vote, actor=actor, tally=tally, rule=rule)


def _conclude_admission(*, vote: CommitteeVote, actor, tally: rules.Tally, rule: rules.Rule):
    assert vote.application is not None  # an admission vote has its application
    application = lock_application(vote.application)
    from_status = application.status
    now = vote.closed_at
    coordinator = None
    if vote.outcome == Outcome.ADOPTED:
        membership = _admit(application=application, vote=vote, actor=actor)
        coordinator = _appoint_focal_point(
            application=application, city=membership.city, actor=actor, on=now
        )
        fields = {
            "membership": membership,
            "city": membership.city,
            "decided_at": now,
            "decision_reason": _("Admitted by the steering committee's vote: %(tally)s.")
            % {"tally": tally_sentence(tally)},
            "status": ApplicationStatus.ADMITTED,
        }
        verb = "application.admitted"
    elif vote.outcome == Outcome.REJECTED:
        fields = {
            "decided_at": now,
            "decision_reason": _(
                "The steering committee did not admit the city (%(majority)s): %(tally)s."
            )
            % {"majority": rule.majority_label, "tally": tally_sentence(tally)},
            "status": ApplicationStatus.REJECTED,
        }
        verb = "application.rejected"
    else:
        # No decision: the bureau may put the application to a new vote.
        fields = {"decision_reason": "", "status": ApplicationStatus.SUBMITTED}
        verb = "application.no_quorum"
    model_update(application, fields=fields, actor=actor)
    public_pages_changed()  # an admitted city joins the directory and the coalition's page
    audit.record(
        actor=actor,
        target=application,
        verb=verb,
        from_state=from_status,
        to_state=application.status,
        message=application.decision_reason,
        data={"vote": vote.pk},
    )
    context = {
        **application_context(application),
        **vote_context(vote),
        "tally": tally,
        "coordinator": coordinator,
    }
    if vote.outcome == Outcome.NO_QUORUM:
        notify("application-no-quorum", to=[application.applicant.email], context=context)
        notify(
            "application-no-quorum",
            to=bureau_emails(application.coalition) + committee_emails(application.coalition),
            context=context,
        )
    else:
        notify(
            "application-decided",
            to=[application.applicant.email, application.contact_email],
            context=context,
        )
        notify(
            "application-decided",
            to=committee_emails(application.coalition) + bureau_emails(application.coalition),
            context={**context, "for_committee": True},
        )


def _appoint_focal_point(*, application: AdmissionApplication, city: City, actor, on):
    """The focal point named in the application becomes the city's coordinator, if they can.

    Only an account whose address is verified (allauth) is appointed: a stranger
    who registered that address without owning it gets nothing. Without such an
    account the decision email says so, and the bureau appoints them later.
    """
    address = (
        EmailAddress.objects.filter(
            email__iexact=application.focal_point_email, verified=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if address is None:
        return None
    today = timezone.localdate(on)
    already = Role.objects.current(today).filter(
        user=address.user, kind=RoleKind.COORDINATOR, city=city
    )
    if already.exists():
        return address.user
    members_services.grant_role(
        actor=actor, user=address.user, kind=RoleKind.COORDINATOR, city=city, starts_on=today
    )
    return address.user


def _admit(*, application: AdmissionApplication, vote: CommitteeVote, actor) -> Membership:
    """Create the city if it is new, and its membership with the actions it chose."""
    city = application.city
    if city is None:
        city = City.objects.filter(
            name__iexact=application.city_name, country=application.country
        ).first()
    if city is None:
        city = members_services.create_city(
            actor=actor,
            name=application.city_name,
            country=str(application.country),
            local_name=application.city_local_name,
            region=application.region,
            latitude=application.latitude,
            longitude=application.longitude,
        )
    existing = Membership.objects.filter(
        city=city, coalition=application.coalition, status__in=CURRENT_STATUSES
    ).first()
    if existing is not None:
        if existing.status == MembershipStatus.APPLICANT:
            return members_services.change_membership_status(
                actor=actor,
                membership=existing,
                to_status=MembershipStatus.MEMBER,
                reason=_("Admitted by the steering committee's vote."),
                effective_on=timezone.localdate(vote.closed_at),
                decision=vote,
                notify=False,  # the applicant is told by the application's own email
            )
        return existing  # recorded meanwhile by other means; nothing to create
    chosen: dict[Commitment, list[str]] = {}
    for action in application.proposed_actions.select_related("commitment"):
        chosen.setdefault(action.commitment, []).append(action.description)
    return members_services.create_membership(
        actor=actor,
        city=city,
        coalition=application.coalition,
        status=MembershipStatus.MEMBER,
        signed_on=application.letter_signed_on,
        chosen_actions=chosen,
        reason=_("Admitted by the steering committee's vote."),
        decision=vote,
    )


engine.register(VoteKind.ADMISSION, AdmissionSubject())
