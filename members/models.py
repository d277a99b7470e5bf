"""Cities, coalitions, plans of action, memberships and people's roles.

Everything a later decision changes keeps its history: membership status
changes are rows of MembershipStatusChange, lead cities and roles carry dates
and are ended rather than deleted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from anyascii import anyascii
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from coalition.translated import source_language_field


def search_key(text: str) -> str:
    """Lower-case ASCII folding used for accent-insensitive search: 'Köln' -> 'koln'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# German spells a missing umlaut with an e (München, Muenchen): both are stored.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_UMLAUTS.update(str.maketrans({"ß": "ss", "ẞ": "SS"}))
SEARCH_NAME_LENGTH = 1000
SEARCH_NAME_DELIMITER = " | "


def search_fold(text: str, *, umlauts: bool = False) -> str:
    """A name as the directory's search compares it: 'Esch-sur-Alzette' -> 'esch sur alzette',
    'Wrocław' -> 'wroclaw', 'Москва' -> 'moskva', '北京' -> 'beijing'.

    Transliterated to ASCII (anyascii), lower-cased, every run of anything but letters and
    digits made one space. With `umlauts`, ä, ö, ü and ß are first spelled ae, oe, ue, ss.
    The result never holds the delimiter of `City.search_name`, so a query cannot match
    across two stored spellings.
    """
    text = unicodedata.normalize("NFC", text or "")
    if umlauts:
        text = text.translate(_UMLAUTS)
    return _NOT_ALPHANUMERIC.sub(" ", anyascii(text).lower()).strip()


def search_spellings(*names: str) -> str:
    """Every folded spelling of the names, once each, joined for City.search_name."""
    spellings: list[str] = []
    for name in names:
        for umlauts in (False, True):
            folded = search_fold(name, umlauts=umlauts)
            if folded and folded not in spellings:
                spellings.append(folded)
    return SEARCH_NAME_DELIMITER.join(spellings)[:SEARCH_NAME_LENGTH]


class CoalitionKind(models.TextChoices):
    INTERNATIONAL = "international", _("International umbrella")
    REGIONAL = "regional", _("Regional coalition")
    NATIONAL = "national", _("National coalition")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class CoalitionQuerySet(models.QuerySet):
    def for_public_display(self):
        return self.select_related("parent").order_by("kind", "name")


class Coalition(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CoalitionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent coalition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    founded_precision = models.CharField(
        _("founding date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Sources often give only the month or the year."),
    )
    founded_place = models.CharField(_("founded in"), max_length=200, blank=True)
    office_seat = models.CharField(_("seat of the office"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    source_language = source_language_field()

    objects = CoalitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("members:coalition_detail", kwargs={"slug": self.slug})

    @property
    def founded_display(self) -> str:
        """The founding date at the precision the sources give."""
        if not self.founded_on:
            return ""
        fmt = {"year": "Y", "month": "YEAR_MONTH_FORMAT"}.get(self.founded_precision, "DATE_FORMAT")
        return date_format(self.founded_on, fmt)

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            ancestors = ancestor_ids(self.parent_id)
            if self.pk in ancestors:
                raise ValidationError(
                    {
                        "parent": _(
                            "A coalition cannot sit inside itself or inside one of the "
                            "coalitions under it: choose a coalition above it or beside it."
                        )
                    }
                )

    def plan_in_force(self, on: dt.date | None = None) -> PlanOfAction | None:
        on = on or timezone.localdate()
        return self.plans.filter(adopted_on__lte=on).order_by("-adopted_on").first()


def ancestor_ids(coalition_id: int | None) -> list[int]:
    """The coalition and every coalition above it, nearest first (one query; a loop
    already stored is walked once, never forever)."""
    parents = dict(Coalition.objects.values_list("id", "parent_id"))
    chain: list[int] = []
    while coalition_id is not None and coalition_id not in chain:
        chain.append(coalition_id)
        coalition_id = parents.get(coalition_id)
    return chain


def descendant_ids(coalition_id: int) -> list[int]:
    """The coalition and every coalition under it, at any depth (one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Coalition.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = [coalition_id], [coalition_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


class CityQuerySet(models.QuerySet):
    def search(self, q: str):
        # The query is folded as the stored spellings are (without the umlaut expansion:
        # 'muenchen' is stored as such, and 'münchen' folds to the stored 'munchen'), and
        # matched by LIKE '%key%', which PostgreSQL answers from the trigram index
        # (migration 0003) when the planner finds it cheaper than a scan; other databases scan
        # the short folded column.
        key = search_fold(q)
        if not key:
            return self
        return self.filter(search_name__contains=key)


class City(models.Model):
    name = models.CharField(_("name"), max_length=200)
    local_name = models.CharField(_("name in the local language"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region or state"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    # Folded spellings of the name and local name (search_spellings), for accent-, case-,
    # script- and punctuation-insensitive search on every database. Derived data, kept in
    # step by save() (the importer saves through it).
    search_name = models.CharField(max_length=SEARCH_NAME_LENGTH, editable=False, db_index=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name", "country"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="city_unique_name_country"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["country", "name"]), models.Index(fields=["region"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = self.compute_search_name()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:city_detail", kwargs={"slug": self.slug})

    def compute_search_name(self) -> str:
        return search_spellings(self.name, self.local_name)


class LeadCity(models.Model):
    """A city leading a coalition for a period. Lead cities change; the past is kept."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="lead_cities")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="lead_roles")
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lead city")
        verbose_name_plural = _("lead cities")
        ordering = ["coalition", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="leadcity_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.coalition})"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None or self.ends_on >= timezone.localdate()


class PlanOfAction(models.Model):
    """A version of a coalition's plan. Memberships and reports refer to the version in force."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=250)
    adopted_on = models.DateField(_("adopted on"))
    adopted_place = models.CharField(_("adopted in"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    source_language = source_language_field()

    class Meta:
        verbose_name = _("plan of action")
        verbose_name_plural = _("plans of action")
        ordering = ["coalition", "-adopted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "adopted_on"], name="plan_one_version_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.adopted_on:%Y})"


class Commitment(models.Model):
    plan = models.ForeignKey(PlanOfAction, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(
        _("heading"), max_length=200, blank=True, help_text=_("Optional group heading.")
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    example_actions = models.TextField(
        _("example actions"), blank=True, help_text=_("One action per line.")
    )
    source_language = source_language_field()
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Reports under this commitment can identify people (victims, hate crimes); "
            "their report sections default to secretariat only."
        ),
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def example_action_list(self) -> list[str]:
        return [line.strip() for line in self.example_actions.splitlines() if line.strip()]


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


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("City coordinator (focal point)")
    DELEGATE = "delegate", _("City delegate")
    BUREAU = "bureau", _("Bureau staff")
    SECRETARIAT = "secretariat", _("Scientific secretariat staff")


CITY_ROLES = (RoleKind.COORDINATOR, RoleKind.DELEGATE)
COALITION_ROLES = (RoleKind.BUREAU, RoleKind.SECRETARIAT)
#: Roles whose holders must use two-factor authentication.
STAFF_ROLES = (RoleKind.BUREAU, RoleKind.SECRETARIAT)


class RoleQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Role(models.Model):
    """A person's role, tied to a city (coordinator, delegate) or a coalition (staff), with dates.

    Steering committee seats are governance.Seat; they name the person in the same way.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    contact_public = models.BooleanField(
        _("publish contact"),
        default=False,
        help_text=_("Show this person's name and email on the city's public profile."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user", "kind", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["coordinator", "delegate"], city__isnull=False)
                    | Q(kind__in=["bureau", "secretariat"], coalition__isnull=False)
                ),
                name="role_scope_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        scope = self.city or self.coalition
        return f"{self.user} — {self.get_kind_display()} ({scope})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)
