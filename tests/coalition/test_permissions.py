"""The project's own URLs × every persona, and a guard that no URL escapes the matrices.

The apps keep their matrices next to their tests (tests/<app>/test_permissions.py);
this module covers the pages that belong to no app (home, dashboard, health,
language, the account pages allauth serves in the portal's layout, the admin
index) and fails when a URL is added without a row in one of the matrices.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests import permissions
from tests.conftest import PERSONAS
from tests.permissions import expect

STAFF = ("bureau", "secretariat", "administrator")
ANON = "anonymous"


SIGNED_IN_ONLY = expect(200, anonymous=302)
# Pages for people who are not signed in: a signed-in visitor is sent on to the portal.
SIGNED_OUT_ONLY = expect(302, anonymous=200)

# (url, url name, expected status per persona). GET only: these pages change nothing on GET.
MATRIX = [
    ("/", "home", expect(200)),
    ("/dashboard/", "dashboard", SIGNED_IN_ONLY),
    # A person's own messages (the emails sent to their address): nobody else's are listed.
    ("/dashboard/messages/", "message_list", SIGNED_IN_ONLY),
    ("/healthz", "healthz", expect(200)),
    ("/jsi18n/", "javascript-catalog", expect(200)),
    ("/privacy/", "privacy", expect(200)),
    # A person's own data and account: nobody else's is ever at these addresses.
    ("/accounts/my-data/", "my_data", SIGNED_IN_ONLY),
    ("/accounts/my-data.json", "my_data_json", SIGNED_IN_ONLY),
    # The confirmation page; the POST that closes asks for the password again first.
    ("/accounts/close/", "close_account", SIGNED_IN_ONLY),
    ("/accounts/login/", "account_login", SIGNED_OUT_ONLY),
    ("/accounts/signup/", "account_signup", SIGNED_OUT_ONLY),
    ("/accounts/logout/", "account_logout", expect(200, anonymous=302)),
    ("/accounts/inactive/", "account_inactive", expect(200)),
    ("/accounts/password/reset/", "account_reset_password", expect(200)),
    ("/accounts/password/reset/done/", "account_reset_password_done", expect(200)),
    ("/accounts/password/reset/key/done/", "account_reset_password_from_key_done", expect(200)),
    # A forged reset key: the page says the link is invalid, it does not error.
    (
        "/accounts/password/reset/key/1-forged-key/",
        "account_reset_password_from_key",
        expect(200),
    ),
    ("/accounts/confirm-email/", "account_email_verification_sent", expect(200)),
    ("/accounts/confirm-email/forged-key/", "account_confirm_email", expect(200)),
    ("/accounts/login/code/confirm/", "account_confirm_login_code", expect(302)),
    ("/accounts/email/", "account_email", SIGNED_IN_ONLY),
    ("/accounts/password/change/", "account_change_password", SIGNED_IN_ONLY),
    # Everybody has a password, so "set" sends them to "change".
    ("/accounts/password/set/", "account_set_password", expect(302)),
    ("/accounts/reauthenticate/", "account_reauthenticate", SIGNED_IN_ONLY),
    # Since allauth 65.22 a signed-in person may confirm with a code sent by email instead.
    (
        "/accounts/reauthenticate/code/",
        "account_request_reauthentication_code",
        SIGNED_IN_ONLY,
    ),
    # Only once a code has been requested; before that, back to the request.
    (
        "/accounts/reauthenticate/code/confirm/",
        "account_confirm_reauthentication_code",
        expect(302),
    ),
    ("/accounts/2fa/", "mfa_index", SIGNED_IN_ONLY),
    # Only during a sign-in that waits for its second factor.
    ("/accounts/2fa/authenticate/", "mfa_authenticate", expect(302)),
    # Confirming with a second factor needs one: the demo staff have TOTP, the others do not
    # and are asked for their password instead.
    (
        "/accounts/2fa/reauthenticate/",
        "mfa_reauthenticate",
        expect(302, **dict.fromkeys(STAFF, 200)),
    ),
    # allauth asks for the password again before any change to the second factor, and
    # answers 404 where there is nothing to change (no TOTP to deactivate, no recovery codes).
    ("/accounts/2fa/totp/activate/", "mfa_activate_totp", expect(302)),
    (
        "/accounts/2fa/totp/deactivate/",
        "mfa_deactivate_totp",
        expect(404, anonymous=302, **dict.fromkeys(STAFF, 302)),
    ),
    ("/accounts/2fa/recovery-codes/", "mfa_view_recovery_codes", expect(404, anonymous=302)),
    ("/accounts/2fa/recovery-codes/generate/", "mfa_generate_recovery_codes", expect(302)),
    (
        "/accounts/2fa/recovery-codes/download/",
        "mfa_download_recovery_codes",
        expect(404, anonymous=302),
    ),
    # The admin is for staff: everybody else is sent to its sign-in page.
    ("/admin/", "admin:index", expect(302, bureau=200, secretariat=200, administrator=200)),
]


@pytest.mark.parametrize(("url", "name", "expected"), MATRIX, ids=[row[1] for row in MATRIX])
def test_project_url_permission_matrix(persona_client, no_template_rendering, url, name, expected):
    assert resolve(url).view_name == name
    # A page that needs a session sends the visitor to sign in, and back afterwards.
    sign_in = {ANON: f"/accounts/login/?next={url}"} if expected is SIGNED_IN_ONLY else {}
    problems = permissions.check(persona_client, url, expected, redirects=sign_in)
    assert not problems, problems


def test_language_switch_works_for_everyone_and_never_leaves_the_site(persona_client):
    for persona in PERSONAS:
        client = persona_client(persona)
        response = client.post("/i18n/setlang/", {"language": "fr", "next": "/cities/"})
        assert response.status_code == 302, persona
        assert response["Location"] == "/cities/"
        response = client.post(
            "/i18n/setlang/", {"language": "en", "next": "https://evil.example/"}
        )
        assert response["Location"] == "/", persona


# --- Every URL is in some matrix ---------------------------------------------------------


def _named_routes(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _covered_names() -> set[str]:
    from tests.governance import test_permissions as governance  # noqa: PLC0415 - another app's test module, loaded only when this guard runs
    from tests.members import test_permissions as members  # noqa: PLC0415 - another app's test module, loaded only when this guard runs
    from tests.reporting import test_permissions as reporting  # noqa: PLC0415 - another app's test module, loaded only when this guard runs

    covered = {name for _url, name, _expected in MATRIX}
    covered |= {row[2] for row in governance.MATRIX + governance.ELECTION_MATRIX}
    covered |= {row[2] for row in governance.POLL_MATRIX}  # tests/governance/test_poll_permissions
    covered |= {row[2] for row in governance.MINUTES_MATRIX}  # tests/governance/test_minutes_views
    covered |= {row[2] for row in governance.RELEASE_MATRIX}  # test_election_release_permissions
    covered |= {
        row[2] for row in governance.PROXY_MATRIX
    }  # tests/governance/test_proxy_permissions
    covered |= {f"reporting:{row[0]}" for row in reporting.MATRIX}
    # Attachments need a file per persona: their own matrix test in the reporting module.
    covered |= {"reporting:attachment_download", "reporting:attachment_delete"}
    covered |= {resolve(url.split("?")[0]).view_name for url in members.PUBLIC_URLS}
    # A plan's primary key is only known once the data is loaded: its own test there.
    covered |= {"members:api-plan-detail"}
    covered |= {"set_language"}
    # One message belongs to one address: its own persona test in tests/coalition/test_inbox.py.
    covered |= {"message_detail"}
    return covered


# The admin beyond its index follows the person's current roles (coalition.admin_access),
# walked in tests/coalition/test_admin_rights.py and test_admin_other_coalition.py; the one
# view the portal adds to it (the city import) has its own matrix in tests/members.
NOT_IN_A_MATRIX = {"admin:"}


def test_every_url_is_in_a_permission_matrix(db):
    covered = _covered_names()
    # DRF's format-suffix routes share their names with the plain ones.
    missing = sorted(
        name
        for name in set(_named_routes())
        if name not in covered and not name.startswith(tuple(NOT_IN_A_MATRIX))
    )
    assert not missing, f"URLs without a row in a permission matrix: {missing}"
