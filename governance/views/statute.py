"""The bureau's statute profile: the version in force with its sources, the history, the edit."""

from __future__ import annotations

from django.contrib import messages
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from governance import access, services, statute_selectors
from governance.models import SOURCED_VALUES, StatuteProfile
from governance.statute_forms import StatuteProfileForm
from governance.views.decorators import bureau_required


def _model_field(name: str) -> models.Field:
    field = StatuteProfile._meta.get_field(name)
    assert isinstance(field, models.Field)  # the profile's values are its own columns
    return field


def _display(profile: StatuteProfile, name: str) -> str:
    field = _model_field(name)
    value = getattr(profile, name)
    if name == "fee_bands":
        if not value:
            return _("none set")
        parts = []
        for band in value:
            amount = f"{band['amount']} {profile.fee_currency}"
            if band["up_to"] is None:
                parts.append(_("above: %(amount)s") % {"amount": amount})
            else:
                limit = number_format(band["up_to"], force_grouping=True)
                parts.append(_("up to %(limit)s inhabitants: %(amount)s") % {
                    "limit": limit, "amount": amount
                })  # fmt: skip
        return "; ".join(parts)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "—"
    return str(value)


def profile_rows(profile: StatuteProfile) -> list[dict]:
    """One row per sourced value: its label, the values it covers as text, and the source."""
    rows = []
    for value in SOURCED_VALUES:
        fields = [
            (str(_model_field(name).verbose_name), _display(profile, name)) for name in value.fields
        ]
        source = profile.source_of(value.key)
        rows.append({"label": value.label, "fields": fields, "source": source})
    return rows


def _history(coalition) -> list[dict]:
    versions = list(
        StatuteProfile.objects.filter(coalition=coalition)
        .select_related("created_by")
        .order_by("version")
    )
    previous = StatuteProfile.german_law_defaults(coalition)
    history = []
    for version in versions:
        before, after = previous.values(), version.values()
        changed = [
            str(value.label)
            for value in SOURCED_VALUES
            if any(before[n] != after[n] for n in value.fields)
            or previous.source_of(value.key) != version.source_of(value.key)
        ]
        history.append({"profile": version, "changed": changed})
        previous = version
    history.reverse()
    return history


@bureau_required
def statute_profile(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    profile = StatuteProfile.current_for(coalition)
    history = _history(coalition)
    latest = history[0]["profile"] if history else None
    return render(
        request,
        "governance/statute_profile.html",
        {
            "coalition": coalition,
            "profile": profile,
            "rows": profile_rows(profile),
            "decisions": profile.decision_kinds(),
            "history": history,
            "scheduled": latest if latest and latest.version != profile.version else None,
        },
    )


@bureau_required
def statute_edit(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    latest = StatuteProfile.objects.filter(coalition=coalition).order_by("-version").first()
    start = latest or StatuteProfile.german_law_defaults(coalition)
    form = StatuteProfileForm(request.POST or None, coalition=coalition, profile=start)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        on = max(timezone.localdate(), data["valid_from"])
        preview = statute_selectors.impact(
            coalition, proposed=form.proposed_profile().snapshot(), on=on
        )
        if "save" in request.POST:
            try:
                services.update_statute_profile(
                    actor=request.user,
                    coalition=coalition,
                    values=form.values(),
                    sources=form.sources(),
                    valid_from=data["valid_from"],
                    adopted_on=data["adopted_on"],
                    note=data["note"],
                    based_on_version=data["based_on_version"],
                    confirm_loss_of_voting_rights=data["confirm"],
                )
            except services.GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("The new version of the statute profile was saved."))
                return redirect("governance:statute_profile", slug=coalition.slug)
    conditions = preview or statute_selectors.impact(coalition)
    return render(
        request,
        "governance/statute_edit.html",
        {
            "coalition": coalition,
            "form": form,
            "start": start,
            "preview": preview,
            "conditions": conditions,
        },
        status=200,
    )
