"""Delegates: the city's certifications, the bureau's validation, city roles the bureau appoints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from coalition.files import private_file_response
from governance import access
from governance.delegate_forms import (
    AppointRoleForm,
    CertificationForm,
    EndRoleForm,
    ReasonForm,
    SessionDatesForm,
)
from governance.letters import LetterSizeLimitHandler
from governance.models import CertificationScope, CertificationStatus, LetterUpload
from governance.selectors_delegates import (
    certifications_of_city,
    certifications_waiting,
    city_roles_for_bureau,
)
from governance.services import GovernanceError
from governance.services import delegates as services
from governance.services.applications import keep_letter
from governance.views.decorators import bureau_required
from members.models import Coalition


def _coalitions_for(user):
    ids = access.bureau_coalition_ids(user)
    qs = Coalition.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


# --- The city's coordinator ----------------------------------------------------------------


@login_required
def city_delegates(request, city_pk: int):
    city = access.get_city_for_coordinator(request.user, city_pk)
    return render(
        request,
        "governance/city_delegates.html",
        {"city": city, "certifications": certifications_of_city(city)},
    )


@csrf_exempt  # checked by csrf_protect below, once the upload handlers are in place
@login_required
def certify_delegate(request, city_pk: int):
    request.upload_handlers.insert(0, LetterSizeLimitHandler(request))
    return _certify_delegate(request, city_pk)


@csrf_protect
def _certify_delegate(request, city_pk: int):
    city = access.get_city_for_coordinator(request.user, city_pk)
    if request.method == "POST":
        form = CertificationForm(request.POST, request.FILES, city=city, user=request.user)
        if form.is_valid():
            try:
                services.submit_certification(
                    actor=request.user, details=form.details(), letter=form.letter_for_service()
                )
            except GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(
                    request,
                    _("The certification was sent to the bureau, which will validate it."),
                )
                return redirect("governance:city_delegates", city_pk=city.pk)
        letter = form.new_valid_letter()
        if letter:
            previous = form.kept_upload
            form.keep(keep_letter(actor=request.user, letter=letter))
            if previous is not None:
                previous.file.delete(save=False)
                LetterUpload.objects.filter(pk=previous.pk).delete()
    else:
        form = CertificationForm(city=city, user=request.user)
    return render(request, "governance/certify_delegate.html", {"city": city, "form": form})


@login_required
def certification_revoke(request, pk: int):
    """A confirmation page (no JavaScript needed); the POST revokes at once."""
    certification = access.get_certification_for_user(request.user, pk, write=True)
    form = ReasonForm(
        request.POST or None,
        label=_("Reason for the revocation"),
        help_text=_("Recorded in the audit log and sent to the person."),
    )
    if certification.status not in (CertificationStatus.SUBMITTED, CertificationStatus.VALIDATED):
        messages.info(request, _("This certification is no longer in force."))
        return redirect(_back_from(request.user, certification))
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_certification(
                actor=request.user, certification=certification, reason=form.cleaned_data["reason"]
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The certification was revoked; it no longer counts."))
            return redirect(_back_from(request.user, certification))
    return render(
        request,
        "governance/certification_revoke.html",
        {"certification": certification, "form": form},
    )


def _back_from(user, certification) -> str:
    if certification.city_id in access.coordinated_city_ids(user):
        return reverse("governance:city_delegates", kwargs={"city_pk": certification.city_id})
    return reverse("governance:delegate_list")


@login_required
def certification_letter(request, pk: int):
    """The mandate letter: to the person, the city's coordinators and the coalition's bureau."""
    certification = access.get_certification_for_user(request.user, pk)
    return private_file_response(
        certification.mandate_letter,
        filename=certification.mandate_letter_filename or "mandate.pdf",
    )


# --- The bureau ------------------------------------------------------------------------------


@bureau_required
def certification_queue(request):
    return render(
        request,
        "governance/certification_queue.html",
        {"waiting": certifications_waiting(access.bureau_coalition_ids(request.user))},
    )


def _review(user, pk: int):
    certification = access.get_certification_for_user(user, pk)
    access.require_bureau(user, certification.coalition_id)
    return certification


def _render_review(request, certification, *, dates_form=None, reject_form=None, status=200):
    if dates_form is None and certification.scope == CertificationScope.SESSION:
        dates_form = SessionDatesForm(
            initial={
                "valid_from": certification.valid_from,
                "valid_until": certification.valid_until,
            }
        )
    return render(
        request,
        "governance/certification_review.html",
        {
            "certification": certification,
            "dates_form": dates_form,
            "reject_form": reject_form
            or ReasonForm(
                prefix="reject",
                label=_("Reason for the rejection"),
                help_text=_("The city's coordinators receive it and see it."),
            ),
            "waiting": certification.status == CertificationStatus.SUBMITTED,
        },
        status=status,
    )


@bureau_required
def certification_review(request, pk: int):
    return _render_review(request, _review(request.user, pk))


@require_POST
@bureau_required
def certification_validate(request, pk: int):
    certification = _review(request.user, pk)
    dates = {}
    if certification.scope == CertificationScope.SESSION:
        dates_form = SessionDatesForm(request.POST)
        if not dates_form.is_valid():
            return _render_review(request, certification, dates_form=dates_form)
        dates = dates_form.cleaned_data
    try:
        services.validate_certification(actor=request.user, certification=certification, **dates)
    except GovernanceError as exc:
        messages.error(request, str(exc))
        return redirect("governance:certification_review", pk=certification.pk)
    messages.success(request, _("The certification was validated."))
    return redirect("governance:certification_queue")


@require_POST
@bureau_required
def certification_reject(request, pk: int):
    certification = _review(request.user, pk)
    form = ReasonForm(request.POST, prefix="reject", label=_("Reason for the rejection"))
    if form.is_valid():
        try:
            services.reject_certification(
                actor=request.user, certification=certification, reason=form.cleaned_data["reason"]
            )
        except GovernanceError as exc:
            messages.error(request, str(exc))
            return redirect("governance:certification_review", pk=certification.pk)
        messages.success(request, _("The certification was rejected; the city is told why."))
        return redirect("governance:certification_queue")
    return _render_review(request, certification, reject_form=form)


@bureau_required
def delegate_list(request):
    return render(
        request,
        "governance/delegate_list.html",
        {
            "coalitions": [
                (coalition, services.certified_voters(coalition))
                for coalition in _coalitions_for(request.user)
            ]
        },
    )


@bureau_required
def role_list(request):
    coalitions = list(_coalitions_for(request.user))
    form = AppointRoleForm(request.POST or None, coalitions=coalitions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coalition = next(
            (c for c in coalitions if data["city"].memberships.filter(coalition=c).exists()),
            None,
        )
        if coalition is None:
            raise PermissionDenied
        try:
            services.appoint_city_role(
                actor=request.user,
                coalition=coalition,
                city=data["city"],
                user=form.person,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("governance:role_list")
    return render(
        request,
        "governance/role_list.html",
        {"form": form, "roles": city_roles_for_bureau(access.bureau_coalition_ids(request.user))},
    )


@bureau_required
def role_end(request, pk: int):
    role = access.get_city_role_for_bureau(request.user, pk)
    form = EndRoleForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_city_role(
                actor=request.user,
                role=role,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The role was ended."))
            return redirect("governance:role_list")
    return render(request, "governance/role_end.html", {"form": form, "role": role})
