"""After the tally: the returning officer's release, a teller's confirmation, the cities'
challenges and the bureau's record of the committee's decision on each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from coalition.files import private_file_response
from governance import access
from governance.election_release_forms import ChallengeDecisionForm, ChallengeForm
from governance.letters import LetterSizeLimitHandler
from governance.models import Election, ElectionChallenge, ElectionRelease
from governance.selectors_elections import candidacies_of, opened_ballots, result_view
from governance.services import GovernanceError
from governance.services import election_release as services
from governance.views.confirm import confirmation_page, is_confirmed
from governance.views.decorators import bureau_required
from members.models import City, Coalition


@never_cache
@login_required
def result_review(request, pk: int):
    """The count before its release: for the returning officer and the tellers only."""
    election = access.get_public_election(request.user, pk)
    if not services.may_see_unreleased_result(request.user, election):
        raise PermissionDenied
    unreleased = election.status in services.UNRELEASED_STATUSES
    release = (
        ElectionRelease.objects.filter(election=election)
        .select_related("released_by", "confirmed_by")
        .first()
    )
    candidacies = candidacies_of(election)
    return render(
        request,
        "governance/elections/result_review.html",
        {
            "election": election,
            "release": release,
            "unreleased": unreleased,
            "result": result_view(election, candidacies) if unreleased else None,
            "ballots": opened_ballots(election) if unreleased else [],
            "may_release": unreleased
            and election.status == "tallied"
            and services.is_returning_officer(request.user, election),
            "may_confirm": election.status == "released"
            and services.may_confirm_release(request.user, election)
            and release is not None
            and release.released_by_id != request.user.pk,
        },
    )


def _step(request, pk: int, *, allowed, step, done: str, question: str, action: str):
    election = access.get_public_election(request.user, pk)
    if not allowed(request.user, election):
        raise PermissionDenied
    if not is_confirmed(request):  # without JavaScript: the confirmation page
        return confirmation_page(
            request,
            question=question % {"title": election.title},
            action=action,
            back=reverse("governance:election_result_review", args=[election.pk]),
        )
    try:
        step(actor=request.user, election=election)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("governance:election_result_review", pk=election.pk)


@require_POST
@login_required
def release(request, pk: int):
    return _step(
        request,
        pk,
        allowed=services.is_returning_officer,
        step=services.release_result,
        question=_("Release the result of %(title)s? A teller must still confirm it."),
        action=_("Release the result"),
        done=_("The result is released; a teller must now confirm it before it is published."),
    )


@require_POST
@login_required
def confirm_release(request, pk: int):
    return _step(
        request,
        pk,
        allowed=services.may_confirm_release,
        step=services.confirm_release,
        question=_("Confirm the release of %(title)s and publish its result?"),
        action=_("Confirm and publish"),
        done=_("The release is confirmed: the result is published and the challenge period runs."),
    )


@csrf_exempt  # checked by csrf_protect below, once the upload handlers are in place
@login_required
def challenge(request, pk: int, city_pk: int):
    request.upload_handlers.insert(0, LetterSizeLimitHandler(request))
    return _challenge(request, pk, city_pk)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _challenge(request, pk: int, city_pk: int):
    election = access.get_public_election(request.user, pk)
    city = get_object_or_404(City, pk=city_pk)
    if not services.may_challenge_for(request.user, election, city):
        raise Http404
    refusal = services.challenge_refusal(request.user, election, city)
    form = ChallengeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.file_challenge(
                actor=request.user,
                election=election,
                city=city,
                grounds=form.cleaned_data["grounds"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(
                request, _("The challenge of %(city)s is filed.") % {"city": city.name}
            )
            return redirect(election.get_absolute_url())
    return render(
        request,
        "governance/elections/challenge.html",
        {"election": election, "city": city, "form": form, "refusal": refusal},
    )


@login_required
def challenge_evidence(request, pk: int):
    filed = access.get_challenge_for_user(request.user, pk)
    if not filed.evidence:
        raise Http404
    return private_file_response(filed.evidence, filename=filed.evidence_filename or "evidence.pdf")


@bureau_required
@require_http_methods(["GET", "POST"])
def challenge_decide(request, pk: int):
    filed = get_object_or_404(
        ElectionChallenge.objects.select_related("election__coalition", "city", "filed_by"), pk=pk
    )
    election = access.get_election_for_bureau(request.user, filed.election_id)
    form = ChallengeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_challenge(
                actor=request.user,
                challenge=filed,
                upheld=form.cleaned_data["outcome"] == "upheld",
                committee_decided_on=form.cleaned_data["committee_decided_on"],
                reason=form.cleaned_data["reason"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The committee's decision is recorded."))
            return redirect("governance:election_manage", pk=election.pk)
    return render(
        request,
        "governance/elections/challenge_decide.html",
        {"election": election, "challenge": filed, "form": form},
    )


@bureau_required
def bureau_elections(request):
    """The elections of the coalitions this bureau runs (the bureau navigation's entry)."""
    ids = access.bureau_coalition_ids(request.user)
    coalitions = Coalition.objects.order_by("name")
    if ids is not None:
        coalitions = coalitions.filter(pk__in=ids)
    elections = (
        Election.objects.filter(coalition__in=coalitions)
        .select_related("coalition")
        .annotate(open_challenges=Count("challenges", filter=Q(challenges__status="pending")))
        .order_by("coalition__name", "-voting_opens_at", "-pk")
    )
    return render(
        request,
        "governance/elections/bureau_list.html",
        {"coalitions": list(coalitions), "elections": list(elections)},
    )


def release_context(user, election: Election) -> dict:
    """What the election's public page adds for the release and the challenges."""
    unreleased = election.status in services.UNRELEASED_STATUSES
    coordinated = access.coordinated_city_ids(user)
    challenges = list(election.challenges.select_related("city").order_by("filed_at", "pk"))
    uid = getattr(user, "pk", None)
    return {
        "unreleased": unreleased,
        "may_review": unreleased and services.may_see_unreleased_result(user, election),
        # What the review page will offer this person, named on the public page's button.
        "may_release": election.status == "tallied"
        and services.is_returning_officer(user, election),
        "may_confirm": election.status == "released"
        and services.may_confirm_release(user, election)
        and not ElectionRelease.objects.filter(election=election, released_by_id=uid).exists(),
        "pending_challenges": sum(1 for c in challenges if c.status == "pending"),
        "upheld": [c for c in challenges if c.status == "upheld"],
        "own_challenges": [
            c for c in challenges if c.city_id in coordinated or c.filed_by_id == uid
        ],
        "challenging": services.cities_challenging_as(user, election),
    }
