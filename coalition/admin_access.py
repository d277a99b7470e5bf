"""Who may use Django's admin, and what each person sees and changes there.

The admin follows the person's current roles (members.admin_rights), never a
stored flag: superusers (administrators) have every right; a current bureau or
secretariat role gives its rights in its own coalition, and an ended role ends them.
`is_staff`, groups and per-user permissions grant nothing to anyone else.

- PortalAdminSite: the admin opens for superusers and current staff roles only; its
  sign-in page sends to allauth's (two-factor authentication, rate limits), keeping `next`.
- PortalModelAdmin: the base of every registered ModelAdmin (tests/coalition check it).
  Its querysets, its permissions and the choices of its foreign keys (autocomplete
  included) are limited to the coalitions where the person's roles give the right.
  Nobody but a superuser deletes; audited registries set `deletable = False`, for
  superusers too. Hostile filter values answer Django's "?e=1" page, not a 500.
- PortalInlineMixin: inlines follow the object they belong to.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import ModelMultipleChoiceField
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache

from members import admin_rights

NUL = "\x00"


def _rights():
    return admin_rights


def writable_coalitions(user, app_label: str) -> frozenset[int]:
    """Coalitions where the person may add or change `app_label`'s objects in the admin."""
    rights = _rights()
    return rights.admin_coalitions(user, app_label, "add") | rights.admin_coalitions(
        user, app_label, "change"
    )


def choices_for(request, admin_site, model, app_label: str):
    """What a person filling a form of `app_label`'s admin may pick for a key to `model`.

    None for superusers (no limit). For staff: the rows the related model's admin
    lets them use in the coalitions where they may write; nothing for a model no
    PortalModelAdmin describes.
    """
    if request.user.is_superuser:
        return None
    related = admin_site._registry.get(model)
    if not isinstance(related, PortalModelAdmin):
        return model._default_manager.none()
    return related.choice_queryset(request, writable_coalitions(request.user, app_label))


def has_hostile_parameters(request) -> bool:
    """Query parameters no lookup can use: PostgreSQL refuses NUL characters in text."""
    return any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists())


def is_possible_key(field, value) -> bool:
    """Whether `value` could be stored in `field` at all (type, NUL, the database's range)."""
    if NUL in str(value):
        return False
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that re-renders a refused value without looking it up.

    Django's widget queries the submitted ids to show them again; an id such as
    "abc", "1\\x00" or one beyond the integer range would make that query fail
    after the form has already said the value is not a valid choice.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        usable = [item for item in value if is_possible_key(target, item)]
        return super().optgroups(name, usable, attr)


class SafeModelMultipleChoiceField(ModelMultipleChoiceField):
    """Refuses impossible ids before its query: SQLite cannot even bind a huge integer."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        target = self.queryset.model._meta.get_field(key) if key != "pk" else None
        target = target or self.queryset.model._meta.pk
        for pk in value:
            if not is_possible_key(target, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete offers exactly what the form field accepts.

    Django's view offers what the related model's admin lists; for staff the
    answer is the queryset of the source form's own field (PortalModelAdmin and
    PortalInlineMixin build it with choices_for), searched as the related admin searches.
    """

    def has_perm(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_perm(request, obj)
        app_label = self.source_field.model._meta.app_label
        return isinstance(self.model_admin, PortalModelAdmin) and bool(
            writable_coalitions(request.user, app_label)
        )

    def _source_admins(self):
        model = self.source_field.model
        if model in self.admin_site._registry:
            yield self.admin_site._registry[model]
        for parent in self.admin_site._registry.values():
            for inline_class in parent.inlines:
                if inline_class.model is model:
                    yield inline_class(parent.model, self.admin_site)

    def get_queryset(self):
        if self.request.user.is_superuser:
            return super().get_queryset()
        qs = self.model_admin.model._default_manager.none()
        for source_admin in self._source_admins():
            formfield = source_admin.formfield_for_foreignkey(self.source_field, self.request)
            if formfield is not None:
                qs = formfield.queryset
                break
        qs = qs.complex_filter(self.source_field.get_limit_choices_to())
        qs, use_distinct = self.model_admin.get_search_results(self.request, qs, self.term)
        if not qs.ordered:
            qs = qs.order_by(*(self.model_admin.get_ordering(self.request) or ("pk",)))
        return qs.distinct() if use_distinct else qs


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return _rights().has_admin_access(request.user)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Every sign-in goes through allauth (two-factor, rate limits), then back here."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            # Signed in, but the admin is not for them: no sign-in form would change that.
            raise PermissionDenied
        return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def autocomplete_view(self, request):
        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)


def _fk_kwargs(model_admin, db_field, request, kwargs: dict) -> dict:
    if "widget" not in kwargs and db_field.name in model_admin.get_autocomplete_fields(request):
        kwargs["widget"] = SafeAutocompleteSelect(
            db_field, model_admin.admin_site, using=kwargs.get("using")
        )
    if "queryset" not in kwargs:
        queryset = choices_for(
            request, model_admin.admin_site, db_field.remote_field.model, model_admin.opts.app_label
        )
        if queryset is not None:
            kwargs["queryset"] = queryset
    return kwargs


class PortalModelAdmin(admin.ModelAdmin):
    #: The ORM path from this model to its coalition ("coalition", "cycle__coalition").
    #: None: the model belongs to no coalition (reference data shared by all, accounts):
    #: staff whose app rights allow it may view it; only superusers change it.
    coalition_path: str | None = None
    #: False for audited registries (roles, memberships, seats, records of decisions,
    #: reports): their rows are history, ended rather than deleted, by superusers too.
    deletable: bool = True

    # --- scope -------------------------------------------------------------------

    def staff_coalitions(self, request, action: str) -> frozenset[int]:
        return _rights().admin_coalitions(request.user, self.opts.app_label, action)

    def in_coalitions(self, request, queryset, coalition_ids):
        """The rows of `queryset` that belong to these coalitions (what their staff see)."""
        if self.coalition_path is None:
            return queryset
        return queryset.filter(**{f"{self.coalition_path}__in": list(coalition_ids)})

    def manageable(self, request, queryset, coalition_ids):
        """The rows these coalitions' staff may change (the rows they see, unless narrowed)."""
        if self.coalition_path is None:
            return queryset.none()
        return self.in_coalitions(request, queryset, coalition_ids)

    def choice_queryset(self, request, coalition_ids):
        """What staff writing in these coalitions may pick for a foreign key to this model."""
        return self.manageable(request, self.model._default_manager.all(), coalition_ids)

    def _staff_may(self, request, action: str, obj=None) -> bool:
        ids = self.staff_coalitions(request, action)
        if not ids:
            return False
        if obj is None:
            return True
        cache = request.__dict__.setdefault("_portal_admin_checks", {})
        key = (self.opts.label_lower, obj.pk, action)
        if key not in cache:
            rows = self.model._default_manager.filter(pk=obj.pk)
            scoped = (
                self.in_coalitions(request, rows, ids)
                if action == "view"
                else self.manageable(request, rows, ids)
            )
            cache[key] = scoped.exists()
        return cache[key]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        ids = self.staff_coalitions(request, "view")
        return self.in_coalitions(request, queryset, ids) if ids else queryset.none()

    # --- permissions ---------------------------------------------------------------

    def has_module_permission(self, request):
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return bool(self.staff_coalitions(request, "view"))

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._staff_may(request, "view", obj)

    def has_add_permission(self, request):
        if request.user.is_superuser:
            return super().has_add_permission(request)
        return self.coalition_path is not None and self._staff_may(request, "add")

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self.coalition_path is not None and self._staff_may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return (
            self.deletable
            and request.user.is_superuser
            and super().has_delete_permission(request, obj)
        )

    # --- forms, lists and search -----------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = _fk_kwargs(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        if has_hostile_parameters(request):
            raise IncorrectLookupParameters("NUL character in the query string")
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:  # a date hierarchy's year beyond any date
            raise IncorrectLookupParameters(exc) from exc

    def response_action(self, request, queryset):
        # Ids that no row can have are dropped before Django filters on them.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        usable = [pk for pk in selected if is_possible_key(self.opts.pk, pk)]
        if usable != selected:
            post = request.POST.copy()
            post.setlist(ACTION_CHECKBOX_NAME, usable)
            request.POST = post
        return super().response_action(request, queryset)

    def get_search_results(self, request, queryset, search_term):
        if NUL in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class PortalInlineMixin:
    """Inlines follow the object they are part of: whoever may change it may edit them.

    Only superusers delete inline rows. An inline of a model that has its own
    PortalModelAdmin shows only the rows of that model the person may see.
    """

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def _parent_writable(self, request, obj) -> bool:
        parent = self._parent_admin()
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_add_permission(request, obj)
        return self._parent_writable(request, obj)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._parent_writable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        own = self.admin_site._registry.get(self.model)
        if request.user.is_superuser or not isinstance(own, PortalModelAdmin):
            return queryset
        return own.in_coalitions(request, queryset, own.staff_coalitions(request, "view"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = _fk_kwargs(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PortalTabularInline(PortalInlineMixin, admin.TabularInline):
    pass


class PortalStackedInline(PortalInlineMixin, admin.StackedInline):
    pass


class ReadOnlyModelAdmin(PortalModelAdmin):
    """Records the portal writes through its services: seen and searched in the admin, never
    added or changed there; deleted by nobody unless a subclass says `deletable = True`."""

    deletable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(PortalTabularInline):
    """A read-only inline: the rows of a read-only record, none added, changed or deleted."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceBackedAdmin:
    """Mixed into a ModelAdmin whose rows only services create and change.

    A subclass says how (`create_with_service`, returning the new row, and
    `update_with_service`); the admin never saves the row itself. The admin goes on with the
    object it built (inlines, its history entry, the redirect), so that object becomes the
    created row, in this one place.
    """

    def create_with_service(self, request, form) -> models.Model:
        raise NotImplementedError

    def update_with_service(self, request, obj, form) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change) -> None:
        if change:
            self.update_with_service(request, obj, form)
            return
        created = self.create_with_service(request, form)
        for field in created._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db
