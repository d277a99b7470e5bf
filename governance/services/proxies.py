"""Proxies of an assembly session, and its second convocation (ADR 0016).

A proxy is registered by the principal city (its coordinator or delegate: the views check
who), with the signed form as a checked PDF, and validated by the bureau. The holder city's
cap is enforced under a row lock on the holder city's row; the proxy ends by itself when the
principal city checks in (`end_proxies_on_check_in`, called by the check-in).

Lock order, so that nothing here can deadlock with a ballot or a check-in: every row lock is
taken before the first audit record (the audit log's append lock is held to the commit).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance import selectors_attendance as reads
from governance.letters import validate_letter
from governance.models import (
    OPEN_FOR_PROXIES,
    AssemblyPoll,
    AssemblySession,
    Proxy,
    ProxyEndReason,
    ProxyStatus,
    SessionStatus,
)
from governance.notifications import notify
from governance.selectors_proxies import proxies_allowed, proxy_cap
from governance.services.common import GovernanceError, acting_user, bureau_emails
from members.models import City, Role, RoleKind


def _require_allowed(session: AssemblySession) -> None:
    if not proxies_allowed(session):
        raise GovernanceError(
            _(
                "The statute of this session allows no proxies: a city votes only through its "
                "own delegate or substitute."
            )
        )


def _emails(city_id: int, kinds) -> set[str]:
    return set(
        Role.objects.current(timezone.localdate())
        .filter(kind__in=kinds, city_id=city_id)
        .values_list("user__email", flat=True)
    )


def _notify(proxy: Proxy, event: str, *, bureau: bool = False) -> None:
    """Those concerned, each in their language: the principal city's coordinator and delegate,
    the holder city's delegate (and the bureau, for a proxy to check)."""
    to = _emails(proxy.principal_id, [RoleKind.COORDINATOR, RoleKind.DELEGATE])
    to |= _emails(proxy.holder_id, [RoleKind.DELEGATE])
    if bureau:
        to |= set(bureau_emails(proxy.session.coalition))
    notify(
        "proxy",
        to=sorted(to),
        context={
            "event": event,
            "proxy": proxy,
            "session": proxy.session,
            "url": absolute_url(
                reverse("governance:city_proxies", args=[proxy.session_id, proxy.principal_id])
            ),
        },
    )


def _lock_cities(*ids: int) -> None:
    """Lock the cities' rows, in a fixed order, FOR NO KEY UPDATE.

    NO KEY: the lock serialises proxy grants naming these cities, yet does not block the
    foreign-key checks (FOR KEY SHARE) of a ballot, a registration or a check-in for them.
    """
    list(
        City.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _store_form(proxy: Proxy, upload: UploadedFile) -> None:
    try:
        validate_letter(upload)
    except ValidationError as exc:
        raise GovernanceError(" ".join(exc.messages), field="form") from exc
    base = (upload.name or "proxy.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')[:200]
    proxy.form_filename = name or "proxy.pdf"
    proxy.form_size = upload.size or 0
    upload.seek(0)
    proxy.form.save(proxy.form_filename, upload, save=False)


@transaction.atomic
def register_proxy(
    *,
    actor,
    session: AssemblySession,
    principal: City,
    holder: City,
    signed_by_name: str,
    form: UploadedFile,
) -> Proxy:
    """The principal city gives its vote in the session to the holder city (bureau validates)."""
    session = AssemblySession.objects.select_related("coalition").get(pk=session.pk)
    _require_allowed(session)
    if session.status not in OPEN_FOR_PROXIES:
        raise GovernanceError(_("Proxies are registered once the session is convened."))
    if principal.pk == holder.pk:
        raise GovernanceError(_("A city cannot hold its own proxy."), field="holder")
    if not signed_by_name.strip():
        raise GovernanceError(_("Say who signed the proxy form."), field="signed_by_name")
    rights = {r.city.pk: r for r in reads.session_voting_rights(session)}
    for city, field in ((principal, "principal"), (holder, "holder")):
        right = rights.get(city.pk)
        if right is None or not right.has_voting_rights:
            raise GovernanceError(
                _("%(city)s has no voting rights for this session.") % {"city": city.name},
                field="holder" if field == "holder" else None,
            )
    # The cap is per holder: two grants to one holder are served one after the other.
    _lock_cities(principal.pk, holder.pk)
    active = Proxy.objects.active().filter(session=session)
    if active.filter(principal=principal).exists():
        raise GovernanceError(
            _("%(city)s has given its proxy for this session already.") % {"city": principal.name}
        )
    if active.filter(holder=principal).exists():
        raise GovernanceError(
            _("%(city)s holds a proxy itself: it cannot give its own.") % {"city": principal.name}
        )
    if active.filter(principal=holder).exists():
        raise GovernanceError(
            _("%(city)s has given its own proxy: it cannot hold one.") % {"city": holder.name},
            field="holder",
        )
    cap = proxy_cap(session)
    if active.filter(holder=holder).count() >= cap:
        raise GovernanceError(
            _("%(city)s holds %(cap)d proxies already, the most the statute allows.")
            % {"city": holder.name, "cap": cap},
            field="holder",
        )
    if principal.pk in reads.present_city_ids(session):
        raise GovernanceError(
            _("%(city)s is checked in: it votes itself.") % {"city": principal.name}
        )
    proxy = Proxy(
        session=session,
        principal=principal,
        holder=holder,
        signed_by_name=signed_by_name.strip()[:200],
        registered_by=actor,
    )
    _store_form(proxy, form)
    try:
        with transaction.atomic():
            proxy.save()
    except IntegrityError as exc:  # the partial unique index, should the lock be bypassed
        raise GovernanceError(
            _("%(city)s has given its proxy for this session already.") % {"city": principal.name}
        ) from exc
    audit.record(
        actor=acting_user(actor),
        target=proxy,
        verb="proxy.registered",
        to_state=proxy.status,
        data={
            "session": session.pk,
            "principal": principal.pk,
            "holder": holder.pk,
            "form": proxy.form_filename,
        },
    )
    _notify(proxy, "registered", bureau=True)
    return proxy


def _lock(proxy: Proxy) -> Proxy:
    return (
        Proxy.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "principal", "holder")
        .get(pk=proxy.pk)
    )


@transaction.atomic
def validate_proxy(*, actor, proxy: Proxy) -> Proxy:
    """The bureau validates the signed form: the holder city's card holder may now vote for it."""
    proxy = _lock(proxy)
    _require_allowed(proxy.session)
    if proxy.status != ProxyStatus.SUBMITTED:
        raise GovernanceError(_("This proxy was decided already."))
    if proxy.principal_id in reads.present_city_ids(proxy.session):
        raise GovernanceError(
            _("%(city)s is checked in: it votes itself.") % {"city": proxy.principal.name}
        )
    model_update(
        proxy,
        fields={
            "status": ProxyStatus.VALIDATED,
            "decided_by": acting_user(actor),
            "decided_at": timezone.now(),
        },
        actor=actor,
        verb="proxy.validated",
        from_state=ProxyStatus.SUBMITTED,
        to_state=ProxyStatus.VALIDATED,
        data={"principal": proxy.principal_id, "holder": proxy.holder_id},
    )
    _notify(proxy, "validated")
    return proxy


@transaction.atomic
def reject_proxy(*, actor, proxy: Proxy, reason: str) -> Proxy:
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError(_("Say why: the city sees the reason."), field="reason")
    proxy = _lock(proxy)
    if proxy.status != ProxyStatus.SUBMITTED:
        raise GovernanceError(_("This proxy was decided already."))
    model_update(
        proxy,
        fields={
            "status": ProxyStatus.REJECTED,
            "rejection_reason": reason,
            "decided_by": acting_user(actor),
            "decided_at": timezone.now(),
        },
        actor=actor,
        verb="proxy.rejected",
        from_state=ProxyStatus.SUBMITTED,
        to_state=ProxyStatus.REJECTED,
        message=reason,
    )
    _notify(proxy, "rejected")
    return proxy


@transaction.atomic
def withdraw_proxy(*, actor, proxy: Proxy) -> Proxy:
    """The principal city takes its proxy back (before or after the bureau's validation)."""
    proxy = _lock(proxy)
    if proxy.status not in (ProxyStatus.SUBMITTED, ProxyStatus.VALIDATED):
        raise GovernanceError(_("This proxy is no longer in force."))
    from_state = proxy.status
    model_update(
        proxy,
        fields={
            "status": ProxyStatus.ENDED,
            "ended_at": timezone.now(),
            "end_reason": ProxyEndReason.WITHDRAWN,
        },
        actor=actor,
        verb="proxy.withdrawn",
        from_state=from_state,
        to_state=ProxyStatus.ENDED,
    )
    _notify(proxy, "ended")
    return proxy


def lock_proxies_of_principal(*, session_id: int, city_id: int) -> list[Proxy]:
    """Lock the city's active proxies (the check-in calls this before its first audit record)."""
    return list(
        Proxy.objects.select_for_update(of=("self",))
        .active()
        .filter(session_id=session_id, principal_id=city_id)
        .order_by("pk")
    )


def end_proxies_on_check_in(*, actor, proxies: list[Proxy]) -> None:
    """End the principal city's proxies: its own delegate or substitute has arrived (an event)."""
    now = timezone.now()
    for proxy in proxies:
        from_state = proxy.status
        model_update(
            proxy,
            fields={
                "status": ProxyStatus.ENDED,
                "ended_at": now,
                "end_reason": ProxyEndReason.PRINCIPAL_CHECKED_IN,
            },
            actor=actor,
            verb="proxy.ended",
            from_state=from_state,
            to_state=ProxyStatus.ENDED,
            data={"principal": proxy.principal_id, "holder": proxy.holder_id},
        )
        _notify(proxy, "ended")


# --- The second convocation -------------------------------------------------------------------


@transaction.atomic
def convene_second_convocation(*, actor, session: AssemblySession) -> AssemblySession:
    """The first convocation is not quorate: the bureau convenes the second (ADR 0016).

    A phase of the same session: the same agenda, registrations and attendance, the second
    quorum of the session's statute snapshot. The profile has no notice of its own for it, so
    it may sit at once (the first convocation's notice covers it, as statutes that allow a
    second convocation "on the same day" provide).
    """
    session = (
        AssemblySession.objects.select_for_update(of=("self",))
        .select_related("coalition")
        .get(pk=session.pk)
    )
    snapshot = session.statute_snapshot or {}
    if not snapshot.get("second_convocation_allowed"):
        raise GovernanceError(_("The statute of this session provides no second convocation."))
    if session.status != SessionStatus.IN_SESSION:
        raise GovernanceError(_("A second convocation follows only a sitting session."))
    if session.convocation_number != 1:
        raise GovernanceError(_("The second convocation was convened already."))
    if AssemblyPoll.objects.open().filter(session=session).exists():
        raise GovernanceError(_("Close or cancel the open poll first."))
    first = reads.live_quorum(session, convocation=1)
    if first.quorate:
        raise GovernanceError(
            _("The first convocation is quorate: no second convocation is needed (%(q)s).")
            % {"q": first.label}
        )
    failure = {
        "present": first.present,
        "with_voting_rights": first.with_voting_rights,
        "required": first.required,
        "at": timezone.now().isoformat(),
    }
    model_update(
        session,
        fields={
            "convocation_number": 2,
            "second_convened_at": timezone.now(),
            "second_convened_by": acting_user(actor),
            "first_quorum_failure": failure,
        },
        actor=actor,
        verb="session.second_convocation",
        data={"first_quorum": failure},
    )
    return session
