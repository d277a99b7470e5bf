"""Memberships, the actions a city chose when it joined, and the history of each status change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cities import City
from .coalitions import Coalition, Commitment, PlanOfAction


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", pgettext_lazy("membership status", "Applicant")
    MEMBER = "member", _("Member")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("membership status", "Withdrawn")
    EXCLUDED = "excluded", _("Excluded")


#: Statuses of a membership that still binds the city (at most one per coalition).
CURRENT_STATUSES = (
    MembershipStatus.APPLICANT,
    MembershipStatus.MEMBER,
    MembershipStatus.SUSPENDED,
)
#: Statuses shown publicly as membership. Applicants are private; the rest have left.
PUBLIC_STATUSES = (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)

    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)


class Membership(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="memberships")
    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, db_index=True
    )
    signed_on = models.DateField(_("signed the plan on"), null=True, blank=True, db_index=True)
    plan = models.ForeignKey(
        PlanOfAction,
        verbose_name=_("plan version signed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    report_overdue_since = models.DateField(
        _("annual report overdue since"),
        null=True,
        blank=True,
        help_text=_(
            "Set by the reporting cycle while the city's annual report is overdue beyond the "
            "grace period; cleared when it is submitted."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["coalition", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "coalition"],
                condition=Q(status__in=["applicant", "member", "suspended"]),
                name="membership_one_current_per_city_and_coalition",
            )
        ]
        indexes = [models.Index(fields=["coalition", "status"])]

    def __str__(self) -> str:
        return f"{self.city} in {self.coalition} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class ChosenAction(models.Model):
    """An action a city committed to under a commitment when it signed (the act of accession)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="chosen_actions"
    )
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("action"))

    class Meta:
        verbose_name = _("chosen action")
        verbose_name_plural = _("chosen actions")
        ordering = ["commitment__number", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class MembershipStatusChange(models.Model):
    """One dated step in a membership's history, tied to the decision that made it."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=20, choices=MembershipStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MembershipStatus.choices)
    effective_on = models.DateField(_("effective on"))
    changed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    decision_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_id = models.CharField(max_length=40, blank=True)
    decision = GenericForeignKey("decision_type", "decision_id")

    class Meta:
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership history")
        ordering = ["membership", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.membership}: {self.from_status or '-'} -> {self.to_status}"
