"""Memberships: created, corrected and moved between statuses through members.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.admin_access import (
    PortalTabularInline,
    ReadOnlyModelAdmin,
    ServiceBackedAdmin,
)
from coalition.admin_audit import AuditedModelAdmin
from members import admin_rights, services
from members.models import (
    CURRENT_STATUSES,
    ChosenAction,
    City,
    Commitment,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    PlanOfAction,
)


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
class MembershipAdmin(ServiceBackedAdmin, AuditedModelAdmin):
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

    def create_with_service(self, request, form) -> Membership:
        data = form.cleaned_data
        return services.create_membership(
            actor=request.user,
            city=data["city"],
            coalition=data["coalition"],
            status=data["status"],
            signed_on=data.get("signed_on"),
            reason=data["reason"],
        )

    def update_with_service(self, request, obj, form) -> None:
        data = form.cleaned_data
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
