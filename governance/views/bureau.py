"""The bureau's desk: applications to check, votes to open, seats, membership decisions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance import access, selectors, services
from governance.application_check_forms import ApplicationCheckForm
from governance.forms import ReturnForm
from governance.models import WAITING_FOR_BUREAU, CommitteeSeat, DecisionRule, ProposalStatus
from governance.seat_forms import ChangeSeatForm, EndSeatForm, SeatForm
from governance.selectors_application_checks import checklist_for
from governance.services.application_checks import record_checks
from governance.views.decorators import bureau_required
from governance.vote_forms import AssemblyDecisionForm, MembershipDecisionForm, OpenVoteForm
from members.models import Coalition, Membership


def _coalitions_for(user):
    ids = access.bureau_coalition_ids(user)
    qs = Coalition.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


@bureau_required
def bureau_home(request):
    return render(request, "governance/bureau_home.html", selectors.bureau_overview(request.user))


def _review_application(user, pk: int):
    application = access.get_application_for_user(user, pk)
    access.require_bureau(user, application.coalition_id)
    return application


def _open_vote_form(application, data=None) -> OpenVoteForm:
    days = DecisionRule.vote_days_for(application.coalition)
    return OpenVoteForm(data, initial={"closes_on": timezone.localdate() + dt.timedelta(days=days)})


def _render_review(
    request, application, *, return_form=None, vote_form=None, check_form=None, status=200
):
    selectors.application_with_actions(application)
    checklist = checklist_for(application)
    return render(
        request,
        "governance/application_review.html",
        {
            "application": application,
            "checklist": checklist,
            "check_form": check_form or ApplicationCheckForm(checklist=checklist),
            "timeline": selectors.application_timeline(application),
            "votes": list(application.votes.order_by("-opened_at")),
            "waiting": application.status in WAITING_FOR_BUREAU,
            "return_form": return_form or ReturnForm(),
            "vote_form": vote_form or _open_vote_form(application),
            "rule": DecisionRule.rule_for(application.coalition),
            "readiness": (
                selectors.admission_vote_readiness(application)
                if application.status in WAITING_FOR_BUREAU
                else None
            ),
        },
        status=status,
    )


@bureau_required
def application_review(request, pk: int):
    application = _review_application(request.user, pk)
    return _render_review(request, application)


@require_POST
@bureau_required
def application_return(request, pk: int):
    application = _review_application(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_application(
                actor=request.user, application=application, message=form.cleaned_data["message"]
            )
        except services.GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The application was returned to the applicant."))
        return redirect("governance:application_review", pk=application.pk)
    return _render_review(request, application, return_form=form)


@require_POST
@bureau_required
def application_checks(request, pk: int):
    """The bureau ticks, unticks or annotates items of the application check."""
    application = _review_application(request.user, pk)
    selectors.application_with_actions(application)
    form = ApplicationCheckForm(request.POST, checklist=checklist_for(application))
    if form.is_valid():
        try:
            changed = record_checks(actor=request.user, application=application, ticks=form.ticks())
        except services.GovernanceError as exc:
            exc.add_to(form)
        else:
            if changed:
                messages.success(request, _("The application check was saved."))
            else:
                messages.info(request, _("Nothing in the application check changed."))
            url = reverse("governance:application_review", args=[application.pk])
            return redirect(f"{url}#application-check")
    return _render_review(request, application, check_form=form, status=400)


def _confirm_url(name: str, pk: int, form) -> str:
    closes_on = form.cleaned_data["closes_on"].isoformat()
    return f"{reverse(name, args=[pk])}?{urlencode({'closes_on': closes_on})}"


def _vote_form_data(request, default_days: int) -> dict:
    if request.method == "POST":
        return request.POST
    closes_on = (
        request.GET.get("closes_on")
        or (timezone.localdate() + dt.timedelta(days=default_days)).isoformat()
    )
    return {"closes_on": closes_on}


@require_http_methods(["GET", "POST"])
@bureau_required
def application_open_vote(request, pk: int):
    """GET: the confirmation page. POST with `confirmed`: open the vote (it cannot be undone).

    A POST without `confirmed` (no JavaScript, so no dialog) leads to the confirmation page.
    """
    application = _review_application(request.user, pk)
    if application.status not in WAITING_FOR_BUREAU:
        messages.info(request, _("This application is not waiting for the bureau."))
        return redirect("governance:application_review", pk=application.pk)
    days = DecisionRule.vote_days_for(application.coalition)
    form = OpenVoteForm(_vote_form_data(request, days))
    if not form.is_valid():
        return _render_review(request, application, vote_form=form, status=400)
    selectors.application_with_actions(application)
    checklist = checklist_for(application)
    if not checklist.complete:
        messages.error(
            request,
            _("Tick every item of the application check before opening the committee's vote."),
        )
        url = reverse("governance:application_review", args=[application.pk])
        return redirect(f"{url}#application-check")
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            vote = services.open_admission_vote(
                actor=request.user, application=application, closes_at=form.closes_at()
            )
        except services.GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The steering committee's vote is open."))
            readiness = selectors.vote_readiness(vote)
            if readiness is not None and readiness.needs_warning:
                messages.warning(request, selectors.readiness_warning(readiness))
            return redirect(vote.get_absolute_url())
        return redirect("governance:application_review", pk=application.pk)
    if request.method == "POST":
        return redirect(_confirm_url("governance:application_open_vote", application.pk, form))
    return render(
        request,
        "governance/open_vote_confirm.html",
        {
            "application": application,
            "subject": application,
            "closes_on": form.cleaned_data["closes_on"],
            "action": reverse("governance:application_open_vote", args=[application.pk]),
            "back": reverse("governance:application_review", args=[application.pk]),
            "rule": DecisionRule.rule_for(application.coalition),
            "readiness": selectors.admission_vote_readiness(application),
        },
    )


@bureau_required
def application_audit(request, pk: int):
    application = _review_application(request.user, pk)
    return render(
        request,
        "governance/application_audit.html",
        {"application": application, "events": selectors.application_audit(application)},
    )


# --- Seats ---------------------------------------------------------------------------------


@bureau_required
def seat_list(request):
    coalitions = _coalitions_for(request.user)
    form = SeatForm(request.POST or None, coalitions=coalitions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require_bureau(request.user, data["coalition"].pk)
        try:
            services.add_seat(
                actor=request.user,
                coalition=data["coalition"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                city=data["city"],
                institution=data["institution"],
                representative=data["representative_email"],
            )
        except services.GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The seat was added."))
            return redirect("governance:seat_list")
    ids = access.bureau_coalition_ids(request.user)
    seats = selectors.seats_of(ids)
    today = timezone.localdate()
    return render(
        request,
        "governance/seat_list.html",
        {
            "form": form,
            "current": [s for s in seats if not (s.ends_on and s.ends_on < today)],
            "past": [s for s in seats if s.ends_on and s.ends_on < today],
        },
    )


@bureau_required
def seat_end(request, pk: int):
    seat = get_object_or_404(CommitteeSeat.objects.for_display(), pk=pk)
    access.require_bureau(request.user, seat.coalition_id)
    form = EndSeatForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_seat(actor=request.user, seat=seat, ends_on=form.cleaned_data["ends_on"])
        except services.GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The seat's term was ended."))
            return redirect("governance:seat_list")
    return render(request, "governance/seat_end.html", {"form": form, "seat": seat})


@bureau_required
def seat_change(request, pk: int):
    seat = get_object_or_404(CommitteeSeat.objects.for_display(), pk=pk)
    access.require_bureau(request.user, seat.coalition_id)
    form = ChangeSeatForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                services.update_seat(actor=request.user, seat=seat, **changes)
                messages.success(request, _("The seat was changed."))
        except services.GovernanceError as exc:
            exc.add_to(form)
        else:
            return redirect("governance:seat_list")
    return render(request, "governance/seat_change.html", {"form": form, "seat": seat})


# --- Memberships: suspension, reinstatement, withdrawal -----------------------------------------


@bureau_required
def membership_list(request):
    return render(
        request,
        "governance/membership_list.html",
        {
            "memberships": selectors.memberships_for_bureau(
                access.bureau_coalition_ids(request.user)
            )
        },
    )


@bureau_required
def membership_decision(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("city", "coalition"), pk=pk)
    access.require_bureau(request.user, membership.coalition_id)
    form = MembershipDecisionForm(
        request.POST or None, initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = {
            "suspension": services.record_suspension,
            "reinstatement": services.record_reinstatement,
            "withdrawal": services.record_withdrawal,
        }[data["kind"]]
        try:
            record(
                actor=request.user,
                membership=membership,
                decided_on=data["decided_on"],
                reason=data["reason"],
                body=data["body"],
                reference=data["reference"],
            )
        except services.GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("governance:membership_list")
    return render(
        request,
        "governance/membership_decision.html",
        {
            "form": form,
            "membership": membership,
            "history": list(membership.history.select_related("changed_by").order_by("changed_at")),
        },
    )


# --- Exclusion proposals -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@bureau_required
def exclusion_open_vote(request, pk: int):
    """GET: the confirmation page. POST with `confirmed`: open the vote (it cannot be undone)."""
    proposal = access.get_proposal_for_user(request.user, pk, write=True)
    if proposal.status != ProposalStatus.PROPOSED:
        messages.info(request, _("This proposal cannot be put to a vote now."))
        return redirect(proposal.get_absolute_url())
    form = OpenVoteForm(_vote_form_data(request, DecisionRule.vote_days_for(proposal.coalition)))
    if not form.is_valid():
        messages.error(request, " ".join(map(str, form.errors.get("closes_on", []))))
        return redirect(proposal.get_absolute_url())
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            vote = services.open_exclusion_vote(
                actor=request.user, proposal=proposal, closes_at=form.closes_at()
            )
        except services.GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The steering committee's vote is open."))
            return redirect(vote.get_absolute_url())
        return redirect(proposal.get_absolute_url())
    if request.method == "POST":
        return redirect(_confirm_url("governance:exclusion_open_vote", proposal.pk, form))
    return render(
        request,
        "governance/open_vote_confirm.html",
        {
            "proposal": proposal,
            "subject": proposal,
            "closes_on": form.cleaned_data["closes_on"],
            "action": reverse("governance:exclusion_open_vote", args=[proposal.pk]),
            "back": proposal.get_absolute_url(),
        },
    )


@bureau_required
def exclusion_decision(request, pk: int):
    proposal = access.get_proposal_for_user(request.user, pk, write=True)
    if proposal.status != ProposalStatus.AWAITING_ASSEMBLY:
        messages.info(
            request, _("This proposal is not awaiting the General Conference's decision.")
        )
        return redirect(proposal.get_absolute_url())
    form = AssemblyDecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_assembly_decision(
                actor=request.user,
                proposal=proposal,
                exclude=data["exclude"],
                body=data["body"],
                decided_on=data["decided_on"],
                reason=data["reason"],
                reference=data["reference"],
            )
        except services.GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The General Conference's decision was recorded."))
            return redirect(proposal.get_absolute_url())
    return render(
        request, "governance/exclusion_decision.html", {"form": form, "proposal": proposal}
    )
