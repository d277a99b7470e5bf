"""The admin's rights model: sign-in through allauth only, access that follows current roles."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.utils import timezone

from coalition.admin_access import PortalInlineMixin, PortalModelAdmin
from coalition.context_processors import navigation_for
from coalition.demo import DEMO_TOTP_SECRET, current_totp_code
from coalition.models import User
from members import services
from members.models import Coalition, Membership, Role
from tests.factories import UserFactory

# --- Signing in ----------------------------------------------------------------------


def test_every_registered_admin_and_inline_derives_from_the_portal_base():
    """Rights, scope and hostile-input handling live in the base: no admin may bypass it."""
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_active=True)
    strays = [
        f"{model._meta.label}: {type(ma).__name__}"
        for model, ma in admin.site._registry.items()
        if not isinstance(ma, PortalModelAdmin)
    ]
    for model, ma in admin.site._registry.items():
        strays += [
            f"{model._meta.label} inline {type(inline).__name__}"
            for inline in ma.get_inline_instances(request, None)
            if not isinstance(inline, PortalInlineMixin)
        ]
        strays += [
            f"{model._meta.label} inline {inline_class.__name__}"
            for inline_class in ma.inlines
            if not issubclass(inline_class, PortalInlineMixin)
        ]
    assert not strays


def test_the_admin_sign_in_page_sends_to_allauth_keeping_next(client, db):
    response = client.get("/admin/login/?next=/admin/members/membership/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fmembers%2Fmembership%2F"


def test_the_admin_sign_in_page_never_sends_off_the_site(client, db):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_password_alone_does_not_sign_staff_in_through_the_admin(client, bureau):
    """The admin's own form skipped two-factor authentication and allauth's rate limits."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": bureau.email, "password": "demo"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_admin_page_sends_anonymous_visitors_through_allauth(client, db):
    response = client.get("/admin/members/role/", follow=True)
    assert response.redirect_chain[-1][0] == ("/accounts/login/?next=%2Fadmin%2Fmembers%2Frole%2F")
    assert response.status_code == 200


def test_a_signed_in_person_without_admin_rights_is_refused_not_asked_to_sign_in(
    client, coordinator
):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_staff_signed_in_through_allauth_reach_the_admin_after_two_factor(client, bureau):
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": bureau.email, "password": "demo"}
    )
    assert response.url == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- Access follows current roles ------------------------------------------------------


def with_two_factor(user):
    """Staff without two-factor are sent to set it up first; these tests look past that."""
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def sent_to_admin_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_ended_staff_role_ends_admin_access(client, bureau):
    role = Role.objects.get(user=bureau, kind="bureau")
    services.end_role(actor=bureau, role=role, ends_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(bureau)
    assert sent_to_admin_sign_in(client.get("/admin/"))
    assert sent_to_admin_sign_in(client.get("/admin/members/membership/"))


def test_a_staff_role_not_yet_started_gives_no_admin_access(client, administrator, demo):
    person = with_two_factor(UserFactory())
    services.grant_role(
        actor=administrator,
        user=person,
        kind="bureau",
        coalition=Coalition.objects.get(short_name="ECCAR"),
        starts_on=timezone.localdate() + dt.timedelta(days=7),
    )
    client.force_login(person)
    assert sent_to_admin_sign_in(client.get("/admin/"))


def test_staff_flag_and_permission_groups_alone_open_nothing(client, outsider):
    group = Group.objects.create(name="Everything")
    group.permissions.set(Permission.objects.all())
    outsider.groups.add(group)
    outsider.is_staff = True
    outsider.save()
    with_two_factor(outsider)
    client.force_login(outsider)
    assert sent_to_admin_sign_in(client.get("/admin/"))
    assert sent_to_admin_sign_in(client.get("/admin/members/role/"))


def test_the_navigation_offers_the_admin_only_to_those_it_opens_for(client, bureau, outsider):
    def labels(user):
        return [str(link["label"]) for link in navigation_for(user, "/")]

    assert "Administration" in labels(bureau)
    outsider.is_staff = True
    outsider.save()
    assert "Administration" not in labels(outsider)


def test_staff_see_only_their_apps_in_the_admin_index(client, secretariat):
    client.force_login(secretariat)
    apps = {app["app_label"] for app in client.get("/admin/").context["app_list"]}
    assert apps == {"members", "reporting"}


def test_administrators_keep_every_right(client, administrator):
    client.force_login(administrator)
    apps = {app["app_label"] for app in client.get("/admin/").context["app_list"]}
    assert {"coalition", "members", "governance", "reporting", "auth"} <= apps
    assert client.get("/admin/coalition/user/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/role/{role}/delete/",
        "/admin/members/membership/{membership}/delete/",
    ],
)
def test_audited_registries_cannot_be_deleted_in_the_admin_even_by_administrators(
    client, administrator, coordinator, url
):
    role = Role.objects.get(user=coordinator)
    membership = Membership.objects.get(city__name="Potsdam", coalition__short_name="ECCAR")
    client.force_login(administrator)
    response = client.post(url.format(role=role.pk, membership=membership.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Role.objects.filter(pk=role.pk).exists()
    assert Membership.objects.filter(pk=membership.pk).exists()
    changelist = client.get("/admin/members/role/")
    assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)
