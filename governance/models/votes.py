"""Committee votes on admissions and exclusion proposals: ballots, comments, reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.translated import source_language_field
from governance.models.admissions import AdmissionApplication
from governance.models.committee import CommitteeSeat
from governance.rules import Outcome, Rule
from members.models import City, Coalition


class VoteKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    EXCLUSION = "exclusion", _("Exclusion proposal")


class VoteStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("vote status", "Open")
    CLOSED = "closed", pgettext_lazy("vote status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("vote status", "Cancelled")


class CloseReason(models.TextChoices):
    DEADLINE = "deadline", _("The closing date was reached")
    ALL_VOTED = "all_voted", _("Every voting seat had voted")
    CANCELLED = "cancelled", _("The matter was withdrawn")


class VoteQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=VoteStatus.OPEN)

    def due(self, now=None):
        return self.open().filter(closes_at__lte=now or timezone.now())

    def for_lists(self):
        return self.select_related(
            "coalition", "subject_city", "application", "exclusion_proposal__membership__city"
        )


class CommitteeVote(models.Model):
    """One decision put to a coalition's steering committee.

    The rule is copied from the coalition when the vote opens. On closing the
    outcome and the count are computed once and stored with that rule; after
    that nothing about the vote changes (services refuse it, the admin is read-only).
    """

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="votes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VoteKind.choices)
    application = models.ForeignKey(
        AdmissionApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    exclusion_proposal = models.ForeignKey(
        "governance.ExclusionProposal",
        verbose_name=_("exclusion proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    subject_city = models.ForeignKey(
        City,
        verbose_name=_("city concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A seat held by this city is recused from the vote."),
    )
    question = models.CharField(_("question"), max_length=300)
    source_language = source_language_field()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VoteStatus.choices, default=VoteStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("closed because"), max_length=20, choices=CloseReason.choices, blank=True
    )
    rule = models.JSONField(_("decision rule"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee vote")
        verbose_name_plural = _("committee votes")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="admission",
                        application__isnull=False,
                        exclusion_proposal__isnull=True,
                    )
                    | Q(
                        kind="exclusion",
                        application__isnull=True,
                        exclusion_proposal__isnull=False,
                    )
                ),
                name="vote_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="open", outcome="", closed_at__isnull=True)
                    | (Q(status="closed", closed_at__isnull=False) & ~Q(outcome=""))
                    | Q(status="cancelled", outcome="", closed_at__isnull=False)
                ),
                name="vote_outcome_only_when_closed",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="open"),
                name="vote_one_open_per_application",
            ),
            models.UniqueConstraint(
                fields=["exclusion_proposal"],
                condition=Q(status="open"),
                name="vote_one_open_per_exclusion_proposal",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("governance:vote_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == VoteStatus.OPEN

    @property
    def rule_snapshot(self) -> Rule:
        return Rule.from_dict(self.rule)

    @property
    def subject(self):
        return self.application if self.kind == VoteKind.ADMISSION else self.exclusion_proposal

    @property
    def subject_name(self) -> str:
        if self.kind == VoteKind.ADMISSION:
            assert self.application is not None  # an admission vote has its application
            return self.application.city_display
        assert self.exclusion_proposal is not None  # and an exclusion vote its proposal
        return self.exclusion_proposal.membership.city.name


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    """A city's vote, cast through its seat; changed in place until the close.

    One city, one vote: the database refuses a second ballot of the same city on
    a vote (even through a second seat), as it refuses a second one per seat.
    Only cities hold voting seats, so every ballot has its city.
    """

    vote = models.ForeignKey(CommitteeVote, on_delete=models.PROTECT, related_name="ballots")
    seat = models.ForeignKey(CommitteeSeat, on_delete=models.PROTECT, related_name="ballots")
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cast by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("first cast"), default=timezone.now)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    times_changed = models.PositiveSmallIntegerField(_("times changed"), default=0)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["vote", "seat__city__name"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "seat"], name="ballot_one_per_seat_per_vote"),
            models.UniqueConstraint(fields=["vote", "city"], name="ballot_one_per_city_per_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.seat.holder_name}: {self.get_choice_display()}"


class Comment(models.Model):
    """A remark on a vote by a committee member (observers and advisers too) or bureau staff."""

    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seat = models.ForeignKey(
        CommitteeSeat, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class VoteReminder(models.Model):
    """The reminder sent to a seat that had not voted: at most one per seat and vote."""

    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="reminders")
    seat = models.ForeignKey(CommitteeSeat, on_delete=models.PROTECT, related_name="+")
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote reminder")
        verbose_name_plural = _("vote reminders")
        constraints = [
            models.UniqueConstraint(fields=["vote", "seat"], name="reminder_once_per_seat_and_vote")
        ]

    def __str__(self) -> str:
        return f"{self.vote} → {self.seat.holder_name}"


class ElectorStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("May vote")
    RECUSED = "recused", _("Recused")
    LEFT = "left", _("No longer in the electorate")


class ElectorReason(models.TextChoices):
    VOTING_SEAT = "voting_seat", _("Holds a current voting seat")
    SUBJECT_CITY = "subject_city", _("Its city is the subject of the vote")
    JOINED = "joined", _("Its voting seat started while the vote was open")
    LEFT = "left", _("Its voting seat ended while the vote was open")


class ElectorateStage(models.TextChoices):
    OPENING = "opening", _("When the vote opened")
    CLOSING = "closing", _("Changes found when the vote closed")


class ElectorateEntry(models.Model):
    """One line of a vote's electorate, written once and never changed.

    The engine writes the whole electorate when the vote opens (stage
    `opening`: who may vote, who is recused and why) and, when it closes, the
    differences it counted with (stage `closing`: seats that started or ended
    meanwhile). See docs/decisions/0004-vote-engine.md.
    """

    vote = models.ForeignKey(
        CommitteeVote, on_delete=models.CASCADE, related_name="electorate_entries"
    )
    stage = models.CharField(_("recorded"), max_length=10, choices=ElectorateStage.choices)
    seat = models.ForeignKey(CommitteeSeat, on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=ElectorStatus.choices)
    reason = models.CharField(_("why"), max_length=20, choices=ElectorReason.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("electorate entry")
        verbose_name_plural = _("electorate entries")
        ordering = ["vote", "stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "stage", "seat"], name="electorate_one_entry_per_seat_and_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.stage}: {self.seat_id} {self.status}"
