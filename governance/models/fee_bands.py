"""Membership fee bands, as the statute profile stores them (`StatuteProfile.fee_bands`): a list
of {"up_to": population or None, "amount": "500.00"}, read from the form's lines and back."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _


def parse_fee_bands(text: str) -> list[dict]:
    """The fee bands typed in the form: one per line, "LARGEST_POPULATION AMOUNT", "*" last.

    "50000 500" / "200000 750" / "* 1000" -> [{"up_to": 50000, "amount": "500.00"}, ...].
    A single "* 800" is a flat fee. ValueError with a readable message otherwise.
    """
    bands: list[dict] = []
    previous = 0
    for number, line in enumerate(filter(None, (x.strip() for x in text.splitlines())), 1):
        parts = line.replace(",", "").split()
        if len(parts) != 2:
            raise ValueError(_("Line %(n)s: write a population and an amount.") % {"n": number})
        limit, amount = parts
        if bands and bands[-1]["up_to"] is None:
            raise ValueError(_("Line %(n)s: the band with * must be the last.") % {"n": number})
        try:
            value = Decimal(amount).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise ValueError(_("Line %(n)s: the amount is not a number.") % {"n": number}) from exc
        if not Decimal(0) <= value < Decimal("1000000"):
            raise ValueError(_("Line %(n)s: the amount is out of range.") % {"n": number})
        if limit == "*":
            up_to = None
        else:
            if not limit.isdigit() or len(limit) > 10 or int(limit) <= previous:
                raise ValueError(
                    _("Line %(n)s: populations must be whole numbers, in increasing order.")
                    % {"n": number}
                )
            up_to = previous = int(limit)
        bands.append({"up_to": up_to, "amount": str(value)})
    return bands


def format_fee_bands(bands: list[dict]) -> str:
    return "\n".join(f"{'*' if b['up_to'] is None else b['up_to']} {b['amount']}" for b in bands)


def fee_for_population(bands: list[dict], population: int | None) -> Decimal | None:
    """The yearly fee of a city of this population.

    None when no band applies, or when the population is unknown and the fee depends on it
    (a flat fee, a single "*" band, applies to every city).
    """
    if population is None:
        flat = len(bands) == 1 and bands[0]["up_to"] is None
        return Decimal(bands[0]["amount"]) if flat else None
    for band in bands:
        if band["up_to"] is None:
            return Decimal(band["amount"])
        if population <= band["up_to"]:
            return Decimal(band["amount"])
    return None
