"""The bureau's fees pages: who owes what for a year, payments and waivers, the CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalition.csvcells import neutralise
from governance import access, services
from governance.models import FeeStatus, MembershipFee, StatuteProfile
from governance.statute_forms import FeeGenerationForm, FeeRecordForm, year_choices
from governance.views.decorators import bureau_required
from members.models import Membership, MembershipStatus


def _filters(request) -> tuple[int, str]:
    """The year and status asked for, falling back to this year and every status."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    if not 1990 <= year <= 2200:
        year = today.year
    status = request.GET.get("status", "")
    return year, status if status in FeeStatus.values else ""


def _list_url(coalition, year: int) -> str:
    return reverse("governance:fee_list", kwargs={"slug": coalition.slug}) + f"?year={year}"


def _fees(coalition, year: int, status: str):
    fees = MembershipFee.objects.filter(coalition=coalition, year=year).for_lists()
    return fees.filter(status=status) if status else fees


@bureau_required
def fee_list(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    year, status = _filters(request)
    fees = list(_fees(coalition, year, status).order_by("city__name"))
    totals: dict[str, Any] = {
        row["status"]: row
        for row in MembershipFee.objects.filter(coalition=coalition, year=year)
        .values("status")
        .annotate(count=Count("id"), total=Sum("amount"))
    }
    without_fee = list(
        Membership.objects.filter(
            coalition=coalition, status__in=[MembershipStatus.MEMBER, MembershipStatus.SUSPENDED]
        )
        .exclude(city__fees__coalition=coalition, city__fees__year=year)
        .select_related("city")
        .order_by("city__name")
    )
    profile = StatuteProfile.current_for(coalition)
    return render(
        request,
        "governance/fee_list.html",
        {
            "coalition": coalition,
            "year": year,
            "status": status,
            "years": year_choices(),
            "statuses": FeeStatus.choices,
            "fees": fees,
            "totals": [
                (label, totals.get(value, {}).get("count", 0), totals.get(value, {}).get("total"))
                for value, label in FeeStatus.choices
            ],
            "currency": profile.fee_currency,
            "without_fee": without_fee,
            "generate_form": FeeGenerationForm(initial={"year": year}),
            "voting_rights_need_fee": profile.requires_fee_paid,
        },
    )


@require_POST
@bureau_required
def fee_generate(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    form = FeeGenerationForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(map(str, errors))
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect("governance:fee_list", slug=coalition.slug)
    year = form.cleaned_data["year"]
    try:
        result = services.generate_fees_for_year(
            actor=request.user,
            coalition=coalition,
            year=year,
            flat_amount=form.cleaned_data["flat_amount"],
        )
    except services.GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s fee created for %(year)s.",
                "%(count)s fees created for %(year)s.",
                result.created,
            )
            % {"count": result.created, "year": year},
        )
        if result.without_amount:
            messages.warning(
                request,
                _("No fee band fits these cities (population unknown): %(names)s.")
                % {"names": ", ".join(city.name for city in result.without_amount)},
            )
    return redirect(_list_url(coalition, year))


@bureau_required
def fee_record(request, pk: int):
    fee = access.get_fee_for_user(request.user, pk)
    form = FeeRecordForm(
        request.POST or None,
        initial={
            "status": FeeStatus.PAID if fee.status == FeeStatus.DUE else fee.status,
            "amount": fee.amount,
            "paid_on": fee.paid_on,
            "note": fee.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_fee(
                actor=request.user,
                coalition=fee.coalition,
                city=fee.city,
                year=fee.year,
                status=data["status"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                note=data["note"],
            )
        except services.GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The fee was recorded."))
            return redirect(_list_url(fee.coalition, fee.year))
    return render(request, "governance/fee_record.html", {"fee": fee, "form": form})


@bureau_required
def fee_export(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    year, status = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fees-{coalition.slug}-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(["city", "country", "year", "amount", "currency", "status", "paid_on", "note"])
    for fee in _fees(coalition, year, status).order_by("city__name"):
        writer.writerow(
            neutralise(value)
            for value in (
                fee.city.name,
                str(fee.city.country),
                fee.year,
                str(fee.amount),
                fee.currency,
                fee.status,
                fee.paid_on.isoformat() if fee.paid_on else "",
                fee.note,
            )
        )
    return response
