"""The bureau's completeness check of an application, item by item, before the committee votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models.admissions import AdmissionApplication


class CheckItem(models.TextChoices):
    LETTER_SIGNED = "letter_signed", _("The letter of commitment is signed by the mayor")
    ACTION_PER_COMMITMENT = (
        "action_per_commitment",
        _("At least one action is proposed under each commitment"),
    )
    FOCAL_POINT_REACHABLE = "focal_point_reachable", _("The focal point can be reached")
    COUNCIL_RESOLUTION = "council_resolution", _("The city council's resolution is at hand")


#: Which changes of a resubmitted application undo which ticks (the field names are those of
#: governance.services.applications.ApplicationDetails, plus "letter" and "actions").
#: A change of city undoes every tick.
CLEARED_BY = {
    CheckItem.LETTER_SIGNED: {"letter", "letter_signed_on"},
    CheckItem.ACTION_PER_COMMITMENT: {"actions"},
    CheckItem.FOCAL_POINT_REACHABLE: {"focal_point_name", "focal_point_email"},
    CheckItem.COUNCIL_RESOLUTION: {"letter", "country"},
}
CITY_FIELDS = {"city", "city_name", "country"}


class ApplicationCheck(models.Model):
    """One item of an application's check: ticked or not, by whom and when, with a note.

    One row per application and item, written by governance.services.application_checks
    (every change also reaches the audit log). `evidence` keeps what the portal itself
    found when the item was last ticked (the actions counted, the letter read).
    """

    application = models.ForeignKey(
        AdmissionApplication, on_delete=models.CASCADE, related_name="checks"
    )
    item = models.CharField(_("item"), max_length=40, choices=CheckItem.choices)
    checked = models.BooleanField(_("checked"), default=False)
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("what the portal found"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"))
    cleared_reason = models.CharField(
        _("why the tick was undone"),
        max_length=200,
        blank=True,
        help_text=_("Set when a resubmission changed what had been checked."),
    )

    class Meta:
        verbose_name = _("application check item")
        verbose_name_plural = _("application check items")
        ordering = ["application", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item"], name="application_check_one_row_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.item} ({'yes' if self.checked else 'no'})"
