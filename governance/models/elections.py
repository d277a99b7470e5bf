"""Elections of the steering committee: the election, its candidacies, its sealed ballots.

Secrecy by construction (ADR 0013): a `SealedBallot` holds only the ciphertext the browser
made (and its receipt) against the city; an `OpenedBallot`, written once by the tally in a
shuffled order, holds the tracker and the choices and has no link to a city or a sealed
ballot. The private key is never stored (governance.elections.crypto).
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
from governance.models.committee import CommitteeSeat
from members.models import City, Coalition


class ElectionMethod(models.TextChoices):
    APPROVAL = "approval", _("Approval (mark up to as many candidates as there are seats)")
    PLURALITY = "plurality", _("Plurality (one office, one choice)")
    STV = "stv", _("Single transferable vote (Scottish STV)")


class ElectionBody(models.TextChoices):
    COMMITTEE = "committee", _("Steering committee")
    #: The committee elects its officers: the electorate is its voting seats.
    OFFICERS = "officers", _("Officers of the steering committee")


class OfficerOffice(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-President")


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("election status", "Draft")
    CANDIDACY = "candidacy", _("Call for candidates open")
    PUBLISHED = "published", _("Candidates published")
    VOTING = "voting", _("Voting open")
    CLOSED = "closed", _("Voting closed, awaiting the tellers")
    #: Four-eyes release (election_release.py): counted but seen only by the returning
    #: officer and the tellers until the officer releases and another teller confirms.
    TALLIED = "tallied", _("Counted, awaiting release")
    RELEASED = "released", _("Released, awaiting a teller's confirmation")
    COUNTED = "counted", _("Result published, challenge period")
    CERTIFIED = "certified", _("Certified")
    VOID = "void", _("Declared void after a challenge")


class Election(models.Model):
    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="elections"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(
        _("body"), max_length=20, choices=ElectionBody.choices, default=ElectionBody.COMMITTEE
    )
    method = models.CharField(_("method"), max_length=20, choices=ElectionMethod.choices)
    #: For an officer election: the office it fills (President or Vice-Presidents).
    office = models.CharField(_("office"), max_length=20, choices=OfficerOffice.choices, blank=True)
    #: Held in an assembly session: the session's voting-card holders cast the ballots.
    session = models.ForeignKey(
        "governance.AssemblySession",
        verbose_name=_("held in the session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elections",
    )
    outgoing_seats = models.ManyToManyField(
        CommitteeSeat, verbose_name=_("outgoing seats"), blank=True, related_name="+"
    )
    #: An officer election names the terms it renews or replaces (a by-election names one
    #: Vice-President among several, the others stay); `additional_seats` then counts the
    #: vacancies it fills (an office nobody holds: a resignation, a term already ended).
    #: Certification ends these terms only (services.officers.install_officers).
    outgoing_officers = models.ManyToManyField(
        "governance.CommitteeOfficer",
        verbose_name=_("outgoing officers"),
        blank=True,
        related_name="+",
    )
    additional_seats = models.PositiveSmallIntegerField(_("seats added by the bureau"), default=0)
    seats = models.PositiveSmallIntegerField(_("seats to fill"))
    term_starts_on = models.DateField(_("new terms start"))
    term_ends_on = models.DateField(_("new terms end"))
    candidacy_deadline = models.DateTimeField(_("candidacy deadline"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    challenge_ends_on = models.DateField(_("challenge period ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT
    )
    #: The statute profile's values when the call opened (a later edit changes nothing here).
    statute_snapshot = models.JSONField(default=dict, blank=True)
    public_key = models.BinaryField(_("public key"), max_length=32, null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(_("shares needed to open the box"), default=2)
    tellers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("tellers"), blank=True, related_name="+"
    )
    box_fingerprint = models.CharField(max_length=64, blank=True)
    ballots_hash = models.CharField(max_length=64, blank=True)
    #: Cities that voted (who voted, never how), written when voting closes.
    voted_cities = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_has_seats"),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")),
                name="election_term_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(body="officers") & ~Q(office=""))
                | (~Q(body="officers") & Q(office="")),
                name="election_office_only_for_officers",
            ),
            models.CheckConstraint(
                condition=Q(voting_closes_at__gt=models.F("voting_opens_at"))
                & Q(voting_opens_at__gte=models.F("candidacy_deadline")),
                name="election_timetable_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:election_detail", args=[self.pk])

    @property
    def revote_allowed(self) -> bool:
        return bool(self.statute_snapshot.get("election_revote_allowed", True))

    @property
    def cap_per_country(self):
        return self.statute_snapshot.get("election_cap_per_country")

    @property
    def is_officer_election(self) -> bool:
        return self.body == ElectionBody.OFFICERS

    def voting_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == ElectionStatus.VOTING
            and self.voting_opens_at <= at < self.voting_closes_at
        )


class CandidacyStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    WITHDRAWN = "withdrawn", pgettext_lazy("candidacy status", "Withdrawn")


def endorsement_path(instance, filename: str) -> str:
    return f"elections/{instance.election_id}/endorsements/{filename}"


class Candidacy(models.Model):
    """A member city's candidate: the city, the person who will represent it, the mayor's letter."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="candidacies")
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    statement = models.TextField(_("statement"), max_length=4000)
    endorsement_letter = models.FileField(
        _("mayor's endorsement letter"), storage=private_storage, upload_to=endorsement_path
    )
    endorsement_filename = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=CandidacyStatus.choices, default=CandidacyStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ["election", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "city"],
                condition=Q(status="nominated"),
                name="candidacy_one_per_city",
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.election})"


class ElectionVoter(models.Model):
    """A city of the electorate, frozen when voting opens."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "city"], name="election_voter_once")
        ]

    def __str__(self) -> str:
        return f"{self.city_id} in {self.election_id}"


class SealedBallot(models.Model):
    """A city's current ballot: the browser's ciphertext only (the server cannot open it).

    One per city and election, by constraint; voting again replaces it when the profile
    allows. The ciphertexts are deleted once the election is certified.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="sealed")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    ciphertext = models.BinaryField(max_length=4096, null=True)
    receipt = models.CharField(max_length=64)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "city"], name="sealed_ballot_one_per_city")
        ]

    def __str__(self) -> str:
        return self.receipt


class OpenedBallot(models.Model):
    """One opened ballot of the published list: tracker and choices, no city, in shuffled order."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="opened")
    position = models.PositiveIntegerField()
    tracker = models.CharField(max_length=64, blank=True)
    #: The candidacy ids chosen (ranked for STV); None: the ballot did not open or was malformed.
    choices = models.JSONField(null=True)

    class Meta:
        ordering = ["election", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "position"], name="opened_ballot_position_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.election_id}#{self.position}"
