"""Private helpers of the delegates package: a certification's email context, its row lock, its
dates checked and written out."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition.mail import absolute_url
from governance.models import (
    CertificationScope,
    DelegateCertification,
)
from governance.services.common import GovernanceError


def _context(certification: DelegateCertification) -> dict:
    return {
        "certification": certification,
        "city_url": absolute_url(
            reverse("governance:city_delegates", kwargs={"city_pk": certification.city_id})
        ),
        "review_url": absolute_url(
            reverse("governance:certification_review", kwargs={"pk": certification.pk})
        ),
        "dashboard_url": absolute_url(reverse("dashboard")),
    }


def _check_dates(valid_from: dt.date, valid_until: dt.date | None, scope: str) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise GovernanceError(
            _("The certification cannot end before it starts."), field="valid_until"
        )
    if scope == CertificationScope.SESSION and valid_until is None:
        raise GovernanceError(
            _("A certification for one session needs the session's last day."),
            field="valid_until",
        )


def _lock(certification: DelegateCertification) -> DelegateCertification:
    return (
        DelegateCertification.objects.select_for_update()
        .select_related("city", "coalition", "person")
        .get(pk=certification.pk)
    )


def _date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")
