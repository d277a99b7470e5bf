"""Every URL of the release and the challenges against every persona, tellers included
(committee@demo and bureau@demo are the tellers of the demo's counted by-election, whose
result bureau@demo released and committee@demo confirmed). tests/governance/test_permissions.py
checks that these rows and its own name every governance URL."""

from __future__ import annotations

import functools

import pytest
from django.urls import reverse

from governance.demo.elections import COUNTED_TITLE
from governance.models import Election
from governance.services import election_release
from members.models import City
from tests import permissions
from tests.governance.election_world import letter

expect = functools.partial(permissions.expect, anonymous=302)
BUREAU_ONLY = expect(403, bureau=200, administrator=200)
TELLERS_AND_OFFICER = expect(403, committee_member=200, bureau=200, administrator=200)

# (label, method, url name, kwargs key, POST data, expected statuses)
RELEASE_MATRIX = [
    ("bureau's elections", "get", "governance:bureau_elections", "none", None, BUREAU_ONLY),
    ("result review", "get", "governance:election_result_review", "counted", None,
     TELLERS_AND_OFFICER),
    ("release the result", "post", "governance:election_release", "counted", {"confirmed": "1"},
     expect(403, bureau=302, administrator=302)),
    ("confirm the release", "post", "governance:election_confirm_release", "counted",
     {"confirmed": "1"},
     expect(403, committee_member=302, bureau=302)),
    ("challenge", "get", "governance:election_challenge", "counted_potsdam", None,
     expect(404, coordinator=200, delegate=200)),
    ("challenge evidence", "get", "governance:election_challenge_evidence", "challenge", None,
     expect(404, coordinator=200, bureau=200, administrator=200)),
    ("decide a challenge", "get", "governance:election_challenge_decide", "challenge", None,
     BUREAU_ONLY),
]  # fmt: skip


@pytest.fixture
def release_objects(demo, coordinator):
    counted = Election.objects.get(title=COUNTED_TITLE)
    potsdam = City.objects.get(name="Potsdam")
    challenge = election_release.file_challenge(
        actor=coordinator,
        election=counted,
        city=potsdam,
        grounds="A test challenge.",
        evidence=letter("evidence.pdf"),
    )
    return {
        "none": {},
        "counted": {"pk": counted.pk},
        "counted_potsdam": {"pk": counted.pk, "city_pk": potsdam.pk},
        "challenge": {"pk": challenge.pk},
    }


@pytest.mark.parametrize(
    ("label", "method", "name", "key", "data", "expected"),
    RELEASE_MATRIX,
    ids=[row[0] for row in RELEASE_MATRIX],
)
def test_release_permission_matrix(
    persona_client, no_template_rendering, release_objects, label, method, name, key, data,
    expected,
):  # fmt: skip
    url = reverse(name, kwargs=release_objects[key])
    wrong = permissions.check(
        persona_client,
        url,
        expected,
        method=method,
        data=data,
        redirects={"anonymous": reverse("account_login")},
        label=label,
    )
    assert not wrong, f"{label} {url}: " + "; ".join(wrong)
