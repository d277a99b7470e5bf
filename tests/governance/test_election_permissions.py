"""Every election URL against every persona (tellers included: committee@demo and
bureau@demo count the demo's by-election). tests/governance/test_permissions.py checks that
these rows and its own name every governance URL."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.demo.elections import BY_ELECTION_TITLE, RENEWAL_TITLE
from governance.models import CommitteeSeat, Election
from governance.services import elections as services
from governance.services import officer_elections
from members.models import City, Coalition
from tests import permissions

expect = functools.partial(permissions.expect, anonymous=302)
PUBLIC = permissions.expect(200)
BUREAU_ONLY = expect(403, bureau=200, administrator=200)

# (label, method, url name, kwargs key, POST data, expected statuses)
ELECTION_MATRIX = [
    ("coalition's elections", "get", "governance:coalition_elections", "eccar", None, PUBLIC),
    ("election in its call", "get", "governance:election_detail", "renewal", None, PUBLIC),
    ("draft election", "get", "governance:election_detail", "draft", None,
     permissions.expect(404, bureau=200, administrator=200)),
    ("bundle before the count", "get", "governance:election_bundle", "by_election", None,
     permissions.expect(404)),
    ("nominate", "get", "governance:election_nominate", "renewal_potsdam", None,
     expect(404, coordinator=200)),
    ("sealed ballot", "get", "governance:election_ballot", "by_election_potsdam", None,
     expect(403, delegate=200)),
    ("tally", "get", "governance:election_tally", "by_election", None,
     expect(403, committee_member=200, bureau=200)),
    ("withdraw candidacy", "post", "governance:candidacy_withdraw", "candidacy", {},
     expect(404, coordinator=200, bureau=403, administrator=403)),
    ("endorsement letter", "get", "governance:candidacy_letter", "candidacy", None,
     expect(404, coordinator=200, bureau=200, administrator=200)),
    ("new election", "get", "governance:election_create", "eccar", None, BUREAU_ONLY),
    ("new officer election", "get", "governance:officer_election_create", "eccar", None,
     BUREAU_ONLY),
    ("stand for office", "get", "governance:election_stand", "officer_call_seat", None,
     expect(403, committee_member=200)),
    ("run election", "get", "governance:election_manage", "renewal", None, BUREAU_ONLY),
    ("open call", "post", "governance:election_call", "draft", {}, BUREAU_ONLY),
    ("publish list", "post", "governance:election_publish", "renewal", {}, BUREAU_ONLY),
    ("open voting", "post", "governance:election_open_voting", "renewal", {},
     expect(403, bureau=302, administrator=302)),
    ("close box", "post", "governance:election_close", "by_election", {}, BUREAU_ONLY),
    ("certify", "post", "governance:election_certify", "by_election", {}, BUREAU_ONLY),
]  # fmt: skip


@pytest.fixture
def election_objects(demo, bureau, committee_member):
    renewal = Election.objects.get(title=RENEWAL_TITLE)
    by_election = Election.objects.get(title=BY_ELECTION_TITLE)
    potsdam = City.objects.get(name="Potsdam")
    now = timezone.now()
    draft = services.create_election(
        actor=bureau,
        coalition=Coalition.objects.get(short_name="ECCAR"),
        details=services.ElectionDetails(
            title="Draft election",
            method="approval",
            term_starts_on=timezone.localdate() + dt.timedelta(days=90),
            term_ends_on=timezone.localdate() + dt.timedelta(days=900),
            candidacy_deadline=now + dt.timedelta(days=10),
            voting_opens_at=now + dt.timedelta(days=20),
            voting_closes_at=now + dt.timedelta(days=30),
            challenge_ends_on=timezone.localdate() + dt.timedelta(days=40),
        ),
        outgoing_seats=[],
        additional_seats=2,
    )
    officer_call = officer_elections.create_officer_election(
        actor=bureau,
        coalition=Coalition.objects.get(short_name="ECCAR"),
        office="president",
        details=services.ElectionDetails(
            title="Election of the President",
            method="plurality",
            term_starts_on=timezone.localdate() + dt.timedelta(days=90),
            term_ends_on=timezone.localdate() + dt.timedelta(days=900),
            candidacy_deadline=now + dt.timedelta(days=10),
            voting_opens_at=now + dt.timedelta(days=20),
            voting_closes_at=now + dt.timedelta(days=30),
            challenge_ends_on=timezone.localdate() + dt.timedelta(days=40),
        ),
    )
    services.open_call(actor=bureau, election=officer_call)
    member_seat = (
        CommitteeSeat.objects.current()
        .voting()
        .get(coalition=officer_call.coalition, representative=committee_member)
    )
    return {
        "officer_call_seat": {"pk": officer_call.pk, "seat_pk": member_seat.pk},
        "eccar": {"slug": "eccar"},
        "renewal": {"pk": renewal.pk},
        "draft": {"pk": draft.pk},
        "by_election": {"pk": by_election.pk},
        "renewal_potsdam": {"pk": renewal.pk, "city_pk": potsdam.pk},
        "by_election_potsdam": {"pk": by_election.pk, "city_pk": potsdam.pk},
        "candidacy": {"pk": renewal.candidacies.get(city=potsdam).pk},
    }


@pytest.mark.parametrize(
    ("label", "method", "name", "key", "data", "expected"),
    ELECTION_MATRIX,
    ids=[row[0] for row in ELECTION_MATRIX],
)
def test_election_permission_matrix(
    persona_client, no_template_rendering, election_objects, label, method, name, key, data,
    expected,
):  # fmt: skip
    url = reverse(name, kwargs=election_objects[key])
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
