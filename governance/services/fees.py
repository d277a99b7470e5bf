"""Membership fees: the bureau records what each city owes, pays or is excused from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import FeeStatus, MembershipFee, StatuteProfile
from governance.models.fee_bands import fee_for_population
from governance.services.common import GovernanceError
from members.models import City, Coalition, Membership, MembershipStatus


@transaction.atomic
def record_fee(
    *,
    actor,
    coalition: Coalition,
    city: City,
    year: int,
    status: str,
    amount: Decimal | None = None,
    paid_on: dt.date | None = None,
    note: str | None = None,
) -> MembershipFee:
    """Record a city's fee for a year as due, paid (on a date) or waived.

    Changes the year's fee when there is one (amount and note kept unless given),
    creates it otherwise (then `amount` is required).
    """
    if status not in FeeStatus.values:
        raise GovernanceError(_("Unknown fee status."), field="status")
    if status == FeeStatus.PAID:
        paid_on = paid_on or timezone.localdate()
        if paid_on > timezone.localdate():
            raise GovernanceError(_("A payment cannot be dated in the future."), field="paid_on")
    else:
        paid_on = None
    if amount is not None and amount < 0:
        raise GovernanceError(_("An amount cannot be negative."), field="amount")
    fee = (
        MembershipFee.objects.select_for_update()
        .filter(coalition=coalition, city=city, year=year)
        .first()
    )
    fields = {
        "status": status,
        "paid_on": paid_on,
        "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    if amount is not None:
        fields["amount"] = amount
    if note is not None:
        fields["note"] = note.strip()
    before = ""
    if fee is None:
        if amount is None:
            raise GovernanceError(_("Give the amount of the fee."), field="amount")
        Coalition.objects.select_for_update().get(pk=coalition.pk)  # one creator at a time
        profile = StatuteProfile.current_for(coalition)
        fee = MembershipFee.objects.create(
            coalition=coalition, city=city, year=year, currency=profile.fee_currency, **fields
        )
    else:
        before = fee.status
        model_update(fee, fields=fields, actor=actor)
    audit.record(
        actor=actor,
        target=fee,
        verb="fee.recorded",
        from_state=before,
        to_state=status,
        message=fee.note,
        data={
            "year": year,
            "city_id": city.pk,
            "amount": str(fee.amount),
            "currency": fee.currency,
            "paid_on": paid_on.isoformat() if paid_on else None,
        },
    )
    return fee


@dataclass
class FeeGeneration:
    created: int = 0
    existing: int = 0
    without_amount: list[City] = field(default_factory=list)  # no band fits: record by hand


@transaction.atomic
def generate_fees_for_year(
    *, actor, coalition: Coalition, year: int, flat_amount: Decimal | None = None
) -> FeeGeneration:
    """Create the year's due fee of every member city that has none (idempotent).

    The amount is `flat_amount` when given, else the band of the city's population in
    the profile in force (today, or on 31 December for a past year). Cities no band
    fits (population unknown) are left for the bureau to record by hand.
    """
    if flat_amount is not None and flat_amount < 0:
        raise GovernanceError(_("An amount cannot be negative."), field="flat_amount")
    Coalition.objects.select_for_update().get(pk=coalition.pk)
    on = min(timezone.localdate(), dt.date(year, 12, 31))
    profile = StatuteProfile.current_for(coalition, on)
    if flat_amount is None and not profile.fee_bands:
        raise GovernanceError(
            _("The statute profile sets no fees: give a flat amount."), field="flat_amount"
        )
    existing = set(
        MembershipFee.objects.filter(coalition=coalition, year=year).values_list(
            "city_id", flat=True
        )
    )
    result = FeeGeneration()
    new = []
    for membership in (
        Membership.objects.filter(
            coalition=coalition,
            status__in=[MembershipStatus.MEMBER, MembershipStatus.SUSPENDED],
        )
        .select_related("city")
        .order_by("city__name")
    ):
        city = membership.city
        if city.pk in existing:
            result.existing += 1
            continue
        amount = (
            flat_amount
            if flat_amount is not None
            else fee_for_population(profile.fee_bands, city.population)
        )
        if amount is None:
            result.without_amount.append(city)
            continue
        new.append(
            MembershipFee(
                coalition=coalition,
                city=city,
                year=year,
                amount=amount,
                currency=profile.fee_currency,
                status=FeeStatus.DUE,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    MembershipFee.objects.bulk_create(new)
    result.created = len(new)
    if new:
        audit.record(
            actor=actor,
            target=coalition,
            verb="fees.generated",
            message=_("Fees for %(year)s") % {"year": year},
            data={
                "year": year,
                "flat_amount": str(flat_amount) if flat_amount is not None else None,
                "profile_version": profile.version,
                "fees": [[fee.city_id, str(fee.amount)] for fee in new],
            },
        )
    return result
