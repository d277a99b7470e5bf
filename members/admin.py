"""Admin for the members app. Every important change goes through members.services:
a membership's status only moves through change_membership_status (which records
its history), cities, memberships and roles are created and corrected by services
that write the audit log. Coalitions and plans are reference data edited here
directly; AuditedModelAdmin writes those edits to the audit log.

What staff see and change follows their current roles (coalition.admin_access,
members.admin_rights): their coalition's rows only, and the cities and roles of cities
that are members of no other coalition."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from coalition.admin_access import (
    PortalModelAdmin,
    PortalStackedInline,
    PortalTabularInline,
    ReadOnlyModelAdmin,
)
from coalition.admin_audit import AuditedModelAdmin
from members import admin_rights, selectors, services
from members.importer import CSV_HEADER, import_cities
from members.models import (
    CURRENT_STATUSES,
    ChosenAction,
    City,
    Coalition,
    Commitment,
    LeadCity,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    PlanOfAction,
    Role,
    RoleKind,
)

# --- Coalitions, plans -------------------------------------------------------


class LeadCityInline(PortalTabularInline):
    model = LeadCity
    extra = 0
    autocomplete_fields = ("city",)
    fields = ("city", "starts_on", "ends_on", "note")


@admin.register(Coalition)
class CoalitionAdmin(AuditedModelAdmin):
    coalition_path = "pk"
    list_display = ("short_name", "name", "kind", "parent", "founded_on", "office_seat")
    list_filter = ("kind",)
    search_fields = ("short_name", "name", "founded_place", "office_seat")
    prepopulated_fields = {"slug": ("short_name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ("parent",)
    inlines = (LeadCityInline,)

    def has_add_permission(self, request) -> bool:
        # A new coalition is an administrator's decision; staff correct their own.
        return request.user.is_superuser and super().has_add_permission(request)

    def get_readonly_fields(self, request, obj=None):
        # Where a coalition sits among the others is not its own staff's to change.
        return () if request.user.is_superuser else ("kind", "parent")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(selectors.directory_changed)


class CommitmentInline(PortalStackedInline):
    model = Commitment
    extra = 0
    fields = (("number", "heading"), "title", "summary", "example_actions", "sensitive")


@admin.register(PlanOfAction)
class PlanOfActionAdmin(AuditedModelAdmin):
    coalition_path = "coalition"
    list_display = ("title", "coalition", "adopted_on", "adopted_place", "commitment_count")
    list_filter = ("coalition",)
    search_fields = ("title", "coalition__short_name", "coalition__name")
    date_hierarchy = "adopted_on"
    inlines = (CommitmentInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_commitments=Count("commitments"))

    @admin.display(description=_("commitments"), ordering="n_commitments")
    def commitment_count(self, plan) -> int:
        return plan.n_commitments


# --- Cities and the import -----------------------------------------------------


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
class CityAdmin(PortalModelAdmin):
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

    def save_model(self, request, obj, form, change) -> None:
        if change:
            fields = {n: form.cleaned_data[n] for n in form.changed_data}
            fields = {n: v for n, v in fields.items() if n in services.CITY_EDITABLE_FIELDS}
            fresh = City.objects.get(pk=obj.pk)
            services.update_city(actor=request.user, city=fresh, **fields)
            return
        data = {
            n: form.cleaned_data.get(n)
            for n in ("local_name", "region", "population", "latitude", "longitude", "website")
        }
        city = services.create_city(
            actor=request.user,
            name=form.cleaned_data["name"],
            country=form.cleaned_data["country"],
            slug=form.cleaned_data.get("slug") or "",
            **{k: v for k, v in data.items() if v not in (None, "")},
        )
        obj.pk = city.pk
        obj.slug = city.slug
        obj._state.adding = False

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


# --- Memberships ---------------------------------------------------------------


class ChosenActionInline(PortalTabularInline):
    model = ChosenAction
    extra = 0
    fields = ("commitment", "description")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commitment":
            membership_id = request.resolver_match.kwargs.get("object_id")
            qs = Commitment.objects.select_related("plan")
            if membership_id:
                plan_id = Membership.objects.filter(pk=membership_id).values("plan_id")
                qs = qs.filter(plan_id__in=plan_id)
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryInline(PortalTabularInline):
    """The membership's dated history: written by the services, never edited."""

    model = MembershipStatusChange
    extra = 0
    can_delete = False
    fields = (
        "effective_on",
        "from_status",
        "to_status",
        "reason",
        "changed_by",
        "changed_at",
        "decision_link",
    )
    readonly_fields = fields
    ordering = ("changed_at", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("decision"))
    def decision_link(self, change):
        if not change.decision_type_id:
            return "—"
        return f"{change.decision_type.name} #{change.decision_id}"


ADMITTED_BY_VOTE = _(
    "%(city)s is a member of another coalition: it joins this one as an applicant, "
    "and the steering committee's vote admits it."
)


class MembershipAddForm(forms.ModelForm):
    #: The person recording the membership (set by MembershipAdmin.get_form).
    actor = None

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded as the first entry of the membership's history."),
    )

    class Meta:
        model = Membership
        fields = ("city", "coalition", "status", "signed_on", "plan")

    def clean(self):
        data = super().clean()
        city, coalition = data.get("city"), data.get("coalition")
        if (
            city
            and coalition
            and data.get("status") in CURRENT_STATUSES
            and Membership.objects.current().filter(city=city, coalition=coalition).exists()
        ):
            raise forms.ValidationError(
                _("%(city)s already has a current membership in %(coalition)s.")
                % {"city": city, "coalition": coalition.short_name}
            )
        if (
            city
            and data.get("status") not in (None, "", MembershipStatus.APPLICANT)
            and self.actor is not None
            and not admin_rights.may_admit(self.actor, city)
        ):
            self.add_error("status", ADMITTED_BY_VOTE % {"city": city})
        return data


class MembershipChangeForm(forms.ModelForm):
    #: The person changing the membership (set by MembershipAdmin.get_form).
    actor = None

    new_status = forms.ChoiceField(
        label=_("Change the status to"),
        required=False,
        help_text=_("Leave empty to keep the status. Every change is recorded in the history."),
    )
    effective_on = forms.DateField(
        label=_("Effective on"),
        required=False,
        help_text=_("Defaults to today."),
        widget=admin.widgets.AdminDateWidget,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required with a status change, e.g. the decision behind it."),
    )

    class Meta:
        model = Membership
        fields = ("signed_on", "plan")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.ALLOWED_TRANSITIONS.get(self.instance.status, set())
        self.fields["new_status"].choices = [("", "—")] + [
            (s.value, s.label) for s in MembershipStatus if s.value in allowed
        ]
        self.fields["plan"].queryset = PlanOfAction.objects.filter(
            coalition_id=self.instance.coalition_id
        )

    def clean(self):
        data = super().clean()
        if data.get("new_status") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the status change."))
        if not data.get("new_status") and data.get("effective_on"):
            self.add_error("effective_on", _("A date only applies to a status change."))
        if (
            data.get("new_status") == MembershipStatus.MEMBER
            and self.instance.status == MembershipStatus.APPLICANT
            and self.actor is not None
            and not admin_rights.may_admit(self.actor, self.instance.city)
        ):
            self.add_error("new_status", ADMITTED_BY_VOTE % {"city": self.instance.city})
        return data


class OverdueFilter(admin.SimpleListFilter):
    title = _("annual report")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_overdue_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(report_overdue_since__isnull=True)
        return queryset


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    """Status changes go through the services; the act of accession (chosen actions) is
    edited inline and audited with the membership."""

    coalition_path = "coalition"
    deletable = False  # memberships end (withdrawn, excluded); their history matters
    list_display = ("city", "coalition", "status", "signed_on", "ended_on", "report_overdue_since")
    list_filter = ("status", "coalition", OverdueFilter)
    list_select_related = ("city", "coalition")
    search_fields = ("city__name", "city__local_name", "city__search_name", "coalition__short_name")
    autocomplete_fields = ("city",)
    date_hierarchy = "signed_on"
    inlines = (ChosenActionInline, HistoryInline)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MembershipChangeForm if obj else MembershipAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("city", "coalition", "status", "signed_on", "reason")}),)
        return (
            (None, {"fields": ("city", "coalition", "status", "ended_on")}),
            (_("Details"), {"fields": ("signed_on", "plan", "report_overdue_since")}),
            (_("Status change"), {"fields": ("new_status", "effective_on", "reason")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("city", "coalition", "status", "ended_on", "report_overdue_since")

    def get_inlines(self, request, obj):
        return self.inlines if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city":
            # Any city may apply to join this coalition; joining changes nothing of the
            # other coalitions it belongs to.
            kwargs.setdefault("queryset", City.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if not change:
            membership = services.create_membership(
                actor=request.user,
                city=data["city"],
                coalition=data["coalition"],
                status=data["status"],
                signed_on=data.get("signed_on"),
                reason=data["reason"],
            )
            obj.pk = membership.pk
            obj._state.adding = False
            return
        fresh = Membership.objects.get(pk=obj.pk)
        services.update_membership(
            actor=request.user,
            membership=fresh,
            signed_on=data.get("signed_on"),
            plan=data.get("plan"),
            reason=str(_("Corrected in the admin.")),
        )
        if data.get("new_status"):
            try:
                services.change_membership_status(
                    actor=request.user,
                    membership=fresh,
                    to_status=data["new_status"],
                    reason=data["reason"],
                    effective_on=data.get("effective_on") or timezone.localdate(),
                )
            except services.MembershipError as exc:
                messages.error(request, str(exc))


@admin.register(MembershipStatusChange)
class MembershipStatusChangeAdmin(ReadOnlyModelAdmin):
    """The membership history, read-only."""

    coalition_path = "membership__coalition"

    list_display = ("membership", "from_status", "to_status", "effective_on", "changed_by")
    list_filter = ("to_status", "membership__coalition")
    list_select_related = ("membership__city", "membership__coalition", "changed_by")
    search_fields = ("membership__city__name", "reason")
    date_hierarchy = "effective_on"


# --- Roles -------------------------------------------------------------------------


class CurrentRoleFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended or future"))]

    def queryset(self, request, queryset):
        current = Role.objects.current().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=current)
        if self.value() == "no":
            return queryset.exclude(pk__in=current)
        return queryset


class RoleForm(forms.ModelForm):
    #: The person granting the role (set by RoleAdmin.get_form).
    actor = None

    class Meta:
        model = Role
        fields = ("user", "kind", "city", "coalition", "starts_on", "ends_on", "contact_public")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (RoleKind.COORDINATOR, RoleKind.DELEGATE) and not data.get("city"):
            self.add_error("city", _("A coordinator or delegate role names a city."))
        if kind in (RoleKind.BUREAU, RoleKind.SECRETARIAT) and not data.get("coalition"):
            self.add_error("coalition", _("A bureau or secretariat role names a coalition."))
        if self.instance.pk is None and self.actor is not None and not self.errors:
            try:
                admin_rights.check_role_grant(
                    actor=self.actor,
                    user=data.get("user"),
                    kind=kind,
                    city=data.get("city"),
                    coalition=data.get("coalition"),
                )
            except admin_rights.RoleGrantRefused as exc:
                self.add_error(exc.field, str(exc))
        return data


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    """Roles are granted, corrected and ended through the services (audited). Staff see the
    roles of their coalition and change only those they could grant (check_role_grant)."""

    form = RoleForm
    coalition_path = "coalition"
    deletable = False  # roles end; who held which role when is history
    list_display = ("user", "kind", "city", "coalition", "starts_on", "ends_on", "contact_public")
    list_filter = ("kind", CurrentRoleFilter, "coalition", "contact_public")
    list_select_related = ("user", "city", "coalition")
    search_fields = ("user__email", "user__full_name", "city__name", "coalition__short_name")
    autocomplete_fields = ("user", "city", "coalition")
    readonly_fields = ("granted_by", "created_at")
    actions = ("end_roles_today",)

    def in_coalitions(self, request, queryset, coalition_ids):
        return admin_rights.roles_seen_by(coalition_ids, queryset)

    def manageable(self, request, queryset, coalition_ids):
        return admin_rights.roles_managed_by(request.user, queryset)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # Who holds which role where is fixed once granted; a new role replaces it.
        if obj:
            return ("user", "kind", "city", "coalition", "granted_by", "created_at")
        return self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            services.update_role(
                actor=request.user,
                role=obj,
                **{n: data[n] for n in form.changed_data if n in services.ROLE_EDITABLE_FIELDS},
            )
            return
        role = services.grant_role(
            actor=request.user,
            user=data["user"],
            kind=data["kind"],
            city=data.get("city"),
            coalition=data.get("coalition"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            contact_public=data.get("contact_public", False),
        )
        obj.pk = role.pk
        obj._state.adding = False

    @admin.action(description=_("End the selected roles today"), permissions=["change"])
    def end_roles_today(self, request, queryset) -> None:
        today = timezone.localdate()
        queryset = self.manageable(request, queryset, ())
        open_roles = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        ended = 0
        for role in open_roles.filter(starts_on__lte=today):
            services.end_role(actor=request.user, role=role, ends_on=today)
            ended += 1
        self.message_user(
            request,
            ngettext("%(n)d role ended.", "%(n)d roles ended.", ended) % {"n": ended},
            messages.SUCCESS,
        )
