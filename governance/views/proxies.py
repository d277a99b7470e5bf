"""Proxies: a city gives its vote to another city for one session; the bureau validates.

Also the second convocation, which the bureau convenes from the desk (ADR 0016).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from coalition.files import private_file_response
from governance import access
from governance import selectors_attendance as reads
from governance import selectors_proxies as proxy_reads
from governance.letters import LetterSizeLimitHandler
from governance.models import Proxy, ProxyStatus
from governance.proxy_forms import ProxyForm
from governance.services import GovernanceError
from governance.services import proxies as services
from governance.views.confirm import confirmation_page, is_confirmed, reason_step
from governance.views.decorators import bureau_required


@csrf_exempt  # the upload handler must be in place before CSRF reads the body
def city_proxies(request, pk: int, city_pk: int):
    request.upload_handlers.insert(0, LetterSizeLimitHandler(request))
    return _city_proxies(request, pk, city_pk)


@login_required
@csrf_protect
def _city_proxies(request, pk: int, city_pk: int):
    session = access.get_public_session(request.user, pk)
    city = access.get_city_for_registrar(request.user, city_pk)
    standing = proxy_reads.city_proxies(session, city)
    form = None
    status = 200
    if standing.allowed:
        # The choices leave out the cities that cannot hold a proxy now; the service checks
        # every rule again under its locks, and says why when a grant races another.
        form = ProxyForm(
            request.POST or None, request.FILES or None, cities=standing.holder_choices
        )
    if request.method == "POST":
        status = 400
        if form is None:
            messages.error(
                request,
                _(
                    "The statute of this session allows no proxies: a city votes only through "
                    "its own delegate or substitute."
                ),
            )
        elif form.is_valid():
            try:
                services.register_proxy(
                    actor=request.user,
                    session=session,
                    principal=city,
                    holder=form.cleaned_data["holder"],
                    signed_by_name=form.cleaned_data["signed_by_name"],
                    form=form.cleaned_data["form"],
                )
            except GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("The proxy was sent to the bureau."))
                return redirect("governance:city_proxies", pk=session.pk, city_pk=city.pk)
    return render(
        request,
        "governance/proxies/city_proxies.html",
        {
            "session": session,
            "city": city,
            "form": form,
            "standing": standing,
            "allowed": standing.allowed,
            "cap": standing.cap,
            "open": standing.open,
            "proxies": standing.proxies,
            # A refused grant keeps its form, to show why; otherwise only a grant that can
            # succeed is offered.
            "show_form": standing.can_give or bool(form is not None and form.errors),
        },
        status=status,
    )


@login_required
def proxy_form(request, pk: int):
    """The signed form: to the bureau and the registrars of both cities."""
    proxy = access.get_proxy_for_user(request.user, pk)
    return private_file_response(proxy.form, filename=proxy.form_filename or "proxy.pdf")


@login_required
@require_POST
def proxy_withdraw(request, pk: int):
    proxy = access.get_proxy_for_user(request.user, pk, write=True)
    try:
        services.withdraw_proxy(actor=request.user, proxy=proxy)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The proxy is withdrawn."))
    if access.is_bureau(request.user, proxy.session.coalition_id):
        return redirect("governance:session_proxies", pk=proxy.session_id)
    return redirect("governance:city_proxies", pk=proxy.session_id, city_pk=proxy.principal_id)


# --- The bureau ---------------------------------------------------------------------------------


@bureau_required
def session_proxies(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    rows = list(
        Proxy.objects.filter(session=session)
        .select_related("principal", "holder", "registered_by", "decided_by")
        .order_by("status", "holder__name", "principal__name", "id")
    )
    return render(
        request,
        "governance/proxies/session_proxies.html",
        {
            "session": session,
            "proxies": rows,
            "allowed": proxy_reads.proxies_allowed(session),
            "cap": proxy_reads.proxy_cap(session),
            "quorum": reads.live_quorum(session),
            "ProxyStatus": ProxyStatus,
        },
    )


@bureau_required
@require_POST
def proxy_validate(request, pk: int):
    proxy = access.get_proxy_for_bureau(request.user, pk)
    try:
        services.validate_proxy(actor=request.user, proxy=proxy)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The proxy of %(principal)s to %(holder)s is validated.")
            % {"principal": proxy.principal.name, "holder": proxy.holder.name},
        )
    return redirect("governance:session_proxies", pk=proxy.session_id)


@bureau_required
def proxy_reject(request, pk: int):
    proxy = access.get_proxy_for_bureau(request.user, pk)
    return reason_step(
        request,
        step=lambda reason: services.reject_proxy(actor=request.user, proxy=proxy, reason=reason),
        template="governance/proxies/reject.html",
        context={"proxy": proxy},
        done=_("The proxy is rejected; the city sees why."),
        next_url=reverse("governance:session_proxies", args=[proxy.session_id]),
    )


@bureau_required
@require_POST
def second_convocation(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            question=_("Convene the second convocation"),
            action=_("Convene the second convocation"),
            back=reverse("governance:session_desk", args=[session.pk]),
            template="governance/proxies/second_convocation.html",
            context={"session": session, "quorum": reads.live_quorum(session)},
        )
    try:
        session = services.convene_second_convocation(actor=request.user, session=session)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The second convocation sits: %(q)s") % {"q": reads.live_quorum(session).label},
        )
    return redirect("governance:session_desk", pk=session.pk)
