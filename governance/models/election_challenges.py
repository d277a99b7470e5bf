"""After the count: the four-eyes release of an election's result, and the cities' challenges.

The result of a counted election stays with the returning officer (the coalition's bureau)
and the tellers until the officer releases it and a teller who is not the officer confirms
it (`ElectionRelease`); the challenge period then runs. A member city may challenge the
election in that period (`ElectionChallenge`); the bureau records the steering committee's
decision on each. ADR 0013, "Release and challenges".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.admissions import private_storage
from governance.models.elections import Election
from members.models import City


class ElectionRelease(models.Model):
    """Who released a counted election's result and who confirmed it (two different people)."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="release")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Four eyes, in the database too: the confirming teller is not the releasing officer.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("released_by")),
                name="election_release_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="election_release_confirmed_together",
            ),
        ]

    def __str__(self) -> str:
        return f"release of {self.election_id}"


class ChallengeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the committee's decision")
    REJECTED = "rejected", _("Rejected")
    UPHELD = "upheld", _("Upheld: the election is void")


def evidence_path(instance, filename: str) -> str:
    return f"elections/{instance.election_id}/challenges/{filename}"


class ElectionChallenge(models.Model):
    """A member city's challenge of a published result, and the committee's decision on it."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="challenges")
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    grounds = models.TextField(_("grounds"), max_length=8000)
    evidence = models.FileField(
        _("evidence (PDF)"), storage=private_storage, upload_to=evidence_path, blank=True
    )
    evidence_filename = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.PENDING
    )
    #: The steering committee decides; the bureau records the decision, its date and reasons.
    committee_decided_on = models.DateField(_("committee's decision of"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons of the decision"), max_length=8000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("election challenge")
        verbose_name_plural = _("election challenges")
        ordering = ["election", "filed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (
                    ~Q(status="pending")
                    & Q(decided_at__isnull=False, committee_decided_on__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="election_challenge_decided_with_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"challenge by {self.city} of {self.election}"
