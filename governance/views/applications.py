"""Applying to join: the form at /apply/, the applicant's list and pages, the letter."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from coalition.files import private_file_response
from governance import access, selectors, services
from governance.forms import ApplicationForm
from governance.letters import LetterSizeLimitHandler
from governance.models import ApplicationStatus, LetterUpload
from members.models import Coalition


def _limit_uploads(request) -> None:
    """Put the letter size guard first among the upload handlers (before the body is read)."""
    request.upload_handlers.insert(0, LetterSizeLimitHandler(request))


def _coalitions_open_to_applications():
    return Coalition.objects.filter(plans__commitments__isnull=False).distinct().order_by("name")


def _chosen_coalition(request, coalitions):
    slug = request.POST.get("coalition") or request.GET.get("coalition")
    slug = slug or getattr(settings, "DEFAULT_COALITION_SLUG", "")
    by_slug = {c.slug: c for c in coalitions}
    return by_slug.get(slug) or (coalitions[0] if coalitions else None)


def _keep_valid_letter(request, form: ApplicationForm) -> None:
    """A valid letter sent with a form that failed elsewhere is kept, not asked for again."""
    letter = form.new_valid_letter()
    if not letter:
        return
    previous = form.kept_upload
    form.keep(services.keep_letter(actor=request.user, letter=letter))
    if previous is not None:
        previous.file.delete(save=False)
        LetterUpload.objects.filter(pk=previous.pk).delete()


@csrf_exempt  # checked by csrf_protect below, once the upload handlers are in place
@login_required
def apply(request):
    _limit_uploads(request)
    return _apply(request)


@csrf_protect
def _apply(request):
    coalitions = list(_coalitions_open_to_applications())
    coalition = _chosen_coalition(request, coalitions)
    if coalition is None:
        return render(request, "governance/apply_closed.html", status=200)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, coalition=coalition, user=request.user)
        if form.is_valid():
            try:
                application = services.submit_application(
                    actor=request.user, details=form.details(), letter=form.letter_for_service()
                )
            except services.GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(
                    request,
                    _(
                        "Your application has been submitted. The bureau will check it; "
                        "you will be told of each step by email."
                    ),
                )
                return redirect(application.get_absolute_url())
        _keep_valid_letter(request, form)
    else:
        form = ApplicationForm(
            coalition=coalition,
            user=request.user,
            initial={
                "contact_name": request.user.full_name,
                "contact_email": request.user.email,
            },
        )
    return render(
        request,
        "governance/apply.html",
        {"form": form, "coalition": coalition, "coalitions": coalitions},
    )


@login_required
def my_applications(request):
    return render(
        request,
        "governance/application_list.html",
        {"applications": selectors.applications_of(request.user)},
    )


@login_required
def application_detail(request, pk: int):
    application = access.get_application_for_user(request.user, pk)
    selectors.application_with_actions(application)
    return render(
        request,
        "governance/application_detail.html",
        {
            "application": application,
            "timeline": selectors.application_timeline(application),
            "is_applicant": application.applicant_id == request.user.pk,
            "is_bureau": access.is_bureau(request.user, application.coalition_id),
            "votes": list(application.votes.order_by("-opened_at")),
        },
    )


@csrf_exempt  # checked by csrf_protect below, once the upload handlers are in place
@login_required
def application_edit(request, pk: int):
    _limit_uploads(request)
    return _application_edit(request, pk)


@csrf_protect
def _application_edit(request, pk: int):
    application = access.get_application_for_user(request.user, pk, write=True)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied
    if application.status != ApplicationStatus.RETURNED:
        messages.info(request, _("This application can be edited only when the bureau returns it."))
        return redirect(application.get_absolute_url())
    selectors.application_with_actions(application)
    if request.method == "POST":
        form = ApplicationForm(
            request.POST,
            request.FILES,
            coalition=application.coalition,
            user=request.user,
            application=application,
        )
        if form.is_valid():
            try:
                services.resubmit_application(
                    actor=request.user,
                    application=application,
                    details=form.details(),
                    letter=form.letter_for_service(),
                )
            except services.GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("Your application has been sent back to the bureau."))
                return redirect(application.get_absolute_url())
        _keep_valid_letter(request, form)
    else:
        form = ApplicationForm(
            coalition=application.coalition,
            user=request.user,
            application=application,
            initial=ApplicationForm.initial_from(application),
        )
    return render(
        request,
        "governance/application_edit.html",
        {"form": form, "application": application, "coalition": application.coalition},
    )


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request, pk: int):
    """GET: the confirmation page. POST with `confirmed`: withdraw (it cannot be undone)."""
    application = access.get_application_for_user(request.user, pk, write=True)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied
    if not application.is_open:
        messages.info(request, _("This application is closed: it can no longer be withdrawn."))
        return redirect(application.get_absolute_url())
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        if request.method == "POST":
            return redirect("governance:application_withdraw", pk=application.pk)
        return render(request, "governance/application_withdraw.html", {"application": application})
    try:
        services.withdraw_application(
            actor=request.user,
            application=application,
            reason=request.POST.get("reason", "")[:2000],
        )
    except services.GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect(application.get_absolute_url())


@login_required
def application_letter(request, pk: int):
    """The letter, to the applicant, the coalition's bureau and (once put to vote) its committee."""
    application = access.get_application_for_user(request.user, pk)
    return private_file_response(
        application.letter, filename=application.letter_filename or "letter.pdf"
    )
