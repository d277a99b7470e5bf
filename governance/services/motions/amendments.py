"""Amendments: submitted against the current version, recommended by the committee or the bureau,
accepted or declined by the city, withdrawn."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import motion_text as mt
from governance.models import (
    Amendment,
    AmendmentOperation,
    AmendmentStatus,
    Motion,
    Recommendation,
    RecommendationResponse,
    SessionStatus,
    Submitter,
)
from governance.services.common import GovernanceError, acting_user
from members.models import City

from .eligibility import check_deadline, is_bureau_of, is_committee_of, speaks_for_city
from .shared import _lock_amendment, _lock_motion, current_version


def change_of(amendment: Amendment) -> mt.Change:
    return mt.Change(
        amendment.operation,
        amendment.first_line,
        amendment.last_line,
        tuple(amendment.text_put_to_vote),
        key=amendment.pk,
    )


def _voting_began(motion: Motion) -> bool:
    return motion.amendments.filter(
        status__in=[AmendmentStatus.ADOPTED, AmendmentStatus.REJECTED]
    ).exists()


@transaction.atomic
def submit_amendment(
    *,
    actor,
    motion: Motion,
    city: City,
    operation: str,
    first_line: int,
    last_line: int | None,
    new_text: list[str],
    justification: str,
) -> Amendment:
    """A member city's amendment to lines of the motion's current version, before the deadline."""
    motion = _lock_motion(motion)
    session = motion.session
    if not speaks_for_city(actor, city, session.coalition_id):
        raise GovernanceError(
            _("Only a coordinator or delegate of a member city may amend for it."), field="city"
        )
    if not motion.is_open:
        raise GovernanceError(_("This motion was decided."))
    if session.status not in (SessionStatus.CONVENED, SessionStatus.IN_SESSION):
        raise GovernanceError(_("Amendments are made to a convened session's motions."))
    check_deadline(session, "amendment")
    if _voting_began(motion):
        raise GovernanceError(_("Voting on the amendments has begun: no more can be made."))
    if not justification.strip():
        raise GovernanceError(_("Say why the text should change."), field="justification")
    version = current_version(motion)
    if operation == AmendmentOperation.INSERT_AFTER or last_line is None:
        last_line = first_line
    new_text = [t for t in (" ".join(x.split()) for x in new_text) if t]
    if operation == AmendmentOperation.DELETE:
        new_text = []
    change = mt.Change(operation, first_line, last_line, tuple(new_text))
    try:
        mt.check_change(change, len(version.lines))
    except ValueError:
        if operation in (AmendmentOperation.REPLACE, AmendmentOperation.INSERT_AFTER) and (
            not new_text
        ):
            raise GovernanceError(_("Write the new text."), field="new_text") from None
        raise GovernanceError(
            _("Choose lines of the text: it has %(n)s.") % {"n": len(version.lines)},
            field="first_line",
        ) from None
    amendment = Amendment.objects.create(
        motion=motion,
        version=version,
        city=city,
        submitted_by=acting_user(actor),
        operation=operation,
        first_line=first_line,
        last_line=last_line,
        new_text=new_text,
        justification=justification.strip(),
    )
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.submitted",
        to_state=amendment.status,
        data={
            "motion": motion.pk,
            "version": version.number,
            "city": city.pk,
            "operation": operation,
            "lines": [first_line, last_line],
        },
    )
    return amendment


@transaction.atomic
def recommend_amendment(
    *, actor, amendment: Amendment, recommendation: str, text: list[str] | None = None, note=""
) -> Amendment:
    """The committee (a member on its behalf) or the bureau recommends; the submitter answers."""
    amendment = _lock_amendment(amendment)
    coalition_id = amendment.motion.session.coalition_id
    if is_committee_of(actor, coalition_id):
        body = Submitter.COMMITTEE
    elif is_bureau_of(actor, coalition_id):
        body = Submitter.BUREAU
    else:
        raise GovernanceError(_("Only the steering committee or the bureau may recommend."))
    if not amendment.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    if recommendation not in Recommendation.values:
        raise GovernanceError(_("Choose a recommendation."), field="recommendation")
    lines = [t for t in (" ".join(x.split()) for x in (text or [])) if t]
    if recommendation == Recommendation.ADOPT_MODIFIED:
        if amendment.operation == AmendmentOperation.DELETE:
            raise GovernanceError(
                _("A deletion cannot be modified: recommend to adopt or to reject it."),
                field="recommendation",
            )
        if not lines:
            raise GovernanceError(_("Write the modified text."), field="text")
    else:
        lines = []
    model_update(
        amendment,
        fields={
            "recommendation": recommendation,
            "recommended_text": lines,
            "recommendation_note": note.strip(),
            "recommended_by": acting_user(actor),
            "recommended_as": body,
            "recommended_at": timezone.now(),
            "response": RecommendationResponse.PENDING,
            "responded_at": None,
            "responded_by": None,
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.recommended",
        to_state=recommendation,
        message=amendment.recommendation_note,
        data={"as": body, "text": lines},
    )
    return amendment


@transaction.atomic
def respond_to_recommendation(*, actor, amendment: Amendment, accept: bool) -> Amendment:
    """The submitting city accepts (an adopt-as-modified then puts the modified text to the
    vote) or declines (its own text is voted, with the recommendation announced)."""
    amendment = _lock_amendment(amendment)
    if not speaks_for_city(actor, amendment.city, amendment.motion.session.coalition_id):
        raise GovernanceError(_("Only the submitting city may answer."))
    if not amendment.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    if amendment.response != RecommendationResponse.PENDING:
        raise GovernanceError(_("There is no recommendation awaiting an answer."))
    model_update(
        amendment,
        fields={
            "response": (
                RecommendationResponse.ACCEPTED if accept else RecommendationResponse.DECLINED
            ),
            "responded_at": timezone.now(),
            "responded_by": acting_user(actor),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.recommendation_answered",
        from_state=RecommendationResponse.PENDING,
        to_state=amendment.response,
        data={"recommendation": amendment.recommendation},
    )
    return amendment


@transaction.atomic
def withdraw_amendment(*, actor, amendment: Amendment) -> Amendment:
    """The submitting city withdraws its amendment before it is put to the vote."""
    amendment = _lock_amendment(amendment)
    if not speaks_for_city(actor, amendment.city, amendment.motion.session.coalition_id):
        raise GovernanceError(_("Only the submitting city may withdraw it."))
    if not amendment.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    model_update(
        amendment,
        fields={"status": AmendmentStatus.WITHDRAWN, "decided_at": timezone.now()},
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.withdrawn",
        from_state=AmendmentStatus.SUBMITTED,
        to_state=amendment.status,
    )
    return amendment
