"""Polls of the General Assembly: one ballot per member city, cast by its card holder.

A poll is opened by the chair on an agenda item that may be decided, with the session
quorate; its electorate is frozen when it opens (`PollElector`: the cities with voting
rights present, minus the city an exclusion concerns). A city's ballot is cast by the
person holding its voting card, or entered by the chair from a vote given by hand and
then confirmed by a teller. At the close the result is computed once and stored with
its rule and arithmetic; the chair releases it and a teller confirms before anyone but
the chair and the tellers sees it. See docs/decisions/0015-assembly-polls.md.

State changes are governance.engine.polls (through governance.services.polls).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models.admissions import private_storage
from governance.models.agenda import AgendaItem
from governance.models.assemblies import AssemblySession
from members.models import City


class PollKind(models.TextChoices):
    MOTION = "motion", _("Motion")
    AMENDMENT = "amendment", _("Amendment")
    PROCEDURAL = "procedural", _("Procedural question")
    LATE_ITEM = "late_item", _("Adding an item to the agenda")
    EXCLUSION = "exclusion", _("Exclusion of a member city")
    CHOICE = "choice", _("Choice among options")


class PollStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("poll status", "Open")
    CLOSED = "closed", _("Closed: the result awaits its release")
    RELEASED = "released", _("Released by the chair: awaiting a teller")
    PUBLISHED = "published", _("Result public")
    CANCELLED = "cancelled", pgettext_lazy("poll status", "Cancelled")


#: Statuses in which the chair and the tellers see the result (everyone once published).
RESULT_STATUSES = (PollStatus.CLOSED, PollStatus.RELEASED, PollStatus.PUBLISHED)


class PollQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PollStatus.OPEN)


class AssemblyPoll(models.Model):
    """One question put to the member cities present at a session."""

    session = models.ForeignKey(
        AssemblySession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="polls"
    )
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="polls"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PollKind.choices)
    #: rules.AssemblyDecisionKind: which majority of the statute applies.
    decision_kind = models.CharField(_("kind of decision"), max_length=20)
    question = models.CharField(_("question"), max_length=300)
    named = models.BooleanField(
        _("named (roll-call) poll"),
        default=True,
        help_text=_("The result lists each city's vote; otherwise only the totals."),
    )
    subject_city = models.ForeignKey(
        City,
        verbose_name=_("city concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Recused from the poll."),
    )
    #: What a motion or amendment poll decides (the motions' voting order chose it).
    motion = models.ForeignKey(
        "governance.Motion",
        verbose_name=_("motion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
    )
    amendment = models.ForeignKey(
        "governance.Amendment",
        verbose_name=_("amendment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PollStatus.choices, default=PollStatus.OPEN
    )
    #: The session's statute snapshot, copied when the poll opens.
    statute_snapshot = models.JSONField(_("statute profile at opening"), default=dict)
    rule = models.JSONField(_("decision rule"), default=dict)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    quorum_at_opening = models.JSONField(_("quorum at opening"), default=dict)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    #: "adopted" / "rejected" for yes-no polls; "option:<pk>" or "tie" for a choice.
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    arithmetic = models.TextField(_("arithmetic"), blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed by a teller"), null=True, blank=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("assembly poll")
        verbose_name_plural = _("assembly polls")
        ordering = ["session", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status="open"),
                name="poll_one_open_per_session",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"], outcome="")
                | (
                    Q(status__in=["closed", "released", "published"], closed_at__isnull=False)
                    & ~Q(outcome="")
                ),
                name="poll_outcome_only_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(released_at__isnull=False, confirmed_at__isnull=False),
                name="poll_published_was_released_and_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("governance:poll_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == PollStatus.PUBLISHED

    @property
    def is_choice(self) -> bool:
        return self.kind == PollKind.CHOICE


class PollOption(models.Model):
    """One option of a choice poll (a candidate city for an award, for instance)."""

    poll = models.ForeignKey(AssemblyPoll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("option"), max_length=200)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["poll", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position"),
        ]

    def __str__(self) -> str:
        return self.label


class PollElector(models.Model):
    """One city of a poll's electorate, frozen when the poll opens (never changed).

    Each cast locks its city's row, so two people of one city are served one after the
    other; the close locks them all, so no ballot slips in after the count.
    """

    poll = models.ForeignKey(AssemblyPoll, on_delete=models.CASCADE, related_name="electors")
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    #: ElectorStatus: eligible or recused; ElectorReason-like: why.
    status = models.CharField(_("status"), max_length=10)
    reason = models.CharField(_("why"), max_length=20)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("poll elector")
        verbose_name_plural = _("poll electors")
        ordering = ["poll", "city__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "city"], name="poll_elector_once_per_city"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.city_id} {self.status}"


class BallotVia(models.TextChoices):
    CARD = "card", _("Cast by the card holder")
    HAND = "hand", _("Given by hand, entered by the chair")
    PROXY = "proxy", _("Cast by proxy, by the holder city's card holder")


class CityBallot(models.Model):
    """A member city's ballot on a poll: one per city, by constraint; never changed once cast.

    Records both the person who acted and the city represented. A vote given by hand is
    entered by the chair and counts once a teller has confirmed it.
    """

    poll = models.ForeignKey(AssemblyPoll, on_delete=models.PROTECT, related_name="ballots")
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=10, blank=True)
    option = models.ForeignKey(
        PollOption, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    via = models.CharField(_("how"), max_length=10, choices=BallotVia.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cast by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The `CardHolding` the ballot was cast under. Not a foreign key on purpose: its check
    #: would lock the card's row against a handover (FOR KEY SHARE against FOR UPDATE) and,
    #: with the audit log's append lock, two casts and a handover could deadlock.
    holding_ref = models.PositiveBigIntegerField(_("voting card"), null=True, blank=True)
    #: The `Proxy` a ballot by proxy was cast under (a plain integer, for the same reason).
    proxy_ref = models.PositiveBigIntegerField(_("proxy"), null=True, blank=True)
    cast_at = models.DateTimeField(_("cast"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("city ballot")
        verbose_name_plural = _("city ballots")
        ordering = ["poll", "city__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "city"], name="poll_one_ballot_per_city"),
            models.CheckConstraint(
                condition=(~Q(choice="") & Q(option__isnull=True))
                | (Q(choice="") & Q(option__isnull=False)),
                name="poll_ballot_choice_or_option",
            ),
            models.CheckConstraint(
                condition=~Q(via="card") | Q(holding_ref__isnull=False),
                name="poll_card_ballot_names_the_card",
            ),
            models.CheckConstraint(
                condition=~Q(via="proxy") | Q(holding_ref__isnull=False, proxy_ref__isnull=False),
                name="poll_proxy_ballot_names_card_and_proxy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.city_id}"

    @property
    def counts(self) -> bool:
        return self.via != BallotVia.HAND or self.confirmed_at is not None


def reply_upload_to(instance, filename: str) -> str:
    return f"governance/replies/{timezone.now():%Y/%m}/{instance.item_id}.pdf"


class ExclusionReply(models.Model):
    """The written reply of the city an exclusion concerns, attached to the agenda item."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="replies"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("reply"), blank=True, max_length=20000)
    file = models.FileField(
        _("reply as a PDF"),
        storage=private_storage,
        upload_to=reply_upload_to,
        blank=True,
        max_length=255,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)

    class Meta:
        verbose_name = _("reply to an exclusion proposal")
        verbose_name_plural = _("replies to exclusion proposals")
        ordering = ["item", "filed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="exclusion_reply_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.filed_at:%Y-%m-%d})"
