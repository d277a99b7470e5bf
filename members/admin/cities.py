"""Cities, created and corrected through members.services, and the CSV import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from coalition.admin_access import (
    PortalModelAdmin,
    PortalTabularInline,
    ServiceBackedAdmin,
)
from members import admin_rights, services
from members.importer import CSV_HEADER, import_cities
from members.models import (
    City,
    Membership,
)


class MembershipSummaryInline(PortalTabularInline):
    """The city's memberships, read-only: they are managed on the membership pages."""

    model = Membership
    extra = 0
    can_delete = False
    fields = ("link", "status", "signed_on", "ended_on")
    readonly_fields = fields
    verbose_name_plural = _("memberships (edit them on the membership pages)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("coalition"))
    def link(self, membership):
        url = reverse("admin:members_membership_change", args=[membership.pk])
        return format_html('<a href="{}">{}</a>', url, membership.coalition)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the header: %(header)s") % {"header": ",".join(CSV_HEADER)},
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, write nothing"),
        required=False,
        initial=True,
    )


@admin.register(City)
class CityAdmin(ServiceBackedAdmin, PortalModelAdmin):
    # A city belongs to the coalitions it is a member of (members.admin_rights).
    coalition_path = "memberships__coalition"
    list_display = ("name", "local_name", "country", "region", "population")
    list_filter = (("country", CountryFilter),)
    search_fields = ("name", "local_name", "search_name", "region")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipSummaryInline,)
    change_list_template = "admin/members/city/change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "local_name", "slug")}),
        (_("Where"), {"fields": ("country", "region", ("latitude", "longitude"))}),
        (_("More"), {"fields": ("population", "website")}),
    )

    def in_coalitions(self, request, queryset, coalition_ids):
        return admin_rights.cities_seen_by(coalition_ids, queryset)

    def manageable(self, request, queryset, coalition_ids):
        return admin_rights.cities_managed_by(coalition_ids, queryset)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def get_readonly_fields(self, request, obj=None):
        # The slug names the public page: it stays stable once the city exists.
        return ("slug",) if obj else ()

    def update_with_service(self, request, obj, form) -> None:
        fields = {n: form.cleaned_data[n] for n in form.changed_data}
        fields = {n: v for n, v in fields.items() if n in services.CITY_EDITABLE_FIELDS}
        fresh = City.objects.get(pk=obj.pk)
        services.update_city(actor=request.user, city=fresh, **fields)

    def create_with_service(self, request, form) -> City:
        data = {
            n: form.cleaned_data.get(n)
            for n in ("local_name", "region", "population", "latitude", "longitude", "website")
        }
        return services.create_city(
            actor=request.user,
            name=form.cleaned_data["name"],
            country=form.cleaned_data["country"],
            slug=form.cleaned_data.get("slug") or "",
            **{k: v for k, v in data.items() if v not in (None, "")},
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="members_city_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Staff upload a CSV: the same all-or-nothing import as `manage.py import_cities`."""
        memberships = self.admin_site._registry[Membership]
        if not (self.has_add_permission(request) and memberships.has_change_permission(request)):
            raise PermissionDenied
        scope: dict[str, Any] = {}
        if not request.user.is_superuser:
            # Staff import into their own coalitions, and correct only the cities they manage.
            coalitions = admin_rights.admin_coalitions(request.user, "members", "change")
            scope = {
                "coalition_ids": coalitions,
                "editable_cities": admin_rights.cities_managed_by(coalitions),
            }
        result = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                result = import_cities(
                    upload.file,
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    source=upload.name,
                    **scope,
                )
                if result.ok and not result.dry_run:
                    messages.success(
                        request,
                        _("Imported %(rows)d rows from %(name)s: %(summary)s.")
                        % {"rows": result.rows, "name": upload.name, "summary": result.summary()},
                    )
                    return redirect(reverse("admin:members_city_changelist"))
        else:
            form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import cities"),
            "form": form,
            "result": result,
            "header": ",".join(CSV_HEADER),
        }
        return TemplateResponse(request, "admin/members/city/import.html", context)
