"""Approval by circulation: the window, the attending cities' objections, reopening the draft,
and the window that ends with no objection (`settle_circulation`, from Celery beat)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import ApprovalRoute, Minutes, MinutesObjection, MinutesStatus
from governance.services.common import GovernanceError, acting_user, bureau_emails
from members.models import City

from .shared import (
    _approve,
    _city_emails,
    _lock,
    _notify,
    _require_bureau,
    _today,
    attending_city_ids,
    objecting_city_ids,
)


@transaction.atomic
def circulate_minutes(
    *, actor, minutes: Minutes, objections_from: dt.date, objections_until: dt.date
) -> Minutes:
    """The bureau circulates the draft: the attending cities may object within the window."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if not minutes.is_draft:
        raise GovernanceError(_("Only a draft is circulated."))
    if objections_until < objections_from:
        raise GovernanceError(
            _("The window must end on or after its first day."), field="objections_until"
        )
    if objections_until < _today(session):
        raise GovernanceError(_("The window must not end in the past."), field="objections_until")
    model_update(
        minutes,
        fields={
            "status": MinutesStatus.CIRCULATED,
            "round": minutes.round + 1,  # differs, so always written
            "circulated_at": timezone.now(),
            "objections_from": objections_from,
            "objections_until": objections_until,
        },
        actor=actor,
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.circulated",
        from_state=MinutesStatus.DRAFT,
        to_state=minutes.status,
        data={
            "round": minutes.round,
            "from": objections_from.isoformat(),
            "until": objections_until.isoformat(),
            "sha256": minutes.record_sha256,
            "text_sha256": minutes.authoritative_sha256(),
        },
    )
    _notify(minutes, "circulated", to=_city_emails(attending_city_ids(session)))
    return minutes


@transaction.atomic
def object_to_minutes(*, actor, minutes: Minutes, city: City, reason: str) -> MinutesObjection:
    """An attending city objects, through its coordinator or delegate, within the window."""
    minutes = _lock(minutes)
    session = minutes.session
    if minutes.status != MinutesStatus.CIRCULATED:
        raise GovernanceError(_("The minutes are not circulated for objections."))
    today = _today(session)
    assert minutes.objections_from is not None and minutes.objections_until is not None
    if not (minutes.objections_from <= today <= minutes.objections_until):
        raise GovernanceError(_("Objections are received only within the window."))
    if city.pk not in attending_city_ids(session):
        raise GovernanceError(
            _("Only a city that attended the session may object to its minutes."), field="city"
        )
    if city.pk not in objecting_city_ids(actor, minutes):
        raise GovernanceError(
            _("Only the city's coordinator, delegate or accredited substitute may object for it."),
            field="city",
        )
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_("Say why the city objects."), field="reason")
    earlier = (
        MinutesObjection.objects.filter(minutes=minutes, round=minutes.round, city=city)
        .select_related("filed_by")
        .first()
    )
    if earlier is not None:
        # One objection per city and round, whoever of the city files it.
        raise GovernanceError(
            _(
                "%(city)s has objected to this circulation already (%(person)s, %(when)s): "
                "one objection per city."
            )
            % {
                "city": city.name,
                "person": earlier.filed_by,
                "when": date_format(timezone.localtime(earlier.filed_at), "DATETIME_FORMAT"),
            },
            field="city",
        )
    objection = MinutesObjection.objects.create(
        minutes=minutes,
        round=minutes.round,
        city=city,
        filed_by=acting_user(actor),
        reason=reason,
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.objection",
        data={"round": minutes.round, "city": city.pk, "objection": objection.pk},
    )
    _notify(
        minutes, "objection", to=bureau_emails(session.coalition), objection=objection, city=city
    )
    return objection


@transaction.atomic
def reopen_minutes(*, actor, minutes: Minutes, answer: str = "") -> Minutes:
    """The bureau takes circulated (or rejected) minutes back into a draft to amend them."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if minutes.status not in (MinutesStatus.CIRCULATED, MinutesStatus.BEFORE_ASSEMBLY):
        raise GovernanceError(_("Only circulated minutes, or minutes before an assembly, reopen."))
    before = minutes.status
    now = timezone.now()
    objections = list(
        MinutesObjection.objects.filter(minutes=minutes, round=minutes.round, answered_at=None)
    )
    MinutesObjection.objects.filter(pk__in=[o.pk for o in objections]).update(
        answered_at=now, answer=answer.strip()
    )
    model_update(
        minutes, fields={"status": MinutesStatus.DRAFT, "approval_item": None}, actor=actor
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.reopened",
        from_state=before,
        to_state=minutes.status,
        data={"round": minutes.round, "objections": [o.pk for o in objections]},
    )
    _notify(
        minutes,
        "reopened",
        to=[o.filed_by.email for o in objections],
        answer=answer.strip(),
    )
    return minutes


@transaction.atomic
def settle_circulation(*, minutes: Minutes, today: dt.date | None = None) -> bool:
    """Once the window has ended with no objection in its round, the minutes are approved.

    Idempotent: True only for the call that approved them. With objections, nothing changes:
    the bureau was told of each and amends and circulates again.
    """
    minutes = _lock(minutes)
    if minutes.status != MinutesStatus.CIRCULATED:
        return False
    today = today or _today(minutes.session)
    assert minutes.objections_until is not None and minutes.objections_from is not None
    if today <= minutes.objections_until:
        return False
    if MinutesObjection.objects.filter(minutes=minutes, round=minutes.round).exists():
        return False
    _approve(
        minutes,
        route=ApprovalRoute.CIRCULATION,
        ref=(
            f"No objection from {minutes.objections_from.isoformat()} to "
            f"{minutes.objections_until.isoformat()} (circulation {minutes.round})"
        ),
        actor=None,
    )
    return True


def settle_due_circulations() -> list[int]:
    """Celery beat: approve every circulated minutes whose window ended with no objection."""
    approved = []
    for minutes in Minutes.objects.filter(status=MinutesStatus.CIRCULATED).select_related(
        "session"
    ):
        if settle_circulation(minutes=minutes):
            approved.append(minutes.pk)
    return approved
