"""What the steps of the minutes share: who acts, which cities attended, the row lock, the
emails, and the approval itself (reached by circulation or at an assembly)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance import access
from governance.models import (
    AssemblySession,
    AttendanceEvent,
    AttendanceKind,
    AttendeeRole,
    Minutes,
    MinutesStatus,
    Registration,
    RegistrationStatus,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, bureau_emails
from members.models import Role, RoleKind


def _require_writer(actor, session: AssemblySession) -> None:
    if not access.is_minute_writer(actor, session):
        raise GovernanceError(_("Only the minute-taker or the bureau writes the minutes."))


def _require_bureau(actor, session: AssemblySession) -> None:
    if not access.is_bureau(actor, session.coalition_id):
        raise GovernanceError(_("Only the bureau may do this."))


def attending_city_ids(session: AssemblySession) -> set[int]:
    """The cities one of whose accredited people checked in at the session (one query)."""
    return set(
        AttendanceEvent.objects.filter(session=session, kind=AttendanceKind.CHECK_IN).values_list(
            "city_id", flat=True
        )
    )


def substitute_city_ids(user, session: AssemblySession) -> set[int]:
    """Cities of which this person was an accredited substitute at the session (one query).

    Accreditation checked their certification for the city (ADR 0008): a certified substitute
    who sat for the city speaks for it on its minutes, as its coordinator and delegate do.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Registration.objects.filter(
            session=session,
            person=user,
            role=AttendeeRole.SUBSTITUTE,
            status=RegistrationStatus.ACCREDITED,
        ).values_list("city_id", flat=True)
    )


def objecting_city_ids(user, minutes: Minutes) -> list[int]:
    """The attending cities this person may object for: their coordinator, delegate, or the
    certified substitute accredited for the city at the session."""
    session = minutes.session
    speaks_for = set(access.registrar_city_ids(user)) | substitute_city_ids(user, session)
    return sorted(speaks_for & attending_city_ids(session))


def _city_emails(city_ids) -> list[str]:
    today = timezone.localdate()
    return sorted(
        set(
            Role.objects.current(today)
            .filter(kind__in=[RoleKind.COORDINATOR, RoleKind.DELEGATE], city_id__in=city_ids)
            .values_list("user__email", flat=True)
        )
    )


def _notify(minutes: Minutes, event: str, *, to, **context) -> None:
    to = sorted(set(to))
    if not to:
        return
    session = minutes.session
    notify(
        "minutes",
        to=to,
        context={
            "event": event,
            "minutes": minutes,
            "session": session,
            "url": absolute_url(reverse("governance:minutes_circulation", args=[session.pk])),
            "public_url": absolute_url(reverse("governance:minutes_public", args=[session.pk])),
            **context,
        },
    )


def _lock(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "session__minute_taker")
        .get(pk=minutes.pk)
    )


def _today(session: AssemblySession) -> dt.date:
    return timezone.localdate(timezone.now(), session.zone)


def _approve(minutes: Minutes, *, route: str, ref: str, actor) -> Minutes:
    before = minutes.status
    model_update(
        minutes,
        fields={
            "status": MinutesStatus.APPROVED,
            "approved_at": timezone.now(),
            "approval_route": route,
            "approval_ref": ref[:300],
            # What is approved: the record and the authoritative text; translations come and go.
            "text_sha256": minutes.authoritative_sha256(),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=minutes,
        verb="minutes.approved",
        from_state=before,
        to_state=minutes.status,
        data={
            "route": route,
            "ref": minutes.approval_ref,
            "sha256": minutes.record_sha256,
            "language": minutes.source_language,
            "text_sha256": minutes.text_sha256,
        },
    )
    session = minutes.session
    _notify(
        minutes,
        "approved",
        to=[*bureau_emails(session.coalition), *_city_emails(attending_city_ids(session))],
    )
    return minutes
