"""A session's agenda: its items (kind, status, whether announced or added in session) and
their documents, checked uploads in private storage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.translated import source_language_field
from governance.models.admissions import private_storage
from governance.models.assemblies import AssemblySession, agenda_document_upload_to


class AgendaItemKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DEBATE = "debate", _("Debate")
    MOTION = "motion", _("Motion")
    STATUTE_CHANGE = "statute_change", _("Change of the statute")
    BUDGET = "budget", _("Budget and accounts")
    ELECTION = "election", _("Election")
    EXCLUSION = "exclusion", _("Exclusion of a member city")
    AWARD = "award", _("Award")
    MINUTES = "minutes", _("Approval of the minutes")
    OTHER = "other", _("Any other business")


class AgendaItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (not yet announced)")
    ANNOUNCED = "announced", _("Announced in the convocation")
    PENDING_APPROVAL = "pending_approval", _("Added at the session: awaiting the procedural vote")
    ADDED_IN_SESSION = "added_in_session", _("Added at the session by a procedural vote")
    REFUSED = "refused", _("Not added: the procedural vote failed")
    WITHDRAWN = "withdrawn", pgettext_lazy("agenda item status", "Withdrawn")
    DECIDED = "decided", _("Decided")


class AgendaItem(models.Model):
    session = models.ForeignKey(
        AssemblySession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source_language = source_language_field()
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgendaItemStatus.choices,
        default=AgendaItemStatus.PLANNED,
    )
    #: Set at convening for every item then on the agenda; never changed afterwards.
    announced = models.BooleanField(_("announced in the convocation"), default=False)
    #: An item added at the session, carried by the procedural vote (the profile's majority).
    late_item_approved = models.BooleanField(_("added by a procedural vote"), default=False)
    #: The procedural vote on a late item: {"yes": n, "no": n, "abstain": n, "majority": ...}.
    late_item_vote = models.JSONField(_("procedural vote"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    #: The committee's adopted proposal this item puts to the assembly (the exclusion loop).
    exclusion_proposal = models.ForeignKey(
        "governance.ExclusionProposal",
        verbose_name=_("exclusion proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(late_item_approved=True) | Q(announced=False),
                name="agenda_late_item_not_announced",
            ),
            models.UniqueConstraint(
                fields=["session", "exclusion_proposal"],
                condition=Q(exclusion_proposal__isnull=False),
                name="agenda_exclusion_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def is_late(self) -> bool:
        return self.status in (
            AgendaItemStatus.PENDING_APPROVAL,
            AgendaItemStatus.ADDED_IN_SESSION,
            AgendaItemStatus.REFUSED,
        )

    @property
    def may_be_decided(self) -> bool:
        """The assembly may decide on it: announced, or added at the session by its vote."""
        if self.status not in (AgendaItemStatus.ANNOUNCED, AgendaItemStatus.ADDED_IN_SESSION):
            return False
        return self.announced or self.late_item_approved


class AgendaDocument(models.Model):
    """A document of an agenda item: a checked PDF in the private storage."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=agenda_document_upload_to, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Otherwise only the bureau and the member cities' people see it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
