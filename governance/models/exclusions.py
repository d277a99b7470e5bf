"""Exclusion proposals, and the decisions of bodies that change a membership."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models.committee import CommitteeSeat
from members.models import Coalition, Membership


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for the bureau to open the vote")
    UNDER_VOTE = "under_vote", _("Under the steering committee's vote")
    NOT_ADOPTED = "not_adopted", _("Not adopted by the steering committee")
    AWAITING_ASSEMBLY = "awaiting_assembly", _("Adopted: awaiting the general conference")
    EXCLUDED = "excluded", _("Exclusion decided")
    DECLINED = "declined", _("Exclusion declined by the general conference")


#: A membership can have at most one proposal in these statuses.
OPEN_PROPOSAL_STATUSES = (
    ProposalStatus.PROPOSED,
    ProposalStatus.UNDER_VOTE,
    ProposalStatus.AWAITING_ASSEMBLY,
)


class ProposalQuerySet(models.QuerySet):
    def for_lists(self):
        return self.select_related("coalition", "membership__city", "proposed_by")


class ExclusionProposal(models.Model):
    """A committee member's proposal to exclude a member city, with the grounds.

    The committee votes on it (the city concerned recused). If adopted it goes to
    the next general conference or assembly, whose decision the bureau records.
    """

    coalition = models.ForeignKey(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.PROTECT,
        related_name="exclusion_proposals",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="exclusion_proposals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposer_seat = models.ForeignKey(
        CommitteeSeat,
        verbose_name=_("on behalf of the seat"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("exclusion proposal")
        verbose_name_plural = _("exclusion proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status__in=["proposed", "under_vote", "awaiting_assembly"]),
                name="exclusion_one_open_proposal_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"Exclusion of {self.membership.city} from {self.coalition}"

    def get_absolute_url(self) -> str:
        return reverse("governance:exclusion_detail", kwargs={"pk": self.pk})

    @property
    def status_badge(self) -> str:
        badges: dict[str, str] = {
            ProposalStatus.EXCLUDED: "error",
            ProposalStatus.AWAITING_ASSEMBLY: "warn",
            ProposalStatus.NOT_ADOPTED: "ok",
            ProposalStatus.DECLINED: "ok",
        }
        return badges.get(self.status, "info")


class DecidingBody(models.TextChoices):
    GENERAL_CONFERENCE = "general_conference", _("General Conference")
    GENERAL_ASSEMBLY = "general_assembly", _("General Assembly")
    STEERING_COMMITTEE = "steering_committee", _("Steering Committee")
    BUREAU = "bureau", _("Bureau")
    CITY = "city", _("The city's own notice")


class DecisionKind(models.TextChoices):
    EXCLUSION = "exclusion", _("Exclusion")
    EXCLUSION_DECLINED = "exclusion_declined", _("Exclusion declined")
    SUSPENSION = "suspension", _("Suspension")
    REINSTATEMENT = "reinstatement", _("End of suspension")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class MembershipDecision(models.Model):
    """A decision about a membership taken outside the portal and recorded by bureau staff.

    The membership's history entry points to it (MembershipStatusChange.decision).
    """

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    kind = models.CharField(_("decision"), max_length=30, choices=DecisionKind.choices)
    body = models.CharField(_("decided by"), max_length=30, choices=DecidingBody.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("The meeting, resolution number or letter the decision comes from."),
    )
    reason = models.TextField(_("reason"))
    exclusion_proposal = models.ForeignKey(
        ExclusionProposal,
        verbose_name=_("exclusion proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership decision")
        verbose_name_plural = _("membership decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.membership.city} ({self.decided_on})"
