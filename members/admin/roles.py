"""People's roles: granted, corrected and ended through members.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coalition.admin_access import ServiceBackedAdmin
from coalition.admin_audit import AuditedModelAdmin
from members import admin_rights, services
from members.models import (
    Role,
    RoleKind,
)


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
class RoleAdmin(ServiceBackedAdmin, AuditedModelAdmin):
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

    def update_with_service(self, request, obj, form) -> None:
        data = form.cleaned_data
        services.update_role(
            actor=request.user,
            role=obj,
            **{n: data[n] for n in form.changed_data if n in services.ROLE_EDITABLE_FIELDS},
        )

    def create_with_service(self, request, form) -> Role:
        data = form.cleaned_data
        return services.grant_role(
            actor=request.user,
            user=data["user"],
            kind=data["kind"],
            city=data.get("city"),
            coalition=data.get("coalition"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            contact_public=data.get("contact_public", False),
        )

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
