"""The steering committee: its seats and terms, and the coalition's decision rule."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.rules import DEFAULT_RULE, MajorityRule, QuorumRule, Rule
from members.models import City, Coalition


class SeatKind(models.TextChoices):
    VOTING = "voting", _("Voting member")
    OBSERVER = "observer", _("Observer")
    ADVISER = "adviser", _("Scientific adviser")


class SeatQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def voting(self):
        return self.filter(kind=SeatKind.VOTING)

    def for_display(self):
        return self.select_related("city", "representative", "coalition")


class CommitteeSeat(models.Model):
    """A seat on a coalition's steering committee for a term.

    Held by a member city (or, as observer, a partner institution such as
    UNESCO) and represented by a person. Seats are never deleted: a term ends.
    """

    coalition = models.ForeignKey(
        Coalition, on_delete=models.PROTECT, related_name="committee_seats"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    institution = models.CharField(
        _("partner institution"),
        max_length=200,
        blank=True,
        help_text=_("For a seat held by a partner rather than a city, e.g. UNESCO."),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SeatKind.choices)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    #: The election the seat was won in (none for seats the bureau recorded).
    election = models.ForeignKey(
        "governance.Election",
        verbose_name=_("election"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="won_seats",
    )

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("steering committee seat")
        verbose_name_plural = _("steering committee seats")
        ordering = ["coalition", "-starts_on", "city__name", "institution"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(city__isnull=False) & Q(institution=""))
                | (Q(city__isnull=True) & ~Q(institution="") & ~Q(kind="voting")),
                name="seat_held_by_city_or_non_voting_institution",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="seat_term_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.get_kind_display()}, {self.coalition})"

    @property
    def holder_name(self) -> str:
        return self.city.name if self.city is not None else self.institution

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    @property
    def is_voting(self) -> bool:
        return self.kind == SeatKind.VOTING


class DecisionRule(models.Model):
    """How a coalition's steering committee decides. Without a row, `DEFAULT_RULE` applies.

    A vote copies the rule when it opens, so a later change never alters a
    running or closed vote. The definitions are in governance.rules.
    """

    coalition = models.OneToOneField(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.CASCADE,
        related_name="decision_rule",
    )
    quorum = models.CharField(
        _("quorum"),
        max_length=20,
        choices=QuorumRule.choices,
        default=QuorumRule.MORE_THAN_HALF,
    )
    abstentions_count_for_quorum = models.BooleanField(
        _("abstentions count for the quorum"), default=True
    )
    majority = models.CharField(
        _("majority"),
        max_length=20,
        choices=MajorityRule.choices,
        default=MajorityRule.SIMPLE,
    )
    default_vote_days = models.PositiveSmallIntegerField(
        _("default length of a vote (days)"),
        default=14,
        help_text=_("The closing date the bureau is offered when it opens a vote."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision rule")
        verbose_name_plural = _("decision rules")

    def __str__(self) -> str:
        return f"{self.coalition}: {self.get_quorum_display()}, {self.get_majority_display()}"

    def as_rule(self) -> Rule:
        return Rule(
            quorum=self.quorum,
            abstentions_count_for_quorum=self.abstentions_count_for_quorum,
            majority=self.majority,
        )

    @classmethod
    def rule_for(cls, coalition: Coalition) -> Rule:
        configured = cls.objects.filter(coalition=coalition).first()
        return configured.as_rule() if configured else DEFAULT_RULE

    @classmethod
    def vote_days_for(cls, coalition: Coalition) -> int:
        configured = cls.objects.filter(coalition=coalition).first()
        return configured.default_vote_days if configured else 14
