"""Cities and the coalitions' lead cities."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.fields import latitude_field, longitude_field

from .coalitions import Coalition
from .search import SEARCH_NAME_LENGTH, search_fold, search_spellings


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
    latitude = latitude_field()
    longitude = longitude_field()
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
